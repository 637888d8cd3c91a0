"""qa.json, the self-contained qa.html and ``lessonaudio qa`` (exit codes for CI), from hand-made results;
the players' speech marks from a real (tiny-voice) render."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from app.commands import qa as qa_command
from config import Settings
from engines.baker.engine import ENGINE_ID
from engines.registry import VoiceConfig
from lesson_specs import load_spec
from qa.config import flag_reasons
from qa.html import karaoke_js, render_html
from qa.metrics import Score
from qa.report import LessonInfo, load_report, report_data, segment_summary
from qa.results import Attempt, DiffItem, Hearing, LessonCheck, SegmentCheck, WindowResult
from qa.snippets import SNIPPET_PAD_S
from storage.pieces import PieceStore
from storage.segments import SegmentStore
from tasks.assemble import AssembledLesson, assemble_audio
from tasks.backcheck import segment_refs, write_qa_report
from tasks.describe import RenderInfo, write_descriptions
from tasks.jobs import LessonPlan, SegmentAudio, VoiceIdentity
from tasks.plan import plan_paragraphs
from tasks.synthesize import render_segment
from tests.tiny_voice import tiny_model_hash, use_tiny_voice
from text_frontend.frontend import FrontEnd
from wiring import qa_config

QA = qa_config(Settings.model_construct())
"""The thresholds as the settings declare them, whatever this machine's environment says."""

EVIL = '<script>alert("x")</script> & a<b'


def hearing(transcript: str, score: Score, level: float = -18.0) -> Hearing:
    diff = tuple(DiffItem("=" if c == "好" else "s", c, c) for c in transcript) or (DiffItem("d", "好", ""),)
    return Hearing(transcript, score, diff, level, flag_reasons(score, level, QA))


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
    return report_data(lesson_check(), LessonInfo("demo", "标题<&>", "r1"), spans, QA, 9.5)


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
    # Without speech marks the players follow no text, and the page runs no script.
    assert 'class="karaoke"' not in page
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
    """Exit 2 (input), not the gate's 1: through the real command, whose root maps the error."""
    from app.cli import app as cli

    result = CliRunner().invoke(cli, ["qa", str(tmp_path)])
    assert result.exit_code == 2 and "qa.json does not exist" in result.output
    (tmp_path / "qa.json").write_text('{"hello": 1}')
    result = CliRunner().invoke(cli, ["qa", str(tmp_path)])
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


def test_only_segments_with_a_player_and_marks_follow_their_text() -> None:
    # Hand-made marks on the lesson's timeline; segment 1 has no player, segment 2 no marks.
    segment_0: list[dict[str, Any]] = [
        {"time": 300, "end_time": 900, "type": "sentence", "segment": 0, "start": 0, "end": 3},
        {"time": 300, "end_time": 500, "type": "word", "segment": 0, "start": 0, "end": 2},
        {"time": 300, "end_time": 400, "type": "character", "segment": 0, "start": 0, "end": 1},
    ]
    marks = [segment_0, [{**segment_0[0], "segment": 1}], []]
    page = render_html(report(), [b"ID3-0", None, b"ID3-2"], marks)
    assert page.count('class="karaoke"') == 1 and '<div class="karaoke" data-segment="0">&lt;script' in page
    # Segment 0 starts at 0.2 s, its snippet SNIPPET_PAD_S earlier; word marks are left out.
    shift = round((0.2 - SNIPPET_PAD_S) * 1000)
    assert embedded_marks(page) == {
        "0": [
            {**m, "time": m["time"] - shift, "end_time": m["end_time"] - shift}
            for m in segment_0
            if m["type"] != "word"
        ]
    }
    assert karaoke_js() in page and "function showLessonText(" in page
    assert not re.search(r"https?:|//[a-z]", page)  # still self-contained
    assert page.count("<script") == 2  # the marks (data) and karaoke.js with what starts it


def embedded_marks(page: str) -> dict[str, list[dict[str, Any]]]:
    found = re.search(r'<script type="application/json" id="qa-marks">(.*?)</script>', page)
    assert found, "no speech marks in the page"
    marks: dict[str, list[dict[str, Any]]] = json.loads(found.group(1))
    return marks


SCRIPT = """
id: qa-marks
title: 标记
course: 测试课程
paragraphs:
  - text: 同学们好！今天我们学习勾股定理。
  - text: 直角边是3cm和4cm，斜边是多少？请想一想。
"""


@dataclass(frozen=True)
class TinyRender:
    plan: LessonPlan
    audios: list[SegmentAudio]
    lesson: AssembledLesson
    folder: Path


