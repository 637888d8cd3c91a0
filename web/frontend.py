"""One text front end per web process, loaded on first use.

Loading WeTN and the polyphone model takes seconds and a few hundred MB, so the server starts
without it (the sign-in page and the API schema answer at once) and every request after the first
shares the same instance; ``FrontEnd.analyze`` is thread-safe.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from text_frontend.frontend import FrontEnd


class SharedFrontEnd:
    def __init__(self) -> None:
        self._front_end: FrontEnd | None = None
        self._lock = threading.Lock()

    def get(self) -> FrontEnd:
        with self._lock:
            if self._front_end is None:
                from text_frontend.frontend import FrontEnd

                self._front_end = FrontEnd()
            return self._front_end
