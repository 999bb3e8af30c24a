"""Background threads a process keeps at most one of per purpose.

The index follower (one per app per process) and the index rebuild (one per
index folder per process) both need "start it unless it is already running";
one keyed registry keeps that rule, and its lock, in one place."""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any


class KeyedThreads:
    """Daemon threads, at most one alive per key in this process."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._threads: dict[Hashable, threading.Thread] = {}
        self._lock = threading.Lock()

    def ensure(self, key: Hashable, target: Callable[..., Any], *args: Any) -> threading.Thread:
        """The live thread for ``key``, started with ``target(*args)`` if there is none."""
        with self._lock:
            thread = self._threads.get(key)
            if thread is None or not thread.is_alive():
                thread = threading.Thread(target=target, args=args, name=self.name, daemon=True)
                self._threads[key] = thread
                thread.start()
        return thread

    def running(self, key: Hashable) -> bool:
        thread = self._threads.get(key)
        return thread is not None and thread.is_alive()
