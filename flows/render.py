"""The ``render-lesson`` flow: script in, finished lesson folder out.

load + validate → front end → segments → cached synthesis (bounded parallelism) → assemble
(post-process, concatenate, loudness, WAV + MP3) → captions + manifest → one atomic rename.

Everything is written into a hidden staging folder that is renamed into place last, so a crash or a
failing segment never leaves ``lesson.*`` files that look finished; finished segments stay in the
cache, so running again resumes where the crash stopped.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from prefect import flow
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from config import Settings, load_settings
from engines.registry import VoiceConfig
from flows.progress import reporter
from lesson_specs import load_spec_file
from storage.layout import new_render_id, render_dir, staging_dir
from storage.segments import SegmentStore
from tasks.assemble import assemble_lesson, encode_mp3
from tasks.describe import RenderInfo, write_descriptions
from tasks.jobs import SegmentAudio, SegmentJob, VoiceIdentity
from tasks.plan import plan_segments
from tasks.synthesize import CacheConfig, SynthesisError, cached_synthesis, engine_for
from text_frontend.frontend import FrontEnd


class RenderError(Exception):
    """A render that could not finish; the message says which paragraph and why."""


@dataclass(frozen=True, slots=True)
class RenderSummary:
    lesson_id: str
    render_id: str
    folder: str
    duration_s: float
    segments: int
    synthesized: int
    reused: int
    seconds: float


def _result(job: SegmentJob, future: PrefectFuture[SegmentAudio]) -> SegmentAudio:
    try:
        return future.result()
    except SynthesisError as err:
        raise RenderError(str(err)) from err
    except Exception as err:
        raise RenderError(f"paragraph {job.paragraph}: synthesis failed: {err}") from err


@cache
def _front_end() -> FrontEnd:
    return FrontEnd()


def voice_config(settings: Settings) -> VoiceConfig:
    return VoiceConfig(
        models_dir=settings.resolved_models_dir,
        http_url=settings.tts_http_url,
        threads=settings.engine_threads,
    )


def cache_config(settings: Settings) -> CacheConfig:
    return CacheConfig(root=settings.cache_dir / "segment-cache", result_storage=settings.result_storage)


_RUNNER: TaskRunner[Any] = ThreadPoolTaskRunner(max_workers=2)


@flow(name="render-lesson", task_runner=_RUNNER, validate_parameters=True)
def render_lesson(spec_path: str, out_dir: str | None = None, voice: str | None = None) -> RenderSummary:
    """Render one lesson script into ``{out_dir}/{course}/{lesson_id}/{render_id}/``."""
    settings = load_settings()
    return render_with_settings(Path(spec_path), settings, out_dir=out_dir, voice=voice)


def render_with_settings(
    spec_path: Path, settings: Settings, *, out_dir: str | None = None, voice: str | None = None
) -> RenderSummary:
    started = time.perf_counter()
    progress = reporter()
    spec = load_spec_file(spec_path)
    voice_name = voice or spec.voice or settings.default_voice
    config = voice_config(settings)
    engine = engine_for(voice_name, config)
    identity = VoiceIdentity(voice_name, engine.engine_id, engine.model_hash)

    progress.start("front end", len(spec.paragraphs))
    plan = plan_segments(spec, _front_end(), identity, settings.max_segment_chars)
    progress.advance("front end", len(spec.paragraphs))
    progress.finish("front end")

    caching = cache_config(settings)
    store = SegmentStore(caching.segments)
    synthesize = cached_synthesis(caching)
    progress.start("synthesis", len(plan.jobs))
    futures: list[PrefectFuture[SegmentAudio]] = [
        synthesize.submit(job, caching.segments, config) for job in plan.jobs
    ]
    audios: list[SegmentAudio] = []
    reused: list[bool] = []
    for job, future in zip(plan.jobs, futures, strict=True):
        ref = _result(job, future)
        cached = future.state.name == "Cached"
        if cached and not store.has(ref.key):
            # The cache record outlived its audio (someone cleaned the store): synthesise again.
            ref = _result(
                job, synthesize.with_options(refresh_cache=True).submit(job, caching.segments, config)
            )
            cached = False
        audios.append(ref)
        reused.append(cached or not ref.fresh)
        progress.advance("synthesis")
    progress.finish("synthesis")

    render_id = new_render_id(spec.sha256)
    root = Path(out_dir) if out_dir is not None else settings.output_dir
    final = render_dir(root, spec.course, spec.id, render_id)
    staging = staging_dir(final)
    staging.mkdir(parents=True, exist_ok=False)
    try:
        progress.start("assemble", 2)
        lesson = assemble_lesson(plan, audios, staging)
        mp3 = encode_mp3.submit(staging)
        progress.advance("assemble")
        info = RenderInfo(render_id=render_id, title=spec.title, reused=tuple(reused))
        write_descriptions(plan, audios, lesson, info, staging)
        mp3.result()
        progress.advance("assemble")
        progress.finish("assemble")
        os.replace(staging, final)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return RenderSummary(
        lesson_id=spec.id,
        render_id=render_id,
        folder=str(final),
        duration_s=lesson.duration_s,
        segments=len(plan.jobs),
        synthesized=reused.count(False),
        reused=reused.count(True),
        seconds=time.perf_counter() - started,
    )
