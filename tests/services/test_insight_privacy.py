"""What a reader leaves behind: counts, never a person.

A signed-in member, from a distinctive address and browser, searches for
something the hub lacks, reads a resource, downloads its file and asks the
working group for help without leaving an e-mail. Afterwards every column of
every table is read: the rows those actions added or changed must hold
nothing that points back at them.
"""
from __future__ import annotations

import re

from sqlalchemy import inspect, select, text

from hub.extensions import db
from hub.models import ResourceUsage, ZeroResultSearch
from hub.services.resources import import_documents
from tests.conftest import resource_text

ADDRESS = "203.0.113.77"
AGENT = "Mozilla/5.0 (X11; Linux x86_64) PrivacyProbe/9.9 Firefox/127.0"
INSIGHT_TABLES = {"zero_result_searches", "resource_usage", "resource_requests", "link_checks",
                  "resource_reviews"}
IDENTIFYING_COLUMN = re.compile(r"ip|addr|agent|user|session|cookie|email|author|member|account", re.I)


def snapshot() -> dict[str, set[tuple]]:
    tables = {}
    with db.engine.connect() as conn:
        for name in inspect(conn).get_table_names():
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            tables[name] = {tuple(repr(v) for v in row) for row in rows}
    return tables


def test_reading_searching_downloading_and_asking_leave_no_trace_of_the_person(app, client, make_user, login_as,
                                                                              tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "guide.txt").write_text("A guide", encoding="utf-8")
    (tmp_path / "r.md").write_text(resource_text(slug="guide", files="[files/guide.txt]"), encoding="utf-8")
    assert not import_documents([tmp_path]).rejected
    member = make_user(role="member", email="reader.person@example.org")
    login_as(member)
    env = {"REMOTE_ADDR": ADDRESS}
    headers = {"User-Agent": AGENT, "X-Forwarded-For": ADDRESS}
    client.get("/en/resources/guide", headers=headers, environ_base=env)  # first visit sets the language cookie
    session_cookie = client.get_cookie("session").value

    before = snapshot()
    found = client.get("/en/search?q=Zyxwv+halal+food+banks&type=toolkit", headers=headers, environ_base=env)
    assert found.status_code == 200 and "Ask the working group for a resource on this" in found.get_data(as_text=True)
    client.get("/en/resources/guide", headers=headers, environ_base=env)
    with client.get("/resources/guide/files/guide.txt", headers=headers, environ_base=env) as resp:
        assert resp.status_code == 200
    page = client.get("/en/ask?q=Zyxwv", headers=headers, environ_base=env).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    resp = client.post("/en/ask", data={"csrf_token": token, "need": "Halal food banks", "q": "Zyxwv"},
                       headers=headers, environ_base=env)
    assert resp.status_code == 302
    after = snapshot()

    # Something was counted: the gap, the view and the download, the request.
    assert db.session.scalar(select(ZeroResultSearch.count)) == 1
    usage = db.session.scalars(select(ResourceUsage)).one()
    assert (usage.views, usage.downloads) == (2, 1)

    changed = {name: after[name] - before.get(name, set()) for name in after}
    changed = {name: rows for name, rows in changed.items() if rows}
    # The ask form's limit counts in the database (shared by every worker and
    # machine) under an HMAC of the client, expiring within the hour; the check
    # below still proves no row holds the address, the agent or the person.
    assert set(changed) <= INSIGHT_TABLES | {"hub_state", "throttle_counts"}, set(changed)
    forbidden = [ADDRESS, AGENT, "PrivacyProbe", session_cookie, member.email, "reader.person"]
    for name, rows in changed.items():
        for row in rows:
            for value in row:
                for secret in forbidden:
                    assert secret not in str(value), (name, row)
    # No insight table has a column that could hold a person, and none points at users.
    with db.engine.connect() as conn:
        inspector = inspect(conn)
        for name in INSIGHT_TABLES:
            columns = [c["name"] for c in inspector.get_columns(name)]
            assert not [c for c in columns if IDENTIFYING_COLUMN.search(c) and c != "email"], (name, columns)
            assert all(fk["referred_table"] != "users" for fk in inspector.get_foreign_keys(name))
    # The one e-mail column is empty unless the asker chose to give an address.
    assert db.session.execute(text("SELECT email FROM resource_requests")).scalars().all() == [None]
