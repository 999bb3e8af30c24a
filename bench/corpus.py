"""A synthetic catalogue for the benchmark, shaped like the curated one.

Text comes from a word-bigram model of the curated catalogue's own summaries
and bodies (one model per language), so word frequencies and common phrases
("systemic racism", "racisme systémique") look like the real thing. Facet
values follow their frequencies in the curated catalogue. Lengths follow the
issue: titles of 4–12 words, summaries of 30–80, bodies of 300–1,500; 15% of
resources in French, about 10% members-only. Deterministic for a given seed.
"""
from __future__ import annotations

import itertools
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hub.content.frontmatter import read_file

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "resources"
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+")
_MD = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[#*_>`|]")


@dataclass
class Stats:
    """What the curated catalogue looks like, per facet and per language."""
    values: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    organizations: list[str] = field(default_factory=list)
    topics: Counter = field(default_factory=Counter)
    #: language -> word -> list of following words (with repeats: frequency-weighted)
    bigrams: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    starts: dict[str, list[str]] = field(default_factory=dict)


def _own_language(value, lang: str):
    """A second-version value ({en, fr}) in the document's own language; a
    first-version value as it is."""
    return value.get(lang) if isinstance(value, dict) else value


def catalogue_stats(folder: Path = CATALOGUE) -> Stats:
    stats = Stats()
    texts: dict[str, list[str]] = {"en": [], "fr": []}
    for path in sorted(folder.rglob("*.md")):
        meta = read_file(path, 1 << 20).meta
        body = read_file(path, 1 << 20).body
        lang = meta.get("language", "en")
        for facet, key in (("type", "type"), ("language", "language"), ("region", "region")):
            stats.values[facet][str(meta.get(key))] += 1
        for facet, key in (("racism_type", "racism_types"), ("audience", "audiences")):
            items = list(meta.get(key) or [])
            stats.counts[facet][len(items)] += 1
            stats.values[facet].update(items)
        stats.values["year"][str(meta.get("published"))[:4]] += 1
        stats.organizations.append(str(meta.get("organization", "")))
        stats.topics.update(_own_language(meta.get("topics"), lang) or [])
        texts.setdefault(lang, []).append(str(_own_language(meta.get("summary"), lang) or "") + "\n"
                                          + _MD.sub(r" \1 ", body))
    for lang, chunks in texts.items():
        follow: dict[str, list[str]] = defaultdict(list)
        starts = []
        for chunk in chunks:
            for sentence in re.split(r"[.!?:;\n]+", chunk):
                words = _WORD.findall(sentence)
                if len(words) < 3:
                    continue
                starts.append(words[0])
                for a, b in itertools.pairwise(words):
                    follow[a.lower()].append(b)
        stats.bigrams[lang] = dict(follow)
        stats.starts[lang] = starts
    return stats


class Generator:
    def __init__(self, stats: Stats, seed: int = 1):
        self.stats = stats
        self.rng = random.Random(seed)
        # Words as numbers and successors as tuples: the walk below is the hot loop.
        self._vocab: dict[str, list[str]] = {}
        self._next: dict[str, list[tuple[int, ...]]] = {}
        self._starts: dict[str, tuple[int, ...]] = {}
        for lang, follow in stats.bigrams.items():
            words = sorted(set(stats.starts[lang]) | {b for bs in follow.values() for b in bs}
                           | set(follow))
            index = {w: i for i, w in enumerate(words)}
            self._vocab[lang] = words
            self._next[lang] = [tuple(index[b] for b in follow.get(w.lower(), ())) for w in words]
            self._starts[lang] = tuple(index[w] for w in stats.starts[lang])

    def words(self, lang: str, count: int) -> list[str]:
        rand = self.rng.random
        vocab, nexts, starts = self._vocab[lang], self._next[lang], self._starts[lang]
        n_starts = len(starts)
        out = [0] * count
        word = starts[int(rand() * n_starts)]
        for i in range(count):
            out[i] = word
            nxt = nexts[word]
            word = nxt[int(rand() * len(nxt))] if nxt and rand() > 0.08 else starts[int(rand() * n_starts)]
        return [vocab[w] for w in out]

    def sentences(self, lang: str, count: int) -> str:
        words = self.words(lang, count)
        out, i = [], 0
        while i < len(words):
            n = self.rng.randint(8, 22)
            chunk = words[i:i + n]
            out.append(chunk[0][:1].upper() + chunk[0][1:] + (" " + " ".join(chunk[1:]) if chunk[1:] else "") + ".")
            i += n
        return " ".join(out)

    def body(self, lang: str, count: int) -> str:
        parts, left = [], count
        while left > 0:
            n = min(left, self.rng.randint(60, 160))
            if self.rng.random() < 0.3:
                parts.append("## " + " ".join(self.words(lang, self.rng.randint(2, 5))).capitalize())
            parts.append(self.sentences(lang, n))
            left -= n
        return "\n\n".join(parts) + "\n"

    def pick(self, facet: str) -> str:
        values = self.stats.values[facet]
        return self.rng.choices(list(values), weights=list(values.values()))[0]

    def picks(self, facet: str) -> list[str]:
        counts = self.stats.counts[facet]
        n = self.rng.choices(list(counts), weights=list(counts.values()))[0]
        values = self.stats.values[facet]
        chosen: list[str] = []
        while len(chosen) < max(1, n):
            v = self.rng.choices(list(values), weights=list(values.values()))[0]
            if v not in chosen:
                chosen.append(v)
        return chosen

    def resource(self, n: int) -> dict:
        rng = self.rng
        lang = "fr" if rng.random() < 0.15 else "en"
        year = int(self.pick("year")) if self.pick("year").isdigit() else 2020
        year = min(max(year + rng.randint(-3, 1), 2000), 2025)
        title = " ".join(self.words(lang, rng.randint(4, 12)))
        published = date(year, rng.randint(1, 12), rng.randint(1, 28))
        return {
            "slug": f"bench-{n}",
            "title": title[:1].upper() + title[1:],
            "type": self.pick("type"),
            "summary": self.sentences(lang, rng.randint(30, 80))[:600],
            "racism_types": self.picks("racism_type"),
            "audiences": self.picks("audience"),
            "topics": rng.sample(list(self.stats.topics), rng.randint(1, 4)),
            "language": lang,
            "organization": rng.choice(self.stats.organizations),
            "authors": [],
            "published": published.isoformat(),
            "published_on": published,
            "year": year,
            "region": self.pick("region"),
            "access": "members" if rng.random() < 0.1 else "public",
            "body": self.body(lang, rng.randint(300, 1500)),
        }


def generate(count: int, seed: int = 1, stats: Stats | None = None) -> list[dict]:
    gen = Generator(stats or catalogue_stats(), seed)
    return [gen.resource(n) for n in range(count)]
