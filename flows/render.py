"""The ``render-lesson`` flow: script in, finished lesson folder out.

load + validate → front end, cached synthesis (bounded parallelism) and per-paragraph mastering,
overlapped (``flows.synthesis``) → assemble (join the paragraph pieces into WAV + MP3) → back-check →
captions + manifest → one atomic rename.

Everything is written into a hidden staging folder that is renamed into place last, so a crash or a
failing segment never leaves ``lesson.*`` files that look finished; finished segments stay in the
cache, so running again resumes where the crash stopped. A render killed outright leaves its staging
folder and a ``running`` catalog row; every render starts by cleaning up after such renders
(``storage.staging.reap``), and beats while it runs so that it is never mistaken for one.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import flow
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from asr.protocol import RecognizerError
from audio.export import WriteError
from config import Settings, load_settings
from engines.registry import identify
from flows.plain_parameters import plain_parameters
from flows.progress import reporter
from flows.synthesis import RenderError, plan_and_synthesize, result_of
from i18n import _, use_language
from lesson_specs import LessonSpec
from qa.report import LessonInfo
from qa.results import LessonCheck
from storage.catalog import Catalog, SegmentQA, open_catalog
from storage.inbox import LexiconSnapshot, load_script
from storage.layout import MANIFEST, OUTPUT_HINT, new_render_id, render_dir, staging_dir
from storage.liveness import Heartbeat
from storage.staging import reap
from tasks.arguments import unwalked
from tasks.assemble import AssemblyError, assemble_lesson
from tasks.backcheck import Backchecked, run_backcheck
from tasks.describe import RenderInfo, write_descriptions
from tasks.jobs import VoiceIdentity
from tasks.publish import publish_and_record
from tasks.synthesize import cached_synthesis, ensure_synthesis_limit
from wiring import (
    backcheck_config,
    cache_config,
    database_config,
    publish_config,
    s3_settings_for,
    synthesis_workers,
    voice_config,
)

if TYPE_CHECKING:
    from text_frontend.frontend import FrontEnd

__all__ = ["RenderError", "RenderSummary", "SynthesisRunner", "render_lesson", "synthesis_runner"]

log = logging.getLogger(__name__)


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
    mastered: int = 0
    """Paragraphs mastered (and MP3-encoded) in this render; the others' pieces were reused."""
    qa_flags: int | None = None
    """Segments the ASR back-check still flags (None: back-check off)."""
    qa_per: float | None = None
    qa_reused: bool | None = None
    """True when the back-check took the result of an identical lesson heard before (no ASR ran)."""
    published: str | None = None
    """Where ``latest.json`` was written when the render was published."""


def _qa_rows(check: LessonCheck, reused: bool) -> tuple[dict[str, Any], list[SegmentQA]]:
    """The back-check as the catalog stores it: a lesson summary and per-segment scores."""
    summary = {
        "reused": reused,
        "engine": check.engine_id,
        "cer": round(check.score.cer, 4),
        "per": round(check.score.per, 4),
        "flags": len(check.flagged),
        "audio_s": round(check.audio_s, 2),
        "asr_s": 0.0 if reused else round(check.asr_s, 2),  # this render's own work
    }
    rows = [SegmentQA(s.index, s.final.score.cer, s.final.score.per, s.final.reasons) for s in check.segments]
    return summary, rows


@cache
def _front_end() -> FrontEnd:
    """One per process, loaded on first need: a render whose plan is stored never needs it."""
    from text_frontend.frontend import FrontEnd

    return FrontEnd()


