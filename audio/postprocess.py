"""Per-segment clean-up: trim the voice's leading/trailing silence and fade the edges.

Neural vocoders pad utterances with a little noise-floor silence and start/stop abruptly; trimmed and
faded segments butt together without clicks, and the pauses we insert are then exactly the pauses
the script asked for, which is what keeps captions aligned to the audio.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]


def trim_silence(
    samples: Samples, sample_rate: int, *, threshold_db: float = -45.0, keep_ms: float = 30.0
) -> Samples:
    """Cut leading and trailing stretches quieter than ``threshold_db`` below the segment's peak.

    The threshold is relative to the segment's own peak so quiet (sad, gentle) readings are not eaten;
    ``keep_ms`` of the quiet edge is kept so consonant onsets and final breaths survive.
    """
    start, end = trim_bounds(samples, sample_rate, threshold_db=threshold_db, keep_ms=keep_ms)
    return samples[start:end]


def trim_bounds(
    samples: Samples, sample_rate: int, *, threshold_db: float = -45.0, keep_ms: float = 30.0
) -> tuple[int, int]:
    """The [start, end) ``trim_silence`` keeps: where the voice's token times move to after trimming."""
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak <= 0.0:
        return 0, 0
    frame = max(1, int(sample_rate * 0.01))
    usable = samples.size - samples.size % frame
    if usable == 0:
        return 0, samples.size
    frames = samples[:usable].reshape(-1, frame)
    rms = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1))
    loud = np.flatnonzero(rms > peak * 10 ** (threshold_db / 20))
    if loud.size == 0:
        return 0, 0
    keep = int(sample_rate * keep_ms / 1000)
    start = max(0, int(loud[0]) * frame - keep)
    end = min(samples.size, (int(loud[-1]) + 1) * frame + keep)
    return start, end


def fade(
    samples: Samples, sample_rate: int, *, fade_in_ms: float = 5.0, fade_out_ms: float = 15.0
) -> Samples:
    """Raised-cosine fades so a cut never starts or ends on a non-zero sample (no clicks)."""
    out = samples.astype(np.float32, copy=True)
    for length, reverse in (
        (int(sample_rate * fade_in_ms / 1000), False),
        (int(sample_rate * fade_out_ms / 1000), True),
    ):
        n = min(length, out.size // 2)
        if n <= 0:
            continue
        ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n, dtype=np.float64))).astype(np.float32)
        if reverse:
            out[-n:] *= ramp[::-1]
        else:
            out[:n] *= ramp
    return out


def clean_segment(samples: Samples, sample_rate: int) -> Samples:
    """The per-segment chain used by the render: trim, then fade."""
    return fade(trim_silence(samples, sample_rate), sample_rate)


def clean_segment_at(samples: Samples, sample_rate: int) -> tuple[Samples, int]:
    """``clean_segment`` and the sample of ``samples`` the cleaned audio starts at (fades move nothing)."""
    start, end = trim_bounds(samples, sample_rate)
    return fade(samples[start:end], sample_rate), start
