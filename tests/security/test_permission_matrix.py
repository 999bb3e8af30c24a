"""The permission matrix: every route of the app's URL map × every role.

Routes come from ``app.url_map``, so a route added later is checked without
anyone remembering to list it. For the routes this module knows, each role
gets exactly the expected status. For every route, known or not, and every
role: no server error; nothing the role may not see shows up in the page
(titles of members-only and unpublished resources, of other people's
submissions), even when the page is asked to search for them; and a hidden
thing answers exactly like a missing one (same status, same page).
"""
from __future__ import annotations

import itertools
import re
import textwrap
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from tests.conftest import _make_app

ROLES = ("anonymous", "author", "member", "editor", "admin")

#: What each test object is called: a word that appears nowhere else.
MARKERS = {
    "public": "Lumenword",
    "members": "Quorvalent",
    "unpublished": "Vextrinal",
    "draft": "Pombrelic",
    "submitted": "Zantiform",
}
#: In every body, so search-like routes have something to find.
SHARED_WORD = "sharedsecretterm"
SLUGS = {"public": "public-alpha", "members": "members-bravo", "unpublished": "unpublished-charlie",
         "missing": "no-such-resource"}
FILES = {"public": "alpha.txt", "members": "bravo.txt", "unpublished": "charlie.txt"}


def may_see(role: str, thing: str) -> bool:
    """Who may see what: the rule the whole matrix checks against."""
    if thing == "public":
        return True
    if role == "anonymous":
        return False
    if thing == "members":
        return True
    if role in ("editor", "admin"):
        return True
    return role == "author" and thing in ("draft", "submitted")


