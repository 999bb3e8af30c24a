"""API throughput: requests per second for ``GET /api/v1/resources?q=…`` at
10,000 resources, through the production server (gunicorn, gunicorn.conf.py).

    .venv/bin/python -m bench.api_throughput [--resources 10000] [--seconds 20]
        [--concurrency 8] [--workers 4] [--data DIR]

It writes a synthetic bilingual corpus (seeded, so runs compare), imports it
through the import service, starts gunicorn on a free 127.0.0.1 port, warms
every worker, then keeps ``--concurrency`` keep-alive clients busy with a
fixed mix of queries for ``--seconds`` and prints requests/s and latency
percentiles. Traffic goes to 127.0.0.1 only; the run is bounded in time and
stops the server it started. ``--data DIR`` keeps the corpus and database
between runs (the import is skipped when DIR already holds them).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORDS_EN = ("anti-racism hiring toolkit municipal newcomer settlement employer policy community youth health "
            "education housing justice police data equity inclusion leadership governance training workshop "
            "strategy report recommendation partnership consultation survey evaluation discrimination bias "
            "systemic barrier access library council school workplace language immigrant refugee rural small "
            "city accountability action plan indicators outreach faith women black indigenous asian muslim "
            "jewish francophone").split()
WORDS_FR = ("antiracisme embauche trousse municipal nouveaux arrivants établissement employeur politique "
            "communauté jeunes santé éducation logement justice police données équité inclusion leadership "
            "gouvernance formation atelier stratégie rapport recommandation partenariat consultation sondage "
            "évaluation discrimination biais systémique obstacle accès bibliothèque conseil école milieu travail "
            "langue immigrant réfugié rural petite ville responsabilité plan d'action indicateurs rayonnement "
            "femmes noirs autochtones asiatiques musulmans juifs francophones").split()
#: The measured mix: single words, several words, phrases, OR/NOT, accents, facet filters.
QUERIES = [
    "q=hiring", "q=racism", "q=policy+toolkit", "q=employer+bias", "q=%22systemic+barrier%22",
    "q=youth+OR+education", "q=police+-data", "q=embauche", "q=%C3%A9quit%C3%A9", "q=racisme+syst%C3%A9mique",
    "q=settlement&racism_type=anti-black", "q=training&type=toolkit&type=guide", "q=community&language=fr",
    "q=strategy&region=on&region=qc", "q=housing+discrimination&audience=municipalities", "q=islamophobia",
    "q=anti-asian", "q=newcomer+leadership&sort=newest", "q=consultation&per_page=50", "q=report&year=2021",
]


def _corpus(folder: Path, count: int, seed: int = 8) -> None:
    """``count`` valid resource files with the vocabulary's keys, half French."""
    sys.path.insert(0, str(ROOT))
    from hub.vocabularies import load_vocabularies

    vocab = load_vocabularies()
    rnd = random.Random(seed)
    types, racisms = vocab.keys("resource_types"), vocab.keys("racism_types")
    audiences, regions = vocab.keys("audiences"), vocab.keys("regions")
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        lang = "fr" if n % 2 else "en"
        words = WORDS_FR if lang == "fr" else WORDS_EN
        title = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 8))).capitalize()
        summary = " ".join(rnd.choice(words) for _ in range(rnd.randint(20, 45))).capitalize() + "."
        body = "\n\n".join(" ".join(rnd.choice(words) for _ in range(rnd.randint(40, 120))).capitalize() + "."
                           for _ in range(rnd.randint(2, 6)))
        meta = {
            "title": f"{title} {n}", "slug": f"bench-{n}", "type": rnd.choice(types),
            "summary": summary, "racism_types": rnd.sample(racisms, rnd.randint(1, 3)),
            "audiences": rnd.sample(audiences, rnd.randint(1, 3)),
            "topics": rnd.sample(words, rnd.randint(1, 4)), "language": lang,
            "organization": f"LIP {rnd.choice(regions).upper()} {rnd.randint(1, 60)}",
            "published": f"{rnd.randint(2005, 2025)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            "region": rnd.choice(regions), "access": "members" if n % 10 == 0 else "public",
        }
        lines = ["---"] + [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()] + ["---", body, ""]
        (folder / f"bench-{n}.md").write_text("\n".join(lines), encoding="utf-8")


