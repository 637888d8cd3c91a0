"""A local (or mounted) folder as an inbox: regular files only, never a symbolic link.

Anyone who can drop a file into the inbox can drop a symlink, so the scanner never follows one: the
walk does not descend into linked folders and does not list linked files, and every open is made
relative to a descriptor of the folder above it with ``O_NOFOLLOW``, so a path swapped for a link
after the walk fails to open instead of reading what the link points at. Files other than regular
ones (FIFOs, devices, sockets) are listed as skipped and never opened.

What the scanner writes here (reports, snapshots) gets the permission bits of the script it comes
from, masked to at most ``rw-r--r--`` and then by the umask like every other output: nobody can read
a report or a snapshot who cannot read the script itself, and a readable script does not make them
more readable than the operator's umask allows.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import stat
from pathlib import Path

from i18n import _
from lesson_specs import MAX_SCRIPT_BYTES
from lesson_specs.loader import read_at_most
from storage.inbox_files import (
    REPORT_SUFFIX,
    SCRIPT_SUFFIXES,
    SNAPSHOTS,
    Fetched,
    InboxAccessError,
    Listing,
    Seen,
    Skipped,
)

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_MAX_MODE = 0o644
"""Others may at most read what the scanner writes, and only if they may read the script."""
_DEFAULT_MODE = 0o600


def _version(info: os.stat_result) -> str:
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"


def _changed_at(info: os.stat_result) -> float:
    # ctime moves with every write and cannot be set back (mtime can: `cp -p`, `rsync -t`, `touch -d`).
    return max(info.st_mtime, info.st_ctime)


class FolderInbox:
    def __init__(self, root: Path) -> None:
        self.root = root

    def describe(self) -> str:
        return str(self.root)

    def script_uri(self, key: str) -> str:
        return str(self.root.joinpath(*key.split("/")))

    # -- reading ------------------------------------------------------------------------------------

    def listing(self) -> Listing:
        scripts: list[Seen] = []
        reports: set[str] = set()
        skipped: list[Skipped] = []
        if not self.root.is_dir():
            return Listing((), frozenset(), (Skipped(".", f"{self.root} is not a folder"),))
        self._walk(self.root, "", scripts, reports, skipped)
        return Listing(tuple(sorted(scripts, key=lambda s: s.key)), frozenset(reports), tuple(skipped))

    def _walk(
        self, folder: Path, rel: str, scripts: list[Seen], reports: set[str], skipped: list[Skipped]
    ) -> None:
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError as err:
            skipped.append(Skipped(rel.rstrip("/") or ".", f"cannot list the folder: {err.strerror}"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            key = rel + entry.name
            if entry.is_symlink():
                skipped.append(Skipped(key, "a symbolic link; the inbox never follows links"))
            elif entry.is_dir(follow_symlinks=False):
                self._walk(Path(entry.path), key + "/", scripts, reports, skipped)
            elif entry.name.endswith(REPORT_SUFFIX):
                if entry.is_file(follow_symlinks=False):
                    reports.add(key[: -len(REPORT_SUFFIX)])
            elif entry.name.endswith(SCRIPT_SUFFIXES):
                if not entry.is_file(follow_symlinks=False):
                    skipped.append(Skipped(key, "not a regular file"))
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue  # removed while we looked
                scripts.append(Seen(key, info.st_size, _version(info), _changed_at(info)))

    def fetch(self, seen: Seen) -> Fetched | None:
        *parents, name = seen.key.split("/")
        try:
            folder = self._open_folder(parents, create=False)
        except OSError as err:
            _unless_gone(err)
            return None
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
        except OSError as err:
            _unless_gone(err)
            return None
        finally:
            os.close(folder)
        try:
            before = os.fstat(fd)
            if not stat.S_ISREG(before.st_mode) or _version(before) != seen.version:
                return None
            data = read_at_most(fd, MAX_SCRIPT_BYTES + 1)
            if _version(os.fstat(fd)) != seen.version:  # written to while we read
                return None
        except OSError as err:
            raise InboxAccessError(_("cannot read: {error}").format(error=err.strerror or err)) from None
        finally:
            os.close(fd)
        return Fetched(data, stat.S_IMODE(before.st_mode))

    def _open_folder(self, parts: list[str], *, create: bool) -> int:
        """A descriptor of ``root/parts...``, reached without following any link below the root."""
        fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            for part in parts:
                try:
                    child = os.open(part, _DIR_FLAGS, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        raise
                    with contextlib.suppress(FileExistsError):  # a concurrent scan made it
                        os.mkdir(part, 0o755, dir_fd=fd)
                    child = os.open(part, _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = child
        except BaseException:
            os.close(fd)
            raise
        return fd

    # -- writing ------------------------------------------------------------------------------------

    def keep_snapshot(self, sha256: str, data: bytes, mode: int | None, under: str = SNAPSHOTS) -> str:
        name = f"{sha256}.yaml"
        try:
            folder = self._open_folder(under.split("/"), create=True)
            try:
                if not _holds(folder, name, sha256):
                    _write_atomic(folder, name, data, mode)
            finally:
                os.close(folder)
        except OSError as err:
            raise InboxAccessError(
                _("cannot keep a copy to render: {error}").format(error=err.strerror or err)
            ) from None
        return self.script_uri(f"{under}/{name}")

    def write_report(self, key: str, text: str, mode: int | None) -> None:
        *parents, name = key.split("/")
        try:
            folder = self._open_folder(parents, create=False)
            try:
                _write_atomic(folder, name + REPORT_SUFFIX, text.encode("utf-8"), mode)
            finally:
                os.close(folder)
        except OSError as err:
            raise InboxAccessError(
                _("cannot write its report: {error}").format(error=err.strerror or err)
            ) from None

    def remove_report(self, key: str) -> None:
        *parents, name = key.split("/")
        try:
            folder = self._open_folder(parents, create=False)
            try:
                os.unlink(name + REPORT_SUFFIX, dir_fd=folder)  # removes a link itself, never its target
            finally:
                os.close(folder)
        except FileNotFoundError:
            pass
        except OSError as err:
            raise InboxAccessError(
                _("cannot remove its old report: {error}").format(error=err.strerror or err)
            ) from None


def _unless_gone(err: OSError) -> None:
    """Re-raise as ``InboxAccessError`` unless the path vanished or became a link since the listing,
    which is a changed script (tried again next scan)."""
    if err.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
        return
    raise InboxAccessError(_("cannot read: {error}").format(error=err.strerror or err)) from None


def _holds(folder: int, name: str, sha256: str) -> bool:
    """Whether ``name`` in ``folder`` is a regular file with exactly these bytes (not a planted link)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        return hashlib.sha256(read_at_most(fd, MAX_SCRIPT_BYTES + 1)).hexdigest() == sha256
    finally:
        os.close(fd)


def _write_atomic(folder: int, name: str, data: bytes, mode: int | None) -> None:
    """Write a hidden temp file with its final mode, then rename it over ``name`` (which may be a link:
    rename replaces the link itself). The mode is given to ``open``, so the umask still applies: the
    file is no more readable than the script, nor than the operator's umask lets any output be."""
    tmp = f".{name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(
        tmp,
        os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
        (mode & _MAX_MODE | 0o600) if mode is not None else _DEFAULT_MODE,
        dir_fd=folder,
    )
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp, dir_fd=folder)
        raise