@dataclass
class World:
    app: object
    users: dict  # role -> user id
    submission_ids: dict
    version_id: int
    round_token: str = ""
    saved_search_id: int = 0
    clients: dict = field(default_factory=dict)
    requests: int = 0


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("matrix-content")
    app = _make_app(tmp_path_factory.mktemp("matrix-data"), RATELIMIT_ENABLED=False)
    with app.app_context():
        from hub.services import drafts, history, indexing, resources
        from hub.services.users import create_user

        users = {role: create_user(f"{role}@example.org", role={"author": "member"}.get(role, role),
                                   password="matrix password 1")
                 for role in ROLES if role != "anonymous"}
        for thing in ("public", "members", "unpublished"):
            (folder / FILES[thing]).write_text(f"{thing} file {SHARED_WORD}", encoding="utf-8")
            (folder / f"{thing}.md").write_text(textwrap.dedent(f"""\
                ---
                title: {thing.title()} {MARKERS[thing]}
                slug: {SLUGS[thing]}
                type: toolkit
                summary: A {thing} resource about {SHARED_WORD}.
                racism_types: [systemic]
                audiences: [lip-staff]
                topics: [{SHARED_WORD}]
                language: en
                organization: Matrix LIP
                published: 2024-01-01
                region: on
                access: {"members" if thing == "members" else "public"}
                files: [{FILES[thing]}]
                ---
                Body with {SHARED_WORD}.
                """), encoding="utf-8")
        # A pathway (public) through all three: its page may list only what the reader may see.
        (folder / "pathway.md").write_text(textwrap.dedent(f"""\
            ---
            slug: {SLUGS["public"]}
            title: {{en: Matrix pathway, fr: Parcours matrice}}
            introduction: {{en: About {SHARED_WORD}., fr: Sur {SHARED_WORD}.}}
            steps:
            - title: {{en: Everything, fr: Tout}}
              text: {{en: Read these., fr: Lisez-les.}}
              resources: [{SLUGS["public"]}, {SLUGS["members"]}, {SLUGS["unpublished"]}]
            ---
            """), encoding="utf-8")
        report = resources.import_documents([folder])
        assert not report.rejected and report.pathways["imported"] == 1, report.rejected
        history.set_status(users["editor"], SLUGS["unpublished"], "unpublished", note="hidden for the matrix")
        draft = drafts.save_submission(
            users["author"], None, {"title": f"Draft {MARKERS['draft']}", "body": f"Draft {SHARED_WORD}"},
            uploads=[("delta.txt", f"draft file {SHARED_WORD}".encode())]).submission
        sent = drafts.save_submission(users["author"], None, {
            "title": f"Submitted {MARKERS['submitted']}", "summary": f"About {SHARED_WORD}.", "type": "guide",
            "racism_types": ["systemic"], "audiences": ["lip-staff"], "language": "en", "organization": "Matrix LIP",
            "published": "2024", "region": "on", "access": "public", "body": SHARED_WORD}, intent="submit")
        assert sent.submitted, sent.all_problems
        version_id = history.resource_history(users["editor"], SLUGS["unpublished"]).versions[-1].id
        (folder / "tool.md").write_text(textwrap.dedent(f"""\
            ---
            title: Matrix self-assessment
            slug: matrix-tool
            type: self-assessment
            summary: A tool about {SHARED_WORD}.
            racism_types: [systemic]
            audiences: [lip-staff]
            language: en
            organization: Matrix LIP
            published: 2024-01-01
            region: on
            assessment:
              scale: [No, Yes]
              sections:
                - id: a
                  title: A
                  questions: [Is it so]
            ---
            Body.
            """), encoding="utf-8")
        report = resources.import_documents([folder / "tool.md"])
        assert not report.rejected, report.rejected
        from hub.services import assessment_rounds, assessments
        tool = assessments.get_tool(users["member"], "matrix-tool")
        team_round = assessment_rounds.open_round(users["member"], tool, "Matrix round")
        assessment_rounds.answer(None, team_round.token, {"a": (1,)}, edit_key="k")
        from hub.services import saved_searches
        from hub.services.search import SearchParams
        followed, _ = saved_searches.save_search(users["member"], SearchParams(q=SHARED_WORD), name="Matrix watch")
        indexing.rebuild_index()
        found = World(round_token=team_round.token, app=app, users={role: user.id for role, user in users.items()},
                      version_id=version_id, saved_search_id=followed.id,
                      submission_ids={"draft": draft.id, "submitted": sent.submission.id, "missing": 999_999})
        from hub.extensions import db
        db.session.remove()
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = str(found.users[role])
                session["_fresh"] = True
        found.clients[role] = client
    yield found
    with app.app_context():
        from hub.extensions import db
        db.session.remove()
        db.engine.dispose()
    app.extensions["hub.index"].close()


# -- filling in a route's parameters -------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One concrete URL of a rule, with what its parameters point at."""
    path: str
    tags: tuple[tuple[str, str], ...]  # (parameter, thing) e.g. ("slug", "members")

    def tag(self, name: str) -> str | None:
        return dict(self.tags).get(name)


def _candidates(rule, name: str, world: World) -> list[tuple[str, str | None]]:
    converter = rule._converters[name]
    kind = type(converter).__name__
    if kind == "AnyConverter":
        return [(sorted(converter.items)[0], None)]
    if name == "slug" or name.endswith("_slug"):
        return [(slug, thing) for thing, slug in SLUGS.items()]
    if name == "submission_id":
        return [(str(i), thing) for thing, i in world.submission_ids.items()]
    if name == "user_id":
        return [(str(world.users["author"]), "author-account"), ("999999", "missing")]
    if name == "version_id":
        return [(str(world.version_id), "version")]
    if name == "token":
        return [(world.round_token, "round"), ("not-a-real-value", "missing")]
    if kind == "IntegerConverter":
        return [("1", None), ("999999", "missing")]
    if name == "filename" and rule.endpoint == "static":
        return [("css/hub.css", None)]
    if name == "filename":
        return [(f, f"file:{thing}") for thing, f in FILES.items()] + [("delta.txt", "file:draft"),
                                                                     ("missing.txt", "file:missing")]
    return [("not-a-real-value", None)]


