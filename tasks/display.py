"""A segment's display text (the script's own words, markup stripped) and where each of its
characters sits in the paragraph, so times of spoken tokens can be put on the words shown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_frontend.types import Segment

_PAUSE_MARK = re.compile(r"\[\[[^\[\]]*\]\]")
_READING_MARK = re.compile(r"\[([^\[\]]+)\]\([^()]*\)")

_Located = list[tuple[str, int | None]]


@dataclass(frozen=True, slots=True)
class DisplayText:
    text: str
    sources: tuple[int | None, ...]
    """Per character of ``text``: its index in the paragraph's text, as ``Token.source`` counts;
    None for a segment made purely by normalisation, which shows its reading."""


def display_map(paragraph_text: str, segment: Segment) -> DisplayText:
    """The stretch of the script a segment came from, markup stripped, for captions.

    Captions should show what the teacher wrote ("3²+4²=5²"), not the normalised reading
    ("三的平方加四的平方…"). Segments made purely by normalisation fall back to the reading.
    """
    sources = [t.source for t in segment.tokens if t.source is not None]
    if not sources:
        return _reading(segment)
    start, end = min(sources), max(sources) + 1
    # Widen to whole markup tokens and to trailing non-Han characters the segment spoke (digits, units).
    for mark in (*_READING_MARK.finditer(paragraph_text), *_PAUSE_MARK.finditer(paragraph_text)):
        if mark.start() < end and mark.end() > start:
            start, end = min(start, mark.start()), max(end, mark.end())
    located: _Located = [(paragraph_text[i], i) for i in range(start, end)]
    located = _substitute(_PAUSE_MARK, located, keep_group=False)
    located = _substitute(_READING_MARK, located, keep_group=True)
    text = "".join(c for c, _ in located)
    lead = len(text) - len(text.lstrip())
    kept = located[lead : lead + len(text.strip())]
    if not kept:
        return _reading(segment)
    return DisplayText("".join(c for c, _ in kept), tuple(i for _, i in kept))


def _reading(segment: Segment) -> DisplayText:
    return DisplayText(segment.text, (None,) * len(segment.text))


def _substitute(pattern: re.Pattern[str], located: _Located, *, keep_group: bool) -> _Located:
    """``pattern.sub`` (dropping each match, or keeping its first group) with positions carried along."""
    text = "".join(c for c, _ in located)
    out: _Located = []
    cursor = 0
    for match in pattern.finditer(text):
        out += located[cursor : match.start()]
        if keep_group:
            out += located[match.start(1) : match.end(1)]
        cursor = match.end()
    out += located[cursor:]
    return out
