"""What a rule sees: the character, its neighbours and the dictionary word it sits in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from text_frontend.normalize.unspoken import is_han as _is_han

NUMERALS = frozenset("零〇一二三四五六七八九十百千万两几半多")
DEMONSTRATIVE = frozenset("这那哪每各某")
DEGREE = frozenset("很太最更真好挺较够越多")
MEASURE_BEFORE = NUMERALS | DEMONSTRATIVE
# Not "": ``"" in "的后"`` is True in Python, so an empty edge would match every set written as a string.
EDGE = "\0"


def is_han(ch: str) -> bool:
    """A Han character; False for "" (the edge of the sentence)."""
    return bool(ch) and _is_han(ch)


@dataclass(frozen=True, slots=True)
class Context:
    """A character in its sentence, and the dictionary word (if any) the word splitter put it in."""

    text: str
    i: int
    word: str = ""  # "" when the character stands alone
    word_start: int = -1  # index in ``text`` where ``word`` starts

    def prev(self, k: int = 1) -> str:
        """The k-th character before; past the edge a NUL, which no character set contains."""
        j = self.i - k
        return self.text[j] if j >= 0 else EDGE

    def next(self, k: int = 1) -> str:
        """The k-th character after; past the edge a NUL."""
        j = self.i + k
        return self.text[j] if j < len(self.text) else EDGE

    def before(self, n: int) -> str:
        return self.text[max(0, self.i - n) : self.i]

    def after(self, n: int) -> str:
        return self.text[self.i + 1 : self.i + 1 + n]

    @property
    def at_end(self) -> bool:
        """The character closes a clause: nothing Han follows it."""
        return not is_han(self.next())

    @property
    def ends_word(self) -> bool:
        """Alone, or last in its word: nothing to its right belongs to the same word."""
        return not self.word or self.word_start + len(self.word) - 1 == self.i

    @property
    def free(self) -> bool:
        """Alone, or first in its word (so the word is what follows it, not what glues it to the left)."""
        return not self.word or self.word_start == self.i

    def after_measure_context(self) -> bool:
        """A numeral or demonstrative right before: 三只, 这种, 第三行, 每行."""
        return self.prev() in MEASURE_BEFORE


@dataclass(frozen=True, slots=True)
class Rule:
    """``decide`` returns the reading, or None when the context does not settle it.

    ``words``: whether the rule may overrule a dictionary word the character sits in (see the module
    docstring); when False it only reads characters the splitter left free-standing.
    """

    name: str
    decide: Callable[[Context], str | None]
    words: bool = True


def when(condition: Callable[[Context], bool], reading: str) -> Callable[[Context], str | None]:
    return lambda c: reading if condition(c) else None
