"""Bounded quotes of user text and of foreign error messages, for one-line diagnostics.

Error lines quote what they complain about, and what they complain about can be a 2000-digit
number or a model's error that repeats its whole input. A line thousands of characters long hides
the one thing the reader needs (where, and what to do), so every quote goes through here.
"""

from __future__ import annotations

import re

QUOTE_CHARS = 40
"""Longest quote of input text in a diagnostic (the ``…`` included)."""

MESSAGE_CHARS = 300
"""Longest message taken over from elsewhere (an exception, a diagnostic's message or fix)."""

_WHITESPACE = re.compile(r"\s+")


def excerpt(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with a trailing ``…`` when longer.

    The start is kept: it is what the writer recognises in their script, and the diagnostic's
    line:col already points at it.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    flat = _WHITESPACE.sub(" ", text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def one_line(text: str, limit: int = MESSAGE_CHARS) -> str:
    """``text`` on one line, its middle replaced by ``…`` when longer than ``limit``.

    Both ends are kept because messages put the context first and the reason last
    ("could not synthesise “…”: <why>").
    """
    if limit < 3:
        raise ValueError("limit must be at least 3")
    flat = _WHITESPACE.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    head = (limit - 1) // 2
    tail = limit - 1 - head
    return flat[:head] + "…" + flat[len(flat) - tail :]
