"""Traditional -> Simplified Chinese. Whisper often answers Mandarin in Traditional characters.

Uses the ``opencc`` PyPI wheel (the C++ OpenCC with its dictionaries bundled), so it works offline.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

_lock = threading.Lock()


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``t2s`` conversion; phrase-aware (發展/頭髮 both map right), idempotent on Simplified text."""
    if not text:
        return text
    with _lock:  # one converter per process; OpenCC objects are not documented as thread-safe
        converted: str = _converter().convert(text)
    return converted
