"""Replacing stretches of an :class:`Annotated` text while every other character keeps its source.

The number rules find (start, end, reading) edits in the paragraph's text; applying them here keeps
the characters around each number verbatim, so captions still show the script's own words and only
the number itself becomes produced text, as when WeTN rewrites it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from text_frontend.normalize.annotated import Annotated, Char


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``[start, end)`` of the text with ``text`` (produced characters, read by G2P)."""

    start: int
    end: int
    text: str


def fold(text: str) -> str:
    """The minus sign, en dash and full-width forms behave like ASCII; one character for one, so
    offsets into the folded text are offsets into the original."""
    return text.translate(_FOLD)


_FOLD = str.maketrans({"−": "-", "–": "-", "－": "-", "＋": "+", "＝": "=", "：": ":", "％": "%"})


def apply_edits(src: Annotated, edits: Iterable[Edit]) -> Annotated:
    """Apply ``edits`` in priority order: an edit overlapping an earlier one is dropped, and so is
    one touching a character whose reading is already fixed (an override or lexicon entry)."""
    taken: list[Edit] = []
    for edit in edits:
        if any(edit.start < t.end and t.start < edit.end for t in taken):
            continue
        if any(c.pinned is not None or c.atom is not None for c in src.chars[edit.start : edit.end]):
            continue
        taken.append(edit)
    if not taken:
        return src
    taken.sort(key=lambda e: e.start)
    out: list[Char] = []
    cursor = 0
    for edit in taken:
        out.extend(src.chars[cursor : edit.start])
        out.extend(Char(ch) for ch in edit.text)
        cursor = edit.end
    out.extend(src.chars[cursor:])
    return Annotated(tuple(out))
