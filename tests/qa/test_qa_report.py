"""qa.json, the self-contained qa.html and ``lessonaudio qa`` (exit codes for CI), from hand-made results."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from app.commands import qa as qa_command
from qa.config import QAConfig, flag_reasons
from qa.html import render_html
from qa.metrics import Score
from qa.report import LessonInfo, load_report, report_data, segment_summary
from qa.results import Attempt, DiffItem, Hearing, LessonCheck, SegmentCheck, WindowResult

EVIL = '<script>alert("x")</script> & a<b'


def hearing(transcript: str, score: Score, level: float = -18.0) -> Hearing:
    diff = tuple(DiffItem("=" if c == "好" else "s", c, c) for c in transcript) or (DiffItem("d", "好", ""),)
    return Hearing(transcript, score, diff, level, flag_reasons(score, level, QAConfig()))


def lesson_check() -> LessonCheck:
    clean = SegmentCheck(0, 1, EVIL, "同学们好", 0, hearing("同学们好", Score(4, 0, 0)))
    retried = SegmentCheck(
        1,
        2,
        "我们继续。",
        "我们继续",
        0,
        hearing("", Score(4, 4, 4), level=-90.0),
        attempts=(
            Attempt(1, 0.88, "k" * 64, hearing("我们继续", Score(4, 0, 0))),
            Attempt(2, 0.76, "j" * 64, None, error="voice failed <oops>"),
        ),
        kept=1,
    )
    still_bad = SegmentCheck(2, 2, "今天", "今天", 0, hearing("<b>明天</b>", Score(2, 2, 2)))
    return LessonCheck(
        "fake-asr",
        (WindowResult(0.0, 9.0, (0, 1, 2), "同学们好<i>"),),
        (clean, retried, still_bad),
        audio_s=9.0,
        asr_s=0.5,
    )


def report() -> dict[str, object]:
    spans = [(0.2, 1.5), (2.2, 3.5), (4.2, 5.0)]
    return report_data(lesson_check(), LessonInfo("demo", "标题<&>", "r1"), spans, QAConfig(), 9.5)


def test_report_summary_and_manifest_record() -> None:
    data = report()
    summary = data["summary"]
    assert isinstance(summary, dict)
    assert summary["flagged"] == [2] and summary["flags"] == 1  # the retried segment was fixed
    assert summary["resynthesised"] == 1 and summary["replaced"] == 1
    assert summary["per"] == pytest.approx(2 / 10)  # final hearings: 0 + 0 + 2 of 4 + 4 + 2
    record = segment_summary(lesson_check().segments[1])
    assert record["kept"] == 1 and record["flagged"] is False and record["transcript"] == "我们继续"
    assert [a["attempt"] for a in record["attempts"]] == [1, 2] and "error" in record["attempts"][1]
    json.dumps(data, ensure_ascii=False)  # serialisable as is


def test_html_is_self_contained_and_escaped() -> None:
    audio = [b"ID3fake-mp3-0", None, b"ID3fake-mp3-2"]
    page = render_html(report(), audio)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    # No external anything: no URLs, no linked stylesheets, scripts or images.
    assert not re.search(r"https?:|//[a-z]", page)
    assert "<link" not in page and "<script" not in page and "<img" not in page
    assert "<style>" in page and "<svg" in page
    # Every piece of script/transcript text is escaped.
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; a&lt;b" in page
    assert "标题&lt;&amp;&gt;" in page and "<b>明天" not in page and "voice failed &lt;oops&gt;" in page
    players = re.findall(r'<audio controls preload="none" src="data:audio/mpeg;base64,([^"]+)"', page)
    assert [base64.b64decode(p) for p in players] == [audio[0], audio[2]]
    # The PER plot has one bar per segment, the flagged one in red, and the threshold line.
    assert page.count("<rect") == 3 and page.count('fill="#d93025"><title>') == 1
    assert "flag threshold 0.34" in page


@pytest.fixture()
def qa_json(tmp_path: Path) -> Path:
    folder = tmp_path / "render"
    folder.mkdir()
    (folder / "qa.json").write_text(json.dumps(report(), ensure_ascii=False), encoding="utf-8")
    return folder


def test_qa_command_prints_summary(qa_json: Path) -> None:
    result = CliRunner().invoke(qa_command.app, [str(qa_json)])
    assert result.exit_code == 0, result.output
    assert "PER 20.0 %" in result.output and "flags 1" in result.output
    assert "kept 1" in result.output  # the table lists re-synthesised and flagged segments


@pytest.mark.parametrize(("threshold", "code"), [("0.25", 0), ("0.2", 0), ("0.19", 1), ("0", 1)])
def test_fail_over_exit_codes(qa_json: Path, threshold: str, code: int) -> None:
    result = CliRunner().invoke(qa_command.app, [str(qa_json / "qa.json"), "--fail-over", threshold])
    assert result.exit_code == code, result.output
    if code:
        assert "FAIL: lesson PER 0.2000 is over --fail-over" in result.output


def test_qa_command_on_a_folder_without_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(qa_command.app, [str(tmp_path)])
    assert result.exit_code == 2 and "qa.json does not exist" in result.output
    (tmp_path / "qa.json").write_text('{"hello": 1}')
    result = CliRunner().invoke(qa_command.app, [str(tmp_path)])
    assert result.exit_code == 2 and "not a lessonaudio QA report" in result.output


def test_qa_subcommands_can_join_the_path_form(qa_json: Path) -> None:
    """``qa PATH`` and a later ``qa summary --course X`` live side by side."""
    app = typer.Typer(cls=qa_command._PathRunsCheck)
    app.command("check")(qa_command.qa)

    @app.command("summary")
    def summary(course: str = typer.Option(...)) -> None:
        typer.echo(f"course {course}")

    root = typer.Typer()
    root.add_typer(app, name="qa")
    runner = CliRunner()
    assert runner.invoke(root, ["qa", "summary", "--course", "数学"]).output.strip() == "course 数学"
    assert runner.invoke(root, ["qa", str(qa_json), "--fail-over", "0.1"]).exit_code == 1
    assert runner.invoke(root, ["qa", "check", str(qa_json)]).exit_code == 0
    assert "summary" in runner.invoke(root, ["qa", "--help"]).output
    assert load_report(qa_json)["lesson_id"] == "demo"
