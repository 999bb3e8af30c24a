"""The search service: query language, facets checked against the database,
access on every channel, sorting, paging, and an index that keeps up."""
from __future__ import annotations

import random
import re
import threading

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from hub.extensions import db
from hub.models import Resource
from hub.security.policy import Action, can
from hub.services import indexing, resources
from hub.services.search import SearchParams, search_resources, suggest
from tests.conftest import resource_text


def params(locale="en", **args) -> SearchParams:
    multi = MultiDict()
    for key, value in args.items():
        for v in value if isinstance(value, (list, tuple)) else [value]:
            multi.add(key, str(v))
    return SearchParams.from_args(multi, locale=locale)


def slugs(result) -> list[str]:
    return [hit.resource.slug for hit in result.hits]


def make_hidden(**fields) -> Resource:
    """An unpublished resource (as a submission under review would be)."""
    fields.setdefault("slug", "hidden-draft")
    result = resources.validate_text(resource_text(**fields))
    assert not result.problems, result.problems
    resource, _ = resources.upsert_fields(result.fields, status="unpublished")
    return resource


# -- the index follows every change --------------------------------------------
def test_import_update_delete_are_searchable_at_once(make_resource, make_user):
    make_resource(title="Pathways to Welcoming Workplaces", slug="pathways")
    assert slugs(search_resources(None, params(q="welcoming"))) == ["pathways"]

    make_resource(title="Pathways to Inclusive Libraries", slug="pathways")  # same slug: an update
    assert search_resources(None, params(q="welcoming")).total == 0
    assert slugs(search_resources(None, params(q="libraries"))) == ["pathways"]

    resources.delete_resource(make_user("editor"), "pathways")
    assert search_resources(None, params(q="libraries")).total == 0


# -- the query language ------------------------------------------------------------
def _plain(make):
    def made(**fields):
        fields.setdefault("racism_types", "[anti-asian]")
        fields.setdefault("audiences", "[youth]")
        fields.setdefault("region", "nb")
        fields.setdefault("organization", "Partnership")
        return make(**fields)
    return made


@pytest.fixture
def little_corpus(make_resource):
    """Words only in titles, summaries and bodies (vocabulary labels kept out of the way)."""
    make_resource = _plain(make_resource)
    make_resource(slug="hiring", title="Hiring toolkit", summary="Systemic racism in hiring decisions.", topics="[]",
                  body="Police checks are not covered.\n")
    make_resource(slug="racism-hiring", title="Racism and hiring", summary="How racism shapes hiring.", topics="[]",
                  body="Nothing systemic here.\n")
    make_resource(slug="police", title="Police accountability", summary="Systemic racism and police.", topics="[]",
                  body="Reform.\n")
    make_resource(slug="embauche", title="Embauche équitable", language="fr", topics="[]",
                  summary="L'équité dans l'embauche des personnes racisées.", body="Texte.\n")


@pytest.mark.parametrize("q, expected", [
    ("hiring", {"hiring", "racism-hiring"}),
    ("racism hiring", {"hiring", "racism-hiring"}),
    ('"systemic racism"', {"hiring", "police"}),
    ('"racism systemic"', set()),
    ("hiring OR police", {"hiring", "racism-hiring", "police"}),
    ("hiring OU embauche", {"hiring", "racism-hiring", "embauche"}),
    ("systemic NOT police", {"racism-hiring"}),
    ("systemic -police", {"racism-hiring"}),
    ('systemic -"police checks"', {"racism-hiring", "police"}),
    ("(hiring OR police) accountability", {"police"}),
    ("equite", {"embauche"}),
    ("ÉQUITÉ", {"embauche"}),
    ("racisées", {"embauche"}),
    ('"hiring toolkit', {"hiring", "racism-hiring"}),
    ('"hiring toolkit"', {"hiring"}),
    ("hiring)", {"hiring", "racism-hiring"}),
    ("OR hiring OR", {"hiring", "racism-hiring"}),
])
def test_query_language(little_corpus, q, expected):
    assert set(slugs(search_resources(None, params(q=q)))) == expected