@pytest.fixture
def tiny_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TinyRender]:
    """A short lesson rendered and assembled by the tiny voice (real timing, milliseconds of work)."""
    for _ in use_tiny_voice(monkeypatch, tmp_path / "no-models"):
        identity = VoiceIdentity("baker", ENGINE_ID, tiny_model_hash())
        plan = plan_paragraphs(load_spec(SCRIPT), FrontEnd(), identity, max_chars=12)
        config = VoiceConfig(models_dir=tmp_path / "no-models", http_url=None, threads=1)
        store = SegmentStore(tmp_path / "segments")
        audios = [render_segment(job, store, config) for job in plan.jobs]
        folder = tmp_path / "render"
        folder.mkdir()
        lesson = assemble_audio(plan, audios, folder, PieceStore(tmp_path / "pieces"))
        yield TinyRender(plan, audios, lesson, folder)


def clean_check(plan: LessonPlan) -> LessonCheck:
    """Every segment heard as written (the tiny voice says no words a recogniser could hear)."""
    segments = []
    for ref in segment_refs(plan):
        diff = tuple(DiffItem("=", u, u) for u in ref.text)
        hearing = Hearing(ref.text, Score(len(ref.units), 0, 0), diff, -18.0, ())
        segments.append(SegmentCheck(ref.index, ref.paragraph, ref.text, ref.reference, 0, hearing))
    return LessonCheck("hand-made", (), tuple(segments), audio_s=10.0, asr_s=0.0)


def test_each_player_gets_its_segments_marks_from_marks_json_shifted_to_its_snippet(
    tiny_render: TinyRender,
) -> None:
    plan, lesson, folder = tiny_render.plan, tiny_render.lesson, tiny_render.folder
    assert len(plan.jobs) >= 3 and lesson.times  # the voice's own durations, not an even share
    check = clean_check(plan)
    write_qa_report.fn(plan, check, LessonInfo("qa-marks", "标记", "r1"), lesson, QA, folder)
    info = RenderInfo("r1", "标记", (False,) * len(plan.jobs), check)
    write_descriptions.fn(plan, tiny_render.audios, lesson, info, folder)

    page = (folder / "qa.html").read_text(encoding="utf-8")
    report = json.loads((folder / "qa.json").read_text(encoding="utf-8"))
    written = json.loads((folder / "marks.json").read_text(encoding="utf-8"))
    embedded = embedded_marks(page)
    assert sorted(embedded, key=int) == [str(j.index) for j in plan.jobs]
    for job, seg in zip(plan.jobs, report["segments"], strict=True):
        assert f'<div class="karaoke" data-segment="{job.index}">{job.display_text}</div>' in page
        shift = round(max(0.0, seg["start"] - SNIPPET_PAD_S) * 1000)
        expected = [
            {
                k: m[k] - shift if k in ("time", "end_time") else m[k]
                for k in ("type", "segment", "start", "end", "time", "end_time")
            }
            for m in written["marks"]
            if m["segment"] == job.index and m["type"] in ("sentence", "character")
        ]
        mine = embedded[str(job.index)]
        assert mine == sorted(mine, key=lambda m: m["time"]) and mine == expected
        # Times count from the snippet's start: the first sound comes after its pad, within the segment.
        chars = [m for m in mine if m["type"] == "character"]
        assert len(chars) == sum(1 for c in job.display_text if c.isalnum())
        assert SNIPPET_PAD_S * 1000 - 2 <= chars[0]["time"] < 400
        assert chars[-1]["end_time"] <= round((seg["end"] - seg["start"] + SNIPPET_PAD_S) * 1000) + 2
        # Each segment is one sentence here (the planner cuts at sentence ends), lit from its first sound.
        (sentence,) = [m for m in mine if m["type"] == "sentence"]
        assert (sentence["start"], sentence["end"]) == (0, len(job.display_text))
        assert sentence["time"] == chars[0]["time"] and sentence["end_time"] == chars[-1]["end_time"]


def test_a_flags_reason_reads_in_the_reports_language() -> None:
    from i18n import use_language

    segments = report()["segments"]
    assert isinstance(segments, list) and segments[2]["reasons"] == [
        "PER 1.00 > 0.34"
    ]  # qa.json's stable form
    with use_language("zh-CN"):
        chinese = render_html(report(), [None, None, None])
    with use_language("en"):
        english = render_html(report(), [None, None, None])
    assert '<div class="reason">PER 1.00 超过上限 0.34</div>' in chinese and "&gt; 0.34" not in chinese
    assert '<div class="reason">PER 1.00 is over the limit 0.34</div>' in english
