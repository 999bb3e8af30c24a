"""The judged query set and the measures computed on it (pure: no app).

Measures, per query, over the first ten results:
- nDCG@10 with gains 2^grade - 1 and the ideal ordering of the query's own
  judgments (grades the judges gave, resources not listed counting 0);
- success@3: a best answer (a resource with the query's highest grade) is
  among the first three;
- reciprocal rank of the first best answer (MRR when averaged).

The split into a development half (used while tuning) and a held-out half
(only reported) is fixed by a hash of the query text, so adding a query never
moves the others from one half to the other.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

JUDGMENTS = Path(__file__).with_name("judgments.yaml")
KINDS = ("keywords", "question", "title", "typo", "accents", "acronym")


@dataclass(frozen=True)
class JudgedQuery:
    q: str
    lang: str
    kind: str
    judged: dict[str, int] = field(hash=False)

    @property
    def split(self) -> str:
        digest = hashlib.sha256(f"{self.lang}|{self.q}".encode()).digest()
        return "dev" if digest[0] % 2 == 0 else "held-out"

    @property
    def best(self) -> set[str]:
        top = max(self.judged.values())
        return {slug for slug, grade in self.judged.items() if grade == top}


def load(path: Path = JUDGMENTS) -> list[JudgedQuery]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for entry in entries:
        if entry["kind"] not in KINDS or entry["lang"] not in ("en", "fr"):
            raise ValueError(f"bad kind or language in judged query {entry['q']!r}")
        queries.append(JudgedQuery(entry["q"], entry["lang"], entry["kind"],
                                   {str(k): int(v) for k, v in entry["judged"].items()}))
    return queries


def ndcg_at(ranked: list[str], judged: dict[str, int], k: int = 10) -> float:
    gains = [(2 ** judged.get(slug, 0) - 1) for slug in ranked[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((2 ** g - 1 for g in judged.values()), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def success_at(ranked: list[str], best: set[str], k: int = 3) -> float:
    return 1.0 if any(slug in best for slug in ranked[:k]) else 0.0


def reciprocal_rank(ranked: list[str], best: set[str]) -> float:
    for i, slug in enumerate(ranked, 1):
        if slug in best:
            return 1.0 / i
    return 0.0


@dataclass
class Scores:
    ndcg: float
    success3: float
    mrr: float
    n: int


def score(queries: list[JudgedQuery], rankings: dict[tuple[str, str], list[str]]) -> Scores:
    """Averages over ``queries``; ``rankings`` maps (lang, q) to result slugs."""
    if not queries:
        return Scores(0.0, 0.0, 0.0, 0)
    nd = s3 = rr = 0.0
    for query in queries:
        ranked = rankings.get((query.lang, query.q), [])
        nd += ndcg_at(ranked, query.judged)
        s3 += success_at(ranked, query.best)
        rr += reciprocal_rank(ranked, query.best)
    n = len(queries)
    return Scores(nd / n, s3 / n, rr / n, n)
