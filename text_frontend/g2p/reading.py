"""Why a character is read the way it is: the reading and the layer of the G2P that chose it.

A teacher who hears a wrong polyphone needs to know what to fix: an inline override, the lesson's or the
course's lexicon, or nothing of theirs at all (a rule, a dictionary word or the model). Every reading the
G2P returns therefore carries its source, and the ``detail`` names the rule or the word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Reading", "Source"]

Source = Literal[
    "pinned",  # given by the caller (override, lexicon, normalisation); the caller knows which
    "inline",  # an inline override in the script
    "lesson_lexicon",
    "course_lexicon",
    "rule",  # a context rule of :mod:`text_frontend.g2p.rules`; detail = the rule's name
    "word",  # a word of the project's classroom word list; detail = the word
    "dictionary",  # a word of pypinyin's phrase dictionary; detail = the word
    "model",  # g2pM's context model chose among the character's readings
    "single",  # the character's only (or default) reading
    "sandhi",  # 一/不 tone sandhi
]


@dataclass(frozen=True, slots=True)
class Reading:
    """One character's tone-numbered pinyin, who chose it and (for rules and words) which one."""

    pinyin: str
    source: Source
    detail: str = ""

    def describe(self) -> str:
        """A short human explanation, e.g. ``rule: measure word after a numeral``."""
        label = self.source.replace("_", " ")
        return f"{label}: {self.detail}" if self.detail else label
