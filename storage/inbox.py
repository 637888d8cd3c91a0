"""The inbox: a local folder or an S3 prefix where content teams drop lesson scripts.

A script is identified by where it sits and what it says (sha256 of its bytes), so the scanner submits
a render when a script is new or changed, and never again for the same bytes. What a render is given
is not the script's own path, which a teacher may be saving again at that moment, but a
content-addressed copy of the bytes the scan hashed, with that hash to check
(``storage.inbox_files.SNAPSHOTS``): the render renders exactly what was validated and recorded.

A script's course lexicon is part of what it says: the scan snapshots the lexicon bytes it validated
with in the same way, the render is given both, and the ledger keys on the pair, so editing a course
lexicon submits again every script that uses it and no other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from errors import InputError
from i18n import N_, _
from lesson_specs import MAX_SCRIPT_BYTES, Diagnostic, LessonSpec, SpecError, load_spec
from lesson_specs.course_lexicon import (
    AUTO_NAMES,
    MAX_LEXICON_BYTES,
    LexiconFile,
    LexiconSource,
    LexiconUnavailable,
    check_reference,
    resolve_key,
)
from lesson_specs.loader import folder_lexicons, oversize_diagnostic, read_script_file
from storage.catalog import Catalog
from storage.db.inbox_items import RENDERED, RESUBMITTING, SKIPPED, SUBMITTED, InboxItem
from storage.db.models import utcnow
from storage.inbox_bucket import BucketInbox, error_code, read_bounded
from storage.inbox_files import InboxFiles, Skipped
from storage.inbox_folder import FolderInbox
from storage.objects import S3Settings, make_s3_client


class InboxError(InputError):
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
            bucket, _sep, prefix = where[len("s3://") :].partition("/")
            if not bucket:
                raise InboxError(
                    _("inbox {where} names no bucket; write s3://bucket/prefix").format(where=repr(where))
                )
            prefix = prefix.strip("/")
            return cls(f"s3://{bucket}/{prefix}".rstrip("/"), bucket, prefix)
        if "://" in where:
            raise InboxError(
                _("inbox {where}: use a folder path or s3://bucket/prefix").format(where=repr(where))
            )
        folder = Path(where).expanduser().resolve()
        return cls(str(folder), None, str(folder))


@dataclass(frozen=True, slots=True)
class InboxScript:
    key: str
    """Store key: relative path in the folder, or full key in the bucket."""
    sha256: str
    data: bytes
    lexicon_sha256: str | None = None
    """The course lexicon the script was validated with, if any."""

    @property
    def version(self) -> str:
        """What the ledger records: the script's hash, or the hash of script and lexicon together."""
        if self.lexicon_sha256 is None:
            return self.sha256  # rows written before course lexicons existed stay valid
        return hashlib.sha256(f"{self.sha256}+{self.lexicon_sha256}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LexiconSnapshot:
    """The copy of a course lexicon a render reads, and the hash its bytes must have."""

    uri: str
    sha256: str


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
                    InboxItem.sha256 == script.version,
                )
            )

    def record(self, location: InboxLocation, script: InboxScript, status: str, detail: str | None) -> None:
        """Insert once; a concurrent scan that recorded the same bytes first wins (unique key)."""
        item = InboxItem(
            inbox=location.uri, key=script.key, sha256=script.version, status=status, detail=detail
        )
        try:
            with self.catalog.session() as session:
                session.add(item)
        except IntegrityError:
            pass

    def claim(self, item: InboxItem) -> bool:
        """Take a ``submitted`` row for re-submission; of several scans racing, exactly one gets it.

        The row is updated only if it still names the run this scan judged, so a second scan that
        judged the same dead run finds the row changed and submits nothing. Until
        :meth:`resubmitted` names the new run the row holds :data:`RESUBMITTING`, stamped now, so a
        scan that dies in between leaves a row that later scans retry once it is stale.
        """
        same_run = InboxItem.detail.is_(None) if item.detail is None else InboxItem.detail == item.detail
        with self.catalog.session() as session:
            taken = session.execute(
                update(InboxItem)
                .where(InboxItem.id == item.id, InboxItem.status == SUBMITTED, same_run)
                .values(detail=RESUBMITTING, seen_at=utcnow())
                .returning(InboxItem.id)
            ).first()
        return taken is not None

    def resubmitted(self, item: InboxItem, run_id: str | None) -> None:
        """Name the run that replaces ``item``'s (``None``: the submission failed, retry next scan)."""
        with self.catalog.session() as session:
            session.execute(
                update(InboxItem)
                .where(InboxItem.id == item.id, InboxItem.detail == RESUBMITTING)
                .values(detail=run_id if run_id is not None else item.detail, seen_at=utcnow())
            )

    def newly_skipped(self, location: InboxLocation, skipped: Sequence[Skipped]) -> tuple[Skipped, ...]:
        """Of ``skipped``, the entries no earlier scan skipped for the same reason; entries no longer
        skipped are forgotten, so a link removed and put back is reported again.

        A scan runs every few minutes: warning about the same link each time buries the log, while a
        new one, or a reason that changed, is worth a warning. Of scans racing, one reports it.
        """
        current = {(s.key, _skip_mark(s.reason)): s for s in skipped}
        mine = (InboxItem.inbox == location.uri, InboxItem.status == SKIPPED)
        with self.catalog.session() as session:
            known = {
                (key, mark)
                for key, mark in session.execute(select(InboxItem.key, InboxItem.sha256).where(*mine))
            }
            for key, mark in known - current.keys():
                session.execute(
                    delete(InboxItem).where(*mine, InboxItem.key == key, InboxItem.sha256 == mark)
                )
        new = []
        for (key, mark), skip in current.items():
            if (key, mark) in known:
                continue
            try:
                with self.catalog.session() as session:
                    session.add(
                        InboxItem(
                            inbox=location.uri, key=key, sha256=mark, status=SKIPPED, detail=skip.reason
                        )
                    )
            except IntegrityError:
                continue  # a concurrent scan recorded it first, and reports it
            new.append(skip)
        return tuple(new)

    def rendered(self, item: InboxItem) -> None:
        """The run finished successfully: the row is never checked again."""
        with self.catalog.session() as session:
            session.execute(
                update(InboxItem)
                .where(
                    InboxItem.id == item.id, InboxItem.status == SUBMITTED, InboxItem.detail == item.detail
                )
                .values(status=RENDERED)
            )


