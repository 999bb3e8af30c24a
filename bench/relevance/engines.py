"""The yardsticks the hub's ranking is compared with, on the same documents:
SQLite FTS5 with BM25 (every word OR-ed) and tantivy (the bench extra) with
BM25 over the hub's own search documents and field boosts, words OR-ed."""
from __future__ import annotations

import re
import sqlite3
import unicodedata
from pathlib import Path

from hub.search.records import described

#: FTS5 columns and their BM25 weights (the hub's weights for the same fields).
FTS_COLUMNS = {"title": 8.0, "summary": 3.0, "topics": 2.5, "body": 1.0}
_WORD = re.compile(r"\w+")


class Fts5Engine:
    """Title, summary, topics (every language the record has) and body in one
    FTS5 table; accents removed, Porter stemming; words OR-ed."""

    def __init__(self, resources):
        self.db = sqlite3.connect(":memory:")
        cols = ", ".join(FTS_COLUMNS)
        self.db.execute(f"CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, {cols}, "
                        "tokenize = 'porter unicode61 remove_diacritics 2')")
        rows = []
        for r in resources:
            meta = described(r)
            rows.append((r.slug, " ".join(meta.titles.values()), " ".join(meta.summaries.values()),
                         " ; ".join(t for topics in meta.topics.values() for t in topics), r.body or ""))
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", rows)
        self.weights = ", ".join(str(w) for w in FTS_COLUMNS.values())

    def search(self, q: str, limit: int = 10) -> list[str]:
        words = _WORD.findall(unicodedata.normalize("NFC", q))
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        sql = f"SELECT slug FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, {self.weights}) LIMIT ?"
        return [row[0] for row in self.db.execute(sql, (match, limit))]


class TantivyRanker:
    """tantivy over the hub's search documents, words OR-ed (BM25)."""

    def __init__(self, documents: list[dict], workdir: Path, slug_of: dict[int, str]):
        from bench.tantivy_engine import TantivyEngine
        self.engine = TantivyEngine(workdir, conjunction=False)
        self.engine.build(documents)
        self.slug_of = slug_of

    def search(self, q: str, limit: int = 10) -> list[str]:
        text = " ".join(_WORD.findall(q))  # the reader's punctuation is not tantivy's syntax
        if not text:
            return []
        hits, _total, _counts = self.engine.search(text, {}, limit=limit)
        return [self.slug_of[int(num)] for num, _title in hits]
