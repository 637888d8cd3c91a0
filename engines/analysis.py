"""Small acoustic measurements used to check that emotion presets do what they claim.

A preset is only worth having if it moves something a listener hears, so tests and
``benchmarks/bench_emotions.py`` measure rendered audio rather than trusting the knob values.
numpy only: a YIN pitch tracker and frame energies are enough for duration / F0 / energy comparisons
and avoid pulling librosa (and numba) into the runtime.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32] | npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class VoiceStats:
    """Utterance-level measurements; F0 statistics are over voiced frames only."""

    duration_s: float
    f0_mean_hz: float
    f0_std_semitones: float
    rms_db: float
    voiced_frames: int


def _frames(x: npt.NDArray[np.float64], size: int, hop: int) -> npt.NDArray[np.float64]:
    if len(x) < size:
        x = np.pad(x, (0, size - len(x)))
    count = 1 + (len(x) - size) // hop
    idx = np.arange(size)[None, :] + hop * np.arange(count)[:, None]
    out: npt.NDArray[np.float64] = x[idx]
    return out


def yin_f0(
    samples: FloatArray,
    sample_rate: int,
    *,
    fmin: float = 70.0,
    fmax: float = 500.0,
    threshold: float = 0.15,
    hop_s: float = 0.01,
) -> npt.NDArray[np.float64]:
    """Per-frame F0 in Hz (0 for unvoiced) by YIN (de Cheveigné & Kawahara 2002).

    Frames quieter than 40 dB below the loudest frame count as unvoiced, so trailing silence and
    breath noise cannot produce spurious low pitches.
    """
    x = np.asarray(samples, dtype=np.float64)
    tau_max = int(sample_rate / fmin)
    tau_min = max(2, int(sample_rate / fmax))
    size = 2 * tau_max
    frames = _frames(x, size, max(1, int(hop_s * sample_rate)))
    frames = frames - frames.mean(axis=1, keepdims=True)
    win = frames[:, :tau_max]
    # Difference function d(tau) = sum (x_t - x_{t+tau})^2 over a window of tau_max samples.
    n_fft = 1 << (size + tau_max).bit_length()
    spec_full = np.fft.rfft(frames, n_fft)
    spec_win = np.fft.rfft(win, n_fft)
    cross = np.fft.irfft(spec_full * np.conj(spec_win), n_fft)[:, : tau_max + 1]
    sq = np.cumsum(frames**2, axis=1)
    sq = np.concatenate([np.zeros((len(frames), 1)), sq], axis=1)
    energy_win = sq[:, tau_max]
    taus = np.arange(tau_max + 1)
    energy_shift = sq[:, taus + tau_max] - sq[:, taus]
    diff = energy_win[:, None] + energy_shift - 2 * cross
    diff[:, 0] = 0.0
    cum = np.cumsum(diff[:, 1:], axis=1) / np.arange(1, tau_max + 1)
    cmnd = np.ones_like(diff)
    cmnd[:, 1:] = diff[:, 1:] / np.maximum(cum, 1e-12)

    rms = np.sqrt(np.mean(win**2, axis=1))
    loud = rms > rms.max() * 10 ** (-40 / 20) if rms.size and rms.max() > 0 else np.zeros(len(rms), bool)
    f0 = np.zeros(len(frames))
    for i in range(len(frames)):
        if not loud[i]:
            continue
        row = cmnd[i]
        below = np.nonzero(row[tau_min:tau_max] < threshold)[0]
        if below.size == 0:
            continue
        tau = tau_min + int(below[0])
        while tau + 1 < tau_max and row[tau + 1] < row[tau]:
            tau += 1
        a, b, c = row[tau - 1], row[tau], row[tau + 1]
        denom = a - 2 * b + c
        shift = 0.5 * (a - c) / denom if denom > 0 else 0.0
        f0[i] = sample_rate / (tau + shift)
    return f0


def voice_stats(samples: FloatArray, sample_rate: int) -> VoiceStats:
    """Duration, mean F0, F0 spread (semitones, so independent of the mean) and active-frame RMS."""
    x = np.asarray(samples, dtype=np.float64)
    f0 = yin_f0(x, sample_rate)
    voiced = f0[f0 > 0]
    if voiced.size:
        f0_mean = float(np.mean(voiced))
        f0_std = float(np.std(12 * np.log2(voiced / np.median(voiced))))
    else:
        f0_mean, f0_std = 0.0, 0.0
    frames = _frames(x, int(0.025 * sample_rate), int(0.01 * sample_rate))
    frame_rms = np.sqrt(np.mean(frames**2, axis=1))
    active = frame_rms[frame_rms > frame_rms.max() * 10 ** (-40 / 20)] if frame_rms.max() > 0 else frame_rms
    rms = float(np.sqrt(np.mean(active**2))) if active.size else 0.0
    return VoiceStats(
        duration_s=len(x) / sample_rate,
        f0_mean_hz=f0_mean,
        f0_std_semitones=f0_std,
        rms_db=20 * float(np.log10(max(rms, 1e-12))),
        voiced_frames=int(voiced.size),
    )
