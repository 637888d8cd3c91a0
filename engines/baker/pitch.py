"""Deterministic whole-utterance pitch shift by band-limited resampling.

FastSpeech2's ``f0_ratios`` scales the *normalised* F0, i.e. the intonation range, and barely moves the
mean, so a mean shift needs signal processing. Resampling by r = 2**(semitones/12) multiplies every
frequency (F0 and formants) by r and divides the duration by r; the engine asks the acoustic model for
audio r times longer first, so the net duration is unchanged. Formants moving with F0 is audible only
beyond ~3 semitones, which the presets stay within. FFT resampling (numpy only) is exact for band-
limited signals, alias-free and bit-reproducible, and costs a few ms per second of audio.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def semitone_ratio(semitones: float) -> float:
    return float(2.0 ** (semitones / 12.0))


def resample_fft(samples: npt.NDArray[np.float32], new_length: int) -> npt.NDArray[np.float32]:
    """Band-limited resampling to ``new_length`` samples (spectrum truncation / zero padding)."""
    n = len(samples)
    if new_length == n or n == 0:
        return samples.astype(np.float32, copy=True)
    if new_length <= 0:
        raise ValueError("new_length must be positive")
    # Pad to an even FFT-friendly length with silence so the implied periodic extension has no jump.
    pad = n // 16 + 64
    x = np.concatenate([samples.astype(np.float64), np.zeros(pad)])
    padded_new = round(len(x) * new_length / n)
    spec = np.fft.rfft(x)
    keep = min(len(spec), padded_new // 2 + 1)
    out_spec = np.zeros(padded_new // 2 + 1, dtype=np.complex128)
    out_spec[:keep] = spec[:keep]
    if padded_new < len(x) and padded_new % 2 == 0:
        out_spec[-1] = out_spec[-1].real  # Nyquist bin of a real signal must be real
    y = np.fft.irfft(out_spec, padded_new) * (padded_new / len(x))
    return y[:new_length].astype(np.float32)


def shift_pitch(samples: npt.NDArray[np.float32], semitones: float) -> npt.NDArray[np.float32]:
    """Raise (or lower) pitch by ``semitones``; the result is shorter (longer) by the same ratio."""
    if semitones == 0:
        return samples
    ratio = semitone_ratio(semitones)
    return resample_fft(samples, max(1, round(len(samples) / ratio)))
