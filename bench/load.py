"""Bounded load test: mixed traffic against gunicorn on 127.0.0.1 while an
editor publishes (`make bench`; never part of `make test`).

    python -m bench.load --resources 10000 --workers 4 --duration 60 --concurrency 12

1. Prepares (or reuses) a data folder holding N resources: the benchmark's
   synthetic catalogue (bench/corpus.py) written as Markdown files, imported
   with `hub import`, then indexed with `hub reindex`.
2. Starts gunicorn with the production settings (gunicorn.conf.py) on a free
   127.0.0.1 port; nothing else is contacted.
3. Runs ``--concurrency`` closed-loop clients (each sends its next request as
   soon as the previous answer arrives, over a kept-alive connection) for
   ``--duration`` seconds. Each request is drawn from the mix: 60% search
   page, 30% resource page (counted as a view, as a browser's is), 9% JSON
   API search, 1% editor publish; searches use bench/queries.py's set. A publish
   rewrites one resource (new title carrying a unique word) and imports it
   through the import service from a process of its own, as `hub import` would; the
   client then asks the API for that word until a worker finds it, which
   measures how long a publish takes to become searchable in another process.
4. Prints throughput, p50/p95/p99 per kind, status counts, errors, and
   writes the same as JSON (``--json``).

With ``--nodes N`` (N > 1) it runs N machines' worth of the hub on this one:
N gunicorn servers, each with its own data folder and index, on one
PostgreSQL database (``--database-url``, or a throwaway cluster it starts and
removes) and one shared attachments folder. The clients are spread over the
nodes; the editor publishes through the first node, and the publish-to-visible
delay is measured on another node, through the change log. On one 2-core
machine the nodes share the cores: the figures say what three nodes cost
together, not what three machines would serve.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIX = (("search", 60), ("resource", 30), ("api", 9), ("publish", 1))
#: A reader's browser, so resource pages count their views as real ones do (a write per page).
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


# -- corpus ------------------------------------------------------------------------
def write_corpus(folder: Path, count: int, seed: int = 1) -> None:
    """The benchmark's synthetic catalogue (bench/corpus.py: text from the curated
    catalogue's own word bigrams, 15% French, 10% members-only) as Markdown files."""
    from bench.corpus import generate

    folder.mkdir(parents=True, exist_ok=True)
    for doc in generate(count, seed=seed):
        meta = {k: v for k, v in doc.items() if k not in ("body", "published_on", "year") and v != []}
        lines = ["---"] + [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()] + ["---"]
        (folder / f"{doc['slug']}.md").write_text("\n".join(lines) + "\n" + doc["body"], encoding="utf-8")


def query_paths(seed: int = 7) -> list[str]:
    """The benchmark's query set (bench/queries.py: words, phrases, OR/NOT,
    typos, French, facet filters) as URL query strings."""
    from bench.corpus import catalogue_stats
    from bench.queries import build_queries

    return [urllib.parse.urlencode(q.args()) for q in build_queries(catalogue_stats(), seed=seed)]


def _env(data_dir: Path, database_url: str | None, files_dir: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "DATABASE_URL"))}
    # Every client of the bench comes from 127.0.0.1, where real readers each
    # have their own address: the API's per-client limit would answer most of
    # the bench's API calls with 429 (and fast, flattering the figures).
    env.update({"HUB_DATA_DIR": str(data_dir), "HUB_SECRET_KEY": "bench-only-secret-key",
                "HUB_LOG_LEVEL": "WARNING", "HUB_API_RATE_LIMIT": "100000000 per minute"})
    if database_url:
        env["DATABASE_URL"] = database_url
    if files_dir:
        env["HUB_FILES_DIR"] = str(files_dir)
    return env


def node_dirs(data_dir: Path, nodes: int) -> list[Path]:
    """The first node uses the data folder itself; the others a folder each."""
    return [data_dir] + [data_dir / f"node-{n}" for n in range(1, nodes)]