@pytest.mark.parametrize("q", ["access:members", "status:draft", "*", "a*", "labels:members", "id:1", "ma*"])
def test_field_syntax_and_wildcards_cannot_reach_hidden_resources(make_resource, q):
    make_resource(slug="open", title="Open guide")
    make_resource(slug="closed", title="Members guide", access="members", summary="Status draft access notes.")
    make_hidden(title="Draft access guide")
    result = search_resources(None, params(q=q))
    assert "closed" not in slugs(result) and "hidden-draft" not in slugs(result)
    assert result.total == len(result.hits) <= 1


def test_stop_words_alone_browse_everything(little_corpus):
    result = search_resources(None, params(q="the of les"))
    assert result.total == 4 and result.sort == "newest"


# -- facets, checked against the database ----------------------------------------------
FACET_FIELDS = {
    "type": lambda r: [r.type], "racism_type": lambda r: r.racism_types, "audience": lambda r: r.audiences,
    "language": lambda r: [r.language], "region": lambda r: [r.region],
    "year": lambda r: [str(r.year)] if r.year else [],
    "publisher": lambda r: [r.publisher] if r.publisher else [],
}


#: Made-up words, so no vocabulary label or default field matches them by accident.
WORDS = ["zorblat", "quenzil", "mirvane", "taspor", "glimfen", "vorbek", "nuxtal", "pelvaro", "drazine"]


def _random_corpus(folder, rng: random.Random, count: int) -> None:
    types = ["toolkit", "guide", "report", "policy", "training"]
    racisms = ["anti-black", "anti-indigenous", "anti-asian", "anti-muslim", "systemic"]
    audiences = ["employers", "municipalities", "educators", "newcomers", "youth"]
    regions = ["on", "qc", "bc", "ab", "national"]
    words = WORDS
    folder.mkdir()
    for n in range(count):
        lang = rng.choice(["en", "en", "fr"])
        text = resource_text(
            slug=f"r{n}", title=f"{rng.choice(words).title()} {rng.choice(words)} {n}",
            type=rng.choice(types), language=lang, region=rng.choice(regions),
            racism_types="[" + ", ".join(rng.sample(racisms, rng.randint(1, 2))) + "]",
            audiences="[" + ", ".join(rng.sample(audiences, rng.randint(1, 3))) + "]",
            published=str(rng.randint(2015, 2024)), topics="[]",
            access=rng.choice(["public", "public", "public", "members"]),
            publisher=rng.choice([None, "statistics-canada", "surrey-lip", "rifo"]),
            summary=" ".join(rng.choice(words) for _ in range(8)) + ".")
        (folder / f"r{n}.md").write_text(text, encoding="utf-8")


def _expected_counts(user, q_word, filters) -> tuple[int, dict[str, dict[str, int]]]:
    rows = [r for r in db.session.scalars(select(Resource)) if can(user, Action.RESOURCE_READ, r)]
    if q_word:
        rows = [r for r in rows if q_word in re.findall(r"\w+", (r.title + " " + r.summary).lower())]

    def passes(r, skip=None):
        return all(set(FACET_FIELDS[f](r)) & set(v) for f, v in filters.items() if f != skip)

    counts = {}
    for facet, getter in FACET_FIELDS.items():
        c: dict[str, int] = {}
        for r in rows:
            if passes(r, skip=facet):
                for value in set(getter(r)):
                    c[value] = c.get(value, 0) + 1
        counts[facet] = c
    return sum(1 for r in rows if passes(r)), counts


@pytest.mark.parametrize("signed_in", [False, True])
def test_disjunctive_facet_counts_match_the_database(app, tmp_path, make_user, signed_in):
    rng = random.Random(20240517)
    _random_corpus(tmp_path / "corpus", rng, 60)
    assert not resources.import_documents([tmp_path / "corpus"]).rejected
    user = make_user("member") if signed_in else None
    values = {f: sorted({v for r in db.session.scalars(select(Resource)) for v in FACET_FIELDS[f](r)})
              for f in FACET_FIELDS}
    for _ in range(40):
        filters = {}
        for facet in rng.sample(list(FACET_FIELDS), rng.randint(0, 3)):
            filters[facet] = rng.sample(values[facet], rng.randint(1, min(2, len(values[facet]))))
        q_word = rng.choice([None, None, *WORDS[:4]])
        result = search_resources(user, params(q=q_word or "", **filters))
        total, expected = _expected_counts(user, q_word, filters)
        assert result.total == total, (q_word, filters)
        for facet in result.facets:
            shown = {v.value: v.count for v in facet.values}
            nonzero = {k: v for k, v in shown.items() if v}
            assert nonzero == expected[facet.name], (facet.name, q_word, filters)
            if facet.name in filters:  # an active facet keeps its ticked values, even at zero
                assert set(filters[facet.name]) <= set(shown)
            else:
                assert all(shown.values())


