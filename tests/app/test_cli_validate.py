"""``lessonaudio validate`` and ``lessonaudio render`` as a teacher runs them: exit codes and messages."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from app.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_examples_validate_clean() -> None:
    examples = sorted(str(p) for p in (ROOT / "lesson_specs" / "examples").glob("*.yaml"))
    result = runner.invoke(app, ["validate", *examples])
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok,") == len(examples)
    assert "warning" not in result.output


def test_errors_exit_2_with_positions(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Bad Id\ntitle: t\nparagraphs:\n  - text: 银[行](hangg2)\n    emotion: joy\n", "utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2  # input (app.exit_codes)
    assert f"{bad}:1:5: id `Bad Id` is not a slug" in result.output
    assert f"{bad}:4:16: paragraph 1: 'hangg2' is not a Mandarin syllable" in result.output
    assert f"{bad}:5:14: paragraph 1: unknown emotion `joy`" in result.output
    assert "Traceback" not in result.output


def test_unpronounced_text_warns_but_passes(tmp_path: Path) -> None:
    script = tmp_path / "warn.yaml"
    script.write_text("id: warn\ntitle: t\nparagraphs:\n  - text: 我用Zoom开会😀。\n", "utf-8")
    result = runner.invoke(app, ["validate", str(script)])
    assert result.exit_code == 0
    assert (
        f"{script}:4:13: warning: paragraph 1: `Zoom` is not in the lexicon and will be spelled Z-O-O-M"
        in result.output
    )
    assert "add `Zoom: 读法` to the lesson's lexicon" in result.output
    assert "`😀` will not be pronounced" in result.output
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(
        "id: warn\ntitle: t\nlexicon:\n  Zoom: 祖姆\nparagraphs:\n  - text: 我用Zoom开会。\n", "utf-8"
    )
    assert "warning" not in runner.invoke(app, ["validate", str(fixed)]).output


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "cannot read file" in result.output


def test_special_and_huge_files_are_one_line_errors(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(10 * 1024**3)  # sparse: 10 GB that take no disk
    memory_cap = 1024**3  # a read of /dev/zero or of the 10 GB file dies here, not in the machine's RAM

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "validate", "--no-warnings", "/dev/zero", str(fifo), str(huge)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,  # a FIFO opened for reading without a writer would block here forever
        preexec_fn=cap_memory,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        "/dev/zero:1:1: cannot read file: it is a device, not a regular file"
        " (give the path of a .yaml lesson script)",
        f"{fifo}:1:1: cannot read file: it is a named pipe (FIFO), not a regular file"
        " (give the path of a .yaml lesson script)",
        f"{huge}:1:1: script is 10485760 KB, over the 200 KB limit (split the lesson into several scripts)",
        "error: 3 of 3 script(s) have errors",
    ]


def test_render_refuses_invalid_script_before_starting_prefect(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: t\nparagraphs: []\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "render", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert f"{bad}:3:13: `paragraphs` must be a non-empty list" in done.stderr
    assert "Traceback" not in done.stderr and "Prefect" not in done.stderr


def test_every_subcommand_has_help() -> None:
    for command in (
        ["validate"],
        ["g2p"],
        ["render"],
        ["say"],
        ["models"],
        ["models", "prepare"],
        ["models", "list"],
    ):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.output