def prepare_other_nodes(data_dir: Path, nodes: int, database_url: str) -> None:
    """Each further node builds its own index from the shared database."""
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for folder in node_dirs(data_dir, nodes)[1:]:
        if (folder / "node.ready").exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([*flask, "hub", "reindex"], cwd=ROOT, env=_env(folder, database_url, data_dir / "files"),
                       check=True)
        (folder / "node.ready").write_text("ok")


def prepare(data_dir: Path, count: int, database_url: str | None) -> None:
    """Build the data folder once; later runs with the same size reuse it."""
    stamp = data_dir / f"bench-{count}.ready"
    if stamp.exists():
        return
    env = _env(data_dir, database_url)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    corpus = data_dir / "corpus"
    started = time.perf_counter()
    write_corpus(corpus, count)
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "hub", "import", str(corpus)], cwd=ROOT, env=env, check=True)
    subprocess.run([*flask, "hub", "reindex"], cwd=ROOT, env=env, check=True)
    print(f"prepared {count} resources in {time.perf_counter() - started:.0f} s", flush=True)
    stamp.write_text("ok")


# -- server --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, workers: int, port: int, log_path: Path) -> subprocess.Popen:
    with open(log_path, "wb") as log:  # the server keeps its own copy of the descriptor
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                env={**env, "HUB_BIND": f"127.0.0.1:{port}", "HUB_WORKERS": str(workers)},
                                stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited: see {log_path}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not become healthy")


def warm_up(port: int, workers: int, queries: list[str], slugs: list[str]) -> None:
    """Warm every worker before measuring: a worker's first use of a word reads
    its posting lists (the "cold" figures of docs/performance.md), and which
    worker answers a connection is the kernel's choice. So every query goes
    ``3 x workers`` times, search page and API alike, over ``2 x workers``
    parallel connections: a given worker misses a given query with a chance of
    about (3/4)^12, 3%, at 4 workers. Some resource pages too, so that no
    template is first compiled while measuring."""
    paths = [prefix + q for q in queries for prefix in ("/en/search?", "/api/v1/resources?")] * (3 * workers)
    paths += [f"/{lang}/resources/{slug}" for slug in slugs[:25 * workers] for lang in ("en", "fr")]
    lanes = 2 * workers

    def lane(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        for path in paths[n::lanes]:
            conn.request("GET", path)
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=lane, args=(n,)) for n in range(lanes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# -- load ------------------------------------------------------------------------------
@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    visible_after: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int | str) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[status] += 1


class Editor:
    """Publishes through the import service, one at a time, in a process of its
    own (as an editor's request runs in a worker, or `hub import` in its own
    process): in this process a publish would hold the interpreter lock for
    its 50-100 ms and stall every client thread meanwhile."""

    def __init__(self, data_dir: Path, count: int, database_url: str | None, files_dir: Path | None = None):
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_editor_process,
                                 args=(child, str(data_dir), count, database_url, files_dir), daemon=True)
        self._proc.start()
        self.lock = threading.Lock()
        if self._conn.recv() != "ready":
            raise RuntimeError("the editor process did not start")

    def publish(self, rng: random.Random) -> str:
        with self.lock:
            self._conn.send(rng.randrange(2**31))
            ok, value = self._conn.recv()
        if not ok:
            raise RuntimeError(value)
        return value

    def close(self) -> None:
        self._conn.send(None)
        self._proc.join(10)


def _editor_process(conn, data_dir: str, count: int, database_url: str | None, files_dir: Path | None) -> None:
    """The editor's side: rewrite one resource (a new title with a unique word,
    made public) and import it; answer (True, word) or (False, why)."""
    os.environ.update(_env(Path(data_dir), database_url, files_dir))
    sys.path.insert(0, str(ROOT))
    from hub import create_app
    from hub.extensions import db
    from hub.services.resources import import_documents

    app = create_app({"LOG_JSON": False})
    corpus = Path(data_dir) / "corpus"
    conn.send("ready")
    n = 0
    while (seed := conn.recv()) is not None:
        n += 1
        word = f"zqedit{os.getpid()}x{n}"
        path = corpus / f"bench-{random.Random(seed).randrange(count)}.md"
        try:
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"^title: .*$", f'title: "Revised {word} edition"', text, count=1, flags=re.M)
            text = re.sub(r"^access: .*$", 'access: "public"', text, count=1, flags=re.M)
            path.write_text(text, encoding="utf-8")
            with app.app_context():
                report = import_documents([path])
                db.session.remove()
            conn.send((False, f"publish rejected: {report.rejected}") if report.rejected else (True, word))
        except Exception as exc:  # noqa: BLE001 - reported to the client, counted there
            conn.send((False, repr(exc)))


