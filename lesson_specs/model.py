"""The lesson script as the rest of the pipeline sees it: validated, immutable, position-aware."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from text_frontend.lexicon import LexiconStack


class Emotion(StrEnum):
    """The speaking styles a paragraph may ask for; every voice must accept all of them."""

    NEUTRAL = "neutral"
    HAPPY = "happy"
    SAD = "sad"
    ANGRY = "angry"
    GENTLE = "gentle"
    SERIOUS = "serious"
    EXCITED = "excited"
    SURPRISED = "surprised"


@dataclass(frozen=True, slots=True)
class TextOrigin:
    """Where each character of a paragraph's text sits in the file (1-based line, column).

    Kept per character because block scalars and folded lines make offsets and columns diverge, and
    warnings found later (an unpronounceable word at offset 37) must still point at the right column.
    """

    file: str
    positions: tuple[tuple[int, int], ...] = field(repr=False)
    start: tuple[int, int] = (1, 1)

    def at(self, offset: int) -> tuple[int, int]:
        if 0 <= offset < len(self.positions):
            return self.positions[offset]
        return self.positions[-1] if self.positions else self.start


PARAGRAPH_PAUSE_MS = 700
"""Silence after a paragraph that sets no ``pause_after``: longer than any sentence pause."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    number: int
    """1-based, as teachers count and as error messages say."""
    text: str
    emotion: Emotion
    pause_after_ms: int | None
    origin: TextOrigin


@dataclass(frozen=True, slots=True)
class LessonSpec:
    id: str
    title: str
    course: str | None
    voice: str | None
    emotion: Emotion
    lexicon: LexiconStack
    """The lesson's own ``lexicon:`` over its course lexicon (built-in words join below both)."""
    paragraphs: tuple[Paragraph, ...]
    source: str
    """The file name (or ``<string>``) the spec was read from."""
    sha256: str
    """Hash of the script bytes: renders and the inbox scanner key on it."""
    course_lexicon: str | None = None
    """Where the course lexicon was read from, if the lesson uses one."""
    course_lexicon_sha256: str | None = None
    """Hash of the course lexicon's bytes: with ``sha256``, what the lesson is read with."""
