"""Pydantic's validation problems read whole in the reader's language: lists of choices are joined
with the reader's words, and a value that misses a pattern is named by what it should be, not by a
regular expression. Every error here is pydantic's own, from a real model; English keeps its words.
"""

from __future__ import annotations

import enum
import re
from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field, ValidationError

from i18n import use_language
from i18n.problems import problem_message

LATIN_WORD = re.compile(r"\b(or|must|match|pattern)\b")


class Mood(enum.Enum):
    CALM = "calm"
    BRIGHT = "bright"
    LOW = "low"


class Request(BaseModel):
    emotion: Literal["neutral", "happy", "sad, quietly", 3] = "neutral"
    mood: Mood = Mood.CALM
    job_id: str = Field("0" * 16, pattern=r"^[0-9a-f]{16}$")
    addressing: str = Field("auto", pattern="^(auto|path|virtual)$")
    code: str = Field("1", pattern=r"^\d+$")


def _error(**values: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as raised:
        Request(**values)
    (error,) = raised.value.errors()
    return dict(error)


def _both(error: dict[str, Any]) -> tuple[str, str]:
    with use_language("zh-CN"):
        zh = problem_message(error)
    with use_language("en"):
        en = problem_message(error)
    return zh, en


def test_a_literal_lists_its_choices_in_chinese() -> None:
    zh, en = _both(_error(emotion="joy"))
    assert zh == "必须是以下之一：'neutral'、'happy'、'sad, quietly' 或 3"
    assert en == "must be one of: 'neutral', 'happy', 'sad, quietly' or 3"


def test_an_enum_lists_its_choices_in_chinese() -> None:
    zh, en = _both(_error(mood="dark"))
    assert zh == "必须是以下之一：'calm'、'bright' 或 'low'"
    assert not LATIN_WORD.search(zh)
    assert en == "must be one of: 'calm', 'bright' or 'low'"


def test_an_id_that_misses_its_pattern_is_not_a_valid_id() -> None:
    zh, en = _both(_error(job_id="nope"))
    assert zh == "不是有效的编号"
    assert en == "must match the pattern ^[0-9a-f]{16}$"


def test_a_pattern_of_words_is_a_choice() -> None:
    zh, en = _both(_error(addressing="host"))
    assert zh == "必须是以下之一：'auto'、'path' 或 'virtual'"
    assert en == "must match the pattern ^(auto|path|virtual)$"


def test_any_other_pattern_is_only_in_parentheses() -> None:
    zh, en = _both(_error(code="x"))
    assert zh == "格式不对（应符合 ^\\d+$）"
    assert en == "must match the pattern ^\\d+$"