def client(ports: list[int], until: float, seed: int, queries: list[str], slugs: list[str], results: Results,  # noqa: PLR0917
           editor: Editor | None) -> None:
    """One closed-loop reader on its home node (``ports[seed % len(ports)]``);
    after a publish it asks the next node, so with several nodes the delay
    measured is another machine's."""
    rng = random.Random(seed)
    kinds = [k for k, w in MIX for _ in range(w)]
    home = ports[seed % len(ports)]
    other = ports[(seed + 1) % len(ports)]
    conns = {port: http.client.HTTPConnection("127.0.0.1", port, timeout=60) for port in {home, other}}

    def exchange(port: int, path: str) -> http.client.HTTPResponse:
        headers = {"Accept-Language": "en", "User-Agent": BROWSER}
        try:
            conns[port].request("GET", path, headers=headers)
            return conns[port].getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # The server closed a kept-alive connection that sat idle past its
            # keep-alive time (the other node's, between publishes): a GET is
            # sent again on a new connection, as browsers and urllib3 do.
            conns[port].close()
            conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conns[port].request("GET", path, headers=headers)
            return conns[port].getresponse()

    def get(kind: str, path: str, port: int = home) -> tuple[int, bytes]:
        started = time.perf_counter()
        try:
            resp = exchange(port, path)
            body = resp.read()
            results.add(kind, time.perf_counter() - started, resp.status)
            return resp.status, body
        except (OSError, http.client.HTTPException) as exc:
            results.add(kind, time.perf_counter() - started, "error")
            with results.lock:
                results.errors.append(f"{kind} {path}: {exc!r}")
            conns[port].close()
            conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            return 0, b""

    while time.monotonic() < until:
        kind = rng.choice(kinds)
        if kind == "search":
            get(kind, "/en/search?" + rng.choice(queries))
        elif kind == "resource":
            get(kind, f"/en/resources/{rng.choice(slugs)}")
        elif kind == "api":
            get(kind, "/api/v1/resources?" + rng.choice(queries))
        elif editor is not None:
            started = time.perf_counter()
            try:
                word = editor.publish(rng)
            except Exception as exc:  # noqa: BLE001 - counted, reported
                results.add("publish", time.perf_counter() - started, "error")
                with results.lock:
                    results.errors.append(f"publish: {exc!r}")
                continue
            published = time.perf_counter()
            results.add("publish", published - started, 200)
            while time.monotonic() < until + 10:
                status, body = get("visible-check", "/api/v1/resources?q=" + word, other)
                if status == 200 and json.loads(body).get("total", 0) >= 1:
                    with results.lock:
                        results.visible_after.append(time.perf_counter() - published)
                    break
                time.sleep(0.05)
    for conn in conns.values():
        conn.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summarise(results: Results, duration: float) -> dict:
    kinds = {}
    for kind, values in sorted(results.latencies.items()):
        kinds[kind] = {"requests": len(values), "per_second": round(len(values) / duration, 1),
                       "p50_ms": round(percentile(values, 50) * 1000, 1),
                       "p95_ms": round(percentile(values, 95) * 1000, 1),
                       "p99_ms": round(percentile(values, 99) * 1000, 1),
                       "max_ms": round(max(values) * 1000, 1)}
    http_requests = sum(len(v) for k, v in results.latencies.items() if k != "publish")
    all_http = [x for k, v in results.latencies.items() if k != "publish" for x in v]
    return {
        "duration_s": round(duration, 1),
        "http_requests": http_requests,
        "http_per_second": round(http_requests / duration, 1),
        "searches_per_second": round((len(results.latencies["search"]) + len(results.latencies["api"]))
                                     / duration, 1),
        "all_http": {"p50_ms": round(percentile(all_http, 50) * 1000, 1),
                     "p95_ms": round(percentile(all_http, 95) * 1000, 1),
                     "p99_ms": round(percentile(all_http, 99) * 1000, 1)},
        "kinds": kinds,
        "statuses": {str(k): v for k, v in sorted(results.statuses.items(), key=lambda kv: str(kv[0]))},
        "server_errors": sum(v for k, v in results.statuses.items() if isinstance(k, int) and k >= 500),
        # Anything but 200 (a 429, a 404) means the run did not measure what it says.
        "not_ok": sum(v for k, v in results.statuses.items() if k != 200),
        "errors": len(results.errors),
        "error_samples": results.errors[:5],
        "publish_visible_after_s": {
            "count": len(results.visible_after),
            "median": round(statistics.median(results.visible_after), 3) if results.visible_after else None,
            "max": round(max(results.visible_after), 3) if results.visible_after else None,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=12)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="default: /tmp/hub-load-<resources> (kept between runs)")
    parser.add_argument("--database-url", default=None, help="default: SQLite in the data folder")
    parser.add_argument("--nodes", type=int, default=1,
                        help="gunicorn servers, each with its own index, on one PostgreSQL database")
    parser.add_argument("--no-publish", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the summary here")
    args = parser.parse_args(argv)

    nodes = max(1, args.nodes)
    cluster = None
    database_url = args.database_url
    if nodes > 1 and not database_url:
        # Several nodes share one PostgreSQL: a throwaway one, prepared afresh.
        from tests import pg

        cluster = pg.start_cluster()
        database_url = pg.create_database(cluster.url, "hub_load")
        data_dir = args.data_dir or Path(f"/tmp/hub-load-{args.resources}-nodes{nodes}")
        # A new database: whatever an earlier run prepared there is void.
        for folder in [data_dir, *data_dir.glob("node-*")]:
            shutil.rmtree(folder / "index", ignore_errors=True)
            for stamp in [*folder.glob("bench-*.ready"), *folder.glob("node.ready")]:
                stamp.unlink()
    else:
        data_dir = args.data_dir or Path(f"/tmp/hub-load-{args.resources}")
    data_dir.mkdir(parents=True, exist_ok=True)
    files_dir = data_dir / "files"
    servers: list[subprocess.Popen] = []
    try:
        prepare(data_dir, args.resources, database_url)
        if nodes > 1:
            prepare_other_nodes(data_dir, nodes, database_url)
        queries = query_paths()
        slugs = [p.stem for p in sorted((data_dir / "corpus").glob("bench-*.md"))
                 if '\naccess: "members"' not in p.read_text(encoding="utf-8")]  # anonymous readers: public only

        ports = []
        for folder in node_dirs(data_dir, nodes):
            ports.append(free_port())
            env = _env(folder, database_url, files_dir if nodes > 1 else None)
            servers.append(start_server(env, args.workers, ports[-1], folder / "gunicorn.log"))
        for port in ports:
            warm_up(port, args.workers, queries, slugs)
        editor = None if args.no_publish else Editor(data_dir, args.resources, database_url,
                                                     files_dir if nodes > 1 else None)
        results = Results()
        started = time.monotonic()
        until = started + args.duration
        threads = [threading.Thread(target=client, args=(ports, until, 100 + i, queries, slugs, results,
                                                         editor), daemon=True)
                   for i in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.duration + 120)
        summary = summarise(results, time.monotonic() - started)
        if editor is not None:
            editor.close()
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(60)
        if cluster is not None:
            cluster.stop()
    summary["nodes"] = nodes
    summary.update({"resources": args.resources, "workers": args.workers, "concurrency": args.concurrency,
                    "engine": "postgresql" if database_url else "sqlite", "cpus": os.cpu_count()})
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if summary["errors"] == 0 and summary["server_errors"] == 0 and summary["not_ok"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
