"""The inbox: a local folder or an S3 prefix where content teams drop lesson scripts.

A script is identified by where it sits and what it says (sha256 of its bytes), so the scanner submits
a render when a script is new or changed, and never again for the same bytes. Scripts are read through
the same ``ObjectStore`` interface the publisher uses, so a folder and a bucket behave alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lesson_specs import Diagnostic, LessonSpec, SpecError, load_spec, load_spec_file
from storage.catalog import Catalog
from storage.db.inbox_items import InboxItem
from storage.objects import LocalObjectStore, ObjectStore, ObjectStoreError, S3ObjectStore, S3Settings

SCRIPT_SUFFIXES = (".yaml", ".yml")
REPORT_SUFFIX = ".errors.txt"


class InboxError(Exception):
    """An inbox location that cannot be used (bad URI, unreadable script)."""


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

    def script_uri(self, key: str) -> str:
        """What the render flow is given: a file path, or an ``s3://`` URI it can fetch."""
        if self.bucket is None:
            return str(Path(self.root) / key)
        return f"s3://{self.bucket}/{key}"


@dataclass(frozen=True, slots=True)
class InboxScript:
    key: str
    """Store key: relative path in the folder, or full key in the bucket."""
    sha256: str
    data: bytes


def open_inbox_store(location: InboxLocation, s3: S3Settings | None) -> ObjectStore:
    """The store to read the inbox through; an S3 inbox reuses the endpoint settings of publishing."""
    if location.bucket is None:
        return LocalObjectStore(Path(location.root))
    return S3ObjectStore(replace(s3 or S3Settings(bucket=location.bucket), bucket=location.bucket))


def list_scripts(store: ObjectStore, location: InboxLocation) -> list[InboxScript]:
    """Every ``*.yaml``/``*.yml`` under the inbox (sorted by key), with its content hash."""
    prefix = "" if location.bucket is None else (f"{location.root}/" if location.root else "")
    found: list[InboxScript] = []
    for key in sorted(store.list_keys(prefix)):
        name = key.rsplit("/", 1)[-1]
        if not key.endswith(SCRIPT_SUFFIXES) or name.startswith("."):
            continue
        data = store.get_bytes(key)
        if data is None:  # removed between listing and reading
            continue
        found.append(InboxScript(key, hashlib.sha256(data).hexdigest(), data))
    return found


def write_rejection(store: ObjectStore, key: str, report: str) -> str:
    """Put the validation report beside the script (``lesson.yaml.errors.txt``); returns its key."""
    report_key = key + REPORT_SUFFIX
    store.put_bytes(report_key, report.encode("utf-8"), content_type="text/plain; charset=utf-8")
    return report_key


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


def load_script(uri: str, s3: S3Settings | None) -> LessonSpec:
    """The lesson at a file path or ``s3://bucket/key``: what a ``render-lesson`` run is given.

    Raises only ``SpecError`` (an unreadable script is reported like a malformed one), so callers
    have one failure to handle however the script was stored.
    """
    if not uri.startswith("s3://"):
        return load_spec_file(Path(uri))
    bucket, _, key = uri[len("s3://") :].partition("/")
    store = S3ObjectStore(replace(s3 or S3Settings(bucket=bucket), bucket=bucket))
    try:
        data = store.get_bytes(key)
    except ObjectStoreError as err:
        data, reason = None, str(err)
    else:
        reason = "no such object"
    if data is None:
        raise SpecError([Diagnostic(uri, 1, 1, f"cannot read script: {reason}", "check the bucket and key")])
    return load_spec(data, source=uri)
