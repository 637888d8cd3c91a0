"""Emotion presets: named, measurable departures from the neutral voice.

Each non-neutral preset moves at least three of duration, mean F0, F0 spread and RMS energy in the
direction a listener expects (checked on the real voice by ``tests/engines/test_engine_emotions.py`` and
``benchmarks/bench_emotions.py``). Values are deliberately moderate: a lesson voice must stay clear
and natural; pitch shifts beyond ~3 semitones make the resampling-based shift audibly change timbre.
"""

from __future__ import annotations

from types import MappingProxyType

from engines.protocol import Prosody, UnknownEmotionError
from i18n import _

_PRESETS: dict[str, Prosody] = {
    "neutral": Prosody("neutral"),
    # Brighter and livelier: a bit faster, higher, wider intonation, louder.
    "happy": Prosody("happy", rate=1.08, pitch_shift_semitones=2.0, pitch_range=1.3, energy=1.25),
    # Slow, low, flat and soft; longer pauses.
    "sad": Prosody(
        "sad", rate=0.85, pitch_shift_semitones=-2.0, pitch_range=0.6, energy=0.7, pause_scale=1.4
    ),
    # Fast, loud, a little lower, wide excursions, clipped pauses.
    "angry": Prosody(
        "angry", rate=1.12, pitch_shift_semitones=-1.0, pitch_range=1.4, energy=1.5, pause_scale=0.7
    ),
    # Slow, slightly low, narrow range, soft.
    "gentle": Prosody(
        "gentle", rate=0.9, pitch_shift_semitones=-1.0, pitch_range=0.75, energy=0.75, pause_scale=1.2
    ),
    # Measured and firm: slower, lower, flatter, slightly louder.
    "serious": Prosody(
        "serious", rate=0.92, pitch_shift_semitones=-1.5, pitch_range=0.7, energy=1.1, pause_scale=1.1
    ),
    # Fast, high, wide and loud.
    "excited": Prosody(
        "excited", rate=1.15, pitch_shift_semitones=3.0, pitch_range=1.5, energy=1.4, pause_scale=0.8
    ),
    # High with the widest excursions; slightly slower to let the rise land.
    "surprised": Prosody("surprised", rate=0.95, pitch_shift_semitones=3.0, pitch_range=1.6, energy=1.2),
}

PRESETS = MappingProxyType(_PRESETS)
"""Emotion name -> Prosody; read-only so no caller can change what a cached render meant."""


def preset(emotion: str) -> Prosody:
    """The Prosody for an emotion name, case-insensitive; unknown names list the valid ones."""
    key = emotion.strip().lower()
    try:
        return PRESETS[key]
    except KeyError:
        raise UnknownEmotionError(
            _("unknown emotion {emotion}; choose one of: {choices}").format(
                emotion=repr(emotion), choices=", ".join(PRESETS)
            )
        ) from None


def emotion_names() -> tuple[str, ...]:
    return tuple(PRESETS)


def intended_directions(prosody: Prosody) -> dict[str, int]:
    """Which way (+1 / -1 / 0) each measurement should move from neutral, read off a preset's knobs.

    The emotion test and benchmark both check measured audio against this, so "intended direction"
    has one definition: slower -> longer, shifted up -> higher mean F0, wider range -> larger F0
    spread, more energy -> louder.
    """

    def sign(x: float) -> int:
        return (x > 0) - (x < 0)

    return {
        "duration": sign(1 / prosody.rate - 1),
        "f0_mean": sign(prosody.pitch_shift_semitones),
        "f0_std": sign(prosody.pitch_range - 1),
        "rms": sign(prosody.energy - 1),
    }
