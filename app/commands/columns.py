"""Plain-text tables aligned by how wide text shows in a terminal, not by how many characters it has.

A Chinese header or status takes two columns per character, so padding by ``len`` would push every
column after it out of line the moment a table is shown in Chinese.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["pad", "table_lines", "width"]


def width(text: str) -> int:
    """Terminal columns ``text`` takes: two for wide and full-width characters, none for combining marks."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def pad(text: str, columns: int) -> str:
    """``text`` followed by spaces up to ``columns`` terminal columns (as ``str.ljust`` for ASCII)."""
    return text + " " * max(columns - width(text), 0)


def table_lines(rows: Sequence[Sequence[str]], gap: str = "  ") -> list[str]:
    """Each row's cells padded to their column's widest cell, joined by ``gap``, trailing space cut."""
    if not rows:
        return []
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [gap.join(pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
