"""Loudness normalisation to a broadcast-style target: −16 LUFS integrated, true peak ≤ −1 dBTP.

Lessons are played back to back on phones and classroom speakers; a common integrated loudness means
no teacher has to ride the volume between lessons. Speech often has a higher peak-to-loudness ratio
than 15 dB, so reaching −16 LUFS can push peaks over −1 dBTP: a look-ahead limiter catches those
few peaks instead of turning the whole lesson down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from audio.postprocess import Samples

TARGET_LUFS = -16.0
TRUE_PEAK_DBTP = -1.0
_OVERSAMPLE = 4


@dataclass(frozen=True, slots=True)
class LoudnessReport:
    integrated_lufs: float
    true_peak_dbtp: float
    gain_db: float


_SEARCH_DB = 3.0
"""Inter-sample peaks of speech exceed the sample peak by well under this (BS.1770's 4x meter itself
under-reads by up to 0.7 dB); only blocks this close to the peak are oversampled."""
_MARGIN = 64
"""Samples of context around a candidate region: longer than resample_poly's filter half-length."""


def _regions(samples: Samples, level: float) -> list[tuple[int, int]]:
    """Merged [start, end) ranges (with margin) of 10 ms blocks whose sample peak reaches ``level``."""
    block = 240
    n = samples.size - samples.size % block
    peaks = np.abs(samples[:n]).reshape(-1, block).max(axis=1) if n else np.zeros(0)
    if samples.size > n:
        peaks = np.append(peaks, np.abs(samples[n:]).max())
    hot = np.flatnonzero(peaks >= level)
    regions: list[tuple[int, int]] = []
    for index in hot:
        lo, hi = max(0, int(index) * block - _MARGIN), min(samples.size, (int(index) + 1) * block + _MARGIN)
        if regions and lo <= regions[-1][1] + block:
            regions[-1] = (regions[-1][0], hi)
        else:
            regions.append((lo, hi))
    return regions


_HALF = 10 * _OVERSAMPLE


# SciPy and pyloudnorm are imported where they filter, not at the top: a render whose paragraphs are
# all cached only adds up stored loudness energies, and importing them costs every such render.
@cache
def _interpolation_filter() -> npt.NDArray[np.float64]:
    """The interpolation filter resample_poly would design for 4x; designed once, not per region."""
    from scipy.signal import firwin

    design: npt.NDArray[np.float64] = firwin(2 * _HALF + 1, 1.0 / _OVERSAMPLE, window=("kaiser", 5.0))
    return design * _OVERSAMPLE


def _oversampled_peaks(samples: Samples, lo: int, hi: int) -> npt.NDArray[np.float64]:
    """Per-sample max of |x| over the 4x-oversampled signal in [lo, hi)."""
    from scipy.signal import upfirdn

    up = upfirdn(_interpolation_filter(), samples[lo:hi].astype(np.float64), _OVERSAMPLE)[_HALF:]
    peaks: npt.NDArray[np.float64] = (
        np.abs(up[: (hi - lo) * _OVERSAMPLE]).reshape(-1, _OVERSAMPLE).max(axis=1)
    )
    return peaks


def true_peak_dbtp(samples: Samples) -> float:
    """Peak of the 4x-oversampled signal (ITU-R BS.1770 style), in dB relative to full scale.

    Only blocks within a few dB of the sample peak can hold the true peak, so only they are
    oversampled: a few milliseconds instead of a second for a long lesson.
    """
    if samples.size == 0:
        return float("-inf")
    sample_peak = float(np.max(np.abs(samples)))
    if sample_peak <= 0:
        return float("-inf")
    peak = sample_peak
    for lo, hi in _regions(samples, sample_peak * 10 ** (-_SEARCH_DB / 20)):
        peak = max(peak, float(_oversampled_peaks(samples, lo, hi).max()))
    return float(20 * np.log10(peak))


@cache
def _k_weighting(
    sample_rate: int,
) -> tuple[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], float], ...]:
    """BS.1770 K-weighting stages (b, a, gain) for ``sample_rate``, as pyloudnorm designs them."""
    import pyloudnorm

    meter = pyloudnorm.Meter(sample_rate)
    return tuple((stage.b, stage.a, float(stage.passband_gain)) for stage in meter._filters.values())


def _cumulative_energy(samples: Samples, sample_rate: int) -> npt.NDArray[np.float64]:
    """Running sum of the squared K-weighted signal; entry ``i`` covers samples ``[0, i)``."""
    from scipy.signal import lfilter

    weighted = samples.astype(np.float64)
    for b, a, gain in _k_weighting(sample_rate):
        weighted = gain * lfilter(b, a, weighted)
    return np.concatenate(([0.0], np.cumsum(np.square(weighted))))