class SynthesisRunner(ThreadPoolTaskRunner[Any]):
    """Prefect's thread pool, sized by ``wiring.synthesis_workers`` when a flow run starts.

    A runner given to ``@flow`` is built when the module is imported, before any settings are read,
    and a deployed run loads the flow from its entrypoint, so nothing can hand it a runner built
    from settings. Reading the count as the run starts, through the same wiring a command line
    render uses (:func:`synthesis_runner`), gives both the same number of workers. An explicit
    ``max_workers`` is kept as given.
    """

    def __init__(self, max_workers: int | None = None) -> None:
        super().__init__(max_workers=max_workers or 1)
        self._from_settings = max_workers is None

    def duplicate(self) -> SynthesisRunner:
        return type(self)(None if self._from_settings else self._max_workers)

    def __enter__(self) -> SynthesisRunner:
        if self._from_settings:
            self._max_workers = synthesis_workers(load_settings())
        super().__enter__()
        return self


def synthesis_runner(settings: Settings) -> TaskRunner[Any]:
    """The runner for a render started in this process, sized from the settings it already read."""
    return SynthesisRunner(synthesis_workers(settings))


_RUNNER: TaskRunner[Any] = SynthesisRunner()


@plain_parameters
@flow(name="render-lesson", task_runner=_RUNNER, validate_parameters=True)
def render_lesson(
    spec_path: str,
    out_dir: str | None = None,
    voice: str | None = None,
    publish: bool = False,
    spec_sha256: str | None = None,
    lexicon_path: str | None = None,
    lexicon_sha256: str | None = None,
    language: str | None = None,
) -> RenderSummary:
    """Render one script (a path or ``s3://`` URI) into ``{out_dir}/{course}/{lesson_id}/{render_id}/``.

    ``spec_sha256``: render only if the script's bytes have this hash (the inbox passes the hash it
    validated, so a render never picks up a different version of the file). ``lexicon_path`` and
    ``lexicon_sha256`` are the course lexicon the inbox validated it with, held to its hash too.
    ``language``: what the render's messages (a failure reason, the QA report) are written in, for a
    run a worker makes for a teacher elsewhere (the page passes its reader's); by default the
    language of the process.
    """
    settings = load_settings()
    lexicon = (
        LexiconSnapshot(lexicon_path, lexicon_sha256)
        if lexicon_path is not None and lexicon_sha256 is not None
        else None
    )
    with use_language(language) if language is not None else nullcontext():
        return render_with_settings(
            spec_path,
            settings,
            out_dir=out_dir,
            voice=voice,
            publish=publish,
            spec_sha256=spec_sha256,
            lexicon=lexicon,
        )


def render_with_settings(
    spec_path: str,
    settings: Settings,
    *,
    out_dir: str | None = None,
    voice: str | None = None,
    publish: bool = False,
    spec_sha256: str | None = None,
    lexicon: LexiconSnapshot | None = None,
) -> RenderSummary:
    """Render, record it in the catalog (started / failed / finished) and publish it if asked."""
    bucket = spec_path[len("s3://") :].partition("/")[0] if spec_path.startswith("s3://") else None
    s3 = s3_settings_for(settings, bucket) if bucket else None
    spec = load_script(spec_path, s3, expected_sha256=spec_sha256, lexicon=lexicon)
    root = Path(out_dir) if out_dir is not None else settings.output_dir
    catalog = open_catalog(database_config(settings).url)
    try:
        _reap(catalog, root)
        # The id is known from the start, so the catalog can tell this render's staging folder
        # from one a dead render left behind.
        render_id = new_render_id(spec.sha256)
        render_pk = catalog.record_render_started(
            spec.course,
            spec.id,
            title=spec.title,
            render_id=render_id,
            spec_sha256=spec.sha256,
            spec_path=spec_path,
            voice=voice or spec.voice or settings.default_voice,
        )
        try:
            with Heartbeat(lambda: catalog.beat(render_pk)):
                summary, qa = _render(spec, settings, root=root, render_id=render_id, voice=voice)
        except BaseException as err:  # Ctrl-C and Prefect's cancellation too: never left "running"
            catalog.record_render_failed(render_pk, f"{type(err).__name__}: {err}")
            raise
        manifest = json.loads((Path(summary.folder) / MANIFEST).read_text(encoding="utf-8"))
        catalog.record_render_finished(
            render_pk, manifest, folder=summary.folder, render_seconds=summary.seconds
        )
        if qa is not None:
            catalog.record_qa(render_pk, *_qa_rows(qa, bool(summary.qa_reused)))
        if publish:
            progress = reporter()
            progress.start("publish", 1)
            # Retries with backoff inside; on failure the render is recorded as failed, then PublishFailed.
            result = publish_and_record(Path(summary.folder), publish_config(settings), catalog, render_pk)
            progress.finish("publish")
            summary = replace(summary, published=f"{result.store} {result.latest_key}")
        return summary
    finally:
        catalog.close()


