"""Slow clients against the production server (gunicorn.conf.py, 4 workers):
uploads that announce 10 MB, send 10 bytes and hold the connection open
must neither stop the site nor hold a thread for ever."""
from __future__ import annotations

import socket
import time
import urllib.request
from contextlib import ExitStack

from tests.ops.helpers import Server, hub_env

HELD = 6


def _slow_upload(port: int, content_type: bytes = b"multipart/form-data; boundary=b") -> socket.socket:
    """What the attacker sends: headers promising 10 MB (an upload, which
    may be that large), then 10 bytes, then nothing."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(b"POST /en/ask HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: " + content_type + b"\r\nContent-Length: 10000000\r\n\r\n"
                 b"--b\r\nConte")
    return sock


def _healthz_seconds(base: str) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(base + "/healthz", timeout=5) as resp:
        assert resp.status == 200
    return time.monotonic() - started


def test_healthz_answers_while_slow_uploads_are_held(app, tmp_path):
    with Server(hub_env(app), workers=4, log_path=tmp_path / "gunicorn.log") as server, ExitStack() as held:
        for _ in range(HELD):
            held.callback(held.enter_context(_slow_upload(server.port)).close)
        time.sleep(0.5)  # every upload has reached a worker and is waiting for its body
        latencies = [_healthz_seconds(server.base) for _ in range(8)]
    assert max(latencies) < 1.0, latencies


def test_a_stalled_body_is_cut_off(app, tmp_path):
    env = hub_env(app, HUB_BODY_IDLE_TIMEOUT="1")
    with Server(env, workers=1, log_path=tmp_path / "gunicorn.log") as server, _slow_upload(server.port) as sock:
        started = time.monotonic()
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert waited < 5, waited  # cut off after about a second without a byte, and the connection closed


def test_a_refused_body_is_not_waited_for(app, tmp_path):
    """A form announcing 10 MB of text is refused (413) before it is read,
    and the connection is closed rather than left to read the rest."""
    with (Server(hub_env(app), workers=1, log_path=tmp_path / "gunicorn.log") as server,
          _slow_upload(server.port, b"application/x-www-form-urlencoded") as sock):
            started = time.monotonic()
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
            waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert waited < 5, waited
