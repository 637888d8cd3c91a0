"""What normalisation read badly or not at all, for the validator to tell the teacher.

Normalisation always produces something to say, so without this a unit it does not know
(5mg/dL) is spelled letter by letter and an exponent nobody could read aloud (1e999999999999) is
dropped, both in silence. Each doubt names its stretch of the text as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from text_frontend.normalize import exponents, quantities
from text_frontend.normalize.edits import fold

DoubtKind = Literal["unit", "large_exponent", "unsaid_exponent"]


@dataclass(frozen=True, slots=True)
class Doubt:
    """``text`` at ``[start, end)`` is read by a guess (``unit``), or holds an exponent of
    ``digits`` digits that is read but surely wrong (``large_exponent``) or left out
    (``unsaid_exponent``)."""

    start: int
    end: int
    text: str
    kind: DoubtKind
    digits: int = 0


def find_doubts(text: str, offset: int = 0) -> list[Doubt]:
    """Doubts in ``text``, with positions shifted by ``offset`` (where ``text`` starts in its paragraph)."""
    if not any(ch.isdigit() for ch in text):
        return []
    folded = fold(text)
    found = [
        Doubt(offset + start, offset + end, text[start:end], "unit")
        for start, end in quantities.unread_units(folded)
    ]
    for start, end, digits in exponents.absurd_exponents(folded):
        kind: DoubtKind = "unsaid_exponent" if digits > exponents.MAX_SAID_DIGITS else "large_exponent"
        found.append(Doubt(offset + start, offset + end, text[start:end], kind, digits))
    return sorted(found, key=lambda d: d.start)
