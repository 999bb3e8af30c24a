"""`make eval` (python -m bench.relevance.run): the hub's ranking on the judged
query set, beside SQLite FTS5 BM25 and tantivy on the same documents, in the
same run; by language and kind of query, on the development and held-out
halves.

Two modes, each a fresh database and index built from the curated catalogue:
- one-language: every record as a first-version file (title, summary and
  topics in the document's language only);
- bilingual: the records as the catalogue holds them (titles, summaries and
  topics in both languages), when the catalogue has such records.
The hub is asked through its search service, as an anonymous reader in the
query's language, exactly as the search page asks it.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from bench.relevance.judged import KINDS, JudgedQuery, Scores, load, score

ROOT = Path(__file__).resolve().parents[2]
BILINGUAL_FIELDS = ("title", "summary", "topics")


def _front_matter(text: str) -> tuple[dict, str] | None:
    if not text.startswith("---"):
        return None
    _, head, body = text.split("---", 2)
    return yaml.safe_load(head), body


def one_language_copy(source: Path, target: Path) -> int:
    """Copy the catalogue, writing every bilingual field in the document's own
    language only (a first-version file). Returns how many files changed."""
    shutil.copytree(source, target)
    changed = 0
    for path in sorted(target.glob("*.md")):
        parsed = _front_matter(path.read_text(encoding="utf-8"))
        if parsed is None:
            continue
        meta, body = parsed
        lang = meta.get("language", "en")
        touched = False
        for name in BILINGUAL_FIELDS:
            value = meta.get(name)
            if isinstance(value, dict):
                meta[name] = value.get(lang) or next(iter(value.values()))
                touched = True
        if touched:
            head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
            path.write_text(f"---\n{head}---{body}", encoding="utf-8")
            changed += 1
    return changed


def has_bilingual_records(source: Path) -> bool:
    for path in source.glob("*.md"):
        parsed = _front_matter(path.read_text(encoding="utf-8"))
        if parsed and any(isinstance(parsed[0].get(name), dict) for name in BILINGUAL_FIELDS):
            return True
    return False


def rankings(catalogue: Path, workdir: Path, queries: list[JudgedQuery], tantivy: bool = True
             ) -> dict[str, dict[tuple[str, str], list[str]]]:
    """Each engine's top ten slugs for every judged query, on one catalogue."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from bench.relevance.engines import Fts5Engine, TantivyRanker
    from hub import create_app
    from hub.extensions import db
    from hub.models import Resource
    from hub.search.schema import document_for
    from hub.services import indexing
    from hub.services.resources import import_documents
    from hub.services.search import SearchParams, rank_resources
    from hub.vocabularies import load_vocabularies

    app = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": str(workdir / "data"), "SECRET_KEY": "eval",
                      "RATELIMIT_ENABLED": False})
    out: dict[str, dict[tuple[str, str], list[str]]] = {"hub": {}, "FTS5": {}}
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):  # the migrations' log lines
            upgrade()
        report = import_documents([catalogue])
        if report.rejected:
            raise SystemExit("catalogue files rejected: " + "; ".join(f"{p}: {r}" for p, r in report.rejected))
        indexing.rebuild_index()
        public = [r for r in db.session.scalars(select(Resource).order_by(Resource.id))
                  if r.access == "public" and r.status == "published"]
        slug_of = {r.id: r.slug for r in public}
        for query in queries:
            ranked = rank_resources(None, SearchParams(q=query.q, locale=query.lang), limit=10)
            out["hub"][(query.lang, query.q)] = [slug_of[rid] for rid, _ in ranked if rid in slug_of]
        fts = Fts5Engine(public)
        for query in queries:
            out["FTS5"][(query.lang, query.q)] = fts.search(query.q)
        if tantivy:
            vocab = load_vocabularies()
            documents = [document_for(r, vocab) for r in public]
            ranker = TantivyRanker(documents, workdir / "tantivy", slug_of)
            out["tantivy"] = {(q.lang, q.q): ranker.search(q.q) for q in queries}
        db.session.remove()
        indexing.get_index().close()
    return out


