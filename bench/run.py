"""`make bench` (python -m bench.run): index build rate and search latency of
the hub at 1,000 and 10,000 resources (50,000 with --full), against tantivy on
the same documents and queries in the same run.

For each size: generate the corpus (bench/corpus.py), write it to a fresh
database, time `rebuild_index()` (database read, document mapping, Whoosh
writer), then run three passes of queries (bench/queries.py, each pass with
its own seed and no query seen in an earlier pass) through the search service
(hits + total + six disjunctive facet counts + snippets for the 20 hits of the
page), through the whole `GET /en/search` HTML page, and through tantivy. The
first pass is reported as "cold" (a process that has searched nothing yet);
the "warm" figures are from the passes after it: a warm process, new words.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource as rusage
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
from werkzeug.datastructures import MultiDict

from bench.corpus import catalogue_stats, generate
from bench.queries import Query, build_queries

SIZES = (1000, 10000)
FULL_SIZES = (1000, 10000, 50000)


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model or platform.processor(), "python": platform.python_version()}


def _cpu_all() -> float:
    """CPU seconds of this process and of its finished children (index builders)."""
    own, children = rusage.getrusage(rusage.RUSAGE_SELF), rusage.getrusage(rusage.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def percentiles(samples: list[float]) -> dict:
    arr = np.array(samples) * 1000
    return {"p50": float(np.percentile(arr, 50)), "p95": float(np.percentile(arr, 95)),
            "p99": float(np.percentile(arr, 99)), "n": len(samples)}


def _load_corpus(app, docs: list[dict]) -> None:
    from sqlalchemy import insert

    from hub.extensions import db
    from hub.models import Resource
    from hub.services.indexing import VERSION_KEY
    from hub.services.state import set_state

    with app.app_context():
        for start in range(0, len(docs), 2000):
            rows = [{**d, "status": "published", "body_html": "", "checksum": "", "url": None}
                    for d in docs[start:start + 2000]]
            db.session.execute(insert(Resource), rows)
        set_state(VERSION_KEY, "1")
        db.session.commit()


def query_passes(stats, passes: int, limit: int = 0) -> list[list[Query]]:
    """One query list per pass, none repeating a query of an earlier pass: a
    warm pass then measures a warm process on words it has not seen (its
    per-term caches are not asked the same question twice), as real readers
    ask it. Built from successive seeds of the same plan."""
    seen: set = set()
    out: list[list[Query]] = []
    for n in range(passes):
        fresh = [q for q in build_queries(stats, seed=7 + n) if (q.q, q.filters) not in seen]
        if limit:
            fresh = fresh[:limit]
        seen.update((q.q, q.filters) for q in fresh)
        out.append(fresh)
    return out


def _timed(fn, passes: list[list[Query]]) -> tuple[list[float], list[float], list[float]]:
    """Wall-clock seconds of the first (cold) pass and of the later (warm)
    passes, and the process CPU seconds of the warm passes: on a machine shared
    with other work, CPU time is what the call would take on an idle core.
    Each pass has its own queries (``query_passes``)."""
    cold, warm, cpu = [], [], []
    for n, queries in enumerate(passes):
        for query in queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            fn(query)
            elapsed, cpu_elapsed = time.perf_counter() - started, time.process_time() - cpu_started
            if n == 0:
                cold.append(elapsed)
            else:
                warm.append(elapsed)
                cpu.append(cpu_elapsed)
    return cold, warm, cpu


def run_size(size: int, docs: list[dict], passes: list[list[Query]], workdir: Path,
             tantivy: bool = True) -> dict:
    from hub import create_app
    from hub.extensions import db
    from hub.services import indexing
    from hub.services.search import SearchParams, search_resources

    out: dict = {"size": size}
    data_dir = workdir / f"hub-{size}"
    app = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": str(data_dir), "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
    _load_corpus(app, docs)

    with app.app_context():
        started, usage = time.perf_counter(), _cpu_all()
        count = indexing.rebuild_index()
        build, cpu = time.perf_counter() - started, _cpu_all() - usage
        out["index"] = {"documents": count, "seconds": build, "per_second": count / build,
                        "cpu_seconds": cpu, "per_cpu_second": count / cpu if cpu else 0.0}
        started = time.perf_counter()
        indexing.snapshot().facets()
        out["open_seconds"] = time.perf_counter() - started

        def service(query: Query):
            params = SearchParams.from_args(MultiDict(query.args()), locale="en")
            result = search_resources(None, params)
            db.session.remove()
            return result

        cold, warm, cpu = _timed(service, passes)
        out["service"] = {"cold": percentiles(cold), "warm": percentiles(warm), "cpu": percentiles(cpu)}
        by_kind: dict[str, list[float]] = {}
        for query, elapsed in zip([q for later in passes[1:] for q in later], warm, strict=True):
            by_kind.setdefault(query.kind, []).append(elapsed)
        out["service_by_kind"] = {k: percentiles(v) for k, v in by_kind.items()}

        # The same documents for tantivy: the hub's own search documents.
        from sqlalchemy import select

        from hub.models import Resource
        from hub.search.schema import document_for
        from hub.vocabularies import load_vocabularies
        vocab = load_vocabularies()
        documents = [document_for(r, vocab) for r in db.session.scalars(select(Resource).order_by(Resource.id))]
        db.session.remove()

    client = app.test_client()

    def page(query: Query):
        response = client.get("/en/search?" + urlencode(query.args()))
        assert response.status_code == 200, response.status_code
        return response

    with app.app_context():
        cold, warm, cpu = _timed(page, passes)
    out["page"] = {"cold": percentiles(cold), "warm": percentiles(warm), "cpu": percentiles(cpu)}

    out["max_rss_mb"] = rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss / 1024
    if not tantivy:
        with app.app_context():
            indexing.get_index().close()
        return out
    from bench.tantivy_engine import TantivyEngine
    engine = TantivyEngine(workdir / f"tantivy-{size}")
    tcount, tbuild = engine.build(documents)
    out["tantivy_index"] = {"documents": tcount, "seconds": tbuild, "per_second": tcount / tbuild}
    cold, warm, cpu = _timed(lambda q: engine.search(q.q, dict(q.filters)), passes)
    out["tantivy"] = {"cold": percentiles(cold), "warm": percentiles(warm), "cpu": percentiles(cpu)}

    # Browsing by filters involves no text analysis: both engines must count alike.
    agree = total = 0
    with app.app_context():
        for query in passes[0]:
            if query.kind != "browse":
                continue
            ours = search_resources(None, SearchParams.from_args(MultiDict(query.args()), locale="en"))
            _, t_total, t_counts = engine.search(query.q, dict(query.filters))
            mine = {f.name: {v.value: v.count for v in f.values if v.count} for f in ours.facets}
            total += 1
            agree += int(ours.total == t_total and mine == t_counts)
            db.session.remove()
    out["browse_facets_agree"] = f"{agree}/{total}"
    with app.app_context():
        indexing.get_index().close()
    return out


def _row(name: str, stats: dict) -> str:
    return f"| {name} | {stats['p50']:.1f} | {stats['p95']:.1f} | {stats['p99']:.1f} |"


def report(results: list[dict], info: dict) -> str:
    lines = [f"Machine: {info['machine']['nproc']} CPUs, {info['machine']['cpu']}, "
             f"Python {info['machine']['python']}; {info['queries']} queries, {info['passes']} passes "
             f"(first = cold; each pass its own queries, none seen before in the run)", ""]
    lines += ["| resources | index build (docs/s, wall) | index build (docs per CPU-second) | tantivy build (docs/s) "
              "| searcher open + caches (ms) | max RSS (MB) |",
              "|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        tantivy_build = f"{r['tantivy_index']['per_second']:.0f}" if "tantivy" in r else "–"
        lines.append(f"| {r['size']:,} | {r['index']['per_second']:.0f} | {r['index']['per_cpu_second']:.0f} "
                     f"| {tantivy_build} | "
                     f"{r['open_seconds'] * 1000:.0f} | {r['max_rss_mb']:.0f} |")
    lines += ["", "Latency in ms (warm passes; cold = first pass over the queries; CPU = process time of the "
              "warm passes):", "",
              "| resources | what | p50 | p95 | p99 |", "|---:|---|---:|---:|---:|"]
    for r in results:
        for label, key in (("service call", "service"), ("GET /en/search page", "page"), ("tantivy", "tantivy")):
            if key in r:
                lines.append(f"| {r['size']:,} " + _row(label, r[key]["warm"]))
        for label, key in (("service call, cold", "service"), ("page, cold", "page"), ("tantivy, cold", "tantivy")):
            if key in r:
                lines.append(f"| {r['size']:,} " + _row(label, r[key]["cold"]))
        for label, key in (("service call, CPU", "service"), ("page, CPU", "page"), ("tantivy, CPU", "tantivy")):
            if key in r:
                lines.append(f"| {r['size']:,} " + _row(label, r[key]["cpu"]))
        if "tantivy" not in r:
            continue
        s95, t95 = r["service"]["warm"]["p95"], r["tantivy"]["warm"]["p95"]
        s50, t50 = r["service"]["warm"]["p50"], r["tantivy"]["warm"]["p50"]
        lines.append(f"| {r['size']:,} | ratio hub/tantivy, service | {s50 / t50:.1f}× | {s95 / t95:.1f}× | |")
        c50, c95 = r["service"]["cpu"]["p50"] / r["tantivy"]["cpu"]["p50"], \
            r["service"]["cpu"]["p95"] / r["tantivy"]["cpu"]["p95"]
        lines.append(f"| {r['size']:,} | ratio hub/tantivy, service CPU | {c50:.1f}× | {c95:.1f}× | |")
    lines += ["", "Service p95 by kind of query (ms):", "",
              "| resources | " + " | ".join(sorted(results[0]["service_by_kind"])) + " |",
              "|---:|" + "---:|" * len(results[0]["service_by_kind"])]
    for r in results:
        lines.append(f"| {r['size']:,} | " + " | ".join(f"{r['service_by_kind'][k]['p95']:.1f}"
                                                       for k in sorted(r["service_by_kind"])) + " |")
    lines.append("")
    if all("tantivy" in r for r in results):
        lines.append("Browse queries with identical totals and facet counts in both engines: "
                     + ", ".join(f"{r['size']:,}: {r['browse_facets_agree']}" for r in results))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="also 50,000 resources (several minutes)")
    parser.add_argument("--sizes", help="comma-separated sizes, e.g. 1000,10000")
    parser.add_argument("--passes", type=int, default=3, help="passes over the query set (first is cold)")
    parser.add_argument("--queries", type=int, default=0, help="use only the first N queries (smoke runs)")
    parser.add_argument("--out", help="also write the figures as JSON to this file")
    parser.add_argument("--no-tantivy", action="store_true", help="leave tantivy out (it is a bench extra)")
    parser.add_argument("--workdir", help="where to build (default: a temporary folder, removed after)")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else (FULL_SIZES if args.full else SIZES)

    stats = catalogue_stats()
    passes = query_passes(stats, args.passes, args.queries)
    print(f"generating {max(sizes):,} resources ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    corpus = generate(max(sizes), stats=stats)
    print(f"  {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    info = {"machine": machine(), "queries": sum(len(p) for p in passes), "passes": args.passes,
            "command": "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])}
    results = []
    with tempfile.TemporaryDirectory(prefix="hub-bench-", dir=args.workdir) as tmp:
        for size in sizes:
            print(f"{size:,} resources ...", file=sys.stderr, flush=True)
            results.append(run_size(size, corpus[:size], passes, Path(tmp),
                                    tantivy=not args.no_tantivy))
            print(json.dumps(results[-1]["service"]["warm"]), file=sys.stderr, flush=True)
    text = report(results, info)
    print(text)
    if args.out:
        Path(args.out).write_text(json.dumps({"info": info, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