def _reap(catalog: Catalog, root: Path) -> None:
    """Mark renders whose process died as abandoned and remove their staging folders under ``root``."""
    reaped = reap(catalog, root)
    for render in reaped.abandoned:
        log.info("render %s (catalog id %d) %s", render.render_id, render.render_pk, render.reason)
    for folder in reaped.removed:
        log.info("removed %s, left by a render that did not finish", folder)


def _render(
    spec: LessonSpec, settings: Settings, *, root: Path, render_id: str, voice: str | None = None
) -> tuple[RenderSummary, LessonCheck | None]:
    started = time.perf_counter()
    progress = reporter()
    voice_name = voice or spec.voice or settings.default_voice
    config = voice_config(settings)
    identity = VoiceIdentity(voice_name, *identify(voice_name, config))

    caching = cache_config(settings)
    checks = backcheck_config(settings)
    synthesize = cached_synthesis(caching)
    limited = settings.synthesis_slots is not None
    if settings.synthesis_slots is not None:
        ensure_synthesis_limit(settings.synthesis_slots)
    done = plan_and_synthesize(
        spec,
        _front_end,
        identity,
        max_chars=settings.max_segment_chars,
        caching=caching,
        synthesize=synthesize,
        config=config,
        limited=limited,
    )
    plan, audios, reused = done.plan, list(done.audios), list(done.reused)

    final = render_dir(root, spec.course, spec.id, render_id)
    staging = staging_dir(final)
    try:
        staging.mkdir(parents=True, exist_ok=False)
    except OSError as err:
        raise WriteError.from_os_error(staging, err, OUTPUT_HINT) from err
    checked: Backchecked | None = None
    try:
        progress.start("assemble", 2)
        lesson = assemble_lesson(unwalked(plan), unwalked(audios), staging, caching.pieces)
        progress.advance("assemble")
        if checks.enabled:
            progress.start("back-check", 1)
            checked = run_backcheck(
                plan,
                audios,
                lesson,
                staging,
                LessonInfo(spec.id, spec.title, render_id),
                checks,
                _front_end,
                lambda job: result_of(
                    job, synthesize.submit(unwalked(job), caching.segments, config, limited)
                ),
                lambda kept: assemble_lesson(unwalked(plan), unwalked(kept), staging, caching.pieces),
            )
            audios, lesson = list(checked.audios), checked.lesson
            progress.finish("back-check")
        info = RenderInfo(render_id, spec.title, tuple(reused), checked.check if checked else None)
        write_descriptions(unwalked(plan), unwalked(audios), unwalked(lesson), unwalked(info), staging)
        progress.advance("assemble")
        progress.finish("assemble")
        try:
            os.replace(staging, final)
        except OSError as err:
            raise WriteError.from_os_error(final, err, OUTPUT_HINT) from err
    except WriteError as err:  # the cache's own errors keep their hint; the rest are the output's
        raise err.with_hint(OUTPUT_HINT) from err
    except RecognizerError as err:
        raise RenderError(_("back-check: {error}").format(error=err)) from err
    except AssemblyError as err:
        raise RenderError(str(err)) from err
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
        mastered=done.mastered + lesson.mastered,
        qa_flags=len(checked.check.flagged) if checked else None,
        qa_per=checked.check.score.per if checked else None,
        qa_reused=checked.reused if checked else None,
    ), (checked.check if checked else None)
