"""Carrying provenance over a rewrite costs work in proportion to the text, whatever the text is."""

from __future__ import annotations

import difflib
from functools import cache
from typing import ClassVar

import pytest

from text_frontend.normalize import Annotated, TextNormalizer, annotated
from text_frontend.normalize.annotated import MAX_DIFF_CELLS, Char, realign


@cache
def _normalizer() -> TextNormalizer:
    return TextNormalizer()


class _CountingMatcher(difflib.SequenceMatcher[str]):
    """A SequenceMatcher that refuses an oversized diff and adds up the cells of the ones it runs."""

    cells: ClassVar[list[int]] = []

    def __init__(self, isjunk: None, a: str, b: str, autojunk: bool = True) -> None:
        if len(a) * len(b) > MAX_DIFF_CELLS:
            raise AssertionError(f"a diff of {len(a)} × {len(b)} characters")
        _CountingMatcher.cells.append(len(a) * len(b))
        super().__init__(isjunk, a, b, autojunk=autojunk)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    cells: list[int] = []
    monkeypatch.setattr(_CountingMatcher, "cells", cells)
    monkeypatch.setattr(annotated, "SequenceMatcher", _CountingMatcher)
    return cells


def test_a_long_rewrite_is_never_diffed_whole(counting: list[int]) -> None:
    before = Annotated.verbatim("开头" + "3²+" * 2000 + "结尾", 0)
    after = "开头" + "三的平方加" * 2000 + "结尾"
    out = realign(before, after)
    assert out.text == after
    # what both ends share keeps its place in the paragraph
    assert [c.source for c in out.chars[:2]] == [0, 1]
    assert [c.source for c in out.chars[-2:]] == [len(before.chars) - 2, len(before.chars) - 1]


def test_a_long_rewrite_with_a_small_change_keeps_every_other_source(counting: list[int]) -> None:
    text = "甲乙丙丁" * 500
    before = Annotated.verbatim(text + "3个" + text, 0)
    out = realign(before, text + "三个" + text)
    assert [c.source for c in out.chars if c.char != "三"] == [
        c.source for c in before.chars if c.char != "3"
    ]
    assert [c.source for c in out.chars if c.char == "三"] == [None]


def test_short_rewrites_align_exactly_as_a_full_diff() -> None:
    before = Annotated((Char("第"), *Annotated.verbatim("2个x和3", 1).chars))
    out = realign(before, "第两个x和三")
    assert [(c.char, c.source) for c in out.chars] == [
        ("第", None),
        ("两", None),
        ("个", 2),
        ("x", 3),
        ("和", 4),
        ("三", None),
    ]


@pytest.mark.parametrize("unit", ["3²+", "1/"])
def test_front_end_diff_work_grows_linearly_with_hostile_text(unit: str, counting: list[int]) -> None:
    def work(repeat: int) -> int:
        counting.clear()
        _normalizer().normalize(Annotated.verbatim(unit * repeat, 0))
        return sum(counting)

    small, large = work(150), work(600)
    assert small > 0
    assert large <= 4 * small * 1.5  # four times the text, at most six times the work
