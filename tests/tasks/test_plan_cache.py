"""Stored lesson plans: what makes a plan another one, and renders that skip the front end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lesson_specs import load_spec_file
from tasks.jobs import VoiceIdentity
from tasks.plan_cache import load_plan, plan_key, save_plan

pytestmark = pytest.mark.tiny_voice("test_a_rerender_of_an_unchanged_script_skips_the_front_end")

VOICE = VoiceIdentity("baker", "engine", "model")
SCRIPT = """\
id: plan-cache
title: 计划
course: 测试课程
lexicon:
  行长: 杭长
paragraphs:
  - text: 银行的行长来了。
  - emotion: happy
    text: 大家好，今天学习第3课。
"""


def _spec(tmp_path: Path, text: str = SCRIPT, name: str = "lesson.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_same_script_is_the_same_key_wherever_it_is_read_from(tmp_path: Path) -> None:
    first = load_spec_file(_spec(tmp_path))
    (tmp_path / "elsewhere").mkdir()
    moved = load_spec_file(_spec(tmp_path / "elsewhere", name="copy.yaml"))
    assert plan_key(first, VOICE, 50) == plan_key(load_spec_file(_spec(tmp_path)), VOICE, 50)
    assert plan_key(first, VOICE, 50) == plan_key(moved, VOICE, 50)


@pytest.mark.parametrize(
    "edit",
    [
        ("银行的行长来了。", "银行的行长走了。"),
        ("  - emotion: happy", "  - emotion: sad"),
        ("行长: 杭长", "行长: 航长"),
        ("title: 计划", "title: 另一个计划"),
    ],
)
def test_any_change_to_what_is_read_is_another_key(tmp_path: Path, edit: tuple[str, str]) -> None:
    base = load_spec_file(_spec(tmp_path))
    changed = load_spec_file(_spec(tmp_path, SCRIPT.replace(*edit), "changed.yaml"))
    assert plan_key(base, VOICE, 50) != plan_key(changed, VOICE, 50)


def test_the_voice_and_the_segment_limit_are_part_of_the_key(tmp_path: Path) -> None:
    spec = load_spec_file(_spec(tmp_path))
    other_voice = VoiceIdentity("baker", "engine", "another-model")
    assert plan_key(spec, VOICE, 50) != plan_key(spec, VOICE, 40)
    assert plan_key(spec, VOICE, 50) != plan_key(spec, other_voice, 50)


def test_an_unreadable_record_is_a_miss(tmp_path: Path) -> None:
    from tasks.jobs import LessonPlan

    plan = LessonPlan("id", "title", None, "sha", VOICE, ())
    save_plan(tmp_path, "ab" * 32, plan)
    assert load_plan(tmp_path, "ab" * 32) == plan
    (record,) = tmp_path.rglob("*.pickle")
    record.write_bytes(record.read_bytes()[:10])
    assert load_plan(tmp_path, "ab" * 32) is None
    record.write_bytes(b"not a pickle")
    assert load_plan(tmp_path, "ab" * 32) is None


@pytest.mark.usefixtures("prefect_server")
def test_a_rerender_of_an_unchanged_script_skips_the_front_end(
    render_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.render
    from flows.render import render_lesson
    from text_frontend.frontend import FrontEnd

    monkeypatch.setenv("LESSONAUDIO_BACKCHECK", "false")
    spec = _spec(tmp_path)
    first = render_lesson(str(spec), out_dir=str(tmp_path / "out"))

    def unread(self: FrontEnd, *args: object, **kwargs: object) -> None:
        raise AssertionError("the front end was loaded for a script whose plan is stored")

    def unmatched(text: str) -> None:
        raise AssertionError("the word matcher was asked for words the stored plan has")

    with monkeypatch.context() as patched:
        flows.render._front_end.cache_clear()
        patched.setattr(FrontEnd, "__init__", unread)
        patched.setattr("tasks.marks.word_spans", unmatched)
        second = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    flows.render._front_end.cache_clear()
    assert second.synthesized == 0 and second.reused == first.segments
    manifests = [json.loads((Path(r.folder) / "manifest.json").read_text()) for r in (first, second)]
    assert [s["text"] for s in manifests[0]["segments"]] == [s["text"] for s in manifests[1]["segments"]]
    assert (Path(first.folder) / "lesson.wav").read_bytes() == (
        Path(second.folder) / "lesson.wav"
    ).read_bytes()

    # An edit is read again by the front end, and only the edited paragraph is synthesised.
    shutil.copy(spec, tmp_path / "before.yaml")
    spec.write_text(SCRIPT.replace("今天学习第3课", "今天学习第4课"), encoding="utf-8")
    third = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    assert 0 < third.synthesized < third.segments
