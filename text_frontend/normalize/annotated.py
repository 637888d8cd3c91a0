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
    out: list[Char] = []
    matcher = SequenceMatcher(None, before_text, after_text, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(before.chars[i1:i2])
        else:
            out.extend(Char(ch) for ch in after_text[j1:j2])
    return Annotated(tuple(out))