def _prepare(data: Path, count: int, env: dict) -> float:
    """Corpus + database + index under ``data``; returns the import time (0 when reused)."""
    marker = data / f"bench-ready-{count}"
    if marker.exists():
        return 0.0
    corpus = data / "corpus"
    _corpus(corpus, count)
    started = time.perf_counter()
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    done = subprocess.run([*flask, "hub", "import", str(corpus)], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"import failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    elapsed = time.perf_counter() - started
    marker.write_text(str(elapsed))
    return elapsed


def _ensure_index(env: dict) -> float:
    """A fresh install's import leaves the index to the first search: build it
    now (``hub init`` rebuilds only when missing or stale), so no worker does."""
    started = time.perf_counter()
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "hub", "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                            env={**env, "HUB_BIND": f"127.0.0.1:{port}", "HUB_WORKERS": str(workers),
                                 "HUB_BASE_URL": f"http://127.0.0.1:{port}"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/vocabularies")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, port
        except OSError:
            pass
        time.sleep(0.2)
    _stop(proc)
    raise SystemExit("gunicorn not ready after 120 s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _client(port: int, stop_at: float, seed: int, latencies: list, errors: list) -> None:
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.perf_counter() < stop_at:
        path = "/api/v1/resources?" + rnd.choice(QUERIES)
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                errors.append(resp.status)
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - started)
    conn.close()


def measure(port: int, seconds: float, concurrency: int) -> dict:
    # Warm up: every worker opens its index and builds its search snapshot (seconds each at 10,000).
    warm_latencies: list = []
    _run_clients(port, max(10.0, seconds / 3), concurrency, warm_latencies, [])
    latencies: list[float] = []
    errors: list = []
    elapsed = _run_clients(port, seconds, concurrency, latencies, errors)
    latencies.sort()
    if not latencies:
        raise SystemExit(f"no request succeeded: {errors[:5]}")
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000  # noqa: E731
    return {"requests": len(latencies), "errors": len(errors), "seconds": round(elapsed, 2),
            "rps": round(len(latencies) / elapsed, 1), "p50_ms": round(pct(0.50), 1),
            "p95_ms": round(pct(0.95), 1), "p99_ms": round(pct(0.99), 1),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None}


def _run_clients(port: int, seconds: float, concurrency: int, latencies: list, errors: list) -> float:
    started = time.perf_counter()
    stop_at = started + seconds
    threads = [threading.Thread(target=_client, args=(port, stop_at, n, latencies, errors))
               for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--data", type=Path, default=None, help="keep corpus, database and index here")
    args = parser.parse_args(argv)
    data = args.data or Path(tempfile.mkdtemp(prefix="hub-api-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"HUB_ENV": "production", "HUB_DATA_DIR": str(data), "HUB_SECRET_KEY": "bench-" + "x" * 32,
                "HUB_BASE_URL": "http://127.0.0.1",  # the server's own port is added when it starts
                "HUB_API_RATE_LIMIT": "100000000 per minute", "HUB_LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT)})
    import_seconds = _prepare(data, args.resources, env)
    index_seconds = _ensure_index(env)
    proc, port = _start_server(env, args.workers)
    try:
        result = measure(port, args.seconds, args.concurrency)
    finally:
        _stop(proc)
    result.update({"resources": args.resources, "workers": args.workers, "concurrency": args.concurrency,
                   "import_seconds": round(import_seconds, 1), "index_seconds": round(index_seconds, 1)})
    print(f"API throughput, GET /api/v1/resources?q=… at {args.resources:,} resources, gunicorn "
          f"{args.workers} sync workers, {args.concurrency} keep-alive clients, {result['seconds']} s: "
          f"{result['rps']} requests/s; latency p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
          f"p99 {result['p99_ms']} ms; {result['errors']} errors")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
