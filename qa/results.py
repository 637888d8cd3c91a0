"""What the back-check found, as small frozen values: text and numbers, never audio."""

from __future__ import annotations

from dataclasses import dataclass, replace

from qa.align import Op, Pair
from qa.metrics import Score, total


@dataclass(frozen=True, slots=True)
class DiffItem:
    """One aligned position for display: script character, transcript character, and how they relate."""

    op: Op
    ref: str
    hyp: str


def diff_of(pairs: list[Pair]) -> tuple[DiffItem, ...]:
    return tuple(DiffItem(p.op, p.ref.char if p.ref else "", p.hyp.char if p.hyp else "") for p in pairs)


@dataclass(frozen=True, slots=True)
class Hearing:
    """One listen to one segment: what was heard and how it scored."""

    transcript: str
    score: Score
    diff: tuple[DiffItem, ...]
    level_dbfs: float
    reasons: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True, slots=True)
class Attempt:
    """A re-synthesis with alternative prosody; ``key`` is its content key in the segment store."""

    number: int
    rate: float
    key: str
    hearing: Hearing | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class SegmentCheck:
    index: int
    paragraph: int
    text: str
    """The script's words (captions text)."""
    reference: str
    """What was compared: the normalised syllables the voice was asked to say."""
    window: int
    hearing: Hearing
    """The first listen: in the lesson's window (``window`` -1: silent, not heard), or on its own when
    that heard it better (``heard_alone``)."""
    attempts: tuple[Attempt, ...] = ()
    kept: int = 0
    """0: the original audio is in the lesson; k: attempt k replaced it."""
    heard_alone: bool = False

    @property
    def final(self) -> Hearing:
        """The hearing of the audio that is in the lesson now."""
        if self.kept:
            hearing = self.attempts[self.kept - 1].hearing
            assert hearing is not None
            return hearing
        return self.hearing

    @property
    def flagged(self) -> bool:
        return self.final.flagged


@dataclass(frozen=True, slots=True)
class WindowResult:
    """One recogniser input and what was heard in it.

    ``start_s``/``end_s`` are its first piece's start and last piece's end. Windows are re-packed
    (``asr.windows``), so segments of other windows may lie in between; ``segments`` says which ones
    this window heard.
    """

    start_s: float
    end_s: float
    segments: tuple[int, ...]
    transcript: str
    seconds: float = 0.0
    """Audio actually heard: the segments and their padding, not the pauses between them."""


@dataclass(frozen=True, slots=True)
class LessonCheck:
    engine_id: str
    windows: tuple[WindowResult, ...]
    segments: tuple[SegmentCheck, ...]
    audio_s: float
    asr_s: float
    """Wall time of recognition (all listens, attempts included)."""

    @property
    def score(self) -> Score:
        return total([s.final.score for s in self.segments])

    @property
    def flagged(self) -> tuple[int, ...]:
        return tuple(s.index for s in self.segments if s.flagged)

    def with_segments(self, segments: tuple[SegmentCheck, ...], extra_asr_s: float) -> LessonCheck:
        return replace(self, segments=segments, asr_s=self.asr_s + extra_asr_s)
