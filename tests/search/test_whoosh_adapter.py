"""The bulk readers agree with Whoosh's own per-document API, and the ranking
is Whoosh's BM25F: same scores as ``searcher.search`` on one field."""
import numpy as np
import pytest
from whoosh import query as wq

from hub.search import whoosh_adapter as postings
from hub.services import indexing


@pytest.fixture
def snap(app, make_resource, make_user):
    from hub.services import resources
    for n in range(6):
        make_resource(slug=f"s{n}", title=f"Housing report {n}", summary="Housing and hiring " * (n + 1),
                      body="Housing data.\n" * n)
    resources.delete_resource(make_user("editor"), "s2")  # a deleted document in a segment
    return indexing.snapshot()


def test_fast_and_slow_readers_agree(snap):
    for reader, _ in snap.leaves:
        for field in ("summary_en", "title_en", "body_en"):
            assert np.array_equal(postings.read_lengths(reader, field), postings.read_lengths_slowly(reader, field))
            for term in ("hous", "hire", "data", "missing"):
                fast = postings.read_postings(reader, field, term)
                if (field, term) in reader:
                    slow = postings._read_postings_slowly(reader, field, term)
                    assert np.array_equal(fast[0], slow[0]) and np.allclose(fast[1], slow[1])
                else:
                    assert len(fast[0]) == 0
        published = postings.read_numeric_column(reader, "num")
        col = reader.column_reader("num", translate=False)
        assert published.tolist() == [col[d] for d in range(reader.doc_count_all())]


def test_scores_are_whooshs_bm25f(snap):
    for field, term in (("summary_en", "hous"), ("title_en", "report"), ("body_en", "data")):
        ids, contrib = snap.term_postings(field, term)
        results = snap.searcher.search(wq.Term(field, term), limit=None)
        theirs = {hit.docnum: hit.score for hit in results}
        ours = {int(d): float(s) for d, s in zip(ids, contrib, strict=True)}
        assert set(ours) == set(theirs)
        for doc, score in theirs.items():
            assert ours[doc] == pytest.approx(score, rel=1e-5)


def test_a_snapshot_after_a_publish_reads_only_the_new_segment_and_agrees_with_a_cold_one(
        app, make_resource, monkeypatch):
    """What segments store is kept across snapshots; deletions are not: an
    edited resource is found by its new words only, and every score and
    count equals that of a snapshot opened with nothing cached."""
    from hub.search import query as search_query
    from hub.search.snapshot import SegmentCache, Snapshot

    for n in range(8):
        make_resource(slug=f"r{n}", title=f"Housing report {n}", summary="Housing and hiring " * (n + 1))
    warm = indexing.snapshot()
    requests = [search_query.SearchRequest(q, frozenset({"public"}), {}, "relevance", 0, 20)
                for q in ("housing", "hiring report", "garden", '"housing report"', "housing -garden")]
    reads = []
    # Postings and lengths are what segments store: read once per segment and
    # term. (Positions are also read, uncached, for the few best candidates of
    # a query whose words may stand together: that is per query by design.)
    for name in ("read_postings", "read_lengths"):
        real = getattr(postings, name)
        monkeypatch.setattr(postings, name, lambda reader, *a, _real=real, **k:
                            reads.append((reader.segment().segment_id(), *a[:2])) or _real(reader, *a, **k))
    for req in requests:
        search_query.run(warm, req)
    before = set(reads)
    reads.clear()
    make_resource(slug="r3", title="Community garden report", summary="Gardens and hiring")
    after = indexing.snapshot()
    assert after is not warm and len(after.leaves) > 1
    old_segments = {reader.segment().segment_id() for reader, _ in warm.leaves}
    results = [search_query.run(after, req) for req in requests]
    again = {r for r in reads if r[0] in old_segments} & before
    assert not again, f"an unchanged segment was read from disk again: {again}"

    cold = Snapshot(after.searcher, after.generation, SegmentCache())
    for req, got in zip(requests, results, strict=True):
        expected = search_query.run(cold, req)
        assert [(h.resource_id, round(h.score or 0, 4)) for h in got.hits] == \
               [(h.resource_id, round(h.score or 0, 4)) for h in expected.hits]
        assert got.total == expected.total and got.facet_counts == expected.facet_counts
    ids = {h.resource_id for h in results[2].hits}  # "garden": only the edited resource, once
    assert len(ids) == 1 and results[2].total == 1
    assert results[0].total == 7  # "housing": the edited resource no longer matches


