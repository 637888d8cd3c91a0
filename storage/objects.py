"""Object stores the publisher writes to: a local folder (the embedded default) and S3.

Both hold the same keys. An object is identified by the sha256 of its bytes, which the S3 store keeps
as ``x-amz-meta-sha256`` (and S3 itself checks with ``ChecksumSHA256``): a later publish can then
tell "already there" from "different bytes" with a HEAD and no download, which is what makes
re-publishing cheap and idempotent. Every upload is read back with a HEAD and compared before the
caller may point anything at it.

Objects that must be written once (content-addressed segments, a render's files) are created with
``If-None-Match: *``: three publishes that all found a segment missing upload it, but only the
first write lands and a versioned bucket keeps one version. Multipart uploads are driven here
rather than by boto3's transfer manager, which accepts no condition for the final
``CompleteMultipartUpload``; an upload that fails is aborted, so it leaves no parts behind.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import itertools
import logging
import os
import secrets
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Protocol

from errors import UnavailableError
from i18n import _

log = logging.getLogger(__name__)

_READ_CHUNK = 1 << 20
SHA256_META = "sha256"


class ObjectStoreError(UnavailableError):
    """An object could not be written or read back as written."""


class ChecksumMismatch(ObjectStoreError):
    """The store holds different bytes than were sent (corruption in transit or a racing writer)."""


class ObjectExists(ObjectStoreError):
    """A write that was to create an object found it already there (``if_absent``)."""


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    key: str
    size: int
    sha256: str | None
    """Hex sha256 of the content, or None when the store cannot say (an object we did not write)."""


class ObjectStore(Protocol):
    """Where published renders live; keys are ``/``-separated and relative to the store's root."""

    def describe(self) -> str:
        """Where this store writes, for messages and the catalog (``s3://bucket/prefix``, a folder)."""
        ...

    def head(self, key: str) -> ObjectInfo | None: ...

    def put_file(
        self,
        key: str,
        path: Path,
        *,
        content_type: str,
        sha256: str,
        cache_control: str | None = None,
        if_absent: bool = False,
    ) -> int:
        """Store ``path`` at ``key`` and verify it; returns the bytes transferred.

        ``if_absent``: create only; raises :class:`ObjectExists` if the key appeared meanwhile.
        """
        ...

    def put_bytes(
        self, key: str, data: bytes, *, content_type: str, cache_control: str | None = None
    ) -> None: ...

    def get_bytes(self, key: str) -> bytes | None: ...

    def get_tagged(self, key: str) -> tuple[bytes, str] | None:
        """The object's bytes and a tag for :meth:`put_if` (absent: None)."""
        ...

    def put_if(
        self, key: str, data: bytes, *, tag: str | None, content_type: str, cache_control: str | None = None
    ) -> bool:
        """Write only if the object still has ``tag`` (``None``: still absent); False if it changed.

        Publishing moves ``latest.json`` with this, so two publishes of one lesson at the same moment
        cannot let the older render's pointer land last.
        """
        ...

    def list_keys(self, prefix: str = "") -> list[str]: ...

    def abort_stale_uploads(self, prefix: str) -> int:
        """Drop unfinished uploads under ``prefix`` that a killed publish left; how many went."""
        ...


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def join_key(*parts: str) -> str:
    """Join key parts with ``/``, dropping empty parts and stray slashes (an empty prefix adds nothing)."""
    return "/".join(p.strip("/") for p in parts if p.strip("/"))


def _check_key(key: str) -> PurePosixPath:
    path = PurePosixPath(key)
    if not key or path.is_absolute() or any(part in ("", ".", "..") for part in key.split("/")):
        raise ObjectStoreError(_("invalid object key {key}").format(key=repr(key)))
    return path


# -- local folder -----------------------------------------------------------------------------------


