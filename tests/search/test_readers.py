"""Segment files are opened once per process and shared by every snapshot and
by the writer; segments are merged by size tier. What a reader notices: the
same hits, scores and counts as Whoosh's own freshly opened reader, after any
number of publishes."""
from types import SimpleNamespace

from whoosh import index as whoosh_index

from hub.search import query as search_query
from hub.search.merging import SEGMENTS_PER_TIER, segments_to_merge, tier_of
from hub.search.snapshot import SegmentCache, Snapshot
from hub.services import indexing

QUERIES = ("housing", "hiring report", "garden", '"housing report"', "housing -garden", "")


def _requests():
    return [search_query.SearchRequest(q, frozenset({"public"}), {}, "relevance" if q else "newest", 0, 50)
            for q in QUERIES]


def _answers(snap):
    out = []
    for req in _requests():
        raw = search_query.run(snap, req)
        out.append(([(h.resource_id, round(h.score or 0, 4)) for h in raw.hits], raw.total, raw.facet_counts))
    return out


def _whooshs_own(index):
    """A snapshot over a reader Whoosh opens itself, nothing shared or cached."""
    ix = whoosh_index.open_dir(str(index.root / index.current_generation()))
    return Snapshot(ix.searcher(), index.current_generation(), SegmentCache())


def test_a_reopened_snapshot_shares_unchanged_segment_files_and_answers_like_whoosh(app, make_resource):
    for n in range(6):
        make_resource(slug=f"r{n}", title=f"Housing report {n}", summary="Housing and hiring " * (n + 1))
    index = indexing.get_index()
    warm = indexing.snapshot()
    _answers(warm)
    terms_before = {reader.segment().segment_id(): reader._terms for reader, _ in warm.leaves}

    make_resource(slug="r3", title="Community garden report", summary="Gardens and hiring")
    after = indexing.snapshot()
    assert after is not warm
    shared = [reader for reader, _ in after.leaves if reader.segment().segment_id() in terms_before]
    assert shared, "no segment survived the publish"
    for reader in shared:  # the same open term index, not a second copy
        assert reader._terms is terms_before[reader.segment().segment_id()]

    own = _whooshs_own(index)
    try:
        assert _answers(after) == _answers(own)
    finally:
        own.close()
    # The retired snapshot (a request may still be reading it) keeps working.
    assert _answers(warm)[0][1] == 6
    assert _answers(after)[0][1] == 5  # "housing": the edited resource no longer matches


def test_many_publishes_keep_segments_bounded_files_closed_and_answers_right(app, make_resource):
    for n in range(4):
        make_resource(slug=f"r{n}", title=f"Housing report {n}", summary="Housing and hiring")
    index = indexing.get_index()
    indexing.snapshot()
    first_cores = dict(index._readers._cores)
    for round_ in range(3 * SEGMENTS_PER_TIER):
        make_resource(slug=f"r{round_ % 4}", title=f"Housing report {round_} garden", summary="Hiring")
        indexing.snapshot()
    snap = indexing.snapshot()

    assert len(snap.leaves) < 2 * SEGMENTS_PER_TIER, "segments pile up instead of being merged"
    # Only the files of the live and the one retired snapshot stay open.
    live = index._readers.keys_of(snap.reader) | set().union(*(index._readers.keys_of(s.reader)
                                                             for s in index._retired))
    assert set(index._readers._cores) == live
    merged_away = [core for key, core in first_cores.items() if key not in live]
    assert merged_away and all(core.is_closed for core in merged_away)

    own = _whooshs_own(index)
    try:
        assert _answers(snap) == _answers(own)
        assert snap.doc_count() == own.doc_count() == 4
        # Resource ids come from the num column; they agree with the stored fields.
        assert [snap.stored_id(d) for d in range(snap.size)] == \
               [int(own.searcher.stored_fields(d)["id"]) for d in range(own.size)]
    finally:
        own.close()


def test_tiers():
    assert [tier_of(n, 10) for n in (0, 1, 9, 10, 99, 100, 5000)] == [0, 0, 0, 1, 1, 2, 3]
    assert [tier_of(n, 4) for n in (0, 3, 4, 15, 16, 64, 5000)] == [0, 0, 1, 1, 2, 3, 6]


