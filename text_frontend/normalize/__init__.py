"""Normalisation: text as written → the Han characters and punctuation that will be spoken.

Three layers, in this order: numbers whose reading depends on context (:mod:`.numbers`: years,
clock times, units, money, codes, formulas), our symbol layer (:mod:`.math`: maths, Greek and Latin
letters) and then WeTextProcessing (:mod:`.wetn`: the remaining numbers, dates, units, money).
Every character keeps its provenance (:mod:`.annotated`), which is what lets the front end map speech
back to the paragraph.
"""

from __future__ import annotations

from pathlib import Path

from text_frontend.normalize.annotated import Annotated, Char, realign
from text_frontend.normalize.math import rewrite_symbols
from text_frontend.normalize.numbers import rewrite_numbers
from text_frontend.normalize.unspoken import UnspokenSpan, find_unspoken, is_han, is_silent_ok
from text_frontend.normalize.wetn import WeTextNormalizer, default_cache_dir

__all__ = [
    "Annotated",
    "Char",
    "TextNormalizer",
    "UnspokenSpan",
    "default_cache_dir",
    "find_unspoken",
    "is_han",
    "is_silent_ok",
    "realign",
]


class TextNormalizer:
    """Symbol layer then WeTN; load once and share (calls are thread-safe)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.wetn = WeTextNormalizer(cache_dir)

    def normalize(self, src: Annotated) -> Annotated:
        return self.wetn.normalize(rewrite_symbols(rewrite_numbers(src)))

    def normalize_text(self, text: str) -> str:
        """Plain-string convenience: the normalised form of ``text`` (unspoken characters included)."""
        return self.normalize(Annotated.verbatim(text, 0)).text
