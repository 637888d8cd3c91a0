"""What the inbox scanner needs from the place scripts are dropped, a folder or a bucket alike.

Listing is cheap and reads nothing: it gives each script's size and a version stamp, which is how a
scan tells a file that has stopped changing from one still being written. Reading asks for exactly
the version that was listed, so the bytes hashed are the bytes of a settled file, never a mix.

Everything the scanner writes into the inbox is either beside a script (``NAME.yaml.errors.txt``)
or under the hidden ``.lessonaudio/`` folder, which listing skips like every hidden name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from errors import UnavailableError

SCRIPT_SUFFIXES = (".yaml", ".yml")
REPORT_SUFFIX = ".errors.txt"
SNAPSHOTS = ".lessonaudio/scripts"
"""Content-addressed copies of submitted scripts (``<sha256>.yaml``): what a render reads."""
LEXICON_SNAPSHOTS = ".lessonaudio/lexicons"
"""The same for the course lexicons those scripts were validated with."""


class InboxAccessError(UnavailableError):
    """A script the scanner cannot read, or a file beside it that it cannot write (permissions)."""


@dataclass(frozen=True, slots=True)
class Seen:
    """One script as listed; two listings that give equal ``Seen`` saw the same, unchanged file."""

    key: str
    """Relative path in a folder, or the full key in a bucket."""
    size: int
    version: str
    """Changes whenever the content may have: ETag in a bucket; size, mtime, ctime, inode in a folder."""
    changed_at: float
    """When it last changed (epoch seconds, by the inbox's clock): ctime or the object's LastModified."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """An entry the scanner will not read, with the reason, for the scan's log."""

    key: str
    reason: str


@dataclass(frozen=True, slots=True)
class Listing:
    scripts: tuple[Seen, ...]
    """Sorted by key."""
    reports: frozenset[str]
    """Keys of the ``.errors.txt`` reports present, so a stale one can be removed without a probe."""
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes
    """The script's bytes, or its first ``MAX_SCRIPT_BYTES + 1`` when it is over the limit."""
    mode: int | None
    """Permission bits of the file (folder); None in a bucket, where the bucket's policy applies."""


class InboxFiles(Protocol):
    def describe(self) -> str: ...

    def listing(self) -> Listing: ...

    def fetch(self, seen: Seen) -> Fetched | None:
        """The bytes of exactly the version ``seen``; None if the script changed or went away since.

        Raises ``InboxAccessError`` when the script is there but cannot be read.
        """
        ...

    def script_uri(self, key: str) -> str:
        """The script's own path or ``s3://`` URI, for reports and logs."""
        ...

    def keep_snapshot(self, sha256: str, data: bytes, mode: int | None, under: str = SNAPSHOTS) -> str:
        """Store ``data`` as ``<under>/<sha256>.yaml`` (once) and return the URI a render reads."""
        ...

    def write_report(self, key: str, text: str, mode: int | None) -> None:
        """Put ``text`` at ``key + REPORT_SUFFIX``, readable by no one who cannot read the script."""
        ...

    def remove_report(self, key: str) -> None:
        """Delete ``key + REPORT_SUFFIX`` if it exists."""
        ...


def is_hidden(relative_key: str) -> bool:
    """A key with any dot-named part: editors' temp files, ``.lessonaudio/``, a writer's temp name."""
    return any(part.startswith(".") for part in relative_key.split("/"))
