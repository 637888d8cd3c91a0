"""Paragraph pieces' keys and loudness targets, from real scripts through the real front end."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from lesson_specs import load_spec_file
from tasks.jobs import LessonPlan, VoiceIdentity
from tasks.pieces import CENTRE_STEP_DB, energy_centre_db, plan_pieces
from tasks.plan import plan_paragraphs
from text_frontend.frontend import FrontEnd

VOICE = VoiceIdentity("baker", "engine-x", "model-y")


@pytest.fixture(scope="module")
def front_end() -> FrontEnd:
    return FrontEnd()


def plan_of(tmp_path: Path, front_end: FrontEnd, paragraphs: list[tuple[str, str]]) -> LessonPlan:
    body = "\n".join(f"  - emotion: {emotion}\n    text: {text}" for emotion, text in paragraphs)
    spec = tmp_path / "lesson.yaml"
    spec.write_text(f"id: pieces\ntitle: 测试\nparagraphs:\n{body}\n", encoding="utf-8")
    return plan_paragraphs(load_spec_file(spec), front_end, VOICE, max_chars=50)


TEXTS = ["春天来了，小草发芽了。", "我们一起来朗读这篇课文。", "请大家打开课本，翻到第二十页。"]


def test_one_edit_changes_one_key(tmp_path: Path, front_end: FrontEnd) -> None:
    before = plan_pieces(plan_of(tmp_path, front_end, [("neutral", t) for t in TEXTS]))
    edited = [("neutral", t) for t in TEXTS]
    edited[1] = ("neutral", "这一段被老师改过了。")
    after = plan_pieces(plan_of(tmp_path, front_end, edited))
    assert [a.key == b.key for a, b in zip(before, after, strict=True)] == [True, False, True]
    assert len({p.key for p in before}) == 3  # different paragraphs, different pieces


def test_last_paragraph_ends_in_the_fixed_tail(tmp_path: Path, front_end: FrontEnd) -> None:
    pieces = plan_pieces(plan_of(tmp_path, front_end, [("neutral", t) for t in TEXTS]))
    assert [p.pause_after_ms for p in pieces] == [700, 700, 500]
    assert [p.paragraph for p in pieces] == [1, 2, 3]


def test_emotions_keep_their_offsets_around_the_target(tmp_path: Path, front_end: FrontEnd) -> None:
    neutral = plan_of(tmp_path, front_end, [("neutral", t) for t in TEXTS])
    assert energy_centre_db(neutral) == 0.0
    assert {p.target_lufs for p in plan_pieces(neutral)} == {-16.0}

    # A lesson read entirely sadly is brought back to the target as a whole (0.7 energy = -3.1 dB).
    sad = plan_of(tmp_path, front_end, [("sad", t) for t in TEXTS])
    assert energy_centre_db(sad) == pytest.approx(3.0)
    assert all(abs(p.target_lufs + 16.0) <= CENTRE_STEP_DB / 2 for p in plan_pieces(sad))

    # Mixed: the angry paragraph stays louder than the sad one by the presets' difference.
    mixed = plan_pieces(
        plan_of(tmp_path, front_end, list(zip(["angry", "sad", "neutral"], TEXTS, strict=True)))
    )
    assert mixed[0].target_lufs - mixed[1].target_lufs == pytest.approx(20 * math.log10(1.5 / 0.7), abs=0.002)
    assert mixed[0].target_lufs > mixed[2].target_lufs > mixed[1].target_lufs


def test_a_swapped_segment_changes_its_paragraphs_piece(tmp_path: Path, front_end: FrontEnd) -> None:
    """The back-check keeps a slower attempt under a new key: that paragraph must be re-mastered."""
    plan = plan_of(tmp_path, front_end, [("neutral", t) for t in TEXTS])
    keys = [job.key for job in plan.jobs]
    assert plan_pieces(plan, segment_keys=keys) == plan_pieces(plan)
    keys[-1] = "f" * 64
    swapped = plan_pieces(plan, segment_keys=keys)
    assert [a.key == b.key for a, b in zip(plan_pieces(plan), swapped, strict=True)] == [True, True, False]
    with pytest.raises(ValueError, match="segment keys"):
        plan_pieces(plan, segment_keys=keys[:-1])
