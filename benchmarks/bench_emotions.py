"""Measure what each emotion preset does to the real Baker voice; prints a Markdown table.

    .venv/bin/python benchmarks/bench_emotions.py

Columns are relative to neutral over several lesson sentences (concatenated per preset): duration,
mean F0 (YIN), F0 spread in semitones, and active-frame RMS. A checkmark column counts how many of the
four moved in the direction the preset's knobs promise (threshold: 3 % / 3 % / 5 % / 0.5 dB).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import load_settings
from engines import PRESETS, Prosody, TTSEngine
from engines.analysis import VoiceStats, voice_stats
from engines.baker import load_baker
from engines.prosody import intended_directions
from models import prepare_baker
from text_frontend.frontend import FrontEnd
from text_frontend.types import Token

SENTENCES = (
    "同学们好，今天我们一起学习新的课文。",
    "请大家打开书，翻到第二十页。",
    "这个问题你回答得非常好！",
    "明天要下雨，记得带伞。",
)
THRESHOLDS = {"duration": 0.03, "f0_mean": 0.03, "f0_std": 0.05, "rms": 0.5}


def segment_tokens(front_end: FrontEnd, text: str) -> tuple[Token, ...]:
    """The real front end's tokens for ``text`` (all its segments, synthesised as one unit)."""
    return tuple(t for seg in front_end.analyze(text, max_chars=50).segments for t in seg.tokens)


def measure(engine: TTSEngine, front_end: FrontEnd, prosody: Prosody) -> VoiceStats:
    audio = [engine.synthesize(segment_tokens(front_end, s), prosody) for s in SENTENCES]
    samples = np.concatenate([a.samples for a in audio])
    return voice_stats(samples, audio[0].sample_rate)


def main() -> None:
    models_dir = load_settings().resolved_models_dir
    prepare_baker(models_dir)
    engine = load_baker(models_dir)
    front_end = FrontEnd()
    base = measure(engine, front_end, PRESETS["neutral"])
    print(
        f"neutral: duration {base.duration_s:.2f} s, F0 {base.f0_mean_hz:.1f} Hz, "
        f"F0 std {base.f0_std_semitones:.2f} st, RMS {base.rms_db:.1f} dBFS\n"
    )
    print(
        "| emotion | duration | mean F0 | F0 std | RMS "
        "| knobs (rate, shift st, range, gain, pause) | intended ✓ |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, p in PRESETS.items():
        s = measure(engine, front_end, p)
        rel = {
            "duration": s.duration_s / base.duration_s - 1,
            "f0_mean": s.f0_mean_hz / base.f0_mean_hz - 1,
            "f0_std": s.f0_std_semitones / base.f0_std_semitones - 1,
            "rms": s.rms_db - base.rms_db,
        }
        want = intended_directions(p)
        ok = sum(1 for k, w in want.items() if w and abs(rel[k]) >= THRESHOLDS[k] and (rel[k] > 0) == (w > 0))
        total = sum(1 for w in want.values() if w)
        print(
            f"| {name} | {s.duration_s:.2f} s ({rel['duration']:+.0%}) | {s.f0_mean_hz:.0f} Hz "
            f"({rel['f0_mean']:+.0%}) | {s.f0_std_semitones:.2f} st ({rel['f0_std']:+.0%}) | "
            f"{s.rms_db:.1f} dB ({rel['rms']:+.1f} dB) | {p.rate:g}, {p.pitch_shift_semitones:+g}, "
            f"{p.pitch_range:g}, {p.energy:g}, {p.pause_scale:g} | {ok}/{total} |"
        )


if __name__ == "__main__":
    main()
