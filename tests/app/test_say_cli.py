"""``lessonaudio say`` end to end with the real voice, and its one-line errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import soundfile as sf
from typer.testing import CliRunner, Result

from app.cli import app as cli
from app.commands.say import default_output_name
from app.exit_codes import BUG, FAILED, INPUT, UNAVAILABLE
from engines.protocol import VoiceFailedError
from tests.voice_fixtures import baker_models_dir

pytestmark = [pytest.mark.slow, pytest.mark.real_voice]

runner = CliRunner()


def say_cli(args: list[str]) -> Result:
    """``lessonaudio say ARGS`` through the real command, whose root maps errors to exit codes."""
    return runner.invoke(cli, ["say", *args])


@pytest.fixture(autouse=True)
def _models_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_MODELS_DIR", str(baker_models_dir()))
    monkeypatch.delenv("LESSONAUDIO_DEFAULT_VOICE", raising=False)


def test_writes_wav_to_output(tmp_path: Path) -> None:
    out = tmp_path / "hi.wav"
    result = say_cli(["同学们好", "--emotion", "happy", "--voice", "baker", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    info = sf.info(str(out))
    assert info.samplerate == 24_000 and info.channels == 1
    assert 0.6 < info.duration < 1.8


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_the_wav_follows_the_umask(tmp_path: Path, umask: int) -> None:
    out = tmp_path / "hi.wav"
    previous = os.umask(umask)
    try:
        result = say_cli(["你好", "-o", str(out)])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_an_unwritable_output_names_the_file_and_the_reason(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    out = tmp_path / "file" / "hi.wav"
    result = say_cli(["你好", "-o", str(out)])
    assert result.exit_code == UNAVAILABLE
    assert result.output.startswith(f"error: cannot write {out}: {out.parent} is a file"), result.output
    assert len(result.output.strip().splitlines()) == 1


def test_default_name_in_current_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = say_cli(["你好。"])
    assert result.exit_code == 0, result.output
    expected = tmp_path / default_output_name("你好。", "neutral", "baker")
    assert result.output.strip() == str(expected)
    assert expected.is_file()
    assert default_output_name("你好。", "sad", "baker") != default_output_name("你好。", "neutral", "baker")
    assert os.listdir(tmp_path) == [expected.name]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["你好", "--emotion", "joyful"], "unknown emotion 'joyful'"),
        (["你好", "--voice", "robot"], "unknown voice 'robot'"),
        (["😀！"], "nothing to say"),
        (["你好[[abc"], "unfinished pause markup"),
        (["在银[行](hāng2)工作"], "'hāng2' has both a tone mark and a tone digit"),
        (["你好]]再见"], "unmatched ]] (no [[ opens it)"),
        (["[" + "银" * 1900 + "](yin2)"], "has 1900 character(s) but 1 syllable(s)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = say_cli([*args, "-o", str(tmp_path / "x.wav")])
    assert result.exit_code == INPUT
    assert result.output.strip().startswith("error: ")
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert len(result.output) <= 300
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.wav").exists()


def test_missing_model_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_MODELS_DIR", str(tmp_path / "empty"))
    result = say_cli(["你好", "-o", str(tmp_path / "x.wav")])
    assert result.exit_code == UNAVAILABLE
    assert "lessonaudio models prepare" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_multi_segment_text_joins_segments_with_pauses(tmp_path: Path) -> None:
    out = tmp_path / "two.wav"
    result = say_cli(["你好。同学们，早上好！", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert 1.5 < sf.info(str(out)).duration < 5.0


def test_numbers_are_read_by_the_front_end(tmp_path: Path) -> None:
    out = tmp_path / "n.wav"
    result = say_cli(["第3课", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sf.info(str(out)).duration > 0.5


def test_a_200_digit_number_is_said_in_pieces_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "pi.wav"
    result = say_cli(["圆周率是3." + "1415926535" * 20, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    (warning,) = result.stderr.strip().splitlines()
    assert warning.startswith("warning: '3.1415926535") and "is read as 202 syllables" in warning
    assert len(warning) <= 200
    assert 202 * 0.15 < sf.info(str(out)).duration < 202 * 0.45


class _BrokenEngine:
    engine_id = "broken/1"
    model_hash = "0" * 64

    def __init__(self, error: Exception) -> None:
        self.error = error

    def synthesize(self, tokens: object, prosody: object) -> object:
        raise self.error


@pytest.mark.parametrize(
    ("error", "code", "start"),
    [
        (
            VoiceFailedError("the Baker voice failed: " + "x" * 10_000),
            FAILED,
            "error: the Baker voice failed: xxx",
        ),
        (RuntimeError("boom " + "y" * 10_000), BUG, "error: unexpected RuntimeError: boom yyy"),
    ],
)
def test_engine_failure_is_one_short_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, code: int, start: str
) -> None:
    monkeypatch.setattr("engines.create_engine", lambda name, config: _BrokenEngine(error))
    result = say_cli(["你好", "-o", str(tmp_path / "x.wav")])
    assert result.exit_code == code
    assert result.output.startswith(start)
    assert len(result.output.strip().splitlines()) == 1 and len(result.output) <= 320
    assert "Traceback" not in result.output


def test_bad_setting_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_MAX_SEGMENT_CHARS", "lots")
    result = say_cli(["你好", "-o", str(tmp_path / "x.wav")])
    assert result.exit_code == INPUT
    assert result.output.startswith("error: bad setting: LESSONAUDIO_MAX_SEGMENT_CHARS='lots'")
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("好[[10s]]" * 30, "over the 60s limit"),
        ("好" * 2_001, "2,001 characters, over the 2,000 limit"),
    ],
)
def test_too_long_a_line_is_refused_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    out = tmp_path / "x.wav"
    result = say_cli([text, "-o", str(out)])
    assert result.exit_code == INPUT, result.output
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists()
