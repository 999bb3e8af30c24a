"""The database storage of the sign-in and reset throttles
(hub/security/throttle.py): fixed windows, shared by every process on one
database, atomic under concurrent writers, ended windows deleted, and no
e-mail or address in the table. Runs on SQLite and PostgreSQL (PG_PATHS)."""
from __future__ import annotations

import threading

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import create_engine, select

from hub.extensions import db, limiter
from hub.models import ThrottleCount
from hub.security import throttle
from hub.security.throttle import DatabaseStorage, row_key


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, moved by hand."""
    moment = {"now": throttle.now()}
    monkeypatch.setattr(throttle, "now", lambda: moment["now"])

    def advance(seconds: float) -> None:
        moment["now"] += seconds

    advance.now = lambda: moment["now"]
    return advance


def _storage(app) -> DatabaseStorage:
    return DatabaseStorage(db.engine, app.config["SECRET_KEY"])


def _rows() -> list[ThrottleCount]:
    db.session.expire_all()
    return list(db.session.scalars(select(ThrottleCount)))


def test_counts_in_a_fixed_window_that_ends(app, clock):
    storage = _storage(app)
    assert storage.get("k") == 0
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3
    assert storage.get_expiry("k") == pytest.approx(clock.now() + 60, abs=0.01)
    clock(30)  # later hits do not move the end of the window
    assert storage.incr("k", 60) == 4
    assert storage.get_expiry("k") == pytest.approx(clock.now() + 30, abs=0.01)
    clock(31)  # the window has ended
    assert storage.get("k") == 0
    assert storage.get_expiry("k") == pytest.approx(clock.now())
    assert storage.incr("k", 60) == 1  # a new window
    assert storage.get_expiry("k") == pytest.approx(clock.now() + 60, abs=0.01)


def test_counts_are_shared_by_storages_on_the_same_database(app):
    """Two engines (as two worker processes have) on one database see one count."""
    other_engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        a, b = _storage(app), DatabaseStorage(other_engine, app.config["SECRET_KEY"])
        item = parse("5 per 15 minutes")
        first, second = FixedWindowRateLimiter(a), FixedWindowRateLimiter(b)
        for _ in range(5):
            assert first.hit(item, "login-failure", "account", "amira@example.org")
        assert not second.test(item, "login-failure", "account", "amira@example.org")
        assert not second.hit(item, "login-failure", "account", "amira@example.org")
        assert a.get(item.key_for("login-failure", "account", "amira@example.org")) == 6
    finally:
        other_engine.dispose()


def test_concurrent_increments_never_lose_a_count(app):
    """Several connections incrementing one key at once: every hit counted once."""
    url, secret = app.config["SQLALCHEMY_DATABASE_URI"], app.config["SECRET_KEY"]
    threads_n, hits = 4, 15
    engines = [create_engine(url) for _ in range(threads_n)]
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(threads_n)

    def work(engine):
        storage = DatabaseStorage(engine, secret)
        try:
            start.wait()
            for _ in range(hits):
                results.append(storage.incr("shared", 900))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert sorted(results) == list(range(1, threads_n * hits + 1))  # each value returned exactly once
    assert _storage(app).get("shared") == threads_n * hits


def test_ended_windows_are_deleted_now_and_then_as_counts_are_written(app, clock):
    storage = _storage(app)
    storage.incr("short", 10)
    storage.incr("long", 3600)
    assert len(_rows()) == 2
    clock(11)
    assert len(_rows()) == 2  # reading deletes nothing
    storage.incr("other", 600)
    assert len(_rows()) == 3  # nor a write soon after the last clean-up (one statement per API request)
    clock(throttle.CLEANUP_EVERY)
    storage.incr("other", 600)
    assert {r.key for r in _rows()} == {row_key(app.config["SECRET_KEY"], k) for k in ("long", "other")}


def test_no_email_or_address_is_stored(app):
    storage = _storage(app)
    limiter_ = FixedWindowRateLimiter(storage)
    item = parse("5 per 15 minutes")
    limiter_.hit(item, "login-failure", "account", "amira.secret@example.org")
    limiter_.hit(item, "login-failure", "address", "203.0.113.77")
    rows = _rows()
    assert len(rows) == 2
    for row in rows:
        stored = " ".join(str(getattr(row, c.name)) for c in ThrottleCount.__table__.columns)
        assert "amira" not in stored and "example.org" not in stored and "203.0.113" not in stored
        assert len(row.key) == 64 and int(row.key, 16) >= 0
    expected = row_key(app.config["SECRET_KEY"], item.key_for("login-failure", "account", "amira.secret@example.org"))
    assert expected in {r.key for r in rows}
    # Keyed with the secret: another install's key names another row.
    assert row_key("another secret", item.key_for("login-failure", "account", "amira.secret@example.org")) != expected


def test_clear_reset_and_check(app):
    storage = _storage(app)
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    assert storage.reset() == 1
    assert _rows() == []
    assert storage.check() is True


def test_a_storage_needs_the_secret_key(app):
    with pytest.raises(ValueError):
        DatabaseStorage(db.engine, "")


def test_database_by_default_and_flask_limiter_with_a_shared_store(app):
    assert throttle.uses_database(app)
    counting = throttle.rate_limiter()
    assert isinstance(counting.storage, DatabaseStorage)
    assert throttle.rate_limiter() is counting  # built once per app
    app.config["RATELIMIT_STORAGE_URI"] = "redis://stands-in.invalid:6379"
    assert not throttle.uses_database(app)
    assert throttle.rate_limiter() is limiter.limiter

