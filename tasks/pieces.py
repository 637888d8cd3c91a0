"""Which segments make up each paragraph's mastered piece, and the piece's content key.

The key covers everything that determines the piece's bytes: its segments' keys, the pauses inside
it and after it, its loudness target and the encoder settings. A lesson re-rendered after one edit
finds every other paragraph's piece under an unchanged key and reuses it as it is.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from audio.loudness import TARGET_LUFS, TRUE_PEAK_DBTP
from audio.mastering import LEAD_IN_MS, MIN_POST_FRAMES, PRE_FRAMES
from audio.mp3 import BITRATE_KBPS, QUALITY
from tasks.jobs import LessonPlan

PIECE_KEY_VERSION = 2
"""Bump when mastering changes how the same segments and pauses come out."""
TAIL_MS = 500
"""Silence after the last paragraph, whatever pause the script gives it."""
CENTRE_STEP_DB = 0.25
"""Resolution of the lesson-wide energy correction (see :func:`energy_centre_db`)."""


@dataclass(frozen=True, slots=True)
class PiecePlan:
    key: str
    paragraph: int
    jobs: tuple[int, ...]
    """Indices into ``LessonPlan.jobs``, in order."""
    pause_after_ms: int
    target_lufs: float


def energy_centre_db(plan: LessonPlan) -> float:
    """Correction that keeps the lesson at the target while emotions keep their relative loudness.

    Each paragraph is mastered to the target plus its emotion's energy offset (angry louder, sad
    softer); without a correction a lesson of sad paragraphs would miss the target by their offset.
    The correction is the mean offset weighted by expected speaking time (syllables / rate). It is
    taken from the script rather than the audio, so it is known before synthesis, and rounded to
    ``CENTRE_STEP_DB`` so that editing one paragraph rarely moves it (which would re-master every
    piece). Estimated and rounded, it brings the lesson near the target rather than exactly onto it.
    """
    weights: dict[int, float] = {}
    power: dict[int, float] = {}
    for job in plan.jobs:
        seconds = max(1, len(job.segment.syllables)) / job.prosody.rate  # how long it will speak
        weights[job.paragraph] = weights.get(job.paragraph, 0) + seconds
        power[job.paragraph] = job.prosody.energy**2
    total = sum(weights.values())
    if not total:
        return 0.0
    mean_power = sum(weights[p] * power[p] for p in weights) / total
    centre = -10 * math.log10(mean_power)
    return round(centre / CENTRE_STEP_DB) * CENTRE_STEP_DB + 0.0


def plan_pieces(
    plan: LessonPlan, *, segment_keys: Sequence[str] | None = None, target_lufs: float = TARGET_LUFS
) -> tuple[PiecePlan, ...]:
    """One piece per paragraph that has something to say, in lesson order.

    ``segment_keys`` are the keys of the audio actually used, one per job, when that differs from the
    plan: the back-check swaps a flagged segment for a slower attempt with a key of its own.
    """
    keys = list(segment_keys) if segment_keys is not None else [job.key for job in plan.jobs]
    if len(keys) != len(plan.jobs):
        raise ValueError(f"{len(keys)} segment keys for {len(plan.jobs)} jobs")
    groups: dict[int, list[int]] = {}
    for index, job in enumerate(plan.jobs):
        groups.setdefault(job.paragraph, []).append(index)
    centre = energy_centre_db(plan)
    pieces: list[PiecePlan] = []
    for number, (paragraph, indices) in enumerate(groups.items()):
        jobs = [plan.jobs[i] for i in indices]
        last = number == len(groups) - 1
        pause = TAIL_MS if last else jobs[-1].segment.pause_after_ms
        target = round(target_lufs + 20 * math.log10(jobs[0].prosody.energy) + centre, 3)
        payload = {
            "v": PIECE_KEY_VERSION,
            "segments": [keys[i] for i in indices],
            "pauses": [job.segment.pause_after_ms for job in jobs[:-1]],
            "pause_after": pause,
            "target": target,
            "ceiling": TRUE_PEAK_DBTP,
            "frames": [PRE_FRAMES, MIN_POST_FRAMES, LEAD_IN_MS],
            "mp3": [BITRATE_KBPS, QUALITY],
        }
        blob = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        key = hashlib.sha256(blob.encode("utf-8")).hexdigest()
        pieces.append(PiecePlan(key, paragraph, tuple(indices), pause, target))
    return tuple(pieces)