def _segments(*live_counts):
    return [SimpleNamespace(doc_count=lambda n=n: n, name=f"s{i}") for i, n in enumerate(live_counts)]


def test_a_tier_is_merged_only_when_full_with_every_smaller_tier():
    big = (5000, 5000)
    assert segments_to_merge(_segments(*big, *[1] * (SEGMENTS_PER_TIER - 1))) == []
    full = _segments(*big, *[1] * SEGMENTS_PER_TIER)
    assert [s.name for s in segments_to_merge(full)] == [s.name for s in full[2:]]
    # A full tier of tens takes the ones below it along; the big ones stay.
    mixed = _segments(*big, 1, 2, *[SEGMENTS_PER_TIER + 1] * SEGMENTS_PER_TIER)
    assert {s.name for s in segments_to_merge(mixed)} == {s.name for s in mixed[2:]}
    # A big segment whose documents were mostly replaced counts by what is left.
    shrunk = _segments(5000, SEGMENTS_PER_TIER - 1, *[1] * (SEGMENTS_PER_TIER - 1))
    assert [s.name for s in segments_to_merge(shrunk)] == [s.name for s in shrunk[1:]]


def test_spelling_and_facets_follow_publishes_across_segments(app, make_resource):
    """Each segment keeps its own spelling words and facet block; a snapshot
    combines them with its own deletions."""
    make_resource(slug="a", title="Housing toolkit", summary="Housing help", racism_types="[anti-black]")
    make_resource(slug="b", title="Hiring guide", summary="Employers", racism_types="[anti-indigenous]")
    snap = indexing.snapshot()
    req = search_query.SearchRequest("housingg", frozenset({"public"}), {}, "relevance", 0, 20)
    assert search_query.run(snap, req).corrected == "housing"

    # The only housing resource is rewritten: its old words stay in the old
    # segment, deleted; the new ones come from the new segment.
    make_resource(slug="a", title="Gardening toolkit", summary="Gardens", racism_types="[anti-asian]")
    snap = indexing.snapshot()
    assert len(snap.leaves) > 1
    assert search_query.run(snap, req).corrected is None
    garden = search_query.SearchRequest("gardning", frozenset({"public"}), {}, "relevance", 0, 20)
    assert search_query.run(snap, garden).corrected == "gardening"
    every = search_query.run(snap, search_query.SearchRequest("", frozenset({"public"}), {}, "newest", 0, 20))
    counts = {k: v for k, v in every.facet_counts["racism_type"].items() if v}
    assert counts == {"anti-asian": 1, "anti-indigenous": 1}


def test_threads_reading_one_shared_segment_at_once_read_what_one_thread_reads(app, make_resource):
    """gunicorn's threads search one snapshot, and a following node's writer
    merges and looks up the same open segment files, all at once: each must
    read its own place in the file (a shared file position once gave a merge
    another thread's bytes: 'unpickling stack underflow', then a rebuild)."""
    import sys
    import threading

    from hub.search.whoosh_adapter import read_positions, read_postings

    words = "housing hiring garden report employer tenant council youth police health".split()
    for n in range(24):
        make_resource(slug=f"r{n}", title=f"{words[n % 10].title()} {words[(n * 3) % 10]} {n}",
                      summary=" ".join(words[(n + k) % 10] for k in range(n % 7 + 3)) * (n % 4 + 1))
    snap = indexing.snapshot()
    reader = max((r for r, _ in snap.leaves), key=lambda r: r.doc_count_all())
    fields = {"title_en", "summary_en", "labels"}
    terms = [(f, t) for f, t in reader.all_terms() if f in fields]
    assert len(terms) > 20, {f for f, _ in reader.all_terms()}

    def read_all():
        out = []
        for field, text in terms:
            ids, weights = read_postings(reader, field, text)
            out.append((ids.tolist(), weights.tolist()))
            if field != "labels":
                out.append(sorted(read_positions(reader, field, text, ids).items()))
        return out

    expected = read_all()
    got: list = [None] * 6
    errors: list = []

    def run(n: int) -> None:
        try:
            for _ in range(3):
                got[n] = read_all()
                if got[n] != expected:
                    return
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors[:3]
    assert all(answer == expected for answer in got)
