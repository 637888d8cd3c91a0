"""An S3 prefix as an inbox.

An S3 object is never half-written (a PUT becomes visible whole), but a script can still change
while a scan looks at it: a sync client uploads a teacher's every save. So listing keeps each
object's ETag, and a read asks for that ETag (``If-Match``): a script replaced in between is left
for the next scan instead of read as another version. Reads stop at ``MAX_SCRIPT_BYTES + 1`` bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from i18n import N_, _
from lesson_specs import MAX_SCRIPT_BYTES
from storage.inbox_files import (
    REPORT_SUFFIX,
    SCRIPT_SUFFIXES,
    SNAPSHOTS,
    Fetched,
    InboxAccessError,
    Listing,
    Seen,
    is_hidden,
)
from storage.objects import S3ObjectStore, S3Settings, join_key, make_s3_client

_CHANGED = {"PreconditionFailed", "412", "NoSuchKey", "404", "NotFound"}


def error_code(error: Exception) -> str | None:
    from botocore.exceptions import ClientError

    if not isinstance(error, ClientError):
        return None
    return str(error.response.get("Error", {}).get("Code", ""))


def read_bounded(response: dict[str, Any]) -> bytes:
    """At most ``MAX_SCRIPT_BYTES + 1`` bytes of a ``get_object`` body; the rest is never fetched."""
    body = response["Body"]
    try:
        return bytes(body.read(MAX_SCRIPT_BYTES + 1))
    finally:
        body.close()


class BucketInbox:
    def __init__(self, settings: S3Settings, prefix: str, client: Any | None = None) -> None:
        self.settings = settings
        self.prefix = prefix.strip("/")
        self._client: Any = client if client is not None else make_s3_client(settings)
        self._store = S3ObjectStore(settings, client=self._client)

    def describe(self) -> str:
        return f"s3://{self.settings.bucket}/{self.prefix}".rstrip("/")

    def script_uri(self, key: str) -> str:
        return f"s3://{self.settings.bucket}/{key}"

    def listing(self) -> Listing:
        start = f"{self.prefix}/" if self.prefix else ""
        scripts: list[Seen] = []
        reports: set[str] = set()
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.settings.bucket, Prefix=start):
            for item in page.get("Contents", []):
                key = str(item["Key"])
                relative = key[len(start) :]
                if not relative or relative.endswith("/") or is_hidden(relative):
                    continue
                if key.endswith(REPORT_SUFFIX):
                    reports.add(key[: -len(REPORT_SUFFIX)])
                elif key.endswith(SCRIPT_SUFFIXES):
                    # Listings give LastModified in whole seconds: the change may be up to 1 s later.
                    changed = item["LastModified"].timestamp() + 1.0
                    scripts.append(Seen(key, int(item["Size"]), str(item["ETag"]), changed))
        return Listing(tuple(sorted(scripts, key=lambda s: s.key)), frozenset(reports), ())

    def fetch(self, seen: Seen) -> Fetched | None:
        extra: dict[str, str] = {"IfMatch": seen.version}
        if seen.size > MAX_SCRIPT_BYTES:  # a range on an empty object is an error, so only when needed
            extra["Range"] = f"bytes=0-{MAX_SCRIPT_BYTES}"
        try:
            response = self._client.get_object(Bucket=self.settings.bucket, Key=seen.key, **extra)
        except Exception as err:
            if error_code(err) in _CHANGED:
                return None
            if error_code(err) is None:
                raise
            raise InboxAccessError(_("cannot read: {error}").format(error=err)) from None
        return Fetched(read_bounded(response), None)

    def keep_snapshot(self, sha256: str, data: bytes, mode: int | None, under: str = SNAPSHOTS) -> str:
        key = join_key(self.prefix, under, f"{sha256}.yaml")
        with _refused(N_("cannot keep a copy to render")):
            held = self._store.head(key)
            if held is None or held.sha256 != sha256:
                self._store.put_bytes(key, data, content_type="application/yaml; charset=utf-8")
        return self.script_uri(key)

    def write_report(self, key: str, text: str, mode: int | None) -> None:
        with _refused(N_("cannot write its report")):
            self._store.put_bytes(
                key + REPORT_SUFFIX, text.encode("utf-8"), content_type="text/plain; charset=utf-8"
            )

    def remove_report(self, key: str) -> None:
        with _refused(N_("cannot remove its old report")):
            self._client.delete_object(Bucket=self.settings.bucket, Key=key + REPORT_SUFFIX)


@contextmanager
def _refused(what: str) -> Iterator[None]:
    """An error answer from the bucket (access denied, say) concerns this script only: report it as
    ``InboxAccessError`` so the scan goes on; a bucket that does not answer still stops the scan."""
    try:
        yield
    except Exception as err:
        if error_code(err) is None:
            raise
        from i18n.failures import failure_reason

        raise InboxAccessError(f"{_(what)}: {failure_reason(err)}") from None