def test_several_values_of_one_facet_are_ored_different_facets_anded(make_resource):
    make_resource(slug="on-toolkit", region="on", type="toolkit")
    make_resource(slug="qc-toolkit", region="qc", type="toolkit")
    make_resource(slug="qc-guide", region="qc", type="guide")
    result = search_resources(None, params(region=["on", "qc"], type="toolkit"))
    assert set(slugs(result)) == {"on-toolkit", "qc-toolkit"}
    region = {v.value: (v.count, v.selected) for v in result.facet("region").values}
    assert region == {"on": (1, True), "qc": (1, True)}
    types = {v.value: (v.count, v.selected) for v in result.facet("type").values}
    assert types == {"toolkit": (2, True), "guide": (1, False)}


def test_facet_labels_follow_the_locale(make_resource):
    make_resource(racism_types="[anti-black]")
    fr = search_resources(None, params(locale="fr"))
    assert [v.label for v in fr.facet("racism_type").values] == ["Racisme anti-Noirs"]
    en = search_resources(None, params(locale="en"))
    assert [v.label for v in en.facet("racism_type").values] == ["Anti-Black racism"]


# -- access on every channel -------------------------------------------------------------
@pytest.fixture
def hidden_world(make_resource):
    make_resource(slug="public-one", title="Zephyr public guide", racism_types="[anti-black]",
                  summary="Open to all.", body="Public body.\n")
    make_resource(slug="members-one", title="Zephyrine members notes", access="members",
                  racism_types="[antisemitism]", region="yt", summary="Quixotical members text.",
                  body="Members body mentions quixotical plans.\n")
    make_hidden(slug="draft-one", title="Zephyrus draft", racism_types="[anti-asian]", region="nu",
                summary="Quixotical draft text.", body="Draft body.\n")


def _all_text(result) -> str:
    parts = [str(result.total), str(result.correction)]
    for facet in result.facets:
        parts.extend(f"{v.value}:{v.count}" for v in facet.values)
    for hit in result.hits:
        parts.extend([hit.resource.slug, str(hit.title_html), str(hit.snippet_html)])
    return " ".join(parts)


def test_anonymous_readers_see_nothing_hidden_anywhere(hidden_world):
    everything = search_resources(None, params())
    assert slugs(everything) == ["public-one"] and everything.total == 1
    counts = {f.name: {v.value: v.count for v in f.values} for f in everything.facets}
    assert counts["racism_type"] == {"anti-black": 1}
    assert "yt" not in counts["region"] and "nu" not in counts["region"]
    # a word only hidden resources contain: no hit, no total, no facet count, no snippet
    quix = search_resources(None, params(q="quixotical"))
    assert quix.total == 0 and quix.hits == []
    assert all(v.count == 0 for f in quix.facets for v in f.values)
    # filtering on a value only hidden resources carry finds nothing either
    assert search_resources(None, params(racism_type="antisemitism")).total == 0
    # spelling: the hidden word is never offered as a correction
    assert search_resources(None, params(q="quixoticle")).correction is None
    assert search_resources(None, params(q="quixoticle")).corrected is None
    # suggestions: neither hidden titles nor labels only hidden resources carry
    found = suggest(None, "zeph", "en")
    assert [t["slug"] for t in found["titles"]] == ["public-one"]
    assert suggest(None, "antisem", "en")["labels"] == []
    assert suggest(None, "yuk", "en")["labels"] == []


def test_members_see_members_resources_but_not_drafts(hidden_world, make_user):
    member = make_user("member")
    everything = search_resources(member, params())
    assert set(slugs(everything)) == {"public-one", "members-one"}
    quix = search_resources(member, params(q="quixotical"))
    assert slugs(quix) == ["members-one"]
    assert "<mark>" in str(quix.hits[0].snippet_html)
    assert search_resources(member, params(q="quixoticle")).corrected == "quixotical"
    assert {t["slug"] for t in suggest(member, "zeph", "en")["titles"]} == {"public-one", "members-one"}
    assert [label["value"] for label in suggest(member, "antisem", "en")["labels"]] == ["antisemitism"]
    assert "draft-one" not in _all_text(search_resources(member, params(q="zephyrus")))


