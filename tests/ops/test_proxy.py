"""Behind a reverse proxy the reader's address comes from X-Forwarded-For,
only as far as the operator says proxies stand in front of the hub."""
from __future__ import annotations

import pytest
from flask import request

from tests.conftest import _make_app


def _seen_address(app, headers: dict) -> str:
    @app.get("/_probe_address")
    def probe():
        return f"{request.remote_addr} {request.scheme}"

    return app.test_client().get("/_probe_address", headers=headers,
                                 environ_base={"REMOTE_ADDR": "10.0.0.1"}).get_data(as_text=True)


@pytest.mark.parametrize("trusted, expected", [(0, "10.0.0.1 http"), (1, "203.0.113.9 https")])
def test_forwarded_address_believed_only_from_trusted_proxies(tmp_path, trusted, expected):
    app = _make_app(tmp_path / "data", TRUSTED_PROXIES=trusted)
    headers = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9", "X-Forwarded-Proto": "https"}
    assert _seen_address(app, headers) == expected  # one proxy: its entry, never the reader's own claim


def test_a_wrong_proxy_count_stops_the_start(monkeypatch):
    from config import ConfigError, load_settings

    monkeypatch.setenv("HUB_TRUSTED_PROXIES", "one")
    with pytest.raises(ConfigError, match="HUB_TRUSTED_PROXIES"):
        load_settings({})