def _skip_mark(reason: str) -> str:
    """What a skipped row keys on instead of content: the reason, apart from any script's hash."""
    return hashlib.sha256(f"skipped\0{reason}".encode()).hexdigest()


def load_script(
    uri: str,
    s3: S3Settings | None,
    *,
    expected_sha256: str | None = None,
    lexicon: LexiconSnapshot | None = None,
) -> LessonSpec:
    """The lesson at a file path or ``s3://bucket/key``: what a ``render-lesson`` run is given.

    With ``expected_sha256`` (the inbox passes the hash it recorded), bytes that are not those are
    refused: a render never renders a script other than the one that was validated and submitted.
    Its course lexicon is then ``lexicon`` and nothing else (the copy the scan validated with, also
    checked against its hash); without ``expected_sha256`` the course lexicon is found beside the
    script, in its folder or its key prefix. Raises only ``SpecError`` (an unreadable script is
    reported like a malformed one), so callers have one failure to handle however it was stored.
    """
    data = _read_script(uri, s3)
    if expected_sha256 is not None and hashlib.sha256(data).hexdigest() != expected_sha256.lower():
        raise SpecError([_not_submitted(uri, _SCRIPT, expected_sha256)])
    if expected_sha256 is not None:
        lexicons = _submitted_lexicon(lexicon, s3)
    elif uri.startswith("s3://"):
        lexicons = _bucket_lexicons(uri, s3)
    else:
        lexicons = folder_lexicons(Path(uri))
    return load_spec(data, source=uri, lexicons=lexicons)


_SCRIPT = N_("script")
_COURSE_LEXICON = N_("course lexicon")


def _not_submitted(uri: str, what: str, sha256: str) -> Diagnostic:
    return Diagnostic(
        uri,
        1,
        1,
        _("the {what} is not the version submitted (sha256 {sha256}…)").format(
            what=_(what), sha256=sha256[:12]
        ),
        _("submit it again; the inbox does so once the changed file has settled"),
    )


