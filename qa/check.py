"""The back-check itself, with no Prefect and no files: lesson samples + timeline + script -> scores.

Tests and the benchmark call these directly; ``tasks/backcheck.py`` only adds files and the flow.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from asr.protocol import Recognizer, Samples
from asr.windows import Window, plan_windows
from qa.align import Pair, attribute
from qa.config import QAConfig, flag_reasons
from qa.metrics import score_pairs
from qa.normalize import Unit, transcript_units
from qa.results import Hearing, LessonCheck, SegmentCheck, WindowResult, diff_of

if TYPE_CHECKING:
    from text_frontend.frontend import FrontEnd


@dataclass(frozen=True, slots=True)
class SegmentRef:
    """What one segment should sound like, for scoring."""

    index: int
    paragraph: int
    text: str
    units: tuple[Unit, ...]

    @property
    def reference(self) -> str:
        return "".join(u.char for u in self.units)


def level_dbfs(samples: Samples) -> float:
    """RMS level; -inf-safe so an all-zero segment reads as very quiet rather than NaN."""
    if samples.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20 * math.log10(max(rms, 1e-6))


def _hearing(pairs: list[Pair], samples: Samples, config: QAConfig) -> Hearing:
    score = score_pairs(pairs)
    level = level_dbfs(samples)
    return Hearing(
        transcript="".join(p.hyp.char for p in pairs if p.hyp is not None),
        score=score,
        diff=diff_of(pairs),
        level_dbfs=round(level, 1),
        reasons=flag_reasons(score, level, config),
    )


def _cut(samples: Samples, sample_rate: int, start_s: float, end_s: float) -> Samples:
    return samples[round(start_s * sample_rate) : round(end_s * sample_rate)]


def _window_clip(samples: Samples, sample_rate: int, window: Window) -> Samples:
    parts = [_cut(samples, sample_rate, a, b) for a, b in window.pieces]
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def check_lesson(
    samples: Samples,
    sample_rate: int,
    spans: Sequence[tuple[float, float]],
    refs: Sequence[SegmentRef],
    recognizer: Recognizer,
    front_end: FrontEnd,
    config: QAConfig,
) -> LessonCheck:
    """Transcribe the lesson in windows of whole segments and score every segment.

    Silent segments are flagged by level and kept out of the windows. A segment flagged in its window
    is heard once more on its own before it counts as flagged: one bad segment (noise, a long
    silence) can make Whisper stop early and lose the rest of its window, which must not condemn the
    neighbours. The better of the two hearings is kept.
    """
    if len(spans) != len(refs):
        raise ValueError(f"{len(spans)} spans for {len(refs)} segments")
    duration = samples.size / sample_rate
    clips = [_cut(samples, sample_rate, a, b) for a, b in spans]
    audible = [i for i, clip in enumerate(clips) if level_dbfs(clip) >= config.silence_dbfs]
    windows = plan_windows(spans, duration, max_s=config.window_s, include=audible)
    started = time.perf_counter()
    transcripts = recognizer.transcribe([_window_clip(samples, sample_rate, w) for w in windows], sample_rate)
    asr_s = time.perf_counter() - started
    checks: dict[int, SegmentCheck] = {}
    results: list[WindowResult] = []
    for number, (window, transcript) in enumerate(zip(windows, transcripts, strict=True)):
        results.append(
            WindowResult(window.start_s, window.end_s, window.segments, transcript.text, window.duration_s)
        )
        members = [refs[i] for i in window.segments]
        shares = attribute([r.units for r in members], transcript_units(transcript.text, front_end))
        for ref, pairs in zip(members, shares, strict=True):
            hearing = _hearing(pairs, clips[ref.index], config)
            checks[ref.index] = SegmentCheck(
                ref.index, ref.paragraph, ref.text, ref.reference, number, hearing
            )
    for ref in refs:
        if ref.index not in checks:  # silent: nothing to hear
            (pairs,) = attribute([ref.units], ())
            hearing = _hearing(pairs, clips[ref.index], config)
            checks[ref.index] = SegmentCheck(ref.index, ref.paragraph, ref.text, ref.reference, -1, hearing)
    doubtful = [i for i in audible if checks[i].flagged]
    if doubtful:
        alone, extra_s = hear_clips(
            [clips[i] for i in doubtful],
            sample_rate,
            [refs[i] for i in doubtful],
            recognizer,
            front_end,
            config,
        )
        asr_s += extra_s
        for i, hearing in zip(doubtful, alone, strict=True):
            if hearing.score.per < checks[i].hearing.score.per:
                checks[i] = replace(checks[i], hearing=hearing, heard_alone=True)
    ordered = tuple(checks[r.index] for r in refs)
    return LessonCheck(recognizer.engine_id, tuple(results), ordered, duration, asr_s)


def hear_clips(
    clips: Sequence[Samples],
    sample_rate: int,
    refs: Sequence[SegmentRef],
    recognizer: Recognizer,
    front_end: FrontEnd,
    config: QAConfig,
) -> tuple[list[Hearing], float]:
    """Score standalone segment clips (re-synthesis attempts) in one batch; also returns the ASR time."""
    started = time.perf_counter()
    transcripts = recognizer.transcribe(list(clips), sample_rate)
    asr_s = time.perf_counter() - started
    hearings = []
    for clip, ref, transcript in zip(clips, refs, transcripts, strict=True):
        (pairs,) = attribute([ref.units], transcript_units(transcript.text, front_end))
        hearings.append(_hearing(pairs, clip, config))
    return hearings, asr_s
