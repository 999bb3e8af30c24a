"""gunicorn runs each worker with threads (gunicorn.conf.py): one process's
search index snapshot, segment readers and caches are read by several
requests at once. Searches run at the same time, from a cold start, must
give exactly what they give one at a time."""
from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

QUERIES = ["housing", "hiring", "anti-black racism", "\"systemic racism\"", "employ*", "immigrant",
           "logement", "racisme", "education", "housng", "workplace policy", "municipal", "health",
           "indigenous", "youth", "q=", "police", "data", "training", "newcomers"]
PATHS = ([f"/api/v1/resources?q={q}&per_page=20" for q in QUERIES]
         + [f"/api/v1/resources?q={q}&region=on&per_page=5&page=2" for q in QUERIES[:6]]
         + ["/api/v1/resources?sort=newest&per_page=50", "/api/v1/resources?racism_type=anti-black"])


def _answers(client, paths):
    found = {}
    for path in paths:
        data = client.get(path).get_json()
        found[path] = (data.get("total"), [item.get("slug") for item in data.get("items", data.get("results", []))],
                       data.get("facets"))
    return found


def test_simultaneous_searches_from_a_cold_index_agree_with_sequential_ones(catalogue_app):
    app = catalogue_app
    app.config["RATELIMIT_ENABLED"] = False
    with app.app_context():
        expected = _answers(app.test_client(), PATHS)
    assert any(total for total, _, _ in expected.values())
    for _round in range(3):
        app.extensions["hub.index"].close()  # cold: snapshot, readers and caches opened by the racing threads
        app.extensions["hub.hit_texts"] = type(app.extensions["hub.hit_texts"])()
        start = threading.Barrier(8)

        def run(seed, start=start):
            paths = PATHS[:]
            random.Random(seed).shuffle(paths)
            client = app.test_client()
            start.wait(timeout=60)
            return _answers(client, paths)

        with ThreadPoolExecutor(max_workers=8) as pool:
            for got in pool.map(run, range(8)):
                assert got == expected


def test_searches_while_the_index_writes_and_merges(catalogue_app):
    """A node following the change log writes (and merges segments) in one
    thread of a worker while the worker's other threads search the same open
    segment files: neither side may read the other's file position."""
    from sqlalchemy import select

    from hub.extensions import db
    from hub.models import Resource
    from hub.services import indexing

    app = catalogue_app
    app.config["RATELIMIT_ENABLED"] = False
    stop = threading.Event()
    failures: list[str] = []

    def search(seed: int) -> None:
        rng = random.Random(seed)
        client = app.test_client()
        while not stop.is_set():
            # New words each time, so every search looks terms up in the segments.
            word = rng.choice(QUERIES[:12]).split()[0].strip('"*') + rng.choice(["", "s", "e", "ing"])
            response = client.get(f"/api/v1/resources?q={word}+{rng.randrange(10**6)}&per_page=5")
            if response.status_code != 200:
                failures.append(f"{response.status_code} {word}")

    readers = [threading.Thread(target=search, args=(n,)) for n in range(4)]
    for thread in readers:
        thread.start()
    try:
        with app.app_context():
            resources = db.session.scalars(select(Resource).order_by(Resource.id).limit(60)).all()
            index = indexing.get_index()
            for n in range(40):  # a merge every few commits (hub/search/merging.py)
                batch = resources[n % 20 * 3:n % 20 * 3 + 3]
                index.apply(indexing._documents(batch), [])
    finally:
        stop.set()
        for thread in readers:
            thread.join(60)
    assert not failures, failures[:5]
