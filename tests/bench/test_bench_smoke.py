"""A tiny run of the benchmark's own code (the real one is `make bench`)."""
import importlib.util

from bench import run
from bench.corpus import catalogue_stats, generate
from bench.queries import build_queries


def test_corpus_and_queries_are_deterministic_and_shaped_as_asked():
    stats = catalogue_stats()
    docs = generate(40, stats=stats)
    assert docs == generate(40, stats=stats)
    for doc in docs:
        assert 300 <= len(doc["body"].split()) <= 1700 and 25 <= len(doc["summary"].split()) <= 90
        assert doc["language"] in ("en", "fr") and doc["racism_types"] and doc["audiences"]
    queries = build_queries(stats)
    assert len(queries) >= 200 and queries == build_queries(stats)
    kinds = {q.kind for q in queries}
    assert {"word", "phrase", "or", "not", "typo", "french", "browse"} <= kinds
    assert any(q.filters for q in queries) and any(not q.filters for q in queries if q.q)


def test_a_small_run_prints_the_table(tmp_path, capsys):
    args = ["--sizes", "60", "--queries", "25", "--passes", "2", "--workdir", str(tmp_path),
            "--out", str(tmp_path / "out.json")]
    if importlib.util.find_spec("tantivy") is None:
        args.append("--no-tantivy")
    assert run.main(args) == 0
    out = capsys.readouterr().out
    assert "| 60 | service call |" in out and "| 60 | GET /en/search page |" in out
    assert (tmp_path / "out.json").exists()


def test_a_short_load_run_against_gunicorn_has_no_errors_and_sees_its_publishes(tmp_path):
    """bench.load end to end on a tiny corpus, as `make bench` runs it: gunicorn
    with 2 workers, the warm-up, the mix with publishes, the summary."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_") and k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "bench.load", "--resources", "40", "--workers", "2",
                           "--duration", "4", "--concurrency", "3", "--data-dir", str(tmp_path / "data"),
                           "--json", str(tmp_path / "load.json")],
                          cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    summary = json.loads((tmp_path / "load.json").read_text())
    assert summary["errors"] == 0 and summary["server_errors"] == 0 and summary["not_ok"] == 0
    assert summary["kinds"]["search"]["requests"] > 0 and summary["kinds"]["resource"]["requests"] > 0
    published = summary["kinds"].get("publish", {}).get("requests", 0)
    assert summary["publish_visible_after_s"]["count"] == published


def test_a_short_load_run_across_two_nodes_sees_publishes_on_the_other_node(tmp_path):
    """bench.load --nodes: two gunicorn servers with their own indexes on a
    throwaway PostgreSQL; publishes through the first are found on the second."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_") and k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "bench.load", "--nodes", "2", "--resources", "40",
                           "--workers", "1", "--duration", "4", "--concurrency", "4",
                           "--data-dir", str(tmp_path / "data"), "--json", str(tmp_path / "load.json")],
                          cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    summary = json.loads((tmp_path / "load.json").read_text())
    assert summary["nodes"] == 2 and summary["engine"] == "postgresql"
    assert summary["errors"] == 0 and summary["server_errors"] == 0 and summary["not_ok"] == 0
    published = summary["kinds"].get("publish", {}).get("requests", 0)
    assert published > 0 and summary["publish_visible_after_s"]["count"] == published
    assert summary["publish_visible_after_s"]["max"] < 2.0
