"""A Latin word the front end gave a reading to, and the characters that say it.

The characters of a reading are produced, not written, but the first and the last carry the
word's first and last position in the paragraph: captions are cut from the script by the positions a
segment speaks, so ``升级GPU`` is shown with its GPU, and the manifest can tell which segment said
which word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from text_frontend.normalize.annotated import Char, Origin
from text_frontend.normalize.symbols import Reading
from text_frontend.types import Segment

Kind = Literal["lexicon", "spelled"]


@dataclass(frozen=True, slots=True)
class LatinWord:
    """``text`` at ``[start, end)`` of the paragraph is said as ``reading``.

    ``kind`` is ``lexicon`` for a built-in term and ``spelled`` for a word no lexicon knows, which is
    spelled letter by letter.
    """

    start: int
    end: int
    text: str
    kind: Kind
    reading: str


def words_in(segment: Segment, words: Sequence[LatinWord], kind: Kind) -> tuple[str, ...]:
    """The ``kind`` words, as written, whose reading starts in ``segment``."""
    sources = {t.source for t in segment.tokens if t.source is not None}
    return tuple(w.text for w in words if w.kind == kind and w.start in sources)


def reading_chars(reading: Reading, start: int, end: int, origin: Origin, atom: int) -> list[Char]:
    """The pinned characters of ``reading`` for the word at ``[start, end)``, as one unbreakable atom."""
    last = len(reading.text) - 1
    return [
        Char(ch, start if k == 0 else end - 1 if k == last else None, pinyin, origin, atom)
        for k, (ch, pinyin) in enumerate(zip(reading.text, reading.pinyin, strict=True))
    ]
