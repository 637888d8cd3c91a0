"""Per-client request limits (sliding window), so one teacher's script cannot monopolise the voice.

In memory and per process: a single ``lessonaudio web`` process serves a school, and limits only have
to stop accidents and abuse, not be exact across a cluster.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 60.0
MAX_KEYS = 10_000
"""Beyond this many clients, idle ones are forgotten first; bounds memory under a flood of IPs."""


class RateLimiter:
    """At most ``limit`` hits per key in any ``window_s`` seconds."""

    def __init__(
        self, limit: int, window_s: float = WINDOW_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> int | None:
        """Record a hit; None when allowed, else the seconds to wait (for ``Retry-After``)."""
        now = self._clock()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                self._hits[key] = hits
                return max(1, math.ceil(hits[0] + self.window_s - now))
            hits.append(now)
            self._hits[key] = hits  # re-inserted last: dict order is least recently used first
            while len(self._hits) > MAX_KEYS:
                del self._hits[next(iter(self._hits))]
            return None

    def refund(self, key: str) -> None:
        """Give back the latest hit of ``key``: a request refused after it was counted cost nothing.

        The newest timestamp goes, whichever concurrent request made it, so the count stays exact."""
        with self._lock:
            hits = self._hits.get(key)
            if hits:
                hits.pop()
