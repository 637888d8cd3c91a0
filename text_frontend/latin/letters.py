"""Spelling a Latin word with the letter names Chinese classrooms use (GPU → 吉披优).

The names are the ones the symbol layer already reads single letters with (:data:`LATIN`), so a
variable ``x`` and the x of ``xyz`` sound the same. Accented and full-width letters (é, ｇ) are spelled
as their base letter: the voice has no other way to say them.
"""

from __future__ import annotations

import unicodedata

from text_frontend.normalize.symbols import LATIN, Reading


def base_letter(ch: str) -> str | None:
    """The lower-case ASCII letter ``ch`` is a form of, or None when it is not a Latin letter."""
    if ch.isascii():
        return ch.lower() if ch.isalpha() else None
    folded = unicodedata.normalize("NFKD", ch)[:1]
    return folded.lower() if folded.isascii() and folded.isalpha() else None


def spell(word: str) -> Reading:
    """The letter-by-letter reading of ``word``; characters that are not letters are skipped."""
    letters = [LATIN[b] for ch in word if (b := base_letter(ch)) is not None]
    return Reading("".join(r.text for r in letters), tuple(p for r in letters for p in r.pinyin))


def spelled_out(word: str) -> str:
    """How a spelling is shown to a teacher: ``Zoom`` → ``Z-O-O-M``."""
    return "-".join(b.upper() for ch in word if (b := base_letter(ch)) is not None)
