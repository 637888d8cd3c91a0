"""The back-check stage of the render flow: listen to the assembled lesson, retry what sounds wrong.

After assembly the lesson is transcribed in windows (``qa.check``); each flagged segment is
re-synthesised with slower prosody, up to ``QAConfig.attempts`` times, through the same cached
synthesis task and content-addressed store as every other segment (a different prosody is a different
key, so an attempt is cached like any segment and never overwrites the original). The attempt with the
lowest PER is kept (the original wins ties), the lesson is re-assembled if anything changed, and
``qa.json`` + ``qa.html`` are written into the staging folder with the other outputs.

A lesson whose assembled audio is byte-identical to one heard before (a cached re-render) is not heard
again: its check, retries included, comes from ``tasks.backcheck_store`` and the render says so.

Attempts are heard on their own while the original was heard in its window; Whisper is slightly less
accurate without context, so the comparison leans towards keeping the original: a replacement must be
clearly better.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NO_CACHE

from asr.protocol import Recognizer
from asr.registry import RecognizerConfig, create_recognizer
from audio.export import read_audio, write_text
from qa.check import SegmentRef, check_lesson, hear_clips
from qa.config import QAConfig
from qa.html import render_html
from qa.normalize import reference_units
from qa.report import QA_HTML, QA_JSON, LessonInfo, report_data
from qa.results import Attempt, Hearing, LessonCheck, SegmentCheck
from qa.snippets import SnippetError, mp3_snippets
from storage.layout import LESSON_WAV
from tasks.arguments import unwalked
from tasks.assemble import AssembledLesson
from tasks.backcheck_config import BackcheckConfig
from tasks.backcheck_store import (
    check_key,
    load_check,
    load_snippets,
    save_check,
    save_snippets,
    sha256_file,
    snippets_key,
)
from tasks.jobs import LessonPlan, SegmentAudio, SegmentJob, segment_key
from tasks.marks import lesson_marks

if TYPE_CHECKING:
    from text_frontend.frontend import FrontEnd

Resynthesize = Callable[[SegmentJob], SegmentAudio]
"""Synthesise one job through the flow's cached synthesis task and return its store reference."""
Reassemble = Callable[[list[SegmentAudio]], AssembledLesson]
"""Assemble the lesson again from these segments (only paragraphs that changed are re-mastered)."""


@dataclass(frozen=True, slots=True)
class Backchecked:
    """What the rest of the flow continues with: the audio that is in the lesson now, and the scores."""

    audios: tuple[SegmentAudio, ...]
    lesson: AssembledLesson
    check: LessonCheck
    reused: bool = False
    """True when the check is that of an identical lesson heard before: nothing was transcribed."""


_asr_lock = threading.Lock()


@cache
def _recognizer(config: RecognizerConfig) -> Recognizer:
    return create_recognizer(config)


def recognizer_for(config: RecognizerConfig) -> Recognizer:
    """One recogniser per configuration per process: Whisper loads once, however many lessons follow."""
    with _asr_lock:
        return _recognizer(config)


def segment_refs(plan: LessonPlan) -> list[SegmentRef]:
    return [SegmentRef(j.index, j.paragraph, j.display_text, reference_units(j.segment)) for j in plan.jobs]


def alternative(job: SegmentJob, attempt: int, qa: QAConfig) -> SegmentJob:
    """The job for re-synthesis ``attempt``: slower, and therefore its own content key."""
    prosody = replace(job.prosody, rate=round(job.prosody.rate * qa.retry_rate(attempt), 4))
    return replace(job, prosody=prosody, key=segment_key(job.segment, prosody, job.voice))


@task(name="backcheck-listen", cache_policy=NO_CACHE)
def listen_to_lesson(
    plan: LessonPlan,
    folder: Path,
    spans: tuple[tuple[float, float], ...],
    config: BackcheckConfig,
    front_end: FrontEnd,
) -> LessonCheck:
    samples, rate = read_audio(folder / LESSON_WAV)
    recognizer = recognizer_for(config.recognizer)
    return check_lesson(samples, rate, spans, segment_refs(plan), recognizer, front_end, config.qa)


def hear_attempts(
    refs: list[SegmentRef], audios: list[SegmentAudio], config: BackcheckConfig, front_end: FrontEnd
) -> tuple[list[Hearing], float]:
    """Score re-synthesised segments, each heard on its own, in one recogniser batch."""
    clips = [read_audio(Path(a.path)) for a in audios]
    rates = {rate for _, rate in clips}
    if len(rates) != 1:
        raise ValueError(f"attempts have mixed sample rates {sorted(rates)}")
    recognizer = recognizer_for(config.recognizer)
    return hear_clips([c for c, _ in clips], rates.pop(), refs, recognizer, front_end, config.qa)


def retry_flagged(
    plan: LessonPlan,
    audios: tuple[SegmentAudio, ...],
    check: LessonCheck,
    config: BackcheckConfig,
    front_end: FrontEnd,
    resynthesize: Resynthesize,
) -> tuple[tuple[SegmentAudio, ...], LessonCheck]:
    """Re-synthesise flagged segments round by round; a segment leaves the loop once an attempt passes."""
    segments = list(check.segments)
    kept = list(audios)
    refs = segment_refs(plan)
    extra_asr = 0.0
    pending = [s.index for s in segments if s.flagged]
    for attempt in range(1, config.qa.attempts + 1):
        if not pending:
            break
        made: list[tuple[int, SegmentJob, SegmentAudio]] = []
        for index in pending:
            job = alternative(plan.jobs[index], attempt, config.qa)
            try:
                ref = resynthesize(job)
            except Exception as err:  # a failed retry must not fail a render that already has audio
                failed = Attempt(attempt, job.prosody.rate, job.key, None, error=str(err))
                segments[index] = replace(segments[index], attempts=(*segments[index].attempts, failed))
                continue
            made.append((index, job, ref))
        if not made:
            break
        hearings, asr_s = hear_attempts(
            [refs[i] for i, _, _ in made], [ref for _, _, ref in made], config, front_end
        )
        extra_asr += asr_s
        for (index, job, ref), hearing in zip(made, hearings, strict=True):
            seg = segments[index]
            tried = (*seg.attempts, Attempt(attempt, job.prosody.rate, job.key, hearing))
            best = _best(seg, tried)
            segments[index] = replace(seg, attempts=tried, kept=best)
            if best == len(tried):
                kept[index] = ref
        pending = [i for i in pending if segments[i].flagged]
    return tuple(kept), check.with_segments(tuple(segments), extra_asr)


