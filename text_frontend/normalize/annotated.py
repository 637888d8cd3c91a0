"""Text that remembers, per character, where it came from and whether its reading is already fixed.

Normalisation rewrites text in several passes (our symbol layer, then WeTextProcessing). Each pass maps
an :class:`Annotated` to a new one, so the last one still knows which characters are verbatim from the
paragraph (their index in it) and which readings were chosen on purpose (overrides, lexicon entries,
the Chinese names of Greek and Latin letters) and must not be second-guessed by G2P.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Origin = Literal["g2p", "lexicon", "override", "alias"]
# Most cells (characters before × characters after) one diff may cover. The diff's cost grows with
# that product, so a whole run of hostile text (``3²+`` × 600) took most of a minute; WeTN's pieces
# stay far below it (64 characters in, a few hundred out), so ordinary text is aligned exactly.
MAX_DIFF_CELLS = 1 << 16


@dataclass(frozen=True, slots=True)
class Char:
    """One character of normalised text.

    ``source``: index in the original paragraph when verbatim, else None. ``pinned``: a fixed
    tone-numbered reading (None = let G2P decide). ``atom``: characters sharing a non-None atom id
    came from one override, alias or lexicon entry and must never be split across segments.
    """

    char: str
    source: int | None = None
    pinned: str | None = None
    origin: Origin = "g2p"
    atom: int | None = None


@dataclass(frozen=True, slots=True)
class Annotated:
    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        return "".join(c.char for c in self.chars)

    @staticmethod
    def verbatim(text: str, start: int) -> Annotated:
        return Annotated(tuple(Char(ch, start + i) for i, ch in enumerate(text)))

    @staticmethod
    def produced(text: str, pinned: Iterable[str] | None = None) -> Annotated:
        """Characters made up by normalisation; ``pinned`` gives one reading per character."""
        readings = list(pinned) if pinned is not None else [None] * len(text)
        if len(readings) != len(text):
            raise ValueError(f"{len(readings)} readings for {len(text)} characters of {text!r}")
        return Annotated(tuple(Char(ch, None, r) for ch, r in zip(text, readings, strict=True)))

    def __add__(self, other: Annotated) -> Annotated:
        return Annotated(self.chars + other.chars)


def realign(before: Annotated, after_text: str) -> Annotated:
    """Carry annotations over a rewrite we do not control (WeTextProcessing) by character diff.

    Characters in an ``equal`` block of the diff are the same characters, so they keep their source,
    pinned reading and atom; everything the rewrite inserted or replaced is new (source None). Context
    is why the rewrite ran on the whole clause; the diff is how we get per-character provenance back.
    """
    before_text = before.text
    if before_text == after_text:
        return before
    if len(before_text) * len(after_text) > MAX_DIFF_CELLS:
        return _realign_long(before, after_text)
    return Annotated(tuple(_diff(before.chars, before_text, after_text)))


def _diff(chars: tuple[Char, ...], before_text: str, after_text: str) -> list[Char]:
    out: list[Char] = []
    matcher = SequenceMatcher(None, before_text, after_text, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(chars[i1:i2])
        else:
            out.extend(Char(ch) for ch in after_text[j1:j2])
    return out


def _realign_long(before: Annotated, after_text: str) -> Annotated:
    """Linear-time provenance for a rewrite too long to diff: what both ends share keeps its
    annotations, and the middle is diffed only if it is small enough, else counted as produced.

    Cost must not depend on what the text is: a caller that sends long input (no caller in the
    front end does; WeTN gets pieces) loses some sources instead of minutes of CPU.
    """
    before_text = before.text
    limit = min(len(before_text), len(after_text))
    head = 0
    while head < limit and before_text[head] == after_text[head]:
        head += 1
    tail = 0
    while tail < limit - head and before_text[-1 - tail] == after_text[-1 - tail]:
        tail += 1
    middle_before = before_text[head : len(before_text) - tail]
    middle_after = after_text[head : len(after_text) - tail]
    middle_chars = before.chars[head : len(before_text) - tail]
    if len(middle_before) * len(middle_after) <= MAX_DIFF_CELLS:
        middle = _diff(middle_chars, middle_before, middle_after)
    else:
        middle = [Char(ch) for ch in middle_after]
    return Annotated(before.chars[:head] + tuple(middle) + before.chars[len(before_text) - tail :])
