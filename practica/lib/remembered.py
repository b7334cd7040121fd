"""A per-process memo for values that are pure functions of their key.

Used where computing a value costs more than a dictionary lookup and the key holds every
input, so an entry can never be stale, only unused: rendered headers and cards
(``web.jinja``), compiled access conditions (``search.query``). Bounded: the least recently
used entries go beyond ``size``. Thread-safe: the page threads of a worker share it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Remembered(Generic[V]):
    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value remembered under ``key``, else ``make()`` (called outside the lock: two
        threads may both make it, which is harmless for a pure function of the key)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = make()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value
