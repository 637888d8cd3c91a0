"""A course lexicon edit re-renders only the segments whose readings change (real voice)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.render import RenderSummary, render_lesson

pytestmark = [
    pytest.mark.usefixtures("prefect_server"),
    pytest.mark.tiny_voice("test_editing_a_course_lexicon_resynthesises_only_the_paragraphs_it_changes"),
]

SCRIPT = """id: course-words
title: 课程词表
course: 测试课程
lexicon:
  长度: chang2 du4
paragraphs:
  - text: 同学们好，今天我们去银行。
  - text: 这条线段的长度是五厘米。
  - text: 请大家翻到第十页。
"""
COURSE = "course: 测试课程\nlexicon:\n  银行: yin2 {bank}\n  长度: {length} du4\n"


def _segments(summary: RenderSummary) -> list[dict[str, object]]:
    manifest = json.loads((Path(summary.folder) / "manifest.json").read_text(encoding="utf-8"))
    segments: list[dict[str, object]] = manifest["segments"]
    return segments


def test_editing_a_course_lexicon_resynthesises_only_the_paragraphs_it_changes(
    render_env: Path, tmp_path: Path
) -> None:
    lesson = tmp_path / "course" / "lesson.yaml"
    lesson.parent.mkdir()
    lesson.write_text(SCRIPT, encoding="utf-8")
    lexicon = lesson.parent / "lexicon.yaml"  # picked up beside the script
    lexicon.write_text(COURSE.format(bank="hang2", length="zhang3"), encoding="utf-8")
    out = str(tmp_path / "out")

    first = render_lesson(str(lesson), out_dir=out)
    assert first.synthesized == first.segments and first.reused == 0
    readings = " ".join(str(s["pinyin"]) for s in _segments(first))
    assert "yin2 hang2" in readings and "chang2 du4" in readings  # the lesson's 长度 wins

    # One entry the first paragraph uses, one the lesson's own entry shadows: only paragraph 1 changes.
    lexicon.write_text(COURSE.format(bank="xing2", length="chang3"), encoding="utf-8")
    second = render_lesson(str(lesson), out_dir=out)
    segments = _segments(second)
    assert {s["paragraph"] for s in segments if not s["reused"]} == {1}
    assert second.synthesized == sum(1 for s in segments if s["paragraph"] == 1) > 0
    assert second.reused == second.segments - second.synthesized > 0
    assert "yin2 xing2" in " ".join(str(s["pinyin"]) for s in segments if s["paragraph"] == 1)

    # Back to a reading already heard: everything comes from the cache.
    lexicon.write_text(COURSE.format(bank="hang2", length="chang3"), encoding="utf-8")
    third = render_lesson(str(lesson), out_dir=out)
    assert third.synthesized == 0 and third.reused == third.segments
