"""Write finished audio and text so that a file either exists complete or not at all.

Every output is written to a temporary name in the same folder and renamed into place: a killed
render never leaves a truncated ``lesson.mp3`` that looks finished, and readers of the folder see
the old file or the new one, never a mix.

Temporary files are created with mode 0666 minus the umask, like any file a program opens: the
rename keeps their mode, so ``tempfile.mkstemp`` (always 0600) would make every output private to
its owner while the rest of the folder follows the umask.

Every failure to write is a :class:`WriteError` naming the file and the operating system's reason
(``No space left on device``, ``Read-only file system``), whatever step failed.
"""

from __future__ import annotations

import errno
import io
import os
import secrets
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile as sf

from audio.postprocess import Samples
from errors import UnavailableError
from i18n import _

_TEMP_ATTEMPTS = 100


class WriteError(UnavailableError, OSError):
    """A file that could not be written: ``cannot write PATH: REASON (HINT)``.

    An ``OSError`` (so existing handlers still catch it) whose message names the file the caller
    meant to write, not the temporary name, and an optional hint that says which setting moves it.
    """

    def __init__(self, path: Path | str, code: int | None, reason: str, hint: str | None = None) -> None:
        super().__init__(code, reason, str(path))
        self.path = Path(path)
        self.reason = reason
        self.hint = hint

    @classmethod
    def from_os_error(cls, path: Path | str, error: OSError, hint: str | None = None) -> WriteError:
        if isinstance(error, WriteError):
            return WriteError(error.path, error.errno, error.reason, error.hint or hint)
        reason = error.strerror or str(error) or type(error).__name__
        return cls(path, error.errno, reason, hint)

    def with_hint(self, hint: str) -> WriteError:
        """A copy with ``hint`` (a hint given closer to the failure is kept), to raise ``from`` this one."""
        return WriteError(self.path, self.errno, self.reason, self.hint or hint)

    def __str__(self) -> str:
        # Made when shown, so the reader's language applies; a hint is a catalog constant (N_).
        message = _("cannot write {path}: {reason}").format(path=self.path, reason=self.reason)
        return f"{message} ({_(self.hint)})" if self.hint else message

    def __reduce__(self) -> tuple[type[WriteError], tuple[str, int | None, str, str | None]]:
        # Prefect may pickle a failed task's exception; OSError's own reduce would lose the fields.
        return (WriteError, (str(self.path), self.errno, self.reason, self.hint))


def create_temp(path: Path) -> Path:
    """An empty new file beside ``path`` with a hidden, unique name, mode 0666 minus the umask."""
    for _unused in range(_TEMP_ATTEMPTS):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.part"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def atomic_write(path: Path, write: Callable[[Path], None], *, durable: bool = True) -> None:
    """Run ``write`` against a temporary sibling of ``path``, then rename it over ``path``.

    ``durable`` fsyncs the file before the rename, so after a power cut ``path`` holds the old
    bytes or the new ones. The segment and piece stores pass False where a cheaper check (sizes
    recorded in a JSON written last) catches a torn file.
    """
    tmp: Path | None = None
    try:
        _make_folder(path.parent)
        tmp = create_temp(path)
        write(tmp)
        if durable:
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        if not _about_target(err, path, tmp):
            raise  # reading an input failed (a piece pruned under the render): its own error says so
        raise WriteError.from_os_error(path, err) from err
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def _make_folder(folder: Path) -> None:
    """``mkdir -p``, except that a file standing where a folder must be is reported as what it is:
    ``mkdir`` says "File exists", which sends the reader looking for the wrong problem."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as err:
        blocking = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        reason = _("{path} is a file, not a folder").format(path=blocking)
        raise NotADirectoryError(errno.ENOTDIR, reason, str(folder)) from err


def _about_target(error: OSError, path: Path, tmp: Path | None) -> bool:
    """Whether ``error`` is about writing ``path``: no file named (a failed write or flush), the
    temporary file, ``path`` itself, or one of the folders above it."""
    if isinstance(error, WriteError) or error.filename is None:
        return True
    named = Path(os.fsdecode(error.filename))
    a_temp_sibling = named.parent == path.parent and named.name.startswith(f".{path.name}.")
    return named in (path, tmp) or named in path.parents or a_temp_sibling


def write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """``data`` as the whole of ``path``, written through Python's own I/O so a full disk is an error."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            out.write(data)

    atomic_write(path, write, durable=durable)


def write_text(path: Path, text: str) -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    atomic_write(path, write)


def write_wav(path: Path, parts: Sequence[npt.NDArray[np.int16]], sample_rate: int) -> None:
    """16-bit PCM WAV of ``parts`` played in order: the lossless master that every player opens."""

    def write(tmp: Path) -> None:
        with wave.open(str(tmp), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(sample_rate)
            for part in parts:
                out.writeframes(part.astype("<i2", copy=False).tobytes())

    atomic_write(path, write)


def write_joined(path: Path, parts: Sequence[Callable[[], bytes]]) -> None:
    """The bytes of ``parts`` one after another (MP3 pieces are joined this way)."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            for part in parts:
                out.write(part())

    atomic_write(path, write)


def write_flac(path: Path, samples: Samples, sample_rate: int) -> None:
    """24-bit FLAC: lossless and about half the size of WAV, used for cached segments.

    Encoded in memory and written by Python: libsndfile writing to a full disk reports only
    "System error." or nothing at all and leaves a truncated file, where Python's I/O raises the
    operating system's error. A segment is a few hundred kilobytes.
    """
    encoded = io.BytesIO()
    sf.write(encoded, samples, sample_rate, subtype="PCM_24", format="FLAC")
    write_bytes(path, encoded.getvalue())


def read_audio(path: Path) -> tuple[Samples, int]:
    data, sample_rate = sf.read(path, dtype="float32", always_2d=False)
    if data.ndim > 1:
        data = data.mean(axis=1).astype(np.float32)
    return data, int(sample_rate)
