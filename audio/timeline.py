"""Lay cleaned segments end to end with their pauses, and remember where each one landed.

The timeline is the single source of truth for segment start/end times: captions, the manifest and
the ASR back-check windows are all read from it, so they cannot drift from the audio.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from audio.postprocess import Samples

LEAD_IN_MS = 200
TAIL_MS = 500


@dataclass(frozen=True, slots=True)
class Placed:
    """Where one segment sits in the lesson, in samples (end exclusive)."""

    start: int
    end: int

    def seconds(self, sample_rate: int) -> tuple[float, float]:
        return self.start / sample_rate, self.end / sample_rate


def lay_out(
    clips: Sequence[tuple[Samples, int]],
    sample_rate: int,
    *,
    lead_in_ms: int = LEAD_IN_MS,
    tail_ms: int = TAIL_MS,
) -> tuple[Samples, list[Placed]]:
    """Concatenate ``(samples, pause_after_ms)`` clips; the last clip's pause becomes a fixed tail."""
    pieces: list[Samples] = [np.zeros(sample_rate * lead_in_ms // 1000, dtype=np.float32)]
    placed: list[Placed] = []
    cursor = pieces[0].size
    for i, (samples, pause_ms) in enumerate(clips):
        pieces.append(samples.astype(np.float32, copy=False))
        placed.append(Placed(cursor, cursor + samples.size))
        cursor += samples.size
        gap_ms = tail_ms if i == len(clips) - 1 else pause_ms
        gap = np.zeros(sample_rate * gap_ms // 1000, dtype=np.float32)
        pieces.append(gap)
        cursor += gap.size
    return np.concatenate(pieces), placed
