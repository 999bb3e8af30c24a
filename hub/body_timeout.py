"""Time limits on reading a request's body, under gunicorn.

gunicorn reads a body only when the app asks for it, from a blocking socket
with no time limit: a client that announces 10 MB and sends 10 bytes holds
the thread reading it for as long as it keeps the connection open. With
gthread workers (gunicorn.conf.py) such a client holds one thread, not the
whole worker, but many of them would still use up every thread. So a body
must keep arriving: no pause longer than ``idle`` seconds between bytes and
all of it within ``total`` seconds. A client that fails either gets a 400
(werkzeug's ``ClientDisconnected``) and its connection is closed, so the
rest of its body is never waited for. Likewise when the app answers without
reading the whole body (a 413 for an oversized form, a 403 for a foreign
Origin): gunicorn would otherwise read the rest, with no time limit, before
the connection's next request; the connection is closed instead.

A reverse proxy that buffers request bodies (docs/operations.md) hands the
hub whole bodies at local speed; these limits are then never reached by
real readers and remain a guard for when the proxy is bypassed.
"""
from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable, Iterable

from werkzeug.exceptions import ClientDisconnected

#: Seconds a body may pause between two packets, and may take in all.
DEFAULT_IDLE_SECONDS = 15.0
DEFAULT_TOTAL_SECONDS = 300.0


class _TimedInput:
    """``wsgi.input`` whose every read waits at most until the next deadline."""

    def __init__(self, stream, sock: socket.socket, idle: float, total: float) -> None:
        self._stream = stream
        self._sock = sock
        self._idle = idle
        self._deadline = time.monotonic() + total
        self.bytes_read = 0
        self.ended = False

    def _counted(self, data):
        size = sum(map(len, data)) if isinstance(data, list) else len(data or b"")
        self.bytes_read += size
        if not size:
            self.ended = True
        return data

    def _call(self, method: str, *args):
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            self._give_up()
        self._sock.settimeout(min(self._idle, remaining))
        try:
            return getattr(self._stream, method)(*args)
        except TimeoutError:
            self._give_up()
        finally:
            with contextlib.suppress(OSError):
                self._sock.settimeout(None)  # gunicorn's own writes stay as it set them

    def stop_reading(self) -> None:
        """Close the reading side: the answer still goes out, then gunicorn
        finds the connection ended instead of reading what is left."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RD)

    def _give_up(self):
        # Stop reading this connection: the 400 still goes out, and
        # gunicorn then finds the connection ended instead of waiting
        # for the rest of the body before the next request.
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RD)
        raise ClientDisconnected("The request body arrived too slowly.")

    def read(self, size: int | None = -1) -> bytes:
        return self._counted(self._call("read", size))

    def readline(self, size: int | None = -1) -> bytes:
        return self._counted(self._call("readline", size))

    def readlines(self, hint: int | None = -1) -> list[bytes]:
        return self._counted(self._call("readlines", hint))

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line


class BodyTimeout:
    """WSGI middleware putting ``_TimedInput`` in front of gunicorn's body
    reader (other servers, and the test client, are left alone)."""

    def __init__(self, app: Callable, idle: float = DEFAULT_IDLE_SECONDS,
                 total: float = DEFAULT_TOTAL_SECONDS) -> None:
        self.app = app
        self.idle = idle
        self.total = total

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        sock = environ.get("gunicorn.socket")
        if sock is None or environ.get("wsgi.input") is None:
            return self.app(environ, start_response)
        timed = _TimedInput(environ["wsgi.input"], sock, self.idle, self.total)
        environ["wsgi.input"] = timed
        try:
            return self.app(environ, start_response)
        finally:
            if _body_left(environ, timed):
                timed.stop_reading()


def _body_left(environ: dict, timed: _TimedInput) -> bool:
    """Whether the request announced a body the app has not read to its end."""
    if timed.ended:
        return False
    if "chunked" in (environ.get("HTTP_TRANSFER_ENCODING") or "").lower():
        return True
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return timed.bytes_read < length
