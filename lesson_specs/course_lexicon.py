"""Course lexicon files: one word list shared by every lesson of a course.

A script names its course's file with ``course_lexicon: ../初中数学.lexicon.yaml`` (relative to the
script's own folder, or its key prefix in a bucket), or, naming none, uses the ``lexicon.yaml`` in its
own folder if there is one. The file holds ``lexicon:`` (the same ``词: ci2`` / ``Python: 派森``
entries a script's own ``lexicon:`` holds) and optionally ``course:`` for the reader.

Only files named ``lexicon.yaml`` or ``*.lexicon.yaml`` (``.yml`` too) can be course lexicons. That
keeps a script from quoting some other file through its error messages, and lets the inbox tell its
lexicons from its scripts by name alone.

Where the bytes come from is the caller's business (:data:`LexiconSource`): a folder for
``validate``, the inbox listing for a scan, the exact snapshot the scan saw for an inbox render.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from errors import InputError
from i18n import _

AUTO_NAMES = ("lexicon.yaml", "lexicon.yml")
"""Picked up beside a script that names no course lexicon, first found wins."""
LEXICON_SUFFIXES = (".lexicon.yaml", ".lexicon.yml")
MAX_LEXICON_BYTES = 200 * 1024


@dataclass(frozen=True, slots=True)
class LexiconFile:
    source: str
    """The path or URI the bytes were read from, as messages name it."""
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class LexiconUnavailable(InputError):
    """A course lexicon that cannot be had: reported where the script refers to it."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


LexiconSource = Callable[[str | None], LexiconFile | None]
"""Given the script's ``course_lexicon:`` text (None: the script names none), the file to use, or None
when there is none. Raises :class:`LexiconUnavailable` for a file that is named but cannot be read."""


def is_lexicon_name(name: str) -> bool:
    """Whether a file name (no folder) is a course lexicon's rather than a script's."""
    base = name.rsplit("/", 1)[-1]
    return base in AUTO_NAMES or base.endswith(LEXICON_SUFFIXES)


def check_reference(reference: str) -> str:
    """The reference stripped, or :class:`LexiconUnavailable` when it cannot name a lexicon file."""
    ref = reference.strip()
    if not ref:
        raise LexiconUnavailable(
            _("`course_lexicon` is empty"),
            _("write the path of the course's .lexicon.yaml file, or remove it"),
        )
    if not is_lexicon_name(ref):
        raise LexiconUnavailable(
            _("course lexicon `{name}` is not named like a lexicon file").format(name=ref),
            _("name it lexicon.yaml or <course>.lexicon.yaml"),
        )
    return ref


def resolve_key(script_key: str, reference: str) -> str | None:
    """The key ``reference`` names relative to ``script_key``'s folder; None if it leaves the root.

    Keys are ``/``-separated paths under an inbox root or a bucket prefix, so ``..`` may climb only as
    far as that root: a script cannot reach outside the place it was dropped in.
    """
    if reference.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(script_key), reference))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


def auto_keys(script_key: str) -> tuple[str, ...]:
    """Where an automatically used course lexicon may sit for the script at ``script_key``."""
    folder = posixpath.dirname(script_key)
    return tuple(posixpath.join(folder, name) for name in AUTO_NAMES)
