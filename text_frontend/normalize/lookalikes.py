"""Characters that only look like Latin letters or like radicals: Roman numerals and Kangxi radicals.

A Roman numeral character (Ⅱ, U+2161) folds to the letters II, so 第Ⅱ卷 was read 第艾卷 and a list
Ⅰ、Ⅱ、Ⅲ 艾、艾、艾; in a Chinese lesson it is a number, said as one (第二卷, 一、二、三). Text
copied from a PDF often carries Kangxi radicals (⼀, U+2F00) in place of the ideographs they look
like; they are not Han characters to the reader, so ⼀ was dropped as an unknown symbol. Both are
replaced by what they stand for before anything reads the text.
"""

from __future__ import annotations

import re
import unicodedata

from text_frontend.normalize.edits import Edit
from text_frontend.normalize.spoken_numbers import cardinal

# Roman numerals (Ⅰ–ↈ) and the two radical blocks (CJK Radicals Supplement, Kangxi Radicals).
LOOKALIKE = re.compile("[\u2160-\u2188\u2e80-\u2fdf]")
_ROMAN = re.compile("[\u2160-\u2182\u2185-\u2188]+")
_RADICAL = re.compile("[\u2e80-\u2fdf]")


def roman_value(numeral: str) -> int:
    """ⅩⅣ → 14: a smaller numeral before a larger one is subtracted, as in Roman numbering."""
    values = [int(unicodedata.numeric(ch)) for ch in numeral]
    total = 0
    for index, value in enumerate(values):
        following = values[index + 1] if index + 1 < len(values) else 0
        total += -value if value < following else value
    return total


def find(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for match in _ROMAN.finditer(text):
        value = roman_value(match.group())
        if value > 0:
            edits.append(Edit(match.start(), match.end(), cardinal(str(value))))
    for match in _RADICAL.finditer(text):
        unified = unicodedata.normalize("NFKC", match.group())
        if unified != match.group():  # most supplement radicals stand for no one ideograph
            edits.append(Edit(match.start(), match.end(), unified))
    return edits
