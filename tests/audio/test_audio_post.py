"""Post-processing on synthetic signals whose right answers are known by construction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from audio.captions import Cue, to_srt, to_vtt
from audio.export import read_audio, write_wav
from audio.loudness import integrated_lufs, normalize_loudness, true_peak_dbtp
from audio.mp3 import to_pcm16
from audio.postprocess import clean_segment, fade, trim_silence

SR = 24_000


def tone(seconds: float, amplitude: float = 0.3, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(SR * seconds)) / SR
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_trim_removes_padding_but_keeps_speech() -> None:
    speech = tone(1.0)
    padded = np.concatenate([np.zeros(SR // 2, np.float32), speech, np.zeros(SR, np.float32)])
    trimmed = trim_silence(padded, SR)
    # Kept: the whole tone plus at most ~30 ms + one 10 ms frame of silence per side.
    assert speech.size <= trimmed.size <= speech.size + 2 * int(0.041 * SR)
    assert np.allclose(np.sort(np.abs(trimmed))[-100:], np.sort(np.abs(speech))[-100:])


def test_trim_of_silence_is_empty_and_quiet_speech_survives() -> None:
    assert trim_silence(np.zeros(SR, np.float32), SR).size == 0
    quiet = tone(0.5, amplitude=0.002)
    assert trim_silence(quiet, SR).size >= quiet.size - int(0.01 * SR)


def test_fades_start_and_end_at_zero() -> None:
    faded = fade(np.ones(SR, np.float32), SR)
    assert faded[0] == pytest.approx(0.0, abs=1e-6) and faded[-1] == pytest.approx(0.0, abs=1e-6)
    assert faded[SR // 2] == 1.0
    assert clean_segment(np.zeros(10, np.float32), SR).size == 0


def test_loudness_reaches_target_with_true_peak_ceiling() -> None:
    rng = np.random.default_rng(1)
    speechlike = tone(12.0, amplitude=0.05) * (1 + np.sin(np.linspace(0, 60, 12 * SR))).astype(np.float32)
    speechlike += (0.01 * rng.standard_normal(speechlike.size)).astype(np.float32)
    speechlike[SR * 3 : SR * 3 + 48] = 0.8  # a click: the peak that forces the limiter
    out, report = normalize_loudness(speechlike, SR)
    assert integrated_lufs(out, SR) == pytest.approx(-16.0, abs=0.5)
    assert true_peak_dbtp(out) <= -1.0
    assert report.gain_db > 0


def test_captions_formats() -> None:
    cues = [Cue(0.2, 1.2345, "同学们好！"), Cue(3661.5, 3662.0, "第二句\n换行 --> 箭头")]
    srt = to_srt(cues)
    assert srt.startswith(
        "1\n00:00:00,200 --> 00:00:01,234\n同学们好！\n\n2\n01:01:01,500 --> 01:01:02,000\n"
    )
    assert "第二句 换行 → 箭头" in srt
    vtt = to_vtt(cues)
    assert vtt.startswith("WEBVTT\n\n00:00:00.200 --> 00:00:01.234\n同学们好！\n")


def test_wav_round_trip(tmp_path: Path) -> None:
    signal = tone(2.0)
    write_wav(tmp_path / "a.wav", [to_pcm16(signal[:SR]), to_pcm16(signal[SR:])], SR)
    wav, sr = read_audio(tmp_path / "a.wav")
    assert sr == SR and wav.size == signal.size and np.max(np.abs(wav - signal)) < 1e-4
    assert sf.info(tmp_path / "a.wav").subtype == "PCM_16"
    assert not list(tmp_path.glob(".*part"))  # no temp files left behind


@pytest.mark.parametrize("sample_rate", [16_000, 24_000, 48_000])
def test_loudness_meter_matches_pyloudnorm(sample_rate: int) -> None:
    import pyloudnorm

    rng = np.random.default_rng(sample_rate)
    n = sample_rate * 7
    signal = (0.1 * rng.standard_normal(n) * np.abs(np.sin(np.arange(n) / sample_rate * 2))).astype(
        np.float32
    )
    expected = pyloudnorm.Meter(sample_rate).integrated_loudness(signal.astype(np.float64))
    assert integrated_lufs(signal, sample_rate) == pytest.approx(expected, abs=0.01)


def test_limiter_handles_dense_and_isolated_peaks() -> None:
    speech = tone(10.0, amplitude=0.05)
    for at in range(SR, 2 * SR, 300):  # a burst of clicks closer together than the limiter's reach
        speech[at : at + 24] = 0.9
    speech[8 * SR : 8 * SR + 24] = -0.95  # and one on its own
    out, _ = normalize_loudness(speech, SR)
    assert true_peak_dbtp(out) <= -1.0
    # Far from any peak the limiter leaves the signal untouched (only the overall gain applies).
    gain = out[5 * SR : 5 * SR + 100] / speech[5 * SR : 5 * SR + 100]
    assert np.allclose(gain, gain[0], rtol=1e-4)


@pytest.mark.parametrize("click", [False, True])
def test_loudness_report_is_what_the_output_measures(click: bool) -> None:
    """Without limiting the report is derived from the input's blocks; it must still be the truth."""
    rng = np.random.default_rng(2)
    speechlike = tone(8.0, amplitude=0.02) * (1 + np.sin(np.linspace(0, 40, 8 * SR))).astype(np.float32)
    speechlike += (0.003 * rng.standard_normal(speechlike.size)).astype(np.float32)
    speechlike[: SR // 2] = 0.0  # a silent lead-in the gates must drop in both measurements
    if click:
        speechlike[SR * 3 : SR * 3 + 48] = 0.8
    out, report = normalize_loudness(speechlike, SR)
    assert report.integrated_lufs == pytest.approx(integrated_lufs(out, SR), abs=0.01)
    assert report.true_peak_dbtp == pytest.approx(true_peak_dbtp(out), abs=0.01)
    if not click:
        assert report.integrated_lufs == pytest.approx(-16.0, abs=0.01)