def _read_script(uri: str, s3: S3Settings | None) -> bytes:
    return read_script_file(Path(uri)) if not uri.startswith("s3://") else _read_object(uri, s3)


def _submitted_lexicon(snapshot: LexiconSnapshot | None, s3: S3Settings | None) -> LexiconSource:
    """Exactly the lexicon the scan validated with, whatever the script's folder holds now."""
    file = None
    if snapshot is not None:
        data = _read_script(snapshot.uri, s3)
        if hashlib.sha256(data).hexdigest() != snapshot.sha256.lower():
            raise SpecError([_not_submitted(snapshot.uri, _COURSE_LEXICON, snapshot.sha256)])
        file = LexiconFile(snapshot.uri, data)

    def source(reference: str | None) -> LexiconFile | None:
        if file is None and reference is not None:
            raise LexiconUnavailable(
                _("the course lexicon was not submitted with the script"), _("submit the script again")
            )
        return file

    return source


def _bucket_lexicons(uri: str, s3: S3Settings | None) -> LexiconSource:
    """A bucket script's course lexicon: named relative to its key, or ``lexicon.yaml`` beside it."""
    bucket, _sep, key = uri[len("s3://") :].partition("/")

    def source(reference: str | None) -> LexiconFile | None:
        if reference is None:
            for name in AUTO_NAMES:
                found = _read_lexicon_object(f"s3://{bucket}/{resolve_key(key, name)}", s3, missing_ok=True)
                if found is not None:
                    return found
            return None
        ref = check_reference(reference)
        target = resolve_key(key, ref)
        if target is None:
            raise LexiconUnavailable(
                _("course lexicon `{ref}` is outside the bucket").format(ref=ref),
                _("keep it in the same bucket as the script"),
            )
        return _read_lexicon_object(f"s3://{bucket}/{target}", s3, missing_ok=False)

    return source


def _read_lexicon_object(uri: str, s3: S3Settings | None, *, missing_ok: bool) -> LexiconFile | None:
    try:
        return LexiconFile(uri, _read_object(uri, s3, limit=MAX_LEXICON_BYTES, what=_COURSE_LEXICON))
    except _NoSuchObject:
        if missing_ok:
            return None
        raise LexiconUnavailable(
            _("course lexicon {uri} does not exist").format(uri=uri),
            _("its key is relative to the script's key"),
        ) from None
    except SpecError as err:
        raise LexiconUnavailable(err.diagnostics[0].message, err.diagnostics[0].fix) from None


class _NoSuchObject(SpecError):
    """The object is not in the bucket (as opposed to a bucket that refused to give it)."""


def _read_object(
    uri: str, s3: S3Settings | None, *, limit: int = MAX_SCRIPT_BYTES, what: str = _SCRIPT
) -> bytes:
    """At most ``limit + 1`` bytes of an S3 object; a larger one is refused unread."""
    bucket, _sep, key = uri[len("s3://") :].partition("/")
    settings = replace(s3 or S3Settings(bucket=bucket), bucket=bucket)
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        response = make_s3_client(settings).get_object(Bucket=bucket, Key=key)
    except (BotoCoreError, ClientError) as err:
        missing = error_code(err) in ("NoSuchKey", "404", "NotFound")
        problem = _NoSuchObject if missing else SpecError
        reason = _("no such object") if missing else str(err)
        message = _("cannot read {what}: {reason}").format(what=_(what), reason=reason)
        raise problem([Diagnostic(uri, 1, 1, message, _("check the bucket and key"))]) from None
    size = int(response.get("ContentLength", 0))
    if size > limit:
        response["Body"].close()
        if what == _SCRIPT:
            raise SpecError([oversize_diagnostic(uri, size)])
        raise SpecError(
            [
                Diagnostic(
                    uri,
                    1,
                    1,
                    _("{what} {uri} is over the {limit} KB limit").format(
                        what=_(what), uri=uri, limit=limit // 1024
                    ),
                    _("split it"),
                )
            ]
        )
    return read_bounded(response)
