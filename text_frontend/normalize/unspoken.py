"""What the voice will not say: emoji, symbols and non-Latin scripts left over after normalisation.

The Baker voice only speaks Mandarin syllables, so anything that reaches the end of normalisation
without becoming Han characters is silently skipped. Latin words never get here: the front end reads
them with the built-in lexicon or spells them (:mod:`text_frontend.latin`). Reporting what is left,
with its place in the paragraph as written, lets the validator tell the teacher to add a lexicon
entry instead of letting a word in Greek or Cyrillic script vanish from the lesson.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from text_frontend.normalize.annotated import Char

Reason = Literal["latin", "emoji", "symbol"]

# Punctuation the segmenter and engines understand; it is not "spoken" but nothing is lost either.
PUNCTUATION = frozenset("。！？；，、：…—～·“”‘’「」『』（）《》〈〉【】〔〕.!?;,:'\"()[]{}<>-/～~")


@dataclass(frozen=True, slots=True)
class UnspokenSpan:
    """``text`` at ``[start, end)`` of the paragraph as written will not be pronounced."""

    start: int
    end: int
    text: str
    reason: Reason

    @property
    def fix(self) -> str:
        return (
            f"add a lexicon entry, e.g. `{self.text}: <Chinese reading>`, or an inline alias [{self.text}](…)"
        )


def is_han(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FA1F
        or 0xF900 <= code <= 0xFAFF
        or ch == "〇"
    )


def is_silent_ok(ch: str) -> bool:
    """Punctuation and spacing: not spoken, but not content either."""
    return ch in PUNCTUATION or ch.isspace() or unicodedata.category(ch) in {"Zs", "Cc", "Cf"}


def reason_for(ch: str) -> Reason:
    if 0x2E80 <= ord(ch) <= 0x2FDF:
        return "symbol"  # a radical with no ideograph of its own (⺀): not an emoji
    if (ch.isascii() and ch.isalnum()) or unicodedata.category(ch).startswith("L"):
        return "latin"
    if unicodedata.category(ch) == "So" or 0x1F000 <= ord(ch) <= 0x1FAFF or ch in "\u200d\ufe0f":
        return "emoji"
    return "symbol"


def find_unspoken(chars: Iterable[Char], original: str) -> list[UnspokenSpan]:
    """Group unpronounceable characters into spans of ``original``, merging across spaces.

    Only characters with a source can be located; a produced character never needs a report since
    normalisation produced it from something it could read.
    """
    positions: list[tuple[int, Reason]] = []
    for c in chars:
        if c.source is not None and not is_han(c.char) and not is_silent_ok(c.char):
            positions.append((c.source, reason_for(c.char)))
    positions.sort()
    spans: list[UnspokenSpan] = []
    for pos, reason in positions:
        if spans:
            last = spans[-1]
            gap = original[last.end : pos]
            if pos >= last.end and (gap == "" or (gap.isspace() and len(gap) <= 1)) and last.reason == reason:
                spans[-1] = UnspokenSpan(last.start, pos + 1, original[last.start : pos + 1], reason)
                continue
        spans.append(UnspokenSpan(pos, pos + 1, original[pos], reason))
    return spans
