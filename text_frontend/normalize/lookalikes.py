"""Characters that only look like Latin letters or like radicals: Roman numerals and Kangxi radicals.

A Roman numeral character (Ⅱ, U+2161) folds to the letters II, so 第Ⅱ卷 was read 第艾卷 and a list
Ⅰ、Ⅱ、Ⅲ 艾、艾、艾; in a Chinese lesson it is a number, said as one (第二卷, 一、二、三). Text
copied from a PDF often carries Kangxi radicals (⼀, U+2F00) in place of the ideographs they look
like; they are not Han characters to the reader, so ⼀ was dropped as an unknown symbol. Both are
replaced by what they stand for before anything reads the text.

Roman numerals typed as Latin capitals (第IV章) were spelled letter by letter (第艾维章). They are
read as numbers only where Chinese numbers something: after 第 or before 章, 节, 卷 and the like
(第IV章 第四章, XIV卷 十四卷); elsewhere I, V or X is a letter or a word and stays one.
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
ASCII_ROMAN = re.compile(r"(?<=第)([IVXLC]+)(?![A-Za-z])|(?<![A-Za-z])([IVXLC]+)(?=[章节卷册课部篇]|单元)")
_WELL_FORMED = re.compile(r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})|C{1,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_LATIN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(numeral: str) -> int:
    """ⅩⅣ → 14: a smaller numeral before a larger one is subtracted, as in Roman numbering."""
    values = [int(unicodedata.numeric(ch)) for ch in numeral]
    total = 0
    for index, value in enumerate(values):
        following = values[index + 1] if index + 1 < len(values) else 0
        total += -value if value < following else value
    return total


def _latin_value(numeral: str) -> int:
    values = [_LATIN_VALUES[ch] for ch in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def find(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for match in ASCII_ROMAN.finditer(text):
        numeral = match.group()
        if _WELL_FORMED.fullmatch(numeral):
            edits.append(Edit(match.start(), match.end(), cardinal(str(_latin_value(numeral)))))
    for match in _ROMAN.finditer(text):
        value = roman_value(match.group())
        if value > 0:
            edits.append(Edit(match.start(), match.end(), cardinal(str(value))))
    for match in _RADICAL.finditer(text):
        unified = unicodedata.normalize("NFKC", match.group())
        if unified != match.group():  # most supplement radicals stand for no one ideograph
            edits.append(Edit(match.start(), match.end(), unified))
    return edits
