"""Every kind of failure leaves ``lessonaudio`` with its own exit code and one line on stderr.

Through the real command (``app.cli.app``) with real failure paths where they are cheap: a broken
script, an unknown render id, a database nobody listens on, a bad setting. Kinds no cheap command
reaches (failed work, a full disk, a bug) are raised by a narrow fake in place of one library call.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner, Result

from app import exit_codes
from app.cli import app
from app.exit_codes import BUG, FAILED, INPUT, NOT_FOUND, OK, UNAVAILABLE, error_lines, exit_code
from app.prefect_server import PrefectServerError
from audio.export import WriteError
from audio.mp3 import Mp3Error
from engines.protocol import EngineUnavailableError, VoiceFailedError
from errors import InputError, LessonaudioError, NotFoundError, UnavailableError, WorkFailedError
from storage.catalog import CatalogError
from storage.db import CatalogUnavailable, DatabaseUrlError

BROKEN_SCRIPT = "id: broken\ntitle: [\n"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache and catalog for each test, and no debug traceback unless a test asks for it."""
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", f"sqlite:///{tmp_path / 'catalog.db'}")
    monkeypatch.delenv(exit_codes.DEBUG_VARIABLE, raising=False)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def one_error_line(result: Result) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InputError("x"), INPUT),
        (NotFoundError("x"), NOT_FOUND),
        (UnavailableError("x"), UNAVAILABLE),
        (WorkFailedError("x"), FAILED),
        (LessonaudioError("x"), FAILED),
        # Two kinds at once: fixing the URL is the fix; a voice that cannot load is not a failed voice.
        (DatabaseUrlError("x"), INPUT),
        (EngineUnavailableError("x"), UNAVAILABLE),
        (WriteError("/out/x.wav", errno.ENOSPC, "no space left"), UNAVAILABLE),
        (CatalogError("x"), NOT_FOUND),
        (VoiceFailedError("x"), FAILED),
        (OSError(errno.ENOSPC, "No space left on device"), UNAVAILABLE),
        (OperationalError("INSERT", {}, Exception("disk I/O error")), UNAVAILABLE),
        (RuntimeError("x"), BUG),
        (KeyError("x"), BUG),
    ],
)
def test_each_kind_has_its_code(error: BaseException, code: int) -> None:
    assert exit_code(error) == code


def test_the_codes_are_distinct() -> None:
    assert len({OK, FAILED, INPUT, NOT_FOUND, UNAVAILABLE, BUG}) == 6


def test_a_broken_script_is_an_input_error_for_validate_and_render(env: Path) -> None:
    script = env / "broken.yaml"
    script.write_text(BROKEN_SCRIPT, encoding="utf-8")
    for command in (["validate", "--no-warnings"], ["render"]):
        result = run(*command, str(script))
        assert result.exit_code == INPUT, (command, result.output)
        *diagnostics, last = result.stderr.strip().splitlines()
        assert diagnostics and all(line.startswith(f"{script}:") for line in diagnostics), result.stderr
        assert last.startswith("error: ") and "Traceback" not in result.output


