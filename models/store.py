"""Files on disk: hashing, atomic writes and per-file status against the pins.

Writes go to a temp file in the destination directory, are fsynced and then renamed, so a killed
prepare leaves either the old file, no file, or the complete new one, never a truncated file under
the final name (and a stray temp never matches a pin name).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from i18n import _
from models.errors import FIX, ModelCorruptError, ModelMissingError
from models.pins import ModelSpec, PinnedFile

Status = Literal["ok", "missing", "corrupt"]


@dataclass(frozen=True, slots=True)
class FileStatus:
    name: str
    path: Path
    status: Status
    size: int | None
    sha256: str | None
    expected_sha256: str


@dataclass(frozen=True, slots=True)
class ModelStatus:
    name: str
    directory: Path
    files: tuple[FileStatus, ...]

    @property
    def status(self) -> Status:
        states = {f.status for f in self.files}
        if states == {"ok"}:
            return "ok"
        return "corrupt" if "corrupt" in states else "missing"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; models are shared by every user of the cache
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_copy(src: Path, dst: Path) -> None:
    atomic_write_bytes(dst, src.read_bytes())


def model_dir(models_dir: Path, spec: ModelSpec) -> Path:
    return models_dir / spec.name


def file_status(directory: Path, pin: PinnedFile) -> FileStatus:
    path = directory / pin.name
    if not path.is_file():
        return FileStatus(pin.name, path, "missing", None, None, pin.sha256)
    size = path.stat().st_size
    # A size mismatch is already corrupt; skip hashing a file that cannot match.
    digest = sha256_file(path) if size == pin.size else None
    status: Status = "ok" if digest == pin.sha256 else "corrupt"
    return FileStatus(pin.name, path, status, size, digest, pin.sha256)


def model_status(models_dir: Path, spec: ModelSpec) -> ModelStatus:
    directory = model_dir(models_dir, spec)
    return ModelStatus(spec.name, directory, tuple(file_status(directory, p) for p in spec.files))


def read_verified(models_dir: Path, spec: ModelSpec) -> dict[str, bytes]:
    """Read every pinned file and check it; the returned bytes are exactly what was verified.

    Loading from these bytes (not re-opening the path) means a file swapped after the check is never used.
    """
    directory = model_dir(models_dir, spec)
    out: dict[str, bytes] = {}
    for pin in spec.files:
        path = directory / pin.name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise missing(spec, path) from None
        check_digest(path, pin, sha256_bytes(data))
        out[pin.name] = data
    return out


def missing(spec: ModelSpec, path: Path) -> ModelMissingError:
    """The error for a pinned file that is not there: the model was never prepared (or was removed)."""
    return ModelMissingError(
        _("model {name!r} is not prepared: {path} is missing; {fix}").format(
            name=spec.name, path=path, fix=_(FIX)
        )
    )


def check_digest(path: Path, pin: PinnedFile, digest: str) -> None:
    """:class:`ModelCorruptError` unless ``digest``, of what was read from ``path``, is the pinned one."""
    if digest != pin.sha256:
        raise ModelCorruptError(
            _(
                "model file {path} is corrupt (sha256 {digest}…, pinned {pinned}…); {fix} to rebuild it"
            ).format(path=path, digest=digest[:12], pinned=pin.sha256[:12], fix=_(FIX))
        )
