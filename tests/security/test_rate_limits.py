"""Rate limits that an attacker cannot outrun: many requests at once, spread
over several workers (app instances on one database, and a real gunicorn
with 4 workers), get no more through than the limit."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import PASSWORD
from tests.flows import csrf
from tests.ops.helpers import Server, hub_env


def _together(n: int, job) -> list:
    """Run ``job(i)`` in ``n`` threads released at the same moment."""
    start = threading.Barrier(n)

    def run(i):
        prepared = job(i)
        start.wait(timeout=60)
        return prepared()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_sixteen_simultaneous_guesses_get_at_most_five_password_checks(app, make_user, second_worker,
                                                                         monkeypatch):
    from hub.services import users

    make_user(email="amira@example.org")
    checked = []
    real_verify = users.verify_password

    def counting_verify(stored_hash, password):
        if stored_hash:
            checked.append(password)
        return real_verify(stored_hash, password)

    monkeypatch.setattr(users, "verify_password", counting_verify)
    workers = [app, second_worker(), second_worker(), second_worker()]

    def guess(i):
        client = workers[i % 4].test_client()
        token = csrf(client)
        return lambda: client.post("/en/login", data={"email": "amira@example.org",
                                                      "password": f"guess number {i}", "csrf_token": token},
                                   environ_base={"REMOTE_ADDR": f"198.51.100.{i}"}).status_code

    codes = _together(16, guess)
    assert len(checked) <= 5, f"{len(checked)} passwords checked"
    assert codes.count(401) == len(checked) and codes.count(429) == 16 - len(checked)
    # The limit is reached, and the right password waits too.
    client = app.test_client()
    resp = client.post("/en/login", data={"email": "amira@example.org", "password": PASSWORD,
                                          "csrf_token": csrf(client)})
    assert resp.status_code == 429 and len(checked) <= 5


def test_a_successful_sign_in_does_not_use_up_the_failures(app, client, make_user):
    make_user(email="amira@example.org")
    for _ in range(8):
        assert client.post("/en/login", data={"email": "amira@example.org", "password": PASSWORD,
                                              "csrf_token": csrf(client)}).status_code == 302
        client.post("/en/logout", data={"csrf_token": csrf(client, "/en/account")})
    for _ in range(5):
        assert client.post("/en/login", data={"email": "amira@example.org", "password": "wrong password!",
                                              "csrf_token": csrf(client)}).status_code == 401


def test_the_api_limit_holds_across_workers_in_threads(app, second_worker):
    app.config["API_RATE_LIMIT"] = "30 per minute"
    workers = [app] + [second_worker() for _ in range(3)]
    for other in workers[1:]:
        other.config["API_RATE_LIMIT"] = "30 per minute"

    def call(i):
        client = workers[i % 4].test_client()
        return lambda: [client.get("/api/v1/vocabularies").status_code for _ in range(10)]

    codes = [c for batch in _together(8, call) for c in batch]
    assert codes.count(200) == 30 and codes.count(429) == 50


def _get(conn, path: str, cookie: str = ""):
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    resp = conn.getresponse()
    return resp, resp.read().decode("utf-8", "replace")


def test_the_limits_hold_under_gunicorn_with_four_workers(app, tmp_path):
    """The attack as measured: many requests at once against 4 real worker
    processes, for the API (here 60 a minute) and the ask form (5 an hour)."""
    import http.client
    from urllib.parse import urlencode

    from tests.flows import csrf_from

    env = hub_env(app, HUB_API_RATE_LIMIT="60 per minute")
    with Server(env, workers=4, log_path=tmp_path / "gunicorn.log") as server:
        def api_client(_i):
            def run():
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                codes = [_get(conn, "/api/v1/vocabularies")[0].status for _ in range(25)]
                conn.close()
                return codes
            return run

        def asker(i):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            resp, page = _get(conn, "/en/ask")
            cookie = "; ".join(c.split(";", 1)[0] for c in resp.headers.get_all("Set-Cookie"))
            body = urlencode({"csrf_token": csrf_from(page), "need": f"a guide, take {i}"})

            def run():
                conn.request("POST", "/en/ask", body=body, headers={
                    "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
                status = conn.getresponse()
                status.read()
                conn.close()
                return status.status
            return run

        api_codes = [c for batch in _together(8, api_client) for c in batch]
        ask_codes = _together(12, asker)
    let_through = {"api": api_codes.count(200), "ask": ask_codes.count(302)}
    assert let_through == {"api": 60, "ask": 5}, (let_through, server.log_text()[-1500:])
    assert api_codes.count(429) == 200 - 60 and ask_codes.count(429) == 12 - 5


def test_failed_sign_ins_are_traceable_per_account_without_the_address(app, client, make_user, caplog):
    """An operator can see that one account is being guessed at (the same
    HMAC each time, whatever the address's case) and the log holds neither
    the address nor the password tried."""
    import hashlib
    import hmac
    import logging

    make_user(email="amira@example.org")
    caplog.set_level(logging.INFO)
    for email in ("amira@example.org", " Amira@Example.ORG", "nadia@example.org"):
        assert client.post("/en/login", data={"email": email, "password": "hunter2 my secret",
                                              "csrf_token": csrf(client)}).status_code == 401
    failures = [r for r in caplog.records if r.getMessage() == "sign-in failed"]
    traces = [r.account_hmac for r in failures]
    expected = hmac.new(b"test-secret", b"account:amira@example.org", hashlib.sha256).hexdigest()[:16]
    assert traces[:2] == [expected, expected] and traces[2] != expected and len(traces) == 3
    logged = " ".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records).lower()
    assert "amira" not in logged and "nadia" not in logged and "hunter2" not in logged
