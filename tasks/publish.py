"""Publishing as the last step of the render flow: a Prefect task with retries and backoff.

Entry points turn settings into a small frozen :class:`PublishConfig` (``wiring.publish_config``);
the task takes only that, so it can run anywhere Prefect puts it. Retries repeat the whole publish,
which is safe because a publish skips every object already present with the same sha256 and writes
``latest.json`` last. They are one loop (:func:`publish_with_retries`), run inside the task by the
flow and on its own by ``lessonaudio renders publish``, which should not start a Prefect server just
to copy a few files; Prefect's own task retries are not used, so the two cannot disagree.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from errors import WorkFailedError
from i18n import _
from storage.catalog import Catalog
from storage.objects import LocalObjectStore, ObjectStore, S3ObjectStore
from storage.publish import PublishInputError, PublishResult, publish_folder
from storage.segments import SegmentStore
from tasks.publish_config import LocalTarget as LocalTarget
from tasks.publish_config import PublishConfig as PublishConfig
from tasks.publish_config import PublishTarget as PublishTarget
from tasks.publish_config import S3Target as S3Target

log = logging.getLogger(__name__)

ObjectCallback = Callable[[str, bool], None]


class PublishFailed(WorkFailedError):
    """Publishing failed after its retries; the message says where to and why."""


def open_store(target: PublishTarget, folder: Path) -> ObjectStore:
    if isinstance(target, S3Target):
        return S3ObjectStore(target.s3)
    # {root}/{course}/{lesson_id}/{render_id}: in place means the render's own output root.
    return LocalObjectStore(target.root if target.root is not None else folder.resolve().parents[2])


def describe_target(target: PublishTarget) -> str:
    if isinstance(target, S3Target):
        bucket = f"s3://{target.s3.bucket}/{target.prefix}"
        if not target.s3.endpoint_url:
            return bucket
        return _("{bucket} at {endpoint}").format(bucket=bucket, endpoint=target.s3.endpoint_url)
    return _("the local output folder") if target.root is None else str(target.root)


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


def backoff_delays(retries: int, first_delay_s: float) -> list[float]:
    return [first_delay_s * 2**attempt for attempt in range(retries)]


def publish_with_retries(
    folder: Path,
    config: PublishConfig,
    on_object: ObjectCallback | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> PublishResult:
    """Publish, trying again after transient failures with ``config``'s retries and doubling delays."""
    delays = backoff_delays(config.retries, config.retry_delay_s)
    for attempt in range(config.retries + 1):
        try:
            return publish_render_now(folder, config.target, config.segments_root, on_object)
        except Exception as err:
            if attempt == config.retries or not is_retryable(err):
                raise
            log.warning(
                "publish attempt %d of %d failed (%s: %s); trying again in %.1f s",
                attempt + 1,
                config.retries + 1,
                type(err).__name__,
                err,
                delays[attempt],
            )
            sleep(delays[attempt])
    raise AssertionError("unreachable")


@task(name="publish-render", cache_policy=NO_CACHE)
def publish_render(
    folder: Path, config: PublishConfig, on_object: ObjectCallback | None = None
) -> PublishResult:
    """Publish one finished render folder, retrying transient failures: see :func:`publish_with_retries`."""
    return publish_with_retries(folder, config, on_object)


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


Publisher = Callable[[Path, PublishConfig, ObjectCallback | None], PublishResult]


def publish_and_record(
    folder: Path,
    config: PublishConfig,
    catalog: Catalog,
    render_pk: int,
    *,
    on_object: ObjectCallback | None = None,
    publisher: Publisher | None = None,
) -> PublishResult:
    """Publish (with retries) and record the outcome: published, or failed with the reason.

    ``publisher`` defaults to the Prefect task; ``lessonaudio renders publish`` passes
    :func:`publish_with_retries`, the same retries without Prefect.
    """
    run = publisher if publisher is not None else publish_render
    try:
        result = run(folder, config, on_object)
    except Exception as err:
        from i18n.failures import failure_reason

        cause = root_cause(err)
        reason = _("publish to {target} failed: {error}").format(
            target=describe_target(config.target), error=failure_reason(cause)
        )
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