def _block_bounds(n: int, sample_rate: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """[start, end) of every 400 ms block with a 100 ms hop, the last one cut at ``n``."""
    count = int(np.round((n / sample_rate - 0.4) / 0.1)) + 1
    starts = (0.4 * 0.25 * np.arange(count) * sample_rate).astype(np.int64)
    ends = np.minimum((0.4 * (0.25 * np.arange(count) + 1) * sample_rate).astype(np.int64), n)
    return starts, ends


def block_energies(samples: Samples, sample_rate: int) -> npt.NDArray[np.float64]:
    """Mean-square K-weighted energy of every 400 ms block (75 % overlap), as BS.1770-4 gates them.

    Kept apart from the gating because the K-weighting is linear: after a gain ``g`` the blocks are
    exactly ``z * g**2``, so the normalised lesson is measured without filtering it again.
    """
    if samples.size < 0.4 * sample_rate:
        return np.zeros(0)
    energy = _cumulative_energy(samples, sample_rate)
    starts, ends = _block_bounds(samples.size, sample_rate)
    z: npt.NDArray[np.float64] = (energy[ends] - energy[starts]) / (0.4 * sample_rate)
    return z


@dataclass(frozen=True, slots=True, eq=False)
class EnergyProfile:
    """A clip's running K-weighted energy at samples ``phase``, ``phase + grid``, ... and in total.

    Clips that start and end in silence can be measured once each and their lesson measured from
    these alone (:func:`joined_lufs`): placed so that the lesson's block boundaries fall on the
    grid, the running sums give every block's energy exactly, without filtering the lesson again.
    """

    phase: int
    grid: int
    cumulative: npt.NDArray[np.float64]
    total: float


def energy_profile(samples: Samples, sample_rate: int, *, phase: int, grid: int) -> EnergyProfile:
    energy = _cumulative_energy(samples, sample_rate)
    return EnergyProfile(phase, grid, energy[phase::grid].copy(), float(energy[-1]))


def joined_lufs(
    parts: Sequence[tuple[int, EnergyProfile]], length: int, sample_rate: int, grid: int
) -> float:
    """Integrated loudness of a lesson of ``length`` samples: silence, then ``(offset, profile)``
    parts end to end to the last sample. Every part's ``offset + phase`` and the 100 ms block hop
    must be multiples of ``grid``; equal to :func:`integrated_lufs` of the joined samples up to the
    K-weighting's ringing across the silent joins (a test holds the two within 0.001 LU)."""
    hop = sample_rate // 10
    if hop * 10 != sample_rate or hop % grid:
        raise ValueError(f"a {grid}-sample grid does not hold 100 ms blocks at {sample_rate} Hz")
    if length < 0.4 * sample_rate:
        return float("-inf")
    running = np.zeros(length // grid + 1)
    base = 0.0
    for offset, profile in parts:
        first, rest = divmod(offset + profile.phase, grid)
        if rest or profile.grid != grid:
            raise ValueError(f"a part at sample {offset} is off the {grid}-sample grid")
        running[first : first + profile.cumulative.size] = base + profile.cumulative
        base += profile.total
    starts, ends = _block_bounds(length, sample_rate)
    at_end = np.where(ends % grid == 0, running[np.minimum(ends // grid, running.size - 1)], base)
    return gated_loudness((at_end - running[starts // grid]) / (0.4 * sample_rate))


def gated_loudness(z: npt.NDArray[np.float64]) -> float:
    """BS.1770-4 absolute (−70 LUFS) and relative (−10 LU) gating of block energies ``z``."""
    if z.size == 0:
        return float("-inf")
    with np.errstate(divide="ignore"):
        loudness = -0.691 + 10.0 * np.log10(z)
    above_absolute = loudness >= -70.0
    if not above_absolute.any():
        return float("-inf")
    relative = -0.691 + 10.0 * np.log10(z[above_absolute].mean()) - 10.0
    gated = z[(loudness > relative) & (loudness > -70.0)]
    if gated.size == 0:
        return float("-inf")
    return float(-0.691 + 10.0 * np.log10(gated.mean()))


def _clip_energies(samples: Samples, sample_rate: int) -> npt.NDArray[np.float64]:
    """Block energies, or for a clip shorter than one block (a one-word paragraph) the whole clip
    as its single block, so short paragraphs are normalised too instead of left as the voice made them."""
    z = block_energies(samples, sample_rate)
    if z.size or not samples.size:
        return z
    return np.array([_cumulative_energy(samples, sample_rate)[-1] / samples.size])


def integrated_lufs(samples: Samples, sample_rate: int) -> float:
    """BS.1770-4 gated integrated loudness (mono); −inf for silence or audio shorter than one block.

    The same filters, blocks and gates as ``pyloudnorm.Meter.integrated_loudness`` (a test holds the
    two within 0.01 LU), with the per-block Python loop replaced by a cumulative sum, so a whole
    lesson costs a few array operations rather than one Python step per block.
    """
    return gated_loudness(block_energies(samples, sample_rate))


def _limit(samples: Samples, sample_rate: int, ceiling_dbtp: float) -> Samples:
    """Look-ahead peak limiter: per-sample gain that keeps oversampled peaks under the ceiling.

    Gain is computed only around blocks near the ceiling; everywhere else it is exactly 1, so the
    cost follows the number of loud peaks, not the length of the lesson.
    """
    from scipy.ndimage import minimum_filter1d
    from scipy.signal import lfilter

    ceiling = 10 ** (ceiling_dbtp / 20) * 0.98  # margin for inter-sample peaks the estimate misses
    lookahead = max(1, int(0.005 * sample_rate))
    reach = 12 * lookahead  # the smoothing has decayed to nothing well within this
    out = samples.astype(np.float32, copy=True)
    groups: list[list[tuple[int, int]]] = []
    for lo, hi in _regions(samples, ceiling * 10 ** (-_SEARCH_DB / 20)):
        if groups and lo - groups[-1][-1][1] < 2 * reach:
            groups[-1].append((lo, hi))  # windows would overlap: limit them as one stretch
        else:
            groups.append([(lo, hi)])
    for group in groups:
        a, b = max(0, group[0][0] - reach), min(samples.size, group[-1][1] + reach)
        wanted = np.ones(b - a, dtype=np.float64)
        for lo, hi in group:
            envelope = np.maximum(_oversampled_peaks(samples, lo, hi), np.abs(samples[lo:hi]))
            wanted[lo - a : hi - a] = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-12))
        if wanted.min() >= 1.0:
            continue
        gain = minimum_filter1d(wanted, size=2 * lookahead + 1, mode="nearest")
        # Smooth so reductions ramp over ~5 ms instead of stepping (which would be audible).
        alpha = 1.0 / lookahead
        smoothed = lfilter([alpha], [1.0, -(1.0 - alpha)], gain[::-1], zi=[gain[-1] * (1 - alpha)])[0][::-1]
        gain = np.minimum(gain, minimum_filter1d(smoothed, size=2 * lookahead + 1, mode="nearest"))
        out[a:b] = (samples[a:b].astype(np.float64) * gain).astype(np.float32)
    return out


_MAKE_UP_TOLERANCE_LU = 0.05


def _gain_and_limit(
    samples: Samples, sample_rate: int, gain_db: float, ceiling_dbtp: float
) -> tuple[Samples, float, bool]:
    out = (samples.astype(np.float64) * 10 ** (gain_db / 20)).astype(np.float32)
    peak = true_peak_dbtp(out)
    limited = False
    for _ in range(3):
        if peak <= ceiling_dbtp:
            break
        out = _limit(out, sample_rate, ceiling_dbtp - 0.1)
        peak, limited = true_peak_dbtp(out), True
    return out, peak, limited


def normalize_loudness(
    samples: Samples,
    sample_rate: int,
    *,
    target_lufs: float = TARGET_LUFS,
    ceiling_dbtp: float = TRUE_PEAK_DBTP,
) -> tuple[Samples, LoudnessReport]:
    """Apply one gain to reach ``target_lufs``, then limit peaks to ``ceiling_dbtp``.

    Limiting takes a little loudness with the peaks, so when the limiter acted the gain is raised by
    what was lost and the peaks limited again, once.
    """
    z = _clip_energies(samples, sample_rate)
    measured = gated_loudness(z)
    if not np.isfinite(measured):
        return samples, LoudnessReport(measured, true_peak_dbtp(samples), 0.0)
    gain_db = target_lufs - measured
    out, peak, limited = _gain_and_limit(samples, sample_rate, gain_db, ceiling_dbtp)
    if not limited:  # the output is the input times one gain, and K-weighting is linear
        return out, LoudnessReport(gated_loudness(z * 10 ** (gain_db / 10)), peak, gain_db)
    loudness = gated_loudness(_clip_energies(out, sample_rate))
    if abs(target_lufs - loudness) > _MAKE_UP_TOLERANCE_LU:
        gain_db += target_lufs - loudness
        out, peak, _ = _gain_and_limit(samples, sample_rate, gain_db, ceiling_dbtp)
        loudness = gated_loudness(_clip_energies(out, sample_rate))
    return out, LoudnessReport(loudness, peak, gain_db)
