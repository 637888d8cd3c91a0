"""Emotion presets render and move measurable acoustics in the direction they promise."""

from __future__ import annotations

import functools

import pytest

from engines import PRESETS, Prosody, UnknownEmotionError, preset
from engines.analysis import VoiceStats, voice_stats
from engines.prosody import intended_directions
from tests.voice_fixtures import baker_engine, tokens

pytestmark = [pytest.mark.slow, pytest.mark.real_voice]

TEXT = "同学们好，今天我们一起学习新的课文。"


@functools.cache
def stats(name: str) -> VoiceStats:
    audio = baker_engine().synthesize(tokens(TEXT), preset(name))
    assert audio.samples.size > 0
    return voice_stats(audio.samples, audio.sample_rate)


def moved(name: str) -> dict[str, int]:
    """Measured direction per metric, 0 when the change is below a just-noticeable threshold."""
    s, n = stats(name), stats("neutral")

    def d(delta: float, jnd: float) -> int:
        return 0 if abs(delta) < jnd else (1 if delta > 0 else -1)

    return {
        "duration": d(s.duration_s / n.duration_s - 1, 0.03),
        "f0_mean": d(s.f0_mean_hz / n.f0_mean_hz - 1, 0.03),
        "f0_std": d(s.f0_std_semitones / n.f0_std_semitones - 1, 0.05),
        "rms": d(s.rms_db - n.rms_db, 0.5),
    }


@pytest.mark.parametrize("name", [n for n in PRESETS if n != "neutral"])
def test_preset_moves_three_measurements_the_intended_way(name: str) -> None:
    want, got = intended_directions(PRESETS[name]), moved(name)
    agree = [k for k in want if want[k] != 0 and got[k] == want[k]]
    wrong = [k for k in want if want[k] != 0 and got[k] == -want[k]]
    assert len(agree) >= 3, (name, want, got)
    assert not wrong, (name, want, got)


def test_every_preset_renders_distinct_audio() -> None:
    durations = {name: stats(name).duration_s for name in PRESETS}
    assert len(set(durations.values())) >= 5  # presets do not collapse onto each other


def test_unknown_emotion_lists_choices() -> None:
    with pytest.raises(UnknownEmotionError, match="happy"):
        preset("joyful")
    assert preset(" Happy ") is PRESETS["happy"]


def test_prosody_rejects_out_of_range_values() -> None:
    with pytest.raises(ValueError, match="rate"):
        Prosody(rate=0)
    with pytest.raises(ValueError, match="octave"):
        Prosody(pitch_shift_semitones=13)


@pytest.mark.parametrize(
    ("knob", "metric", "direction"),
    [
        (Prosody(rate=1.25), "duration_s", -1),
        (Prosody(rate=0.8), "duration_s", +1),
        (Prosody(pitch_shift_semitones=3.0), "f0_mean_hz", +1),
        (Prosody(pitch_shift_semitones=-3.0), "f0_mean_hz", -1),
        (Prosody(pitch_range=1.5), "f0_std_semitones", +1),
        (Prosody(pitch_range=0.5), "f0_std_semitones", -1),
        (Prosody(energy=1.5), "rms_db", +1),
        (Prosody(energy=0.6), "rms_db", -1),
    ],
)
def test_each_knob_moves_its_own_measurement(knob: Prosody, metric: str, direction: int) -> None:
    """Each mechanism works on its own, so a preset cannot pass on the strength of the others."""
    audio = baker_engine().synthesize(tokens(TEXT), knob)
    got = getattr(voice_stats(audio.samples, audio.sample_rate), metric)
    base = getattr(stats("neutral"), metric)
    change = got - base if metric == "rms_db" else got / base - 1
    threshold = 2.0 if metric == "rms_db" else 0.1
    assert change * direction > threshold, (metric, base, got)


def test_pitch_shift_keeps_duration() -> None:
    shifted = baker_engine().synthesize(tokens(TEXT), Prosody(pitch_shift_semitones=3.0))
    assert shifted.duration_s == pytest.approx(stats("neutral").duration_s, rel=0.03)
