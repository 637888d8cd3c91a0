"""Publishing as the last step of the render flow: a Prefect task with retries and backoff.

Entry points turn settings into small frozen values here (:func:`publish_config`,
:func:`database_config`); the task itself takes only those, so it can run anywhere Prefect puts it.
Retries repeat the whole publish, which is safe because a publish skips every object already present
with the same sha256 and writes ``latest.json`` last.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import Task, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun

from config import Settings
from errors import WorkFailedError
from storage.catalog import Catalog
from storage.objects import LocalObjectStore, ObjectStore, S3ObjectStore, S3Settings
from storage.publish import PublishInputError, PublishResult, publish_folder
from storage.segments import SegmentStore, segment_store_root

ObjectCallback = Callable[[str, bool], None]


class PublishFailed(WorkFailedError):
    """Publishing failed after its retries; the message says where to and why."""


@dataclass(frozen=True, slots=True)
class LocalTarget:
    root: Path | None = None
    """Store root; None publishes in place, in the output root the render was written to."""
    prefix: str = ""


@dataclass(frozen=True, slots=True)
class S3Target:
    s3: S3Settings
    prefix: str = ""


PublishTarget = LocalTarget | S3Target


@dataclass(frozen=True, slots=True)
class PublishConfig:
    target: PublishTarget
    segments_root: Path | None = None
    """The segment store (``<cache_dir>/segment-cache/segments``) whose FLACs go under ``segments/``."""
    retries: int = 3
    retry_delay_s: float = 2.0
    """Delay before the first retry; each later retry waits twice as long as the one before."""


def segments_root(settings: Settings) -> Path:
    return segment_store_root(settings.cache_dir)


def s3_settings_for(settings: Settings, bucket: str) -> S3Settings:
    """How to reach ``bucket`` with the configured endpoint; shared by publishing and the S3 inbox."""
    mib = 1024 * 1024
    return S3Settings(
        bucket=bucket,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        addressing_style=settings.s3_addressing_style,
        multipart_threshold=settings.s3_multipart_threshold_mb * mib,
        multipart_chunksize=max(8 * mib, settings.s3_multipart_threshold_mb * mib // 2),
    )


def publish_config(settings: Settings) -> PublishConfig:
    """S3 when ``LESSONAUDIO_S3_BUCKET`` is set, else the local output folder in place."""
    target: PublishTarget
    if settings.s3_bucket:
        target = S3Target(s3_settings_for(settings, settings.s3_bucket), prefix=settings.s3_prefix.strip("/"))
    else:
        target = LocalTarget()
    return PublishConfig(
        target=target,
        segments_root=segments_root(settings),
        retries=settings.publish_retries,
        retry_delay_s=settings.publish_retry_delay_s,
    )


def open_store(target: PublishTarget, folder: Path) -> ObjectStore:
    if isinstance(target, S3Target):
        return S3ObjectStore(target.s3)
    # {root}/{course}/{lesson_id}/{render_id}: in place means the render's own output root.
    return LocalObjectStore(target.root if target.root is not None else folder.resolve().parents[2])


def describe_target(target: PublishTarget) -> str:
    if isinstance(target, S3Target):
        where = f" at {target.s3.endpoint_url}" if target.s3.endpoint_url else ""
        return f"s3://{target.s3.bucket}/{target.prefix}{where}"
    return "the local output folder" if target.root is None else str(target.root)


def publish_render_now(
    folder: Path,
    target: PublishTarget,
    segments_root: Path | None = None,
    on_object: ObjectCallback | None = None,
) -> PublishResult:
    """Publish without Prefect (tests, scripts): one attempt, no retries."""
    store = open_store(target, folder)
    segments = SegmentStore(segments_root) if segments_root is not None else None
    return publish_folder(folder, store, prefix=target.prefix, segments=segments, on_object=on_object)


_NOT_RETRYABLE_CODES = frozenset(
    {"NoSuchBucket", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidBucketName"}
)


def is_retryable(error: BaseException) -> bool:
    """Transient failures (network, 5xx, checksum mismatch) are retried; configuration errors are not.

    boto3's upload wraps the client error (``S3UploadFailedError``), so the whole chain is examined.
    """
    from botocore.exceptions import ClientError, NoCredentialsError

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, PublishInputError | NoCredentialsError):
            return False
        if isinstance(seen, ClientError):
            return str(seen.response.get("Error", {}).get("Code", "")) not in _NOT_RETRYABLE_CODES
        seen = seen.__cause__ or seen.__context__
    return True


def _retry_condition(task: Task[..., Any], task_run: TaskRun, state: State[Any]) -> bool:
    error = state.data
    return not isinstance(error, BaseException) or is_retryable(error)


@task(name="publish-render", cache_policy=NO_CACHE, retry_condition_fn=_retry_condition)
def publish_render(
    folder: Path,
    target: PublishTarget,
    segments_root: Path | None = None,
    on_object: ObjectCallback | None = None,
) -> PublishResult:
    """Publish one finished render folder; see :func:`storage.publish.publish_folder`."""
    return publish_render_now(folder, target, segments_root, on_object)


def backoff_delays(retries: int, first_delay_s: float) -> list[float]:
    return [first_delay_s * 2**attempt for attempt in range(retries)]


def publish_with_retries(
    folder: Path,
    target: PublishTarget,
    segments_root: Path | None = None,
    on_object: ObjectCallback | None = None,
    *,
    retries: int = 3,
    retry_delay_s: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> PublishResult:
    """The same retries and backoff as the task, without Prefect: for ``lessonaudio renders publish``,
    which should not start a Prefect server just to copy a few files."""
    delays = backoff_delays(retries, retry_delay_s)
    for attempt in range(retries + 1):
        try:
            return publish_render_now(folder, target, segments_root, on_object)
        except Exception as err:
            if attempt == retries or not is_retryable(err):
                raise
            sleep(delays[attempt])
    raise AssertionError("unreachable")


def root_cause(error: BaseException) -> BaseException:
    """The telling error of a chain: boto3 wraps the S3 error (NoSuchBucket) in ``S3UploadFailedError``,
    and below botocore's own errors there is only socket detail."""
    from botocore.exceptions import BotoCoreError, ClientError

    telling = error
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ClientError | BotoCoreError):
            telling = seen
        seen = seen.__cause__ or seen.__context__
    return telling


