"""The resampling pitch shift: exact ratio, length bookkeeping, no-op at zero."""

from __future__ import annotations

import numpy as np
import pytest

from engines.analysis import voice_stats
from engines.baker.pitch import resample_fft, semitone_ratio, shift_pitch

SR = 24_000


def tone(freq: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(SR * seconds)) / SR
    return (0.5 * np.sin(2 * np.pi * freq * t) + 0.2 * np.sin(4 * np.pi * freq * t)).astype(np.float32)


@pytest.mark.parametrize("semitones", [-3.0, -1.0, 2.0, 3.0])
def test_shift_moves_f0_by_the_ratio(semitones: float) -> None:
    shifted = shift_pitch(tone(220.0), semitones)
    assert len(shifted) == round(SR / semitone_ratio(semitones))
    f0 = voice_stats(shifted, SR).f0_mean_hz
    assert f0 == pytest.approx(220.0 * semitone_ratio(semitones), rel=0.005)


def test_zero_shift_is_identity_and_resample_keeps_level() -> None:
    x = tone(300.0)
    assert shift_pitch(x, 0.0) is x
    y = resample_fft(x, len(x) // 2 * 3)
    assert y.dtype == np.float32
    assert np.sqrt(np.mean(y[1000:-1000] ** 2)) == pytest.approx(np.sqrt(np.mean(x**2)), rel=0.01)


def test_resample_is_deterministic() -> None:
    x = tone(250.0, 0.3)
    assert np.array_equal(resample_fft(x, 5000), resample_fft(x, 5000))