def groups(queries: list[JudgedQuery]) -> list[tuple[str, list[JudgedQuery]]]:
    out = [("all", queries)]
    out += [(f"{lang} readers", [q for q in queries if q.lang == lang]) for lang in ("en", "fr")]
    out += [(kind, [q for q in queries if q.kind == kind]) for kind in KINDS]
    out += [(half, [q for q in queries if q.split == half]) for half in ("dev", "held-out")]
    out += [(f"{half}, fr readers", [q for q in queries if q.split == half and q.lang == "fr"])
            for half in ("dev", "held-out")]
    return [(name, qs) for name, qs in groups_nonempty(out)]


def groups_nonempty(items):
    return [(name, qs) for name, qs in items if qs]


def table(title: str, queries: list[JudgedQuery], ranked: dict[str, dict]) -> tuple[str, dict]:
    engines = list(ranked)
    lines = [f"### {title}", "",
             "| queries | n | " + " | ".join(f"nDCG@10 {e}" for e in engines) + " | "
             + " | ".join(f"success@3 {e}" for e in engines) + " | " + " | ".join(f"MRR {e}" for e in engines)
             + " | hub/FTS5 nDCG |",
             "|---|---:|" + "---:|" * (3 * len(engines) + 1)]
    figures: dict[str, dict[str, Scores]] = {}
    for name, qs in groups(queries):
        per = {e: score(qs, ranked[e]) for e in engines}
        figures[name] = per
        ratio = per["hub"].ndcg / per["FTS5"].ndcg if per["FTS5"].ndcg else float("inf")
        lines.append(f"| {name} | {len(qs)} | " + " | ".join(f"{per[e].ndcg:.3f}" for e in engines) + " | "
                     + " | ".join(f"{per[e].success3:.0%}" for e in engines) + " | "
                     + " | ".join(f"{per[e].mrr:.3f}" for e in engines) + f" | {ratio:.2f}× |")
    return "\n".join(lines), figures


def misses(queries: list[JudgedQuery], ranked: dict[tuple[str, str], list[str]]) -> list[str]:
    """Queries whose best answer the hub did not put in the top three (for tuning on dev)."""
    lines = []
    for q in queries:
        got = ranked.get((q.lang, q.q), [])
        if not any(s in q.best for s in got[:3]):
            lines.append(f"  [{q.split}] {q.lang} {q.kind}: {q.q!r} -> {got[:3]} (best: {sorted(q.best)})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalogue", default=str(ROOT / "resources"), help="the curated resource files")
    parser.add_argument("--no-tantivy", action="store_true", help="leave tantivy out (it is a bench extra)")
    parser.add_argument("--misses", action="store_true", help="list the dev queries the hub misses")
    args = parser.parse_args(argv)
    try:
        import tantivy  # noqa: F401
        use_tantivy = not args.no_tantivy
    except ImportError:
        use_tantivy = False
        print("tantivy is not installed (pip install -e '.[bench]'): left out", file=sys.stderr)
    queries = load()
    source = Path(args.catalogue)
    present = {path.stem for path in source.glob("*.md")}
    stale = sorted({slug for q in queries for slug in q.judged} - present)
    if stale:
        print(f"judged resources no longer in the catalogue ({len(stale)}; judge again): {', '.join(stale)}\n")
    print(f"{len(queries)} judged queries ({sum(q.lang == 'en' for q in queries)} English, "
          f"{sum(q.lang == 'fr' for q in queries)} French); "
          f"dev {sum(q.split == 'dev' for q in queries)}, held-out {sum(q.split == 'held-out' for q in queries)}\n")
    with tempfile.TemporaryDirectory(prefix="hub-eval-") as tmp:
        tmp = Path(tmp)
        changed = one_language_copy(source, tmp / "one-language")
        modes = [("one-language records", tmp / "one-language", f"{changed} files rewritten as first-version")]
        if has_bilingual_records(source):
            modes.append(("bilingual records", source, "the catalogue as it is"))
        for name, catalogue, note in modes:
            ranked = rankings(catalogue, tmp / name.replace(" ", "-"), queries, tantivy=use_tantivy)
            text, _ = table(f"{name} ({note})", queries, ranked)
            print(text + "\n")
            if args.misses:
                print("\n".join(misses([q for q in queries if q.split == "dev"], ranked["hub"])) + "\n")
        if len(modes) == 1:
            print("bilingual records: not measured (no curated record has titles, summaries or topics "
                  "in both languages yet)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
