"""A floor under the ranking's quality on the project's judged queries
(bench/relevance/judgments.yaml; `make eval` prints the full table beside
FTS5 and tantivy). A change that makes the hub find what readers mean less
often fails here, not silently."""
import pytest
from sqlalchemy import select

from bench.relevance.judged import load, score
from hub.extensions import db
from hub.models import Resource
from hub.services.search import SearchParams, rank_resources

#: Measured on the catalogue as it is (198 bilingual records) at 0.91 overall,
#: 0.92 for French readers and 96% top-3, with the judgments brought up to that
#: catalogue (docs/search.md). The floor sits about 0.04-0.05 below (4 points
#: for top-3): room for small, deliberate trade-offs only.
FLOOR_NDCG, FLOOR_NDCG_FR, FLOOR_SUCCESS3 = 0.86, 0.86, 0.92


@pytest.fixture(scope="module")
def judged_rankings(catalogue_app):
    queries = load()
    with catalogue_app.app_context():
        slug_of = dict(db.session.execute(select(Resource.id, Resource.slug)).all())
        ranked = {(q.lang, q.q): [slug_of[rid] for rid, _ in
                                  rank_resources(None, SearchParams(q=q.q, locale=q.lang), limit=10)]
                  for q in queries}
        db.session.remove()
    return queries, ranked


def test_the_judged_queries_find_what_readers_mean(judged_rankings):
    queries, ranked = judged_rankings
    overall = score(queries, ranked)
    french = score([q for q in queries if q.lang == "fr"], ranked)
    assert overall.n >= 80
    assert overall.ndcg >= FLOOR_NDCG, overall
    assert french.ndcg >= FLOOR_NDCG_FR, french
    assert overall.success3 >= FLOOR_SUCCESS3, overall


def test_every_kind_of_query_is_judged_in_both_languages(judged_rankings):
    queries, _ = judged_rankings
    kinds = {(q.lang, q.kind) for q in queries}
    for lang in ("en", "fr"):
        assert {k for lang_, k in kinds if lang_ == lang} >= {"keywords", "question", "title", "typo",
                                                              "accents", "acronym"}