def test_editors_find_unpublished_work(hidden_world, make_user):
    assert "draft-one" in slugs(search_resources(make_user("editor"), params(q="zephyrus")))


def test_a_stale_index_entry_is_never_shown(hidden_world, make_user):
    """The database is checked again: even if the index still said public, a
    resource the policy refuses is dropped from the page."""
    resource = db.session.scalar(select(Resource).where(Resource.slug == "public-one"))
    resource.access = "members"
    db.session.commit()  # behind the services' back: the index is not told
    assert search_resources(None, params(q="zephyr")).hits == []


# -- spelling -----------------------------------------------------------------------------
def test_a_misspelt_query_is_searched_as_corrected(little_corpus):
    result = search_resources(None, params(q="hirring"))
    assert result.corrected == "hiring" and set(slugs(result)) == {"hiring", "racism-hiring"}
    assert search_resources(None, params(q="accountabilty police")).corrected == "accountability police"
    assert search_resources(None, params(q="hiring")).corrected is None
    nothing = search_resources(None, params(q="qwxzv"))
    assert nothing.corrected is None and nothing.correction is None and nothing.total == 0


def test_the_words_as_typed_are_one_link_away(little_corpus):
    """The link under a correction searches the words exactly as typed; finding
    nothing then, the page offers the correction as a "did you mean"."""
    typed = search_resources(None, params(q="hirring", as_typed="1"))
    assert typed.total == 0 and typed.corrected is None and typed.correction == "hiring"


def test_nfd_accents_find_what_nfc_finds(little_corpus):
    import unicodedata
    nfc, nfd = unicodedata.normalize("NFC", "équité"), unicodedata.normalize("NFD", "équité")
    assert nfc != nfd
    assert slugs(search_resources(None, params(q=nfd))) == slugs(search_resources(None, params(q=nfc))) == ["embauche"]


# -- sorting and paging -----------------------------------------------------------------
def test_browse_is_newest_first_and_sorts_by_title_the_french_way(make_resource):
    make_resource(slug="z", title="Zèbres et rayures", published="2020-01-01", language="fr")
    make_resource(slug="e1", title="école inclusive", published="2023-05-01", language="fr")
    make_resource(slug="e2", title="Éducation antiraciste", published="2021-01-01", language="fr")
    make_resource(slug="a", title="Accueil des nouveaux arrivants", published="2019-01-01", language="fr")
    make_resource(slug="b", title="« Bienvenue » guide", published="2022", language="fr")
    assert slugs(search_resources(None, params())) == ["e1", "b", "e2", "z", "a"]
    assert slugs(search_resources(None, params(sort="title", locale="fr"))) == ["a", "b", "e1", "e2", "z"]
    assert slugs(search_resources(None, params(sort="newest", q="guide OR inclusive OR rayures"))) == \
        ["e1", "b", "z"]


def test_title_words_rank_first(make_resource):
    make_resource(slug="mention", title="Community notes", summary="Mentions housing once.")
    make_resource(slug="titled", title="Housing discrimination", summary="A study.")
    make_resource(slug="body", title="Other notes", summary="Nothing.", body="Housing housing housing.\n")
    assert slugs(search_resources(None, params(q="housing")))[0] == "titled"


