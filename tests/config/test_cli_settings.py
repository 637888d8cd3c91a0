"""A bad ``LESSONAUDIO_*`` value is the operator's input: one line naming it, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_load_settings_names_every_bad_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_MAX_SEGMENT_CHARS", "abc")
    monkeypatch.setenv("LESSONAUDIO_WEB_PORT", "x" * 500)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "LESSONAUDIO_MAX_SEGMENT_CHARS='abc'" in message
    assert "LESSONAUDIO_WEB_PORT=" in message
    assert "\n" not in message and len(message) < 400


def _one_setting_error(command: list[str], env: dict[str, str]) -> str:
    """Run the CLI as a user does; it must exit 2 with exactly one line on stderr, returned."""
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize(
    "command", [["validate", "lesson_specs/examples/math-g8-pythagoras.yaml"], ["cache", "info"]]
)
def test_a_command_with_a_bad_setting_prints_one_line(command: list[str]) -> None:
    env = dict(os.environ, LESSONAUDIO_MAX_SEGMENT_CHARS="abc")
    assert "LESSONAUDIO_MAX_SEGMENT_CHARS='abc'" in _one_setting_error(command, env)


@pytest.mark.parametrize("value", ["0.0001", "5", "1e300", "inf", "nan", "100000"])
def test_an_unusable_scan_interval_is_a_setting_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """Too short overloads the machine with scans; inf, nan and huge values overflow the schedule."""
    monkeypatch.setenv("LESSONAUDIO_INBOX_INTERVAL_S", value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert f"LESSONAUDIO_INBOX_INTERVAL_S={value!r}" in str(caught.value)


@pytest.mark.parametrize("value", ["10", "15", "86400"])
def test_a_usable_scan_interval_is_kept(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("LESSONAUDIO_INBOX_INTERVAL_S", value)
    assert load_settings().inbox_interval_s == float(value)


def test_serve_with_an_infinite_interval_prints_one_line(tmp_path: Path) -> None:
    env = dict(os.environ, LESSONAUDIO_INBOX=str(tmp_path), LESSONAUDIO_INBOX_INTERVAL_S="1e300")
    env.pop("PREFECT_API_URL", None)
    assert "LESSONAUDIO_INBOX_INTERVAL_S='1e300'" in _one_setting_error(["serve", "--port", "1"], env)
