"""Master one paragraph on its own: lay out its segments, normalise and limit it, frame it in silence.

A lesson is a silent lead-in followed by one mastered piece per paragraph, so editing a paragraph
re-masters and re-encodes that paragraph alone. Each paragraph is normalised to the lesson's target
(plus its emotion's energy offset), which also levels paragraphs the voice happened to read louder
or softer; the lesson's integrated loudness is then the target to within a fraction of a LU. The
silence around the speech lets the pieces' MP3 frames be joined without a seam (see ``audio.mp3``):
the speech is preceded by ``PRE_FRAMES`` frames of silence and followed by the paragraph's pause,
rounded up to a whole frame (at most 24 ms longer at 24 kHz) and never shorter than ``MIN_POST_FRAMES``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from audio.loudness import TRUE_PEAK_DBTP, EnergyProfile, LoudnessReport, energy_profile, normalize_loudness
from audio.mp3 import Pcm16, frame_samples, lead_in_samples, to_pcm16
from audio.postprocess import Samples

PRE_FRAMES = 2
MIN_POST_FRAMES = 2
"""A paragraph break is at least PRE + MIN_POST frames (96 ms at 24 kHz): the joins need silence."""
LEAD_IN_MS = 200
"""Silence before the first paragraph's speech (lead-in piece plus the paragraph's own PRE)."""


@dataclass(frozen=True, slots=True)
class MasteredParagraph:
    samples: Pcm16
    """The whole piece: silence, the paragraph's speech, the pause after it."""
    spans: tuple[tuple[int, int], ...]
    """Each segment's [start, end) in samples from the start of the piece."""
    loudness: LoudnessReport
    """The paragraph's speech as mastered, and the gain that got it there."""
    energy: EnergyProfile
    """For measuring the lesson without filtering it again (``audio.loudness.joined_lufs``)."""


def ms_to_samples(ms: int, sample_rate: int) -> int:
    return sample_rate * ms // 1000


def master_paragraph(
    clips: Sequence[tuple[Samples, int]],
    sample_rate: int,
    *,
    pause_after_ms: int,
    target_lufs: float,
    ceiling_dbtp: float = TRUE_PEAK_DBTP,
) -> MasteredParagraph:
    """``clips`` are the paragraph's cleaned segments with the pause after each (the last one's is
    ignored: ``pause_after_ms`` is the silence after the paragraph)."""
    frame = frame_samples(sample_rate)
    pieces: list[Samples] = []
    spans: list[tuple[int, int]] = []
    cursor = PRE_FRAMES * frame
    for i, (samples, pause_ms) in enumerate(clips):
        pieces.append(samples.astype(np.float32, copy=False))
        spans.append((cursor, cursor + samples.size))
        cursor += samples.size
        if i < len(clips) - 1:
            gap = np.zeros(ms_to_samples(pause_ms, sample_rate), dtype=np.float32)
            pieces.append(gap)
            cursor += gap.size
    speech = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    post = max(ms_to_samples(pause_after_ms, sample_rate) - PRE_FRAMES * frame, MIN_POST_FRAMES * frame)
    total = PRE_FRAMES * frame + speech.size + post
    total += -total % frame
    piece = np.zeros(total, dtype=np.float32)
    piece[PRE_FRAMES * frame : PRE_FRAMES * frame + speech.size] = speech
    # Measured with its silences, as the lesson's meter will see it: blocks that straddle the edge
    # of the speech count there too, and leaving them out would set a different gain than the
    # lesson's meter expects.
    mastered, loudness = normalize_loudness(
        piece, sample_rate, target_lufs=target_lufs, ceiling_dbtp=ceiling_dbtp
    )
    pcm = to_pcm16(mastered)
    audio = pcm.astype(np.float32) / np.float32(32768.0)  # measured as the WAV will hold it
    grid = energy_grid(sample_rate)
    energy = energy_profile(audio, sample_rate, phase=-lead_in_length(sample_rate) % grid, grid=grid)
    return MasteredParagraph(pcm, tuple(spans), loudness, energy)


def lead_in_length(sample_rate: int) -> int:
    wanted = ms_to_samples(LEAD_IN_MS, sample_rate) - PRE_FRAMES * frame_samples(sample_rate)
    return lead_in_samples(sample_rate, wanted)


def lead_in(sample_rate: int) -> Pcm16:
    """The lesson's silent first piece (it also absorbs the MP3 encoder's and decoder's delays)."""
    return np.zeros(lead_in_length(sample_rate), dtype=np.int16)


def energy_grid(sample_rate: int) -> int:
    """Every piece starts a whole number of frames after its lead-in, and loudness blocks start
    every 100 ms: positions on this grid are block boundaries in every piece, wherever it lands."""
    return math.gcd(sample_rate // 10, frame_samples(sample_rate))
