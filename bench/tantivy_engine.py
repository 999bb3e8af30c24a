"""The same search through tantivy, as a yardstick on the same machine in the
same run: same documents (the hub's own search documents), same fields and
boosts, English and French analysers with accent folding, the same reader
label filter, the same six disjunctive facet counts (one terms aggregation per
facet, with every other facet's filter applied) and the page's 20 hits read
back. Only the ratio hub/tantivy is meant to travel between machines.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import tantivy

from hub.search.analysis import SEPARATOR
from hub.search.schema import FACETS, META_BOOST, TEXT_FIELDS

LANGS = ("en", "fr")


def _analyzers():
    en = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
          .filter(tantivy.Filter.ascii_fold()).filter(tantivy.Filter.stemmer("english")).build())
    fr = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
          .filter(tantivy.Filter.ascii_fold()).filter(tantivy.Filter.stemmer("french")).build())
    plain = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
             .filter(tantivy.Filter.ascii_fold()).build())
    return {"hub_en": en, "hub_fr": fr, "hub_plain": plain}


class TantivyEngine:
    def __init__(self, path: Path, conjunction: bool = True):
        """``conjunction``: every word required (the bench's speed yardstick) or,
        when False, words OR-ed and ranked by BM25 (the relevance yardstick)."""
        self.conjunction = conjunction
        self.path = Path(path)
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        builder = tantivy.SchemaBuilder()
        self.text_fields = []
        self.boosts = {}
        for name, boost in TEXT_FIELDS.items():
            for lang in LANGS:
                field = f"{name}_{lang}"
                builder.add_text_field(field, stored=(name in ("title", "summary")), tokenizer_name=f"hub_{lang}")
                self.text_fields.append(field)
                self.boosts[field] = boost
        builder.add_text_field("meta", tokenizer_name="hub_plain")
        self.text_fields.append("meta")
        self.boosts["meta"] = META_BOOST
        builder.add_text_field("labels", tokenizer_name="raw")
        for facet in FACETS:
            builder.add_text_field(facet, tokenizer_name="raw", fast=True)
        builder.add_unsigned_field("num", stored=True, fast=True)
        builder.add_unsigned_field("published", fast=True)
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(self.path))
        for name, analyzer in _analyzers().items():
            self.index.register_tokenizer(name, analyzer)

    def build(self, documents) -> tuple[int, float]:
        started = time.perf_counter()
        writer = self.index.writer(heap_size=256_000_000, num_threads=2)
        count = 0
        for doc in documents:
            tdoc = tantivy.Document()
            for field in self.text_fields:
                value = doc.get(field)
                if value:
                    tdoc.add_text(field, value.replace(SEPARATOR, " , "))
            for label in doc["labels"].split(","):
                tdoc.add_text("labels", label)
            for facet in FACETS:
                for value in doc[facet].split(","):
                    if value:
                        tdoc.add_text(facet, value)
            tdoc.add_unsigned("num", int(doc["num"]))
            tdoc.add_unsigned("published", int(doc["published"]))
            writer.add_document(tdoc)
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        return count, time.perf_counter() - started

    # -- searching -----------------------------------------------------------
    def _text_query(self, q: str):
        text = q.replace(" OU ", " OR ").replace(" ET ", " AND ").replace(" SAUF ", " -").replace(" NOT ", " -")
        try:
            return self.index.parse_query(text, self.text_fields, field_boosts=self.boosts,
                                          conjunction_by_default=self.conjunction)
        except ValueError:
            query, _errors = self.index.parse_query_lenient(text, self.text_fields, field_boosts=self.boosts,
                                                            conjunction_by_default=self.conjunction)
            return query

    def _any_of(self, field: str, values):
        return tantivy.Query.term_set_query(self.schema, field, list(values))

    def search(self, q: str, filters: dict[str, tuple[str, ...]], labels=("public",), limit: int = 20):
        """Hits (stored title, summary, id), total and the six disjunctive facet counts."""
        Occur = tantivy.Occur
        base = [(Occur.Must, self._any_of("labels", labels))]
        if q.strip():
            base.append((Occur.Must, self._text_query(q)))
        else:
            base.append((Occur.Must, tantivy.Query.all_query()))
        facet_clauses = {name: (Occur.Must, self._any_of(name, values)) for name, values in filters.items() if values}
        final = tantivy.Query.boolean_query(base + list(facet_clauses.values()))
        if q.strip():
            result = self.searcher.search(final, limit=limit, count=True)
        else:
            result = self.searcher.search(final, limit=limit, count=True, order_by_field="published")
        hits = [self.searcher.doc(address) for _score, address in result.hits]
        hits = [(h.get_first("num"), h.get_first("title_en") or h.get_first("title_fr")) for h in hits]
        counts = {}
        for name in FACETS:
            clauses = base + [c for other, c in facet_clauses.items() if other != name]
            query = tantivy.Query.boolean_query(clauses)
            agg = self.searcher.aggregate(query, {"f": {"terms": {"field": name, "size": 500}}})
            counts[name] = {b["key"]: b["doc_count"] for b in agg["f"]["buckets"]}
        return hits, result.count, counts
