"""The contract between the renderer and any voice: tokens + prosody in, mono float32 audio out.

``engine_id`` and ``model_hash`` are part of every segment cache key, so an engine must change one of
them whenever the same input could produce different samples (new weights, different DSP, another
remote service). Errors an operator can fix are raised as ``EngineError`` subclasses so command
boundaries can print one line instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from errors import UnavailableError, WorkFailedError
from text_frontend.types import Token


@dataclass(frozen=True, slots=True)
class Prosody:
    """How to say it. Numeric knobs drive local DSP; ``emotion`` is passed to engines that take labels.

    ``rate`` > 1 speaks faster; ``pitch_shift_semitones`` moves the whole voice; ``pitch_range`` scales
    the intonation excursions around the speaker's mean; ``energy`` is a linear loudness gain;
    ``pause_scale`` scales the breaks the engine inserts at punctuation inside a segment.
    """

    emotion: str = "neutral"
    rate: float = 1.0
    pitch_shift_semitones: float = 0.0
    pitch_range: float = 1.0
    energy: float = 1.0
    pause_scale: float = 1.0

    def __post_init__(self) -> None:
        for name in ("rate", "pitch_range", "energy"):
            value = getattr(self, name)
            if not 0.25 <= value <= 4.0:
                raise ValueError(f"Prosody.{name}={value} is outside 0.25..4")
        if not 0.0 <= self.pause_scale <= 4.0:
            raise ValueError(f"Prosody.pause_scale={self.pause_scale} is outside 0..4")
        if abs(self.pitch_shift_semitones) > 12:
            raise ValueError(f"Prosody.pitch_shift_semitones={self.pitch_shift_semitones} exceeds an octave")


TimingSource = Literal["durations", "estimate"]
"""Where token times come from: the voice's own phone durations, or an even share of the audio."""


@dataclass(frozen=True, slots=True)
class TokenTimes:
    """When each token the engine was given is spoken, as [start, end) sample offsets into the audio.

    One span per token, in token order, so a span maps back to the character (``Token.char``) and
    through ``Token.source`` to the script. A syllable's span runs from the onset of its first phone to
    the onset of the next syllable (or the end of its stretch of speech); a punctuation mark's span is
    the pause it made (empty when it made none).
    """

    spans: tuple[tuple[int, int], ...]
    source: TimingSource

    def shifted(self, offset: int, length: int) -> TokenTimes:
        """The same times ``offset`` samples later, clamped to ``[0, length]`` (after a trim or a move)."""

        def clamp(x: int) -> int:
            return min(max(x + offset, 0), length)

        return TokenTimes(tuple((clamp(a), clamp(b)) for a, b in self.spans), self.source)


@dataclass(frozen=True, slots=True, eq=False)
class Audio:
    """Mono float32 samples in [-1, 1]. Not hashable by value: compare ``samples`` explicitly.

    ``times`` is set by engines that know when each token is spoken (the Baker voice's durations);
    ``None`` means the caller has to estimate.
    """

    samples: npt.NDArray[np.float32]
    sample_rate: int
    times: TokenTimes | None = None

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate


@runtime_checkable
class TTSEngine(Protocol):
    """A voice. Implementations must be deterministic for a given (tokens, prosody, engine_id, model_hash)."""

    engine_id: str
    model_hash: str

    def synthesize(self, tokens: Sequence[Token], prosody: Prosody) -> Audio:
        """Render one segment's tokens; the caller adds the segment's ``pause_after_ms``."""
        ...


class EngineError(WorkFailedError):
    """A problem the operator can fix (bad voice name, unreachable service, missing model)."""


class UnknownVoiceError(EngineError):
    pass


class UnknownEmotionError(EngineError):
    pass


class UnsupportedPinyinError(EngineError):
    """The voice has no phones for a syllable; fix it with a pinyin override in the lesson."""


class EngineUnavailableError(EngineError, UnavailableError):
    """The engine cannot run here (optional dependency missing, no service URL configured)."""


class RemoteTTSError(EngineError):
    """A remote TTS service failed or answered with something that is not a WAV file."""


class VoiceFailedError(EngineError):
    """A local voice model could not render an input; the message names the input, briefly."""


def tokens_text(tokens: Sequence[Token]) -> str:
    """The text a token sequence spells, for engines that do their own G2P (remote, ModelScope)."""
    return "".join(t.char for t in tokens)
