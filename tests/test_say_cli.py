"""``lessonaudio say`` end to end with the real voice, and its one-line errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import soundfile as sf
import typer
from typer.testing import CliRunner

from app.commands.say import default_output_name, say
from tests.voice_fixtures import baker_models_dir

pytestmark = pytest.mark.slow  # real Baker voice

cli = typer.Typer()
cli.command()(say)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _models_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_MODELS_DIR", str(baker_models_dir()))
    monkeypatch.delenv("LESSONAUDIO_DEFAULT_VOICE", raising=False)


def test_writes_wav_to_output(tmp_path: Path) -> None:
    out = tmp_path / "hi.wav"
    result = runner.invoke(cli, ["同学们好", "--emotion", "happy", "--voice", "baker", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    info = sf.info(str(out))
    assert info.samplerate == 24_000 and info.channels == 1
    assert 0.6 < info.duration < 1.8


def test_default_name_in_current_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["你好。"])
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
        (["hello"], "nothing to say"),
        (["你好[[abc"], "unfinished pause markup"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(cli, [*args, "-o", str(tmp_path / "x.wav")])
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: ")
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.wav").exists()


def test_missing_model_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_MODELS_DIR", str(tmp_path / "empty"))
    result = runner.invoke(cli, ["你好", "-o", str(tmp_path / "x.wav")])
    assert result.exit_code == 1
    assert "lessonaudio models prepare" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_multi_segment_text_joins_segments_with_pauses(tmp_path: Path) -> None:
    out = tmp_path / "two.wav"
    result = runner.invoke(cli, ["你好。同学们，早上好！", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert 1.5 < sf.info(str(out)).duration < 5.0


def test_numbers_are_read_by_the_front_end(tmp_path: Path) -> None:
    out = tmp_path / "n.wav"
    result = runner.invoke(cli, ["第3课", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sf.info(str(out)).duration > 0.5