def cases_for(rule, world: World) -> list[Case]:
    names = sorted(rule.arguments)
    pools = [_candidates(rule, name, world) for name in names]
    adapter = world.app.url_map.bind("localhost")
    cases = []
    for combo in itertools.product(*pools):
        values = {name: value for name, (value, _) in zip(names, combo, strict=True)}
        path = adapter.build(rule.endpoint, values, method=_method(rule), force_external=False)
        cases.append(Case(path=path, tags=tuple((n, t) for n, (_, t) in zip(names, combo, strict=True) if t)))
    return cases


def _method(rule) -> str:
    return "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]


# -- what each known route must answer -------------------------------------------------
def _signed_in(role):
    return 302 if role == "anonymous" else None


def _resource(role, case):
    thing = case.tag("slug")
    return 200 if thing != "missing" and may_see(role, thing) else 404


def _file(role, case):
    thing, file_tag = case.tag("slug"), case.tag("filename")
    visible = thing != "missing" and may_see(role, thing)
    return 200 if visible and file_tag == f"file:{thing}" else 404


def _review_show(role, case):
    thing = case.tag("submission_id")
    if role == "anonymous":
        return 302
    if thing == "missing" or not may_see(role, thing):
        return 404
    return 200 if role in ("editor", "admin") else 403


def _history(role, case):
    thing = case.tag("slug")
    if role == "anonymous":
        return 302
    if thing == "missing" or not may_see(role, thing):
        return 404
    return 200 if role in ("editor", "admin") else 403


def _submit_edit(role, case):
    thing = case.tag("submission_id")
    if role == "anonymous":
        return 302
    if thing == "missing" or not may_see(role, thing):
        return 404
    return 200 if role == "author" else 302  # editors are sent to the review page


def _propose(role, case):
    thing = case.tag("slug")
    if role == "anonymous":
        return 302
    return 200 if thing != "missing" and may_see(role, thing) else 404


def _submission_file(role, case):
    thing, file_tag = case.tag("submission_id"), case.tag("filename")
    if role == "anonymous":
        return 302
    if thing == "missing" or not may_see(role, thing):
        return 404
    return 200 if (thing, file_tag) == ("draft", "file:draft") else 404


EXPECTED = {
    "public.home": lambda role, case: 200,
    "resources.show": _resource,
    "files.download": _file,
    "account.login": lambda role, case: 200 if role == "anonymous" else 302,
    "account.index": lambda role, case: _signed_in(role) or 200,
    "account.reset_request": lambda role, case: 200,
    "account.set_password": lambda role, case: 404,  # the token is not a real one
    "admin.people": lambda role, case: _signed_in(role) or (200 if role == "admin" else 403),
    "review.queue": lambda role, case: _signed_in(role) or (200 if role in ("editor", "admin") else 403),
    "review.show": _review_show,
    "review.resource_history": _history,
    "submit.mine": lambda role, case: _signed_in(role) or 200,
    "submit.new": lambda role, case: _signed_in(role) or 200,
    "submit.edit": _submit_edit,
    "submit.propose": _propose,
    "submission_files.download": _submission_file,
    "assessments.mine": lambda role, case: _signed_in(role) or 200,
    "assessments.saved": lambda role, case: _signed_in(role) or 404,  # nobody saved a result here
    "assessment_rounds.new": lambda role, case: _signed_in(role) or 404,  # none of these slugs is a tool
    # A team round of a public tool, opened by "member": anyone with its link may answer; its owner alone sees it.
    "assessment_rounds.answer_form": lambda role, case: 200 if case.tag("token") == "round" else 404,
    "assessment_rounds.results": lambda role, case: _signed_in(role) or (
        200 if case.tag("token") == "round" and role == "member" else 404),
    "static": lambda role, case: 200,
    "favicon.favicon": lambda role, case: 200,
    "pages.contact_page": lambda role, case: 200,
    "pages.request_account": lambda role, case: 200,
    "pages.research_working_group": lambda role, case: 200,
    "pathways.index": lambda role, case: 200,
    "pathways.show": lambda role, case: 200 if case.tag("slug") == "public" else 404,
    "saved_searches.index": lambda role, case: _signed_in(role) or 200,
    "saved_searches.new": lambda role, case: _signed_in(role) or 200,
    "digests.unsubscribe": lambda role, case: 400,  # none of these is a signed unsubscribe link
}