def test_a_good_script_still_validates(env: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "lesson_specs" / "examples"
    result = run("validate", "--no-warnings", *map(str, sorted(example.glob("*.yaml"))[:1]))
    assert result.exit_code == OK, result.output


def test_an_unknown_render_id_is_not_found(env: Path) -> None:
    assert run("db", "upgrade").exit_code == OK
    result = run("renders", "show", "20260101T000000Z-deadbeef-0000")
    assert result.exit_code == NOT_FOUND
    assert "no render '20260101T000000Z-deadbeef-0000'" in one_error_line(result)


def test_a_missing_catalog_is_not_found_and_says_how_to_make_one(env: Path) -> None:
    result = run("renders", "list")
    assert result.exit_code == NOT_FOUND
    assert "lessonaudio db upgrade" in one_error_line(result)
    assert not (env / "catalog.db").exists()


def test_an_unreachable_database_is_unavailable(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:1/x")
    for command in (["renders", "list"], ["db", "upgrade"], ["web", "token", "list"]):
        result = run(*command)
        assert result.exit_code == UNAVAILABLE, (command, result.output)
        line = one_error_line(result)
        assert "127.0.0.1:1" in line and "secret" not in line


def test_a_malformed_database_url_is_input(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", "not a url")
    result = run("renders", "list")
    assert result.exit_code == INPUT
    assert "LESSONAUDIO_DATABASE_URL" in one_error_line(result)


def test_a_bad_setting_is_input(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_MAX_SEGMENT_CHARS", "lots")
    result = run("cache", "info")
    assert result.exit_code == INPUT
    assert one_error_line(result).startswith("error: bad setting: LESSONAUDIO_MAX_SEGMENT_CHARS='lots'")


def test_usage_errors_keep_clicks_code_which_is_the_input_code(env: Path) -> None:
    assert run("renders", "list", "--no-such-option").exit_code == INPUT
    assert run("renders", "list", "--status", "done").exit_code == INPUT


def test_a_missing_qa_report_is_input_not_a_failed_gate(env: Path) -> None:
    result = run("qa", str(env))
    assert result.exit_code == INPUT
    assert "qa.json does not exist" in one_error_line(result)


def test_a_token_name_refused_is_input(env: Path) -> None:
    result = run("web", "token", "create", "has space")
    assert result.exit_code == INPUT
    assert "invalid token name" in one_error_line(result)


def test_worker_without_a_prefect_server_is_input(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    result = run("worker", "--pool", "p")
    assert result.exit_code == INPUT
    assert "PREFECT_API_URL" in one_error_line(result)


def _cache_info_raises(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> Result:
    """``cache info`` with its one library call replaced by ``error``: the kinds no cheap command hits."""

    def usage(root: Path) -> object:
        raise error

    monkeypatch.setattr("storage.housekeeping.usage", usage)
    return run("cache", "info")


@pytest.mark.parametrize(
    ("error", "code", "words"),
    [
        (Mp3Error("lame could not encode lesson.wav"), FAILED, "error: lame could not encode lesson.wav"),
        (CatalogUnavailable("the catalog database x: locked"), UNAVAILABLE, "error: the catalog database x"),
        (
            OSError(errno.ENOSPC, "No space left on device", "/cache/x"),
            UNAVAILABLE,
            "No space left on device: '/cache/x' (check the path, its permissions and the free disk",
        ),
        (
            OperationalError("INSERT INTO renders", {}, Exception("database or disk is full")),
            UNAVAILABLE,
            "error: the catalog database ",
        ),
    ],
)
def test_work_failures_and_the_machine_go_through_the_same_place(
    env: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, code: int, words: str
) -> None:
    result = _cache_info_raises(monkeypatch, error)
    assert result.exit_code == code
    assert words in one_error_line(result)


def test_a_bug_is_one_line_that_names_the_debug_variable(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _cache_info_raises(monkeypatch, RuntimeError("boom " + "y" * 10_000))
    assert result.exit_code == BUG
    line = one_error_line(result)
    assert line.startswith("error: unexpected RuntimeError: boom yyy") and len(line) <= 320
    assert line.endswith(f"rerun with {exit_codes.DEBUG_VARIABLE}=1 for the traceback, and please report it)")


def test_the_debug_variable_adds_the_traceback_and_keeps_the_code(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(exit_codes.DEBUG_VARIABLE, "1")
    result = _cache_info_raises(monkeypatch, RuntimeError("boom"))
    assert result.exit_code == BUG
    assert "Traceback (most recent call last)" in result.stderr and "RuntimeError: boom" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: unexpected RuntimeError: boom")


def test_a_prefect_server_error_names_its_log_not_its_tail(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    error = PrefectServerError("the Prefect server did not start:\n  line 1 of its log\n  line 2", log)
    assert error_lines(error) == [f"error: the Prefect server did not start (its log: {log})"]
    assert exit_code(error) == UNAVAILABLE


def test_a_machine_error_without_a_path_gets_no_path_hint() -> None:
    error = OSError(errno.EADDRINUSE, "Address already in use")
    assert error_lines(error) == ["error: [Errno 98] Address already in use"]
    assert exit_code(error) == UNAVAILABLE
