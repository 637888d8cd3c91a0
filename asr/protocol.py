"""The contract between the back-check and any speech recogniser: mono samples in, text out.

Recognisers take a *batch* of clips because the back-check always has several windows per lesson and
batched decoding is where CPU time is saved (Whisper decodes one token for every clip of the batch per
step). A single clip is a batch of one. Timestamps are optional: the back-check attributes text to
segments by alignment, not by time, so an engine that has none loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from errors import WorkFailedError

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class TimedText:
    """A piece of a transcript with its span in seconds from the start of the clip."""

    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class Transcript:
    text: str
    pieces: tuple[TimedText, ...] = ()


@runtime_checkable
class Recognizer(Protocol):
    """Speech to text for Mandarin. ``engine_id`` names engine + model for the QA report."""

    engine_id: str

    def transcribe(self, clips: Sequence[Samples], sample_rate: int) -> list[Transcript]:
        """One transcript per clip, in order; clips are mono float32 at ``sample_rate`` (any rate)."""
        ...


class RecognizerError(WorkFailedError):
    """A recogniser that cannot run here (missing model, missing optional package); names the fix."""
