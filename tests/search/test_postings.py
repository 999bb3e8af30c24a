"""The bulk readers agree with Whoosh's own per-document API, and the ranking
is Whoosh's BM25F: same scores as ``searcher.search`` on one field."""
import numpy as np
import pytest
from whoosh import query as wq

from hub.search import postings
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
        ours = {int(d): float(s) for d, s in zip(ids, contrib)}
        assert set(ours) == set(theirs)
        for doc, score in theirs.items():
            assert ours[doc] == pytest.approx(score, rel=1e-5)
