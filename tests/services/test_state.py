"""The install's key/value facts under concurrency: two processes setting the
same new key at once (the first searches of a fresh install on several
workers or machines) must both succeed."""
from __future__ import annotations

from hub.extensions import db
from hub.models import HubState
from hub.services.state import get_state, set_state


def test_a_key_another_process_inserted_meanwhile_is_updated_not_a_crash(app, monkeypatch):
    set_state("pruned_on", "2026-12-06")
    db.session.commit()
    db.session.expunge_all()
    # This process looked a moment before the other inserted the key: it saw none.
    real_get = db.session.get
    monkeypatch.setattr(db.session, "get", lambda model, key, **kw: None if model is HubState else real_get(
        model, key, **kw))
    set_state("pruned_on", "2026-12-07")
    db.session.commit()
    monkeypatch.undo()
    db.session.expunge_all()
    assert get_state("pruned_on") == "2026-12-07"


def test_set_then_get_in_one_transaction(app):
    set_state("fresh_key", "one")
    db.session.flush()
    assert get_state("fresh_key") == "one"
    set_state("fresh_key", "two")
    assert get_state("fresh_key") == "two"
    db.session.commit()
    assert get_state("fresh_key") == "two"
