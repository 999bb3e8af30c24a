"""The benchmark's fixed query set: at least 200 queries of the kinds readers
type (words, phrases, OR/NOT, typos, French with and without accents, browsing
by filters), with and without one to three facet filters.

Built from the curated catalogue's words (not from a generated corpus), with a
fixed seed, so the same queries run at every corpus size and on every run.
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from bench.corpus import Stats
from hub.search.analysis import fold, stop_words

FACET_NAMES = ("type", "racism_type", "audience", "language", "region", "year")


@dataclass(frozen=True)
class Query:
    kind: str
    q: str
    filters: tuple[tuple[str, tuple[str, ...]], ...] = field(default_factory=tuple)

    def args(self) -> list[tuple[str, str]]:
        out = [("q", self.q)] if self.q else []
        for name, values in self.filters:
            out.extend((name, v) for v in values)
        return out


def _content_words(stats: Stats, lang: str) -> list[str]:
    counts = Counter()
    for word, nexts in stats.bigrams[lang].items():
        counts[word] += len(nexts)
    stops = stop_words()
    ranked = [w for w, _ in counts.most_common() if len(w) >= 4 and fold(w) not in stops and w.isalpha()]
    return ranked[5:400]  # the very commonest words aside: what people actually type


def _phrases(stats: Stats, lang: str, words: set[str]) -> list[str]:
    pairs = Counter()
    for a, nexts in stats.bigrams[lang].items():
        if a in words:
            for b in nexts:
                if b.lower() in words:
                    pairs[(a, b.lower())] += 1
    return [f'"{a} {b}"' for (a, b), n in pairs.most_common(80) if n >= 2]


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # swap two letters
    return word[:i] + word[i + 1:]  # drop one


def _filters(rng: random.Random, stats: Stats, n: int) -> tuple:
    chosen = []
    for name in rng.sample(FACET_NAMES, n):
        values = stats.values[name]
        keys = [k for k in values if k and k != "None"]
        weights = [values[k] for k in keys]
        picked = {rng.choices(keys, weights=weights)[0] for _ in range(rng.choice((1, 1, 2)))}
        chosen.append((name, tuple(sorted(picked))))
    return tuple(sorted(chosen))


def build_queries(stats: Stats, seed: int = 7) -> list[Query]:
    rng = random.Random(seed)
    en, fr = _content_words(stats, "en"), _content_words(stats, "fr")
    en_phrases = _phrases(stats, "en", set(en))
    fr_phrases = _phrases(stats, "fr", set(fr))
    plan: list[tuple[str, str]] = []
    plan += [("word", rng.choice(en)) for _ in range(40)]
    plan += [("words", " ".join(rng.sample(en[:150], 2))) for _ in range(30)]
    plan += [("words", " ".join(rng.sample(en[:100], 3))) for _ in range(10)]
    plan += [("phrase", rng.choice(en_phrases)) for _ in range(25)]
    plan += [("phrase", rng.choice(fr_phrases)) for _ in range(5)]
    plan += [("or", f"{rng.choice(en)} OR {rng.choice(en)}") for _ in range(15)]
    plan += [("not", f"{rng.choice(en[:120])} {'NOT ' if n % 2 else '-'}{rng.choice(en)}") for n in range(15)]
    plan += [("typo", _typo(rng, w)) for w in rng.sample([w for w in en if len(w) >= 6], 25)]
    plan += [("french", w if n % 2 else fold(w)) for n, w in enumerate(rng.sample(fr, 25))]
    queries = []
    for kind, q in plan:
        n = rng.choice((0, 0, 1, 2, 3))
        queries.append(Query(kind, q, _filters(rng, stats, n) if n else ()))
    queries += [Query("browse", "", _filters(rng, stats, rng.randint(1, 3))) for _ in range(20)]
    return queries
