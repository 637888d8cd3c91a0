"""Synthesis of one segment as a cached Prefect task.

The cache key is the segment's content key (:func:`tasks.jobs.segment_key`), so a segment is
synthesised once per voice/model/prosody, across lessons and re-renders. The cached value is a
:class:`SegmentAudio` reference; the audio itself sits in the content-addressed segment store.
Cache access is SERIALIZABLE under an flock lock: two renders that need the same segment at the
same moment synthesise it once, the second waits and then reads the record.
"""

from __future__ import annotations

import threading
from contextlib import nullcontext
from functools import cache
from pathlib import Path
from typing import Any, cast

import numpy as np
from prefect import Task, task
from prefect.cache_policies import CacheKeyFnPolicy
from prefect.concurrency.sync import concurrency
from prefect.context import TaskRunContext
from prefect.locking.protocol import LockManager
from prefect.utilities.annotations import quote

from audio.export import WriteError
from audio.postprocess import clean_segment_at
from engines.protocol import TTSEngine
from engines.registry import VoiceConfig, create_engine
from errors import WorkFailedError
from i18n import _
from storage.locks import FlockLockManager
from storage.segment_times import write_times
from storage.segments import SegmentStore
from tasks.cache_config import CacheConfig
from tasks.jobs import SegmentAudio, SegmentJob


class SynthesisError(WorkFailedError):
    """A segment the voice could not render; the message names the paragraph."""


_engine_lock = threading.Lock()


@cache
def _engine(voice: str, config: VoiceConfig) -> TTSEngine:
    return create_engine(voice, config)


def engine_for(voice: str, config: VoiceConfig) -> TTSEngine:
    """One engine per voice per process: models load once, however many segments a worker renders."""
    with _engine_lock:
        return _engine(voice, config)


SYNTHESIS_LIMIT = "lessonaudio-synthesis"
"""Name of the Prefect global concurrency limit that caps synthesis across all workers."""


def ensure_synthesis_limit(slots: int) -> None:
    """Create or resize the global limit; called by the flow before it submits any synthesis.

    Prefect's upsert reads, then creates: two renders starting at the same moment on different workers
    both find no limit, and the second create fails. That one then finds the limit the first made.
    """
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectAlreadyExists

    with get_client(sync_client=True) as client:
        try:
            client.upsert_global_concurrency_limit_by_name(SYNTHESIS_LIMIT, slots)
        except ObjectAlreadyExists:  # made meanwhile by a render on another worker
            client.upsert_global_concurrency_limit_by_name(SYNTHESIS_LIMIT, slots)


def render_segment(
    job: SegmentJob, store: SegmentStore, config: VoiceConfig, *, limited: bool = False
) -> SegmentAudio:
    """Synthesise and clean ``job`` into the store unless the store already has it.

    With ``limited``, the engine call (not cache hits) holds one slot of the global synthesis limit,
    so many workers together never run more syntheses than the machines have cores for.
    """
    fresh = not store.has(job.key)
    if fresh:
        engine = engine_for(job.voice.voice, config)
        try:
            with concurrency(SYNTHESIS_LIMIT, occupy=1, strict=True) if limited else nullcontext():
                audio = engine.synthesize(job.segment.tokens, job.prosody)
        except Exception as err:  # the engine's own message, tagged with where it happened
            raise SynthesisError(
                _("paragraph {paragraph}: could not synthesise \u201c{text}\u201d: {error}").format(
                    paragraph=job.paragraph, text=job.display_text, error=err
                )
            ) from err
        cleaned, start = clean_segment_at(audio.samples, audio.sample_rate)
        if cleaned.size == 0 or not np.isfinite(cleaned).all():
            raise SynthesisError(
                _(
                    "paragraph {paragraph}: the voice produced no audible speech for \u201c{text}\u201d"
                ).format(paragraph=job.paragraph, text=job.display_text)
            )
        try:
            if audio.times is not None:  # before the audio: audio in the store has its times
                times = audio.times.shifted(-start, cleaned.size)
                write_times(store.path(job.key), times.spans, times.source)
            store.put(job.key, cleaned, audio.sample_rate)
        except WriteError as err:  # a full or read-only cache: the file, the reason, and the way out
            raise SynthesisError(
                _("paragraph {paragraph}: {error}").format(paragraph=job.paragraph, error=err)
            ) from err
    samples_info = store.get_info(job.key)
    return SegmentAudio(
        job.key, str(store.path(job.key)), samples_info.sample_rate, samples_info.frames, fresh=fresh
    )


def _key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    job = parameters["job"]
    if isinstance(job, quote):  # the flow quotes jobs so Prefect does not walk their token tuples
        job = job.unquote()
    return f"segment-{cast(SegmentJob, job).key}"


@task(name="synthesize-segment", task_run_name="synthesize-p{job.paragraph}-s{job.index}", retries=1)
def synthesize_segment(
    job: SegmentJob, store_root: Path, config: VoiceConfig, limited: bool = False
) -> SegmentAudio:
    return render_segment(job, SegmentStore(store_root), config, limited=limited)


def lock_manager(cache_config: CacheConfig) -> LockManager:
    """flock for one machine (released by the kernel if a worker dies); Redis for several."""
    if cache_config.lock_url is None:
        return FlockLockManager(cache_config.root / "locks")
    from prefect_redis.locking import RedisLockManager

    manager: LockManager = RedisLockManager(connection_url=cache_config.lock_url)
    return manager


def cached_synthesis(cache_config: CacheConfig) -> Task[..., SegmentAudio]:
    """The synthesis task bound to a cache location, built at the flow's entry from settings."""
    policy = CacheKeyFnPolicy(cache_key_fn=_key).configure(
        key_storage=cache_config.root / "records",
        lock_manager=lock_manager(cache_config),
        isolation_level="SERIALIZABLE",
    )
    storage: str | Path = cache_config.result_storage or cache_config.root / "results"
    return synthesize_segment.with_options(cache_policy=policy, persist_result=True, result_storage=storage)