_NOISE = [re.compile(p) for p in (r'nonce-[A-Za-z0-9_\-]+', r'nonce="[^"]*"', r'name="csrf_token"[^>]*>',
                                   r'value="[A-Za-z0-9._\-]{40,}"')]


def _normalise(body: str, *words: str) -> str:
    for pattern in _NOISE:
        body = pattern.sub("", body)
    for word in words:
        body = body.replace(word, "WORD")
    return body


def _hidden_pairs(case: Case, role: str, world: World):
    """For each parameter pointing at something this role may not see: the same URL
    with that parameter pointing at nothing instead."""
    for name, thing in case.tags:
        if thing in MARKERS and not may_see(role, thing):
            if name == "slug":
                yield SLUGS[thing], SLUGS["missing"]
            elif name == "submission_id":
                yield f"/{world.submission_ids[thing]}", f"/{world.submission_ids['missing']}"


def _get_rule_for(world: World, path: str):
    from werkzeug.exceptions import MethodNotAllowed, NotFound

    try:
        return world.app.url_map.bind("localhost").match(path, method="GET")
    except (MethodNotAllowed, NotFound):
        return None


def _all_rules(app):
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_exactly_what_it_may_see(world, role):
    client = world.clients[role]
    problems: list[str] = []
    checked = 0
    for rule in _all_rules(world.app):
        for case in cases_for(rule, world):
            if _method(rule) != "GET":
                if _get_rule_for(world, case.path) is not None:
                    continue  # the same address also has a page: checked under that rule
                resp = client.get(case.path)
                checked += 1
                if resp.status_code >= 500 or resp.status_code == 200:
                    problems.append(f"GET {case.path} ({rule.endpoint}, POST only): {resp.status_code}")
                resp.close()
                continue
            for query in ("", f"?q={SHARED_WORD}"):
                with client.get(case.path + query) as resp:
                    body = resp.get_data().decode("utf-8", "replace")  # /favicon.ico is binary
                    status = resp.status_code
                checked += 1
                where = f"GET {case.path}{query} ({rule.endpoint})"
                if status >= 500:
                    problems.append(f"{where}: server error {status}")
                for thing, marker in MARKERS.items():
                    if not may_see(role, thing) and marker.lower() in body.lower():
                        problems.append(f"{where}: shows the {thing} one ({marker}) to {role}")
                if rule.endpoint in EXPECTED and not query:
                    expected = EXPECTED[rule.endpoint](role, case)
                    if status != expected:
                        problems.append(f"{where}: {status}, expected {expected}")
                if not query:
                    for hidden, missing in _hidden_pairs(case, role, world):
                        with client.get(case.path.replace(hidden, missing)) as other:
                            same = (other.status_code == status and
                                    _normalise(other.get_data(as_text=True), hidden, missing) ==
                                    _normalise(body, hidden, missing))
                        if not same:
                            problems.append(f"{where}: answers {role} differently from a missing one "
                                            f"({status} vs {other.status_code}): it reveals that it exists")
    world.requests += checked
    assert not problems, f"{len(problems)} problem(s) for {role}:\n" + "\n".join(problems)