def test_paging(make_resource, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(45):
        (folder / f"p{n}.md").write_text(resource_text(slug=f"p{n}", title=f"Paging item {n}",
                                                       published=f"20{10 + n % 10}-01-{n % 28 + 1:02d}"))
    resources.import_documents([folder])
    first = search_resources(None, params(q="paging"))
    third = search_resources(None, params(q="paging", page=3))
    assert first.total == third.total == 45 and first.pages == 3
    assert len(first.hits) == 20 and len(third.hits) == 5
    assert not set(slugs(first)) & set(slugs(third))
    every = [s for page in (1, 2, 3) for s in slugs(search_resources(None, params(q="paging", page=page)))]
    assert sorted(every) == sorted(f"p{n}" for n in range(45))
    assert search_resources(None, params(q="paging", page=99)).hits == []
    clamped = search_resources(None, params(q="paging", page=99), clamp_page=True)
    assert clamped.page == 3 and slugs(clamped) == slugs(third)


def test_a_page_past_the_end_is_searched_once(make_resource, monkeypatch):
    """The last page is found in the same run that counts the results, for
    the relevance and newest orders alike."""
    from hub.search import query as search_query
    for n in range(5):
        make_resource(slug=f"once{n}", title=f"Onceler report {n}")
    runs = []
    real = search_query.run
    monkeypatch.setattr(search_query, "run", lambda *a, **k: runs.append(a[1]) or real(*a, **k))
    for sort in ("relevance", "newest"):
        runs.clear()
        last = search_resources(None, SearchParams(q="onceler", sort=sort, per_page=2, page=3))
        runs.clear()
        past = search_resources(None, params(q="onceler", sort=sort, page=40), clamp_page=True)
        assert len(runs) == 1
        assert past.page == 1 and past.total == 5 and len(past.hits) == 5
        runs.clear()
        past = search_resources(None, SearchParams(q="onceler", sort=sort, per_page=2, page=40), clamp_page=True)
        assert len(runs) == 1 and past.page == 3 and slugs(past) == slugs(last) and len(past.hits) == 1


def test_a_corrected_search_past_the_end_shows_its_own_last_page(little_corpus):
    """Moving to the last page keeps the corrected words: the page lists what
    page 1 counted, not what the misspelt words find."""
    first = search_resources(None, params(q="hirring"))
    past = search_resources(None, params(q="hirring", page=5), clamp_page=True)
    assert past.corrected == first.corrected == "hiring"
    assert (past.page, past.total, slugs(past)) == (1, first.total, slugs(first))


# -- an index that keeps up ---------------------------------------------------------------
def _fingerprint(user=None):
    out = []
    for q in ["", "zorblat", "edited", "quenzil OR mirvane", "-zorblat", '"edited notes"']:
        for sort in ("newest", "title"):
            r = search_resources(user, SearchParams(q=q, sort=sort, per_page=100))
            out.append((q, sort, r.total, slugs(r),
                        [(f.name, [(v.value, v.count) for v in f.values]) for f in r.facets]))
    return out


def test_incremental_index_equals_a_rebuild(app, tmp_path, make_resource, make_user):
    rng = random.Random(7)
    _random_corpus(tmp_path / "corpus", rng, 25)
    resources.import_documents([tmp_path / "corpus"])
    editor = make_user("editor")
    for n in range(0, 25, 4):  # edits, access changes and deletions, one unit of work each
        make_resource(slug=f"r{n}", title=f"Edited notes {n}", access="members" if n % 8 else "public")
    for n in (1, 6, 11):
        resources.delete_resource(editor, f"r{n}")
    incremental = (_fingerprint(), _fingerprint(make_user("member")))
    indexing.rebuild_index()
    assert (_fingerprint(), _fingerprint(make_user("member"))) == incremental


def test_missing_corrupt_or_stale_index_is_rebuilt(app, make_resource):
    make_resource(slug="kept", title="Kept safe")
    index = indexing.get_index()
    import shutil
    index.close()
    shutil.rmtree(index.root)  # missing
    index.root.mkdir()
    assert slugs(search_resources(None, params(q="kept"))) == ["kept"]

    gen_dir = index.root / index.current_generation()
    index.close()
    for f in gen_dir.iterdir():  # corrupt: the segment files are damaged
        if f.suffix in (".seg", ".toc"):
            f.write_bytes(b"garbage")
    assert slugs(search_resources(None, params(q="kept"))) == ["kept"]

    # stale: the database moved on and the index was never told
    app.config["SEARCH_INDEX_GRACE_SECONDS"] = 0
    app.config["SEARCH_INDEX_CHECK_SECONDS"] = 0
    resource = db.session.scalar(select(Resource).where(Resource.slug == "kept"))
    resource.title = "Renamed quietly"
    indexing.bump_content_version()
    db.session.commit()
    # answered at once from the previous index, while a thread rebuilds it
    assert slugs(search_resources(None, params(q="kept"))) == ["kept"]
    indexing.rebuild_in_background().join(60)
    assert slugs(search_resources(None, params(q="renamed"))) == ["kept"]


def test_searches_keep_working_while_the_index_is_rebuilt(app, tmp_path):
    _random_corpus(tmp_path / "corpus", random.Random(3), 40)
    resources.import_documents([tmp_path / "corpus"])
    expected = search_resources(None, params(q="zorblat")).total
    errors, totals = [], []
    stop = threading.Event()

    def searcher():
        with app.app_context():
            while not stop.is_set():
                try:
                    totals.append(search_resources(None, params(q="zorblat")).total)
                except Exception as exc:  # noqa: BLE001 - recorded and asserted below
                    errors.append(exc)
                finally:
                    db.session.remove()

    thread = threading.Thread(target=searcher)
    thread.start()
    try:
        for _ in range(4):
            indexing.rebuild_index()
    finally:
        stop.set()
        thread.join()
    assert errors == [] and totals and set(totals) == {expected}


def test_without_snippets_the_same_hits_come_back_plain(little_corpus):
    full = search_resources(None, params(q="hiring"))
    plain = search_resources(None, params(q="hiring"), snippets=False)
    assert slugs(full) == slugs(plain) and full.total == plain.total
    assert "<mark>" in str(full.hits[0].title_html) and "<mark>" not in str(plain.hits[0].title_html)
    assert str(plain.hits[0].snippet_html) == plain.hits[0].resource.summary


def test_snippets_read_attachment_text_only_when_summary_and_body_have_no_passage(make_resource, tmp_path):
    """The results page reads attachments' text afterwards, for the hits that need
    it: every snippet is still the passage of summary, body and attachments."""
    from hub.search.snippets import passage

    files = tmp_path / "made" / "files"
    files.mkdir(parents=True)
    (files / "notes.txt").write_text("Appendix: zebrafish hiring panels in detail.", encoding="utf-8")
    (files / "other.txt").write_text("Nothing relevant here.", encoding="utf-8")
    make_resource(slug="in-file", title="Zebrafish guide", summary="A guide.", body="Plain body.\n",
                  files="[files/other.txt, files/notes.txt]")
    make_resource(slug="in-summary", title="Second", summary="All about zebrafish.", files="[files/notes.txt]")
    make_resource(slug="in-title", title="Zebrafish only in the title", summary="Short summary.")
    result = search_resources(None, SearchParams(q="zebrafish"))
    snippets = {hit.resource.slug: str(hit.snippet_html) for hit in result.hits}
    assert snippets["in-file"] == "Nothing relevant here. Appendix: <mark>zebrafish</mark> hiring panels in detail."
    assert snippets["in-summary"] == "All about <mark>zebrafish</mark>."
    assert snippets["in-title"] == "Short summary."
    terms = frozenset({"zebrafish"})
    for slug, snippet in snippets.items():
        r = db.session.scalar(select(Resource).where(Resource.slug == slug))
        sources = [(r.summary, False), (r.body, True), ("\n".join(a.text for a in r.attachments if a.text), False)]
        assert snippet == str(passage(sources, terms, r.language)), slug


def test_hits_highlighted_once_are_not_highlighted_again_until_their_text_changes(make_resource, tmp_path,
                                                                                monkeypatch):
    """Titles and passages are kept between searches by resource and change
    stamp: the second page costs no highlighting, an edit shows its new text at
    once, and a passage that attachments' text decides is always made afresh."""
    from hub.search import snippets as hit_snippets

    files = tmp_path / "made" / "files"
    files.mkdir(parents=True)
    (files / "notes.txt").write_text("Appendix: zebrafish panels.", encoding="utf-8")
    make_resource(slug="in-body", title="Zebrafish guide", summary="A guide.", body="Zebrafish hiring.\n")
    make_resource(slug="in-file", title="Zebrafish notes", summary="Notes.", body="Plain.\n",
                  files="[files/notes.txt]")
    made = []
    real = hit_snippets.passage
    monkeypatch.setattr(hit_snippets, "passage", lambda sources, *a: made.append(1) or real(sources, *a))

    def snippets() -> dict[str, str]:
        result = search_resources(None, SearchParams(q="zebrafish"))
        return {hit.resource.slug: str(hit.title_html) + " | " + str(hit.snippet_html) for hit in result.hits}

    first = snippets()
    assert first["in-body"] == "<mark>Zebrafish</mark> guide | <mark>Zebrafish</mark> hiring."
    assert first["in-file"] == "<mark>Zebrafish</mark> notes | Appendix: <mark>zebrafish</mark> panels."
    made.clear()
    assert snippets() == first
    assert len(made) == 2, "in-body came from the cache; in-file's passage (its attachment) was made again"
    make_resource(slug="in-body", title="Zebrafish guide", summary="A guide.", body="Edited zebrafish text.\n")
    assert snippets()["in-body"] == "<mark>Zebrafish</mark> guide | Edited <mark>zebrafish</mark> text."
    # Another reader's words, another entry.
    result = search_resources(None, SearchParams(q="guide"))
    assert [str(h.title_html) for h in result.hits] == ["Zebrafish <mark>guide</mark>"]
    # A passage that had to look past the summary and body is not kept: a file
    # attached later gives the passage at once.
    make_resource(slug="in-title", title="Zebrafish in the title", summary="Short.", body="Plain.\n")
    assert snippets()["in-title"].endswith("| Short.")
    made.clear()
    assert snippets()["in-title"].endswith("| Short.")
    # in-title's passage looked for attachments: made again (once); in-file's
    # twice, as on the second page above; in-body's came from the cache.
    assert len(made) == 3
    make_resource(slug="in-title", title="Zebrafish in the title", summary="Short.", body="Plain.\n",
                  files="[files/notes.txt]")
    assert snippets()["in-title"].endswith("| Appendix: <mark>zebrafish</mark> panels.")


# -- best match ---------------------------------------------------------------------------
def test_words_are_not_all_required_and_the_page_says_so(little_corpus):
    result = search_resources(None, params(q="hiring zyzzyva"))
    assert set(slugs(result)) == {"hiring", "racism-hiring"} and result.partial
    full = search_resources(None, params(q="racism hiring"))
    assert not full.partial


def test_plus_and_quotes_require(little_corpus):
    assert set(slugs(search_resources(None, params(q="hiring +police")))) == {"hiring"}
    assert slugs(search_resources(None, params(q='hiring "police checks"'))) == ["hiring"]


def test_question_words_never_block(little_corpus):
    asked = search_resources(None, params(q="how do we handle police accountability"))
    assert slugs(asked)[0] == "police"
    french = search_resources(None, params(q="comment faire avec l'embauche", locale="fr"))
    assert slugs(french) == ["embauche"]


def test_the_readers_edition_of_a_translation_pair_comes_first(make_resource):
    make_resource(slug="guide-en", title="Welcoming guide", summary="Welcoming newcomers.", language="en",
                  translation="guide-fr", topics="[]")
    make_resource(slug="guide-fr", title="Guide welcoming", summary="Welcoming newcomers.", language="fr",
                  translation="guide-en", topics="[]")
    assert slugs(search_resources(None, params(q="welcoming", locale="fr")))[0] == "guide-fr"
    assert slugs(search_resources(None, params(q="welcoming", locale="en")))[0] == "guide-en"


def test_both_languages_metadata_is_searched_with_each_languages_analysis(make_resource):
    make_resource(slug="checklist", language="en", topics="{en: [hiring], fr: [embauche]}",
                  title="{en: Inclusive Hiring Checklist, fr: Liste de vérification pour une embauche inclusive}",
                  summary="{en: Remove barriers from hiring., fr: Éliminer les obstacles à l'embauche.}")
    make_resource(slug="other", language="en", title="Community forum notes", summary="Forums.", topics="[]")
    # French stemming on the French title (embauches -> embauch), accents folded
    assert slugs(search_resources(None, params(q="embauches inclusives", locale="fr"))) == ["checklist"]
    assert slugs(search_resources(None, params(q="elimination des obstacles", locale="fr")))[0] == "checklist"


def test_a_publishers_alternative_names_find_its_resources(make_resource):
    make_resource(slug="surrey", title="Settlement plan", summary="A plan.", topics="[]", publisher="surrey-lip")
    make_resource(slug="elsewhere", title="Settlement plan two", summary="A plan.", topics="[]")
    assert slugs(search_resources(None, params(q="Surrey LIP"))) == ["surrey"]
    assert slugs(search_resources(None, params(q="PLI de Surrey", locale="fr"))) == ["surrey"]
