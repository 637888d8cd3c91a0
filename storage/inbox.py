"""The inbox: a local folder or an S3 prefix where content teams drop lesson scripts.

A script is identified by where it sits and what it says (sha256 of its bytes), so the scanner submits
a render when a script is new or changed, and never again for the same bytes. What a render is given
is not the script's own path, which a teacher may be saving again at that moment, but a
content-addressed copy of the bytes the scan hashed, with that hash to check
(``storage.inbox_files.SNAPSHOTS``): the render renders exactly what was validated and recorded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lesson_specs import MAX_SCRIPT_BYTES, Diagnostic, LessonSpec, SpecError, load_spec
from lesson_specs.loader import oversize_diagnostic, read_script_file
from storage.catalog import Catalog
from storage.db.inbox_items import InboxItem
from storage.inbox_bucket import BucketInbox, error_code, read_bounded
from storage.inbox_files import InboxFiles
from storage.inbox_folder import FolderInbox
from storage.objects import S3Settings, make_s3_client


class InboxError(Exception):
    """An inbox location that cannot be used (a bad URI)."""


@dataclass(frozen=True, slots=True)
class InboxLocation:
    """``/path/to/folder`` or ``s3://bucket/prefix``; ``uri`` is the canonical spelling stored in the DB."""

    uri: str
    bucket: str | None
    root: str
    """The folder (local) or the key prefix inside the bucket (S3, no leading slash)."""

    @classmethod
    def parse(cls, where: str) -> InboxLocation:
        if where.startswith("s3://"):
            bucket, _, prefix = where[len("s3://") :].partition("/")
            if not bucket:
                raise InboxError(f"inbox {where!r} names no bucket; write s3://bucket/prefix")
            prefix = prefix.strip("/")
            return cls(f"s3://{bucket}/{prefix}".rstrip("/"), bucket, prefix)
        if "://" in where:
            raise InboxError(f"inbox {where!r}: use a folder path or s3://bucket/prefix")
        folder = Path(where).expanduser().resolve()
        return cls(str(folder), None, str(folder))


@dataclass(frozen=True, slots=True)
class InboxScript:
    key: str
    """Store key: relative path in the folder, or full key in the bucket."""
    sha256: str
    data: bytes


def open_inbox_store(location: InboxLocation, s3: S3Settings | None) -> InboxFiles:
    """The inbox's files; an S3 inbox reuses the endpoint settings of publishing."""
    if location.bucket is None:
        return FolderInbox(Path(location.root))
    return BucketInbox(
        replace(s3 or S3Settings(bucket=location.bucket), bucket=location.bucket), location.root
    )


class InboxLedger:
    """What the scanner has handled, in the catalog database (``inbox_items``)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def handled(self, location: InboxLocation, script: InboxScript) -> InboxItem | None:
        with self.catalog.session() as session:
            return session.scalar(
                select(InboxItem).where(
                    InboxItem.inbox == location.uri,
                    InboxItem.key == script.key,
                    InboxItem.sha256 == script.sha256,
                )
            )

    def record(self, location: InboxLocation, script: InboxScript, status: str, detail: str | None) -> None:
        """Insert once; a concurrent scan that recorded the same bytes first wins (unique key)."""
        item = InboxItem(
            inbox=location.uri, key=script.key, sha256=script.sha256, status=status, detail=detail
        )
        try:
            with self.catalog.session() as session:
                session.add(item)
        except IntegrityError:
            pass


def load_script(uri: str, s3: S3Settings | None, *, expected_sha256: str | None = None) -> LessonSpec:
    """The lesson at a file path or ``s3://bucket/key``: what a ``render-lesson`` run is given.

    With ``expected_sha256`` (the inbox passes the hash it recorded), bytes that are not those are
    refused: a render never renders a script other than the one that was validated and submitted.
    Raises only ``SpecError`` (an unreadable script is reported like a malformed one), so callers
    have one failure to handle however the script was stored.
    """
    data = read_script_file(Path(uri)) if not uri.startswith("s3://") else _read_object(uri, s3)
    if expected_sha256 is not None and hashlib.sha256(data).hexdigest() != expected_sha256.lower():
        raise SpecError(
            [
                Diagnostic(
                    uri,
                    1,
                    1,
                    f"the script is not the version submitted (sha256 {expected_sha256[:12]}…)",
                    "submit it again; the inbox does so once the changed file has settled",
                )
            ]
        )
    return load_spec(data, source=uri)


def _read_object(uri: str, s3: S3Settings | None) -> bytes:
    """At most ``MAX_SCRIPT_BYTES + 1`` bytes of an S3 object; a larger one is refused unread."""
    bucket, _, key = uri[len("s3://") :].partition("/")
    settings = replace(s3 or S3Settings(bucket=bucket), bucket=bucket)
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        response = make_s3_client(settings).get_object(Bucket=bucket, Key=key)
    except (BotoCoreError, ClientError) as err:
        code = error_code(err)
        reason = "no such object" if code in ("NoSuchKey", "404", "NotFound") else str(err)
        raise SpecError(
            [Diagnostic(uri, 1, 1, f"cannot read script: {reason}", "check the bucket and key")]
        ) from None
    size = int(response.get("ContentLength", 0))
    if size > MAX_SCRIPT_BYTES:
        response["Body"].close()
        raise SpecError([oversize_diagnostic(uri, size)])
    return read_bounded(response)
