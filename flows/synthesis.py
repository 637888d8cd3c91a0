"""The first half of a render: front end, synthesis and paragraph mastering, overlapped.

Three things run at once on a cold render. This thread reads the script paragraph by paragraph,
and each paragraph's missing segments are submitted as soon as it is read. The task runner's
workers synthesise. Back on this thread, each paragraph is mastered as soon as its last segment is
in. On a warm render, paragraphs whose mastered piece is stored need no task at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import Task
from prefect.futures import PrefectFuture

from audio.export import WriteError
from engines.registry import VoiceConfig
from errors import WorkFailedError
from flows.progress import reporter
from i18n import _
from lesson_specs import LessonSpec
from storage.pieces import PieceStore
from storage.segments import SegmentStore
from tasks.arguments import unwalked
from tasks.assemble import AssemblyError, master_piece
from tasks.cache_config import CacheConfig
from tasks.jobs import LessonPlan, SegmentAudio, SegmentJob, VoiceIdentity
from tasks.pieces import PiecePlan, plan_pieces
from tasks.plan_cache import load_plan, plan_key, save_plan
from tasks.synthesize import SynthesisError

if TYPE_CHECKING:
    from text_frontend.frontend import FrontEnd


class RenderError(WorkFailedError):
    """A render that could not finish; the message says which paragraph and why."""


def result_of(job: SegmentJob, future: PrefectFuture[SegmentAudio]) -> SegmentAudio:
    """The task's reference, or a RenderError that names the paragraph."""
    try:
        return future.result()
    except SynthesisError as err:
        raise RenderError(str(err)) from err
    except WriteError as err:  # the cache cannot be written (its lock files): not the voice's fault
        raise RenderError(
            _("paragraph {paragraph}: {error}").format(paragraph=job.paragraph, error=err)
        ) from err
    except Exception as err:
        raise RenderError(
            _("paragraph {paragraph}: synthesis failed: {error}").format(paragraph=job.paragraph, error=err)
        ) from err


@dataclass(frozen=True, slots=True)
class Synthesised:
    plan: LessonPlan
    audios: tuple[SegmentAudio, ...]
    reused: tuple[bool, ...]
    """Per segment: served from the cache (True) or synthesised in this render (False)."""
    mastered: int
    """Paragraph pieces mastered in this render; the others were reused as stored."""


def reusable_segments(
    plan: LessonPlan,
    paragraphs: Sequence[PiecePlan],
    segments: SegmentStore,
    pieces: PieceStore,
    *,
    exclude: frozenset[int] = frozenset(),
) -> dict[int, SegmentAudio]:
    """Segments of paragraphs whose mastered piece is stored already: they need no task at all.

    A re-render after editing one paragraph then runs synthesis tasks for that paragraph only; the
    other paragraphs are complete down to their MP3 frames, and asking Prefect about each of their
    segments would cost more than assembling the whole lesson. Paragraphs with a job in ``exclude``
    (already submitted) are left to their tasks.
    """
    known: dict[int, SegmentAudio] = {}
    for piece in paragraphs:
        if exclude.intersection(piece.jobs):
            continue
        stored = pieces.get(piece.key)
        if stored is None or not all(segments.has(plan.jobs[i].key) for i in piece.jobs):
            continue
        for i, (start, end) in zip(piece.jobs, stored.spans, strict=True):  # assembly touches the piece
            key = plan.jobs[i].key
            segments.touch(key)
            known[i] = SegmentAudio(
                key, str(segments.path(key)), stored.sample_rate, end - start, fresh=False
            )
    return known


def _plan(
    spec: LessonSpec,
    front_end: Callable[[], FrontEnd],
    voice: VoiceIdentity,
    max_chars: int,
    plans: Path,
    on_paragraph: Callable[[Sequence[SegmentJob]], None],
) -> LessonPlan:
    """The stored plan of this very script, or the front end's, which is then stored.

    The front end (and everything it loads) is asked for only when the plan is not stored.
    """
    key = plan_key(spec, voice, max_chars)
    plan = load_plan(plans, key)
    if plan is not None:
        by_paragraph: defaultdict[int, list[SegmentJob]] = defaultdict(list)
        for job in plan.jobs:
            by_paragraph[job.paragraph].append(job)
        for paragraph in spec.paragraphs:
            on_paragraph(by_paragraph[paragraph.number])
        return plan
    from tasks.plan import plan_paragraphs

    plan = plan_paragraphs(spec, front_end(), voice, max_chars=max_chars, on_paragraph=on_paragraph)
    save_plan(plans, key, plan)
    return plan


def plan_and_synthesize(
    spec: LessonSpec,
    front_end: Callable[[], FrontEnd],
    voice: VoiceIdentity,
    *,
    max_chars: int,
    caching: CacheConfig,
    synthesize: Task[..., SegmentAudio],
    config: VoiceConfig,
    limited: bool,
) -> Synthesised:
    progress = reporter()
    store, pieces = SegmentStore(caching.segments), PieceStore(caching.pieces)
    futures: dict[int, PrefectFuture[SegmentAudio]] = {}

    def submit(job: SegmentJob) -> None:
        futures[job.index] = synthesize.submit(unwalked(job), caching.segments, config, limited)

    def read(jobs: Sequence[SegmentJob]) -> None:
        """A paragraph is read: its segments missing from the store certainly need synthesis."""
        for job in jobs:
            if not store.has(job.key):
                submit(job)
        progress.advance("front end")

    progress.start("front end", len(spec.paragraphs))
    plan = _plan(spec, front_end, voice, max_chars, caching.plans, read)
    progress.finish("front end")

    progress.start("synthesis", len(plan.jobs))
    paragraphs = plan_pieces(plan)
    known = reusable_segments(plan, paragraphs, store, pieces, exclude=frozenset(futures))
    for i, job in enumerate(plan.jobs):
        if i not in known and i not in futures:
            submit(job)  # in the store but its paragraph has no piece: a cache hit, then mastering
    last_of = {piece.jobs[-1]: piece for piece in paragraphs if piece.jobs[0] not in known}
    audios: list[SegmentAudio] = []
    reused: list[bool] = []
    mastered = 0
    for i, job in enumerate(plan.jobs):
        if i in known:
            audios.append(known[i])
            reused.append(True)
            progress.advance("synthesis")
            continue
        future = futures[i]
        ref = result_of(job, future)
        cached = future.state.name == "Cached"
        if cached and not store.has(ref.key):
            # The cache record outlived its audio (someone cleaned the store): synthesise again.
            retry = synthesize.with_options(refresh_cache=True)
            ref = result_of(job, retry.submit(unwalked(job), caching.segments, config, limited))
            cached = False
        was_reused = cached or not ref.fresh
        if was_reused:
            store.touch(ref.key)
        audios.append(ref)
        reused.append(was_reused)
        if i in last_of and pieces.get(last_of[i].key) is None:
            try:
                master_piece(last_of[i], plan, audios, pieces, ref.sample_rate)
            except AssemblyError as err:
                raise RenderError(str(err)) from err
            mastered += 1
        progress.advance("synthesis")
    progress.finish("synthesis")
    return Synthesised(plan, tuple(audios), tuple(reused), mastered)