def test_the_matrix_covers_every_route_of_the_app(world):
    """Every rule yields at least one URL, and the routes this module knows still exist."""
    rules = _all_rules(world.app)
    endpoints = {r.endpoint for r in rules}
    assert set(EXPECTED) <= endpoints, set(EXPECTED) - endpoints
    assert all(cases_for(rule, world) for rule in rules)
    urls = sum(len(cases_for(rule, world)) for rule in rules)
    print(f"permission matrix: {len(ROLES)} roles x {len(rules)} routes = {len(ROLES) * len(rules)} "
          f"role-route pairs, {urls} URLs per role ({len(ROLES) * urls} role-URL checks); "
          f"{len(EXPECTED)} routes with exact statuses")


# -- changes refused: POSTs by people who may not make them ------------------------------
def _fingerprint(world: World) -> tuple:
    from hub.extensions import db
    from hub.models import (
        AssessmentRound,
        PasswordLink,
        Resource,
        ResourceVersion,
        RoundResponse,
        SavedSearch,
        SharedRoundScores,
        Submission,
        SubmissionEvent,
        User,
    )
    from hub.services.mail import read_outbox

    with world.app.app_context():
        state = (
            tuple(db.session.execute(select(Submission.id, Submission.state, Submission.version,
                                            Submission.title)).all()),
            tuple(db.session.execute(select(Resource.slug, Resource.status, Resource.title)).all()),
            tuple(db.session.execute(select(User.id, User.role, User.active)).all()),
            db.session.scalar(select(func.count(SubmissionEvent.id))),
            db.session.scalar(select(func.count(ResourceVersion.id))),
            db.session.scalar(select(func.count(PasswordLink.id))),
            tuple(db.session.execute(select(AssessmentRound.id, AssessmentRound.closed_at)).all()),
            db.session.scalar(select(func.count(RoundResponse.id))),
            db.session.scalar(select(func.count(SharedRoundScores.id))),
            len(read_outbox(world.app.config["OUTBOX_DIR"])),
            tuple(db.session.execute(select(SavedSearch.id, SavedSearch.name, SavedSearch.frequency)).all()),
        )
        db.session.remove()
    return state


