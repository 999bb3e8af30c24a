"""gunicorn settings for `make serve`: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value comes from the environment (docs/operations.md). The hub's own
settings (HUB_ENV, HUB_SECRET_KEY, DATABASE_URL, HUB_DATA_DIR, HUB_SMTP_URL)
are checked once in the master before any worker starts, so a missing secret
stops the server with one clear line instead of a crash loop of workers.
"""
import os
import sys

bind = os.environ.get("HUB_BIND") or os.environ.get("BIND") or "127.0.0.1:8000"
# Each worker holds its own open search index: at 10,000 resources about 250 MB
# (docs/performance.md). Four fit a 2-core, 2 GB machine.
workers = int(os.environ.get("HUB_WORKERS") or os.environ.get("WORKERS") or os.environ.get("WEB_CONCURRENCY") or 4)
# Threads: a slow client (a body trickling in, a slow reader of a big answer)
# holds one thread, not a whole worker. With sync workers four held uploads
# left /healthz unanswered (docs/operations.md); with 4 workers x 8 threads,
# 32 such clients are needed, and each is cut off after HUB_BODY_IDLE_TIMEOUT
# seconds without a byte (hub/body_timeout.py). Keep-alive connections wait in
# the worker's poller, not in a thread. Everything a worker shares between its
# threads is thread-safe: the database pool (SQLAlchemy's QueuePool, 5 + 10
# connections, more than the threads), sessions (one per request context),
# the search index snapshot and its caches (locks in hub/search), the hit-text
# cache and the throttles (counted in the database).
# (gunicorn runs "sync" with more than one thread as gthread: HUB_THREADS=1 for sync.)
worker_class = os.environ.get("HUB_WORKER_CLASS", "gthread")
threads = int(os.environ.get("HUB_THREADS", "8"))
# The app is loaded once, in the master, and the workers are forked from it:
# they share its code, templates and vocabularies page for page instead of
# each holding a copy (mixed load: 321-324 -> 338-344 requests/s without
# publishes, docs/performance.md), and a recycled worker starts at once.
# Nothing the master loads is connected: post_fork drops the database pool's
# inherited connections, and no search index is open before the first search.
preload_app = True
timeout = int(os.environ.get("HUB_WORKER_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so slow leaks (caches, fragmentation) never accumulate.
max_requests = int(os.environ.get("HUB_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("HUB_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 23+ opens a control socket in the home folder; several servers on one
# machine (tests, a second install) would fight over it, and nothing here uses it.
control_socket_disable = True
# Worker heartbeats in memory, not on a disk that may stall (gunicorn's own advice).
if os.path.isdir("/dev/shm"):  # noqa: S108 - a fixed system folder, nothing is created in a guessable path
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# The app writes one JSON line per request itself; gunicorn's own messages go
# through the same JSON handler (hub/logs.py) and its access log is off.
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": os.environ.get("HUB_LOG_LEVEL", "INFO").upper(), "handlers": ["json"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
    "handlers": {"json": {"()": "hub.logs.make_handler"}},
    "formatters": {},
}


def on_starting(server):
    from config import ConfigError, load_settings

    try:
        load_settings()
    except ConfigError as exc:
        print(f"hub: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)


def post_fork(server, worker):
    """A worker must not reuse the master's database connections (an SQLite or
    PostgreSQL connection shared by two processes corrupts its state), nor an
    index snapshot, should the app have opened either while loading."""
    from hub.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
    app.extensions["hub.index"].close()  # reopened at the first search


def post_worker_init(worker):
    """The app is loaded: keep what it loaded (code, templates, vocabularies)
    out of the cyclic collector's passes, and let those passes come less
    often. A search page allocates tens of thousands of short-lived objects;
    with Python's default thresholds the collector ran about twice per request
    and took about 7% of a worker's time (docs/performance.md)."""
    import gc

    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