def test_snapshots_derived_across_merges_and_deletions_agree_with_cold_ones(app, make_resource, make_user):
    """A snapshot starts each term from the postings the previous one found
    (only segments it does not share are read). Across publishes that merge
    segments, and deletions in shared segments, every hit, score and count
    still equals that of a snapshot opened with nothing cached."""
    from hub.search import query as search_query
    from hub.search.snapshot import SegmentCache, Snapshot
    from hub.services import resources

    for n in range(12):
        make_resource(slug=f"m{n}", title=f"Housing report {n}", summary="Housing and hiring " * (n % 4 + 1))
    queries = ("housing", "hiring report", '"housing report"', "housing -hiring", "garden", "report")
    requests = [search_query.SearchRequest(q, frozenset({"public"}), {}, "relevance", 0, 50) for q in queries]
    editor = make_user("editor")
    segment_lists = set()
    for step in range(9):  # edits, new resources and a deletion: tier-0 segments merge along the way
        for req in requests:
            search_query.run(indexing.snapshot(), req)
        if step == 4:
            resources.delete_resource(editor, "m1")
        elif step % 2:
            make_resource(slug=f"m{step}", title=f"Garden report {step}", summary="Gardens and hiring")
        else:
            make_resource(slug=f"new{step}", title=f"Housing garden {step}", summary="Housing")
        snap = indexing.snapshot()
        segment_lists.add(tuple(reader.segment().segment_id() for reader, _ in snap.leaves))
        cold = Snapshot(snap.searcher, snap.generation, SegmentCache())
        for req in requests:
            got, expected = search_query.run(snap, req), search_query.run(cold, req)
            assert [(h.resource_id, round(h.score or 0, 5)) for h in got.hits] == \
                   [(h.resource_id, round(h.score or 0, 5)) for h in expected.hits], (step, req.query)
            assert got.total == expected.total and got.facet_counts == expected.facet_counts
    assert len(segment_lists) == 9
    assert min(map(len, segment_lists)) < max(map(len, segment_lists)), "no publish merged segments"
    # 12, plus new0/2/6/8, less m1 (edited, then deleted) and m3/m5/m7 (edited to gardens)
    assert search_query.run(indexing.snapshot(), requests[0]).total == 12 + 4 - 1 - 3


def test_a_small_segments_listed_terms_give_the_same_postings(app, make_resource):
    """A publish's own small segment answers "which postings" from its list of
    terms: the same arrays as reading Whoosh's term table, absent terms empty."""
    from hub.search.snapshot import LISTED_TERMS_UP_TO, SegmentCache

    for n in range(3):
        make_resource(slug=f"l{n}", title=f"Housing report {n}", summary="Housing and hiring")
    snap = indexing.snapshot()
    small = [reader for reader, _ in snap.leaves if reader.doc_count_all() <= LISTED_TERMS_UP_TO]
    assert small
    cache = SegmentCache()
    for reader in small:
        for field, term in (("title_en", "hous"), ("summary_en", "hire"), ("title_en", "garden"), ("labels", "public")):
            got = cache.postings(reader, snap.generation, field, term)
            expected = postings.read_postings(reader, field, term, keep_deleted=True)
            assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])
        assert len(cache.postings(reader, snap.generation, "title_en", "hous")[0]) == reader.doc_count_all()


def test_the_table_of_contents_is_the_one_whoosh_opens(snap):
    ix = indexing.get_index().open()
    try:
        toc = postings.table_of_contents(ix)
        with ix.reader() as own:
            own_ids = [r.segment().segment_id() for r, _ in own.leaf_readers()]
        assert [s.segment_id() for s in toc.segments] == own_ids
        assert toc.generation == ix.latest_generation()
    finally:
        ix.close()


def test_shared_readers_answer_as_whoosh_own_readers(snap):
    """Deletions, stored fields and postings through the pool's shared readers
    equal those of a reader Whoosh opens itself on the same index."""
    ix = indexing.get_index().open()
    try:
        with ix.reader() as own:
            own_leaves = [r for r, _ in own.leaf_readers()]
            for (shared, _), mine in zip(snap.leaves, own_leaves, strict=True):
                assert postings.deleted_docs(shared) == frozenset(
                    d for d in range(mine.doc_count_all()) if mine.is_deleted(d))
                assert [shared.stored_fields(d) for d in range(shared.doc_count_all())] == \
                       [mine.stored_fields(d) for d in range(mine.doc_count_all())]
                assert list(shared.all_terms()) == list(mine.all_terms())
        assert sum(len(postings.deleted_docs(r)) for r, _ in snap.leaves) == snap.size - snap.doc_count()
    finally:
        ix.close()


def test_only_the_adapter_uses_whoosh_private_names():
    """Outside whoosh_adapter.py, no search module reads a private attribute of
    an object it did not define (``x._name`` where x is not self or cls)."""
    import ast
    from pathlib import Path
    folder = Path(postings.__file__).parent
    offenders = []
    for path in folder.glob("*.py"):
        if path.name == "whoosh_adapter.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
                offenders.append(f"{path.name}:{node.lineno} .{node.attr}")
    assert offenders == []