def _refused_posts(world: World):
    ids, author_id = world.submission_ids, world.users["author"]
    return [
        # (path, form, {role: expected status}) for the roles that may not do it
        (f"/en/review/{ids['submitted']}", {"action": "reject", "message": "no", "version": "2"},
         {"anonymous": 302, "author": 403, "member": 404}),
        (f"/en/review/{ids['draft']}", {"action": "publish", "version": "1"},
         {"anonymous": 302, "author": 403, "member": 404, "editor": 409, "admin": 409}),
        (f"/en/review/resources/{SLUGS['public']}/status", {"action": "unpublish", "note": "x"},
         {"anonymous": 302, "author": 403, "member": 403}),
        (f"/en/review/resources/{SLUGS['unpublished']}/status", {"action": "republish"},
         {"anonymous": 302, "author": 404, "member": 404}),
        (f"/en/review/resources/{SLUGS['unpublished']}/restore/{world.version_id}", {},
         {"anonymous": 302, "author": 404, "member": 404}),
        (f"/en/submit/{ids['submitted']}/withdraw", {"version": "2"},
         {"anonymous": 302, "member": 404, "editor": 403, "admin": 403}),
        (f"/en/submit/{ids['draft']}", {"title": "Taken over", "action": "save", "version": "1"},
         {"anonymous": 302, "member": 404, "editor": 302, "admin": 302}),
        (f"/en/submit/{ids['draft']}/comment", {"message": "hello"}, {"anonymous": 302, "member": 404}),
        (f"/en/submit/edit/{SLUGS['unpublished']}", {"title": "x", "action": "save"},
         {"anonymous": 302, "author": 404, "member": 404}),
        (f"/en/rounds/{world.round_token}/close", {}, {"anonymous": 302, "author": 404, "editor": 404, "admin": 404}),
        (f"/en/rounds/{world.round_token}/share", {}, {"anonymous": 302, "author": 404, "editor": 404, "admin": 404}),
        (f"/en/rounds/{world.round_token}/delete", {}, {"anonymous": 302, "author": 404, "editor": 404, "admin": 404}),
        (f"/en/admin/users/{author_id}/role", {"role": "admin"},
         {"anonymous": 302, "author": 403, "member": 403, "editor": 403}),
        (f"/en/admin/users/{author_id}/active", {"active": "0"},
         {"anonymous": 302, "author": 403, "member": 403, "editor": 403}),
        ("/en/admin/users/invite", {"email": "new@example.org", "role": "admin"},
         {"anonymous": 302, "author": 403, "member": 403, "editor": 403}),
        # A member's saved search: its owner alone (not even an admin) may change or stop it.
        (f"/en/account/saved-searches/{world.saved_search_id}",
         {f"s{world.saved_search_id}-name": "Taken over", f"s{world.saved_search_id}-frequency": "monthly"},
         {"anonymous": 302, "author": 404, "editor": 404, "admin": 404}),
        (f"/en/account/saved-searches/{world.saved_search_id}/delete", {},
         {"anonymous": 302, "author": 404, "editor": 404, "admin": 404}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_changes_a_role_may_not_make_are_refused_and_change_nothing(world, role):
    client = world.clients[role]
    with client.session_transaction():
        token_page = client.get("/en/login")
        token_page.close()
    from tests.flows import csrf_from
    token = csrf_from(client.get("/en/account/reset").get_data(as_text=True))
    problems = []
    for path, form, expected in _refused_posts(world):
        if role not in expected:
            continue
        before = _fingerprint(world)
        resp = client.post(path, data={**form, "csrf_token": token})
        if resp.status_code != expected[role]:
            problems.append(f"POST {path} as {role}: {resp.status_code}, expected {expected[role]}")
        if _fingerprint(world) != before:
            problems.append(f"POST {path} as {role} changed something")
    assert not problems, "\n".join(problems)


# -- CSRF: every form POST of the app ----------------------------------------------------
#: What a forged form would try, so that without the CSRF check something would change.
FORGED = {"action": "publish", "title": "Forged", "message": "forged", "note": "forged", "role": "admin",
          "active": "0", "email": "forged@example.org", "password": "matrix password 1",
          "confirm": "matrix password 1", "current_password": "matrix password 1", "version": "2"}


def _csrf_exempt(world: World, rule) -> bool:
    from hub.extensions import csrf

    view = world.app.view_functions[rule.endpoint]
    blueprint = world.app.blueprints.get(rule.endpoint.rpartition(".")[0])
    return f"{view.__module__}.{view.__name__}" in csrf._exempt_views or blueprint in csrf._exempt_blueprints


@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_every_post_route_refuses_a_missing_or_wrong_csrf_token(world, token):
    """Signed in as an admin (who may do anything), a POST to any route of the
    URL map without a valid token gets 400 and changes nothing. Protocol
    endpoints exempted from CSRF (OAI-PMH allows POST for reading) must still
    change nothing."""
    client = world.clients["admin"]
    problems, posts = [], 0
    for rule in _all_rules(world.app):
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        for case in cases_for(rule, world):
            form = dict(FORGED)
            if token == "wrong":
                form["csrf_token"] = "ImZvcmdlZCI.Zm9yZ2Vk.Zm9yZ2VkLXNpZ25hdHVyZQ"
            before = _fingerprint(world)
            resp = client.post(case.path, data=form)
            posts += 1
            if _csrf_exempt(world, rule):
                if resp.status_code >= 500:
                    problems.append(f"POST {case.path} ({rule.endpoint}): server error {resp.status_code}")
            elif resp.status_code != 400:
                problems.append(f"POST {case.path} ({rule.endpoint}) with a {token} token: {resp.status_code}")
            if _fingerprint(world) != before:
                problems.append(f"POST {case.path} ({rule.endpoint}) with a {token} token changed something")
    assert posts > 20
    assert not problems, "\n".join(problems)