def publish_task(config: PublishConfig) -> Task[..., PublishResult]:
    """The publish task with the configured retries and exponential backoff (±20 % jitter)."""
    return publish_render.with_options(
        retries=config.retries,
        retry_delay_seconds=backoff_delays(config.retries, config.retry_delay_s),
        retry_jitter_factor=0.2,
    )


Publisher = Callable[[Path, PublishTarget, Path | None, ObjectCallback | None], PublishResult]


def publish_and_record(
    folder: Path,
    config: PublishConfig,
    catalog: Catalog,
    render_pk: int,
    *,
    on_object: ObjectCallback | None = None,
    publisher: Publisher | None = None,
) -> PublishResult:
    """Publish (the task, with retries) and record the outcome: published, or failed with the reason.

    ``publisher`` defaults to the Prefect task; tests pass :func:`publish_render_now`.
    """
    run = publisher if publisher is not None else publish_task(config)
    try:
        result = run(folder, config.target, config.segments_root, on_object)
    except Exception as err:
        cause = root_cause(err)
        reason = f"publish to {describe_target(config.target)} failed: {type(cause).__name__}: {cause}"
        catalog.record_render_failed(render_pk, reason)
        raise PublishFailed(reason) from err
    catalog.record_published(
        render_pk,
        result.keys,
        latest_key=result.latest_key,
        store=result.store,
        bytes_uploaded=result.bytes_uploaded,
    )
    return result
