"""``lessonaudio g2p`` holds each line to a lesson paragraph's length before any model loads."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.exit_codes import INPUT
from lesson_specs import MAX_PARAGRAPH_CHARS

runner = CliRunner()


@pytest.fixture
def no_front_end(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line over the limit must be refused before the front end (WeTN, the polyphone model) loads."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the front end was loaded for a line over the limit")

    monkeypatch.setattr("text_frontend.frontend.FrontEnd.__init__", refuse)


def test_an_argument_over_the_paragraph_limit_is_refused(no_front_end: None) -> None:
    result = runner.invoke(cli, ["g2p", "好", "3²+" * 700])
    assert result.exit_code == INPUT, result.output
    assert "line 2 is 2,100 characters, over the 2,000 limit" in result.output


def test_a_stdin_line_over_the_paragraph_limit_is_refused(no_front_end: None) -> None:
    text = "你好\n" + "1/" * 1_001 + "\n"
    result = runner.invoke(cli, ["g2p", "--json"], input=text)
    assert result.exit_code == INPUT, result.output
    assert "line 2 is 2,002 characters" in result.output


def test_a_line_at_the_limit_is_read() -> None:
    line = "好" * MAX_PARAGRAPH_CHARS
    result = runner.invoke(cli, ["g2p", "--json", line])
    assert result.exit_code == 0, result.output
    assert '"normalized": "' + line in result.output
