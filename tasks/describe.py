"""Captions and the manifest: the text outputs that describe a rendered lesson."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from audio.captions import Cue, to_srt, to_vtt
from audio.export import write_text
from qa.report import QA_JSON, segment_summary
from qa.results import LessonCheck
from storage.layout import CAPTIONS_SRT, CAPTIONS_VTT, MANIFEST
from tasks.assemble import AssembledLesson
from tasks.jobs import LessonPlan, SegmentAudio

MANIFEST_VERSION = 1


@dataclass(frozen=True, slots=True)
class RenderInfo:
    render_id: str
    title: str
    reused: tuple[bool, ...]
    """Per segment: served from the cache (True) or synthesised in this render (False)."""
    backcheck: LessonCheck | None = None
    """The ASR back-check's results; None when the back-check is off."""


def manifest_data(
    plan: LessonPlan, audios: Sequence[SegmentAudio], lesson: AssembledLesson, info: RenderInfo
) -> dict[str, Any]:
    segments = [
        {
            "index": job.index,
            "paragraph": job.paragraph,
            "emotion": job.emotion,
            "text": job.display_text,
            "normalized": job.segment.text,
            "pinyin": job.segment.pinyin,
            "start": round(start, 3),
            "end": round(end, 3),
            "duration": round(ref.duration_s, 3),
            "pause_after_ms": job.segment.pause_after_ms,
            "cache_key": job.key,
            "reused": reused,
            "spelled": list(job.spelled),
            "lexicon_words": list(job.lexicon_words),
        }
        for job, ref, (start, end), reused in zip(plan.jobs, audios, lesson.spans, info.reused, strict=True)
    ]
    check = info.backcheck
    if check is not None:
        for segment, result in zip(segments, check.segments, strict=True):
            segment["backcheck"] = segment_summary(result)
    return {
        "manifest_version": MANIFEST_VERSION,
        "lesson_id": plan.lesson_id,
        "title": info.title,
        "course": plan.course,
        "render_id": info.render_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "spec_sha256": plan.spec_sha256,
        "voice": plan.voice.voice,
        "engine_id": plan.voice.engine_id,
        "model_sha256": plan.voice.model_hash,
        "sample_rate": lesson.sample_rate,
        "duration": round(lesson.duration_s, 3),
        "loudness": {
            "integrated_lufs": round(lesson.loudness.integrated_lufs, 2),
            "true_peak_dbtp": round(lesson.loudness.true_peak_dbtp, 2),
            "paragraph_gain_db": [round(g, 2) for g in lesson.loudness.paragraph_gain_db],
        },
        "backcheck": None
        if check is None
        else {
            "engine": check.engine_id,
            "cer": round(check.score.cer, 4),
            "per": round(check.score.per, 4),
            "flags": len(check.flagged),
            "report": QA_JSON,
        },
        "segments": segments,
    }


@task(name="write-captions-and-manifest", cache_policy=NO_CACHE)
def write_descriptions(
    plan: LessonPlan,
    audios: list[SegmentAudio],
    lesson: AssembledLesson,
    info: RenderInfo,
    folder: Path,
) -> None:
    cues = [
        Cue(start, end, job.display_text) for job, (start, end) in zip(plan.jobs, lesson.spans, strict=True)
    ]
    write_text(folder / CAPTIONS_SRT, to_srt(cues))
    write_text(folder / CAPTIONS_VTT, to_vtt(cues))
    manifest = manifest_data(plan, audios, lesson, info)
    write_text(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
