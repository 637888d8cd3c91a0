"""Bring script and transcript to one comparable form: Simplified Han characters with toneless pinyin.

Both sides go through the project's own front end, because the recogniser writes "3" where the script
(after normalisation) says 三, writes "A" where the voice said 诶, and punctuates freely. Tones are dropped
because the recogniser's tone is not evidence about the voice: it picks characters, and homophones
(斜边/鞋边) are a language-model choice, not a pronunciation error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from asr.simplified import to_simplified
from text_frontend.types import Segment

if TYPE_CHECKING:
    from text_frontend.frontend import FrontEnd

_MARKUP = re.compile(r"[\[\]()（）【】]")
"""Brackets would be read as lesson markup ([字](pinyin)); a transcript never means that."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One spoken syllable: its Simplified character and toneless pinyin (``ü`` written ``v``)."""

    char: str
    pinyin: str


def toneless(pinyin: str) -> str:
    return pinyin.rstrip("012345")


def reference_units(segment: Segment) -> tuple[Unit, ...]:
    """What the voice was asked to say: the segment's own syllables (overrides and lexicon included)."""
    chars = to_simplified("".join(s.char for s in segment.syllables))
    if len(chars) != len(segment.syllables):  # t2s never changes length for single characters; be safe
        chars = "".join(s.char for s in segment.syllables)
    return tuple(Unit(c, toneless(s.pinyin)) for c, s in zip(chars, segment.syllables, strict=True))


def transcript_units(text: str, front_end: FrontEnd) -> tuple[Unit, ...]:
    """The recogniser's text as syllables: t2s, markup characters dropped, then the script's front end."""
    cleaned = _MARKUP.sub(" ", to_simplified(text)).strip()
    if not cleaned:
        return ()
    analysis = front_end.analyze(cleaned, max_chars=10_000)
    return tuple(Unit(s.char, toneless(s.pinyin)) for s in analysis.syllables)
