"""The machine's reasons for a failed file operation, in the reader's language.

The C library words ``strerror`` in English only; the reasons a teacher or operator meets most are
written here once, by errno, so every place that shows an OSError's reason says it the same way.
"""

from __future__ import annotations

import errno

from i18n import N_, _

__all__ = ["OS_REASONS", "os_reason"]

OS_REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EROFS: N_("Read-only file system"),
    errno.EEXIST: N_("File exists"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EISDIR: N_("Is a directory"),
    errno.EDQUOT: N_("Disk quota exceeded"),
}


def os_reason(error: OSError) -> str | None:
    """The reason of ``error`` translated, or None where the reader's language has no word of its own."""
    reason = OS_REASONS.get(error.errno) if error.errno is not None else None
    if reason is None or _(reason) == reason:
        return None
    return _(reason)
