"""Captions, speech marks and the manifest: the text outputs that describe a rendered lesson."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from audio.captions import layout_cues, to_srt, to_vtt
from audio.export import write_text
from config.captions import CAPTION_RULES, CaptionRules
from qa.report import QA_JSON, segment_summary
from qa.results import LessonCheck
from storage.layout import CAPTIONS_SRT, CAPTIONS_VTT, MANIFEST, SPEECH_MARKS
from tasks.assemble import AssembledLesson, SegmentTimes
from tasks.jobs import LessonPlan, SegmentAudio
from tasks.marks import ShownTimes, caption_words, marks_json_items, segment_times, shown_times

MANIFEST_VERSION = 1


@dataclass(frozen=True, slots=True)
class RenderInfo:
    render_id: str
    title: str
    reused: tuple[bool, ...]
    """Per segment: served from the cache (True) or synthesised in this render (False)."""
    backcheck: LessonCheck | None = None
    """The ASR back-check's results; None when the back-check is off."""
    captions: CaptionRules = CAPTION_RULES


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
        "marks": SPEECH_MARKS,
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


MARKS_VERSION = 1


def marks_json(
    plan: LessonPlan, times: Sequence[SegmentTimes], shown: Sequence[ShownTimes], sample_rate: int
) -> str:
    """``marks.json``: Amazon Polly's speech-mark fields, plus when each mark ends and its segment.

    The marks are formatted directly (one render has thousands): the same JSON ``json.dumps`` would
    write, at a third of the cost.
    """
    head = {
        "marks_version": MARKS_VERSION,
        "lesson_id": plan.lesson_id,
        "offsets": "characters (Unicode code points) of segments[segment].text, the script's own words",
        "segments": [
            {"index": job.index, "paragraph": job.paragraph, "text": job.display_text, "timing": t.source}
            for job, t in zip(plan.jobs, times, strict=True)
        ],
    }
    marks = ",".join(item for segment in shown for item in marks_json_items(segment, sample_rate))
    return json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + f',"marks":[{marks}]}}\n'


@task(name="write-captions-and-manifest", cache_policy=NO_CACHE)
def write_descriptions(
    plan: LessonPlan,
    audios: list[SegmentAudio],
    lesson: AssembledLesson,
    info: RenderInfo,
    folder: Path,
) -> None:
    times = segment_times(plan, lesson)
    shown = [shown_times(job, t) for job, t in zip(plan.jobs, times, strict=True)]
    words = caption_words(shown, lesson.sample_rate)
    cues = layout_cues(words, info.captions, end_ms=round(lesson.duration_s * 1000))
    write_text(folder / CAPTIONS_SRT, to_srt(cues))
    write_text(folder / CAPTIONS_VTT, to_vtt(cues))
    write_text(folder / SPEECH_MARKS, marks_json(plan, times, shown, lesson.sample_rate))
    manifest = manifest_data(plan, audios, lesson, info)
    write_text(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