def _best(seg: SegmentCheck, attempts: tuple[Attempt, ...]) -> int:
    """Index of the lowest-PER hearing (0 = original); earlier wins ties, so the original is preferred."""
    best, best_per = 0, seg.hearing.score.per
    for attempt in attempts:
        if attempt.hearing is not None and attempt.hearing.score.per < best_per:
            best, best_per = attempt.number, attempt.hearing.score.per
    return best


@task(name="write-qa-report", cache_policy=NO_CACHE)
def write_qa_report(
    plan: LessonPlan,
    check: LessonCheck,
    info: LessonInfo,
    lesson: AssembledLesson,
    qa: QAConfig,
    folder: Path,
    store: Path | None = None,
    wav_sha256: str | None = None,
) -> None:
    """``lesson`` is the final one (after any re-assembly): its spans cut the snippets and its times
    make the speech marks the players follow, the same marks ``marks.json`` gets later. With a
    ``store`` the snippets of a lesson already cut are taken from it; ``wav_sha256`` is the final
    lesson's, when the caller has it."""
    data = report_data(check, info, lesson.spans, qa, lesson.duration_s)
    write_text(folder / QA_JSON, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    snippets = _snippets(folder / LESSON_WAV, lesson.spans, store, wav_sha256)
    write_text(
        folder / QA_HTML, render_html(data, snippets, lesson_marks(plan, lesson) if snippets else None)
    )


def _snippets(
    wav: Path, spans: tuple[tuple[float, float], ...], store: Path | None, wav_sha256: str | None
) -> list[bytes] | None:
    """The players' audio, cut once per distinct lesson; None when ffmpeg cannot cut it (the report
    without players is still the report)."""
    key = None
    if store is not None:
        key = snippets_key(wav_sha256 or sha256_file(wav), spans)
        known = load_snippets(store, key)
        if known is not None and len(known) == len(spans):
            return known
    try:
        snippets = mp3_snippets(wav, spans)
    except SnippetError:
        return None
    if store is not None and key is not None:
        save_snippets(store, key, snippets)
    return snippets


def run_backcheck(
    plan: LessonPlan,
    audios: list[SegmentAudio],
    lesson: AssembledLesson,
    folder: Path,
    info: LessonInfo,
    config: BackcheckConfig,
    front_end: Callable[[], FrontEnd],
    resynthesize: Resynthesize,
    reassemble: Reassemble,
) -> Backchecked:
    """Listen, retry flagged segments, re-assemble if a retry was kept, write qa.json and qa.html.

    A lesson assembled byte for byte as one already checked takes that check, retries included,
    instead of being heard again. ``front_end`` is asked for only when something is heard: it reads
    the references the transcripts are scored against.
    """
    key = wav_sha256 = None
    if config.store is not None:
        wav_sha256 = sha256_file(folder / LESSON_WAV)
        key = check_key(plan, wav_sha256, lesson.spans, config.recognizer, config.qa)
    known = load_check(config.store, key) if config.store is not None and key is not None else None
    kept = _kept_audios(plan, tuple(audios), known, config.qa, resynthesize) if known else None
    if known is not None and kept is not None:
        check, reused = known, True
    else:
        reader = front_end()
        check = listen_to_lesson(plan, folder, lesson.spans, config, reader)
        kept, check = retry_flagged(plan, tuple(audios), check, config, reader, resynthesize)
        reused = False
        failed = any(a.error is not None for s in check.segments for a in s.attempts)
        if config.store is not None and key is not None and not failed:  # a failed retry may work next time
            save_check(config.store, key, check)
    if kept != tuple(audios):
        lesson = reassemble(list(kept))
        wav_sha256 = None  # a different lesson now
    write_qa_report(
        unwalked(plan),
        unwalked(check),
        unwalked(info),
        unwalked(lesson),
        config.qa,
        folder,
        config.store,
        wav_sha256,
    )
    return Backchecked(kept, lesson, check, reused)


def _kept_audios(
    plan: LessonPlan,
    audios: tuple[SegmentAudio, ...],
    check: LessonCheck,
    qa: QAConfig,
    resynthesize: Resynthesize,
) -> tuple[SegmentAudio, ...] | None:
    """The audio a stored check kept: the attempts it chose, from the segment store (or made again, the
    voice being deterministic); None if one cannot be had, and then the lesson is heard afresh."""
    if len(check.segments) != len(audios):
        return None
    kept = list(audios)
    for segment in check.segments:
        if not segment.kept:
            continue
        job = alternative(plan.jobs[segment.index], segment.kept, qa)
        if job.key != segment.attempts[segment.kept - 1].key:
            return None
        try:
            kept[segment.index] = resynthesize(job)
        except Exception:  # the check is still good; only listening again can replace it now
            return None
    return tuple(kept)
