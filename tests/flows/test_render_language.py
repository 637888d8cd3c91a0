"""A render run for a teacher elsewhere (a worker's run of the page's submission) speaks their language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from errors import LessonaudioError
from flows.render import render_lesson

HAN = re.compile(r"[\u4e00-\u9fff]")


def _failure(tmp_path: Path, language: str | None) -> str:
    script = tmp_path / "lesson.yaml"
    script.write_text(
        "id: Bad Id\ntitle: t\nparagraphs:\n  - text: 同学们好\n    emotion: hapy\n", encoding="utf-8"
    )
    with pytest.raises(LessonaudioError) as failed:
        render_lesson.fn(str(script), out_dir=str(tmp_path / "out"), language=language)
    return str(failed.value).replace("同学们好", "")


def test_a_render_writes_its_messages_in_the_language_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path / "cache"))
    chinese = _failure(tmp_path, "zh-CN")
    english = _failure(tmp_path, None)  # the process's own language: English under the tests
    assert "未知的情感" in chinese and "unknown emotion" not in chinese
    assert "unknown emotion" in english and not HAN.search(english)
