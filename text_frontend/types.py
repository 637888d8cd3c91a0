"""The small frozen values that flow out of the text front end.

Everything downstream (segment cache keys, engines, captions, the QA back-check) is computed from these,
so they are immutable, hashable and carry only text: no audio, no model state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Syllable:
    """One spoken Han syllable.

    ``pinyin`` is lowercase with a tone digit 1-5 (5 = neutral tone) and ``ü`` written ``v`` (``lv4``),
    the spelling the Baker phone set and pypinyin's TONE3 style share.
    ``source`` is the index of ``char`` in the original input line when the character comes verbatim
    from it; ``None`` when it was produced by normalisation or an alias (e.g. the 十 of "10"). The
    reading of a Latin word (a built-in term, a spelled word) is produced too, but its first and last
    syllables carry the word's first and last index, so captions cut by source show the word.
    ``origin`` says who chose the reading, so overrides and lexicon entries can be audited.
    """

    char: str
    pinyin: str
    source: int | None
    origin: Literal["g2p", "lexicon", "override", "alias"] = "g2p"


@dataclass(frozen=True, slots=True)
class Punct:
    """A punctuation mark kept inside a segment: engines turn it into a prosodic break."""

    char: str
    source: int | None


Token = Syllable | Punct


@dataclass(frozen=True, slots=True)
class Segment:
    """A short stretch of speech, the unit of synthesis and of caching.

    ``text`` is the normalised text the tokens spell (Han characters and punctuation), the text captions
    show and the ASR back-check compares against. ``pause_after_ms`` is the silence that follows it:
    an explicit ``[[500ms]]`` or ``pause_after`` wins over the default for the closing punctuation.
    """

    text: str
    tokens: tuple[Token, ...]
    pause_after_ms: int

    @property
    def syllables(self) -> tuple[Syllable, ...]:
        return tuple(t for t in self.tokens if isinstance(t, Syllable))

    @property
    def pinyin(self) -> str:
        """Space-separated tone-numbered pinyin: the readable form of what will be spoken."""
        return " ".join(s.pinyin for s in self.syllables)