class LocalObjectStore:
    """Keys are files under ``root``. Writes go to a hidden temp file renamed into place (atomic).

    When the source already is the destination (the render folder inside the output root), a put only
    verifies the file: local "publishing" of a render in place copies nothing.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def describe(self) -> str:
        return str(self.root.resolve())

    def path(self, key: str) -> Path:
        return self.root.joinpath(*_check_key(key).parts)

    def head(self, key: str) -> ObjectInfo | None:
        path = self.path(key)
        if not path.is_file():
            return None
        return ObjectInfo(key, path.stat().st_size, sha256_file(path))

    def put_file(
        self,
        key: str,
        path: Path,
        *,
        content_type: str,
        sha256: str,
        cache_control: str | None = None,
        if_absent: bool = False,
    ) -> int:
        """``if_absent`` changes nothing here: a folder keeps no versions, and the rename puts the
        same bytes in place as the publish that came first."""
        dest = self.path(key)
        if dest.is_file() and dest.samefile(path):
            if sha256_file(dest) != sha256:
                raise ChecksumMismatch(_("{path}: content changed while publishing").format(path=dest))
            return 0

        def copy(out: BinaryIO) -> None:
            with path.open("rb") as src:
                shutil.copyfileobj(src, out, _READ_CHUNK)

        def verify(tmp: Path) -> None:
            if sha256_file(tmp) != sha256:
                raise ChecksumMismatch(
                    _("{key}: copy of {path} does not match its sha256").format(key=key, path=path)
                )

        _replace_atomically(dest, copy, verify)
        return dest.stat().st_size

    def put_bytes(
        self, key: str, data: bytes, *, content_type: str, cache_control: str | None = None
    ) -> None:
        dest = self.path(key)
        _replace_atomically(dest, lambda out: out.write(data))
        _fsync_dir(dest.parent)

    def get_bytes(self, key: str) -> bytes | None:
        path = self.path(key)
        return path.read_bytes() if path.is_file() else None

    def get_tagged(self, key: str) -> tuple[bytes, str] | None:
        data = self.get_bytes(key)
        return None if data is None else (data, hashlib.sha256(data).hexdigest())

    def put_if(
        self, key: str, data: bytes, *, tag: str | None, content_type: str, cache_control: str | None = None
    ) -> bool:
        """Compare and write under an flock on a hidden lock file beside the object (one machine)."""
        dest = self.path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest.parent / f".{dest.name}.lock", "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            current = self.get_tagged(key)
            if (current[1] if current is not None else None) != tag:
                return False
            self.put_bytes(key, data, content_type=content_type, cache_control=cache_control)
            return True

    def list_keys(self, prefix: str = "") -> list[str]:
        return sorted(key for key in self._walk() if key.startswith(prefix))

    def abort_stale_uploads(self, prefix: str) -> int:
        """A folder has no multipart uploads."""
        return 0

    def _walk(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in self.root.rglob("*"):
            rel = path.relative_to(self.root)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                yield rel.as_posix()


def _replace_atomically(
    dest: Path, write: Callable[[BinaryIO], object], check: Callable[[Path], None] | None = None
) -> None:
    """Write ``dest`` through a hidden temp file beside it, synced, checked, then renamed over it:
    a reader sees the old object or the whole new one, and a failed write leaves no temp file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".{dest.name}.{secrets.token_hex(4)}.tmp"
    try:
        with tmp.open("wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        if check is not None:
            check(tmp)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- S3 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S3Settings:
    """How to reach a bucket; credentials always come from the standard AWS chain (env, profile, role)."""

    bucket: str
    endpoint_url: str | None = None
    region: str | None = None
    addressing_style: str = "auto"
    multipart_threshold: int = 16 * 1024 * 1024
    multipart_chunksize: int = 8 * 1024 * 1024
    max_attempts: int = 3
    """botocore's own quick retries per request; the publish task retries the whole publish on top."""
    connect_timeout_s: float = 5.0
    stale_upload_s: float = 3600.0
    """Unfinished multipart uploads older than this under a lesson being published are aborted: a
    killed publish leaves them (billed storage, invisible in listings). A live upload of one lesson
    file never takes an hour, so a concurrent publish's upload is never cut off."""


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def part_size(size: int, settings: S3Settings) -> int:
    """The part size for a ``size``-byte upload: the configured one, raised to S3's limits (at least
    5 MiB, at most 10,000 parts) as boto3 raises it."""
    from s3transfer.utils import ChunksizeAdjuster

    return int(ChunksizeAdjuster().adjust_chunksize(settings.multipart_chunksize, size))


def s3_checksum(path: Path, size: int, settings: S3Settings) -> str:
    """The ``ChecksumSHA256`` S3 will report for ``path`` uploaded with ``settings``.

    One part: base64 sha256 of the bytes. Multipart: base64 sha256 of the concatenated part digests
    (S3's "composite" checksum), with parts cut by :func:`part_size`.
    """
    if size < settings.multipart_threshold:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(_READ_CHUNK):
                digest.update(chunk)
        return _b64(digest.digest())
    part_bytes = part_size(size, settings)
    parts = hashlib.sha256()
    with path.open("rb") as handle:
        while part := handle.read(part_bytes):
            parts.update(hashlib.sha256(part).digest())
    return _b64(parts.digest())


def _strip_parts(checksum: str) -> str:
    """Real S3 reports a composite checksum as ``<base64>-<parts>``; some servers omit the suffix."""
    head, sep, tail = checksum.rpartition("-")
    return head if sep and tail.isdigit() else checksum


def _error_code(error: Exception) -> str | None:
    from botocore.exceptions import ClientError

    if not isinstance(error, ClientError):
        return None
    return str(error.response.get("Error", {}).get("Code", ""))


def _is_missing(error: Exception) -> bool:
    return _error_code(error) in {"404", "NoSuchKey", "NotFound"}


_LOST_RACE = frozenset({"PreconditionFailed", "ConditionalRequestConflict", "412", "409"})
"""A conditional write lost: the object exists (or changed), or another conditional write is running."""
_NO_CONDITIONS = frozenset({"NotImplemented", "501"})
"""The endpoint does not do conditional writes (older MinIO, Ceph): write without the condition."""

_UNABORTED: set[tuple[str, str, str]] = set()
"""(bucket, key, upload id) of uploads this process gave up and could not abort (endpoint down)."""
_UNABORTED_LOCK = threading.Lock()


class S3ObjectStore:
    """A bucket on AWS S3 or any S3-compatible endpoint (MinIO, Ceph, R2, moto)."""

    def __init__(self, settings: S3Settings, client: Any | None = None) -> None:
        self.settings = settings
        self._client: Any = client if client is not None else make_s3_client(settings)

    def describe(self) -> str:
        where = f" at {self.settings.endpoint_url}" if self.settings.endpoint_url else ""
        return f"s3://{self.settings.bucket}{where}"

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            response: dict[str, Any] = self._client.head_object(
                Bucket=self.settings.bucket, Key=key, ChecksumMode="ENABLED"
            )
        except Exception as err:
            if _is_missing(err):
                return None
            raise
        return response

    def head(self, key: str) -> ObjectInfo | None:
        response = self._head(key)
        if response is None:
            return None
        metadata: dict[str, str] = response.get("Metadata") or {}
        return ObjectInfo(key, int(response["ContentLength"]), metadata.get(SHA256_META))

    def _verify(self, key: str, size: int, sha256: str, checksum: str) -> None:
        response = self._head(key)
        if response is None:
            raise ObjectStoreError(
                _("{uri} is missing right after its upload").format(uri=f"s3://{self.settings.bucket}/{key}")
            )
        metadata: dict[str, str] = response.get("Metadata") or {}
        if int(response["ContentLength"]) != size or metadata.get(SHA256_META) != sha256:
            raise ChecksumMismatch(
                _("{uri}: stored object differs from the upload").format(
                    uri=f"s3://{self.settings.bucket}/{key}"
                )
            )
        reported = response.get("ChecksumSHA256")
        if reported and _strip_parts(str(reported)) != checksum:
            raise ChecksumMismatch(
                _("{uri}: ChecksumSHA256 {reported} != expected {expected}").format(
                    uri=f"s3://{self.settings.bucket}/{key}", reported=reported, expected=checksum
                )
            )

    def put_file(
        self,
        key: str,
        path: Path,
        *,
        content_type: str,
        sha256: str,
        cache_control: str | None = None,
        if_absent: bool = False,
    ) -> int:
        size = path.stat().st_size
        extra: dict[str, Any] = {"ContentType": content_type, "Metadata": {SHA256_META: sha256}}
        if cache_control:
            extra["CacheControl"] = cache_control
        condition = {"IfNoneMatch": "*"} if if_absent else {}
        try:
            self._upload(key, path, size, extra, condition)
        except Exception as err:
            code = _error_code(err)
            if condition and code in _LOST_RACE:
                raise ObjectExists(
                    _("{uri} already exists").format(uri=f"s3://{self.settings.bucket}/{key}")
                ) from err
            if not condition or code not in _NO_CONDITIONS:
                raise
            self._upload(key, path, size, extra, {})
        self._verify(key, size, sha256, s3_checksum(path, size, self.settings))
        return size

    def _upload(
        self, key: str, path: Path, size: int, extra: dict[str, Any], condition: dict[str, str]
    ) -> None:
        if size < self.settings.multipart_threshold:
            with path.open("rb") as body:
                self._client.put_object(
                    Bucket=self.settings.bucket,
                    Key=key,
                    Body=body,
                    ChecksumAlgorithm="SHA256",
                    **extra,
                    **condition,
                )
            return
        self._upload_parts(key, path, size, extra, condition)

    def _upload_parts(
        self, key: str, path: Path, size: int, extra: dict[str, Any], condition: dict[str, str]
    ) -> None:
        """A multipart upload that is completed, or aborted whatever stopped it (an error, Ctrl-C, or
        Prefect cancelling the run)."""
        bucket = self.settings.bucket
        upload_id = self._client.create_multipart_upload(
            Bucket=bucket, Key=key, ChecksumAlgorithm="SHA256", **extra
        )["UploadId"]
        try:
            parts: list[dict[str, Any]] = []
            sent = 0
            part_bytes = part_size(size, self.settings)
            with path.open("rb") as handle:
                for number in itertools.count(1):
                    chunk = handle.read(part_bytes)
                    if not chunk:
                        break
                    digest = _b64(hashlib.sha256(chunk).digest())
                    response = self._client.upload_part(
                        Bucket=bucket,
                        Key=key,
                        UploadId=upload_id,
                        PartNumber=number,
                        Body=chunk,
                        ChecksumSHA256=digest,
                    )
                    parts.append({"PartNumber": number, "ETag": response["ETag"], "ChecksumSHA256": digest})
                    sent += len(chunk)
            if sent != size:
                raise ObjectStoreError(
                    _("{path} changed size while it was uploaded ({size} → {sent} bytes)").format(
                        path=path, size=size, sent=sent
                    )
                )
            self._client.complete_multipart_upload(
                Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}, **condition
            )
        except BaseException:
            self._abort(key, upload_id)
            raise

    def _abort(self, key: str, upload_id: str) -> bool:
        """Best effort. With the endpoint down the abort fails too; the upload is then remembered
        and aborted by the next :meth:`abort_stale_uploads` in this process (a publish's retry)."""
        try:
            self._client.abort_multipart_upload(Bucket=self.settings.bucket, Key=key, UploadId=upload_id)
        except Exception as err:
            if _error_code(err) == "NoSuchUpload":
                return True
            log.warning("could not abort the upload of s3://%s/%s: %s", self.settings.bucket, key, err)
            with _UNABORTED_LOCK:
                _UNABORTED.add((self.settings.bucket, key, upload_id))
            return False
        return True

    def abort_stale_uploads(self, prefix: str) -> int:
        """Abort unfinished uploads under ``prefix``: those this process failed to abort, and those
        started more than ``stale_upload_s`` ago (a killed publish's).

        Best effort: a policy without ``s3:ListBucketMultipartUploads`` must not stop a publish, and
        the bucket's lifecycle rule is the backstop.
        """
        bucket = self.settings.bucket
        with _UNABORTED_LOCK:
            ours = [u for u in _UNABORTED if u[0] == bucket and u[1].startswith(prefix)]
            _UNABORTED.difference_update(ours)
        aborted = sum(self._abort(key, upload_id) for _unused, key, upload_id in ours)
        cutoff = datetime.now(UTC) - timedelta(seconds=self.settings.stale_upload_s)
        try:
            pages = self._client.get_paginator("list_multipart_uploads").paginate(
                Bucket=bucket, Prefix=prefix
            )
            for page in pages:
                for upload in page.get("Uploads", []):
                    if upload["Initiated"] <= cutoff:
                        aborted += self._abort(str(upload["Key"]), str(upload["UploadId"]))
        except Exception as err:
            log.warning("could not list unfinished uploads under s3://%s/%s: %s", bucket, prefix, err)
        return aborted

    def put_bytes(
        self, key: str, data: bytes, *, content_type: str, cache_control: str | None = None
    ) -> None:
        self._put(key, data, content_type=content_type, cache_control=cache_control)

    def _put(
        self, key: str, data: bytes, *, content_type: str, cache_control: str | None, **condition: str
    ) -> None:
        digest = hashlib.sha256(data)
        extra: dict[str, Any] = {"CacheControl": cache_control} if cache_control else {}
        self._client.put_object(
            Bucket=self.settings.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            ChecksumSHA256=_b64(digest.digest()),
            Metadata={SHA256_META: digest.hexdigest()},
            **extra,
            **condition,
        )
        self._verify(key, len(data), digest.hexdigest(), _b64(digest.digest()))

    def get_bytes(self, key: str) -> bytes | None:
        found = self.get_tagged(key)
        return None if found is None else found[0]

    def get_tagged(self, key: str) -> tuple[bytes, str] | None:
        try:
            response = self._client.get_object(Bucket=self.settings.bucket, Key=key)
        except Exception as err:
            if _is_missing(err):
                return None
            raise
        return bytes(response["Body"].read()), str(response["ETag"])

    def put_if(
        self, key: str, data: bytes, *, tag: str | None, content_type: str, cache_control: str | None = None
    ) -> bool:
        """S3 conditional writes: ``If-Match`` the ETag read, or ``If-None-Match: *`` to create.

        An endpoint that does not implement them gets a plain write, which is what every publish did
        before: the race this closes is then open again, and nothing else changes.
        """
        condition = {"IfMatch": tag} if tag is not None else {"IfNoneMatch": "*"}
        try:
            self._put(key, data, content_type=content_type, cache_control=cache_control, **condition)
        except Exception as err:
            code = _error_code(err)
            if code in _LOST_RACE:
                return False
            if code not in _NO_CONDITIONS:
                raise
            self.put_bytes(key, data, content_type=content_type, cache_control=cache_control)
        return True

    def list_keys(self, prefix: str = "") -> list[str]:
        paginator = self._client.get_paginator("list_objects_v2")
        keys: list[str] = []
        for page in paginator.paginate(Bucket=self.settings.bucket, Prefix=prefix):
            keys.extend(str(item["Key"]) for item in page.get("Contents", []))
        return sorted(keys)


def make_s3_client(settings: S3Settings) -> Any:
    """A boto3 S3 client; endpoint and region fall back to AWS_ENDPOINT_URL / AWS_REGION and config."""
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"max_attempts": settings.max_attempts, "mode": "standard"},
        connect_timeout=settings.connect_timeout_s,
        read_timeout=60,
        s3={"addressing_style": settings.addressing_style},
    )
    return boto3.session.Session().client(
        "s3", endpoint_url=settings.endpoint_url, region_name=settings.region, config=config
    )
