"""Prefect as a teacher's terminal meets it: no telemetry notice, no usage events."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from prefect._internal.analytics.ci_detection import CI_ENV_VARS

ROOT = Path(__file__).resolve().parents[2]
IMPORT_AS_A_COMMAND_DOES = "from app.prefect_env import quiet_prefect; quiet_prefect(); import prefect"


def _at_a_terminal(code: str, home: Path) -> str:
    """Run ``code`` with stdout and stderr on a pseudo-terminal, as a shell would; its output."""
    env = {k: v for k, v in os.environ.items() if k not in CI_ENV_VARS and k != "DO_NOT_TRACK"}
    env["PREFECT_HOME"] = str(home)
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    ) as child:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        child.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode(errors="replace")


def test_a_command_at_a_terminal_shows_no_telemetry_notice(tmp_path: Path) -> None:
    shown = _at_a_terminal(IMPORT_AS_A_COMMAND_DOES, tmp_path / "fresh")
    assert "telemetry" not in shown.lower() and "usage data" not in shown.lower(), shown
    assert "prefect" not in shown.lower(), shown


def test_the_terminal_check_would_see_the_notice(tmp_path: Path) -> None:
    """Without the defaults, the same fresh terminal gets Prefect's notice: the test above can fail."""
    shown = _at_a_terminal("import prefect", tmp_path / "fresh")
    assert "usage data" in shown.lower(), shown
