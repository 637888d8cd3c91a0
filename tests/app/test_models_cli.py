"""``lessonaudio models prepare`` / ``list`` through Typer's runner with settings from the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.commands.models import app
from tests.voice_fixtures import baker_models_dir, copy_models

pytestmark = [pytest.mark.slow, pytest.mark.real_voice]

runner = CliRunner()


def test_list_shows_files_sizes_hashes_and_status(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_MODELS_DIR", str(baker_models_dir()))
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split() == ["model", "file", "size", "sha256", "status"]
    assert re.search(r"baker\s+fastspeech2\.onnx\s+15\.9 MB\s+a18844b4c745a3a3\s+ok", result.output)
    assert "mb_melgan.onnx" in result.output and "baker_mapper.json" in result.output
    assert "not ready" not in result.output


def test_list_flags_corrupt_and_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    models_dir = copy_models(tmp_path)
    (models_dir / "baker" / "baker_mapper.json").write_text("{}")
    (models_dir / "baker" / "mb_melgan.onnx").unlink()
    monkeypatch.setenv("LESSONAUDIO_MODELS_DIR", str(models_dir))
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert "corrupt" in result.output and "missing" in result.output
    assert "lessonaudio models prepare" in result.output


def test_prepare_when_ready_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_MODELS_DIR", str(baker_models_dir()))
    result = runner.invoke(app, ["prepare"])
    assert result.exit_code == 0
    assert "already prepared" in result.output
