"""G2P: polyphone accuracy on real data, 一/不 sandhi, and pinned readings."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from text_frontend.g2p import G2P, split_words
from text_frontend.g2p.sandhi import apply_yi_bu

DATA = Path(__file__).parent / "data" / "polyphone"


@cache
def _g2p() -> G2P:
    return G2P()


def _cpp() -> list[tuple[str, int, str]]:
    sents = (DATA / "cpp_test_sample.sent").read_text(encoding="utf-8").splitlines()
    labels = (DATA / "cpp_test_sample.lb").read_text(encoding="utf-8").split()
    assert len(sents) == len(labels) > 400
    items = []
    for sent, label in zip(sents, labels, strict=True):
        before, char, after = sent.split("▁")
        items.append((before + char + after, len(before), label))
    return items


def _hand_made() -> list[tuple[str, int, str]]:
    items = []
    for line in (DATA / "hand_made.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sent, label = line.split("\t")
        before, char, after = sent.split("▁")
        items.append((before + char + after, len(before), label))
    return items


def _accuracy(items: list[tuple[str, int, str]], predict: object) -> float:
    assert callable(predict)
    hits: int = sum(predict(text)[i] == label for text, i, label in items)
    return hits / len(items)


def _pypinyin(text: str) -> list[str]:
    return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda x: ["?"] * len(x))  # type: ignore[arg-type,return-value]


def test_cpp_polyphone_accuracy() -> None:
    items = _cpp()
    ours = _accuracy(items, _g2p().readings)
    baseline = _accuracy(items, _pypinyin)
    assert ours >= 0.95
    assert ours > baseline


def test_hand_made_classroom_sentences_not_worse_than_pypinyin() -> None:
    items = _hand_made()
    assert _accuracy(items, _g2p().readings) >= _accuracy(items, _pypinyin)


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("他在银行工作", 3, "hang2"),
        ("我们一起去重庆", 5, "chong2"),
        ("绿色", 0, "lv4"),
        ("请把声音调大", 3, "yin1"),
    ],
)
def test_common_readings(text: str, index: int, expected: str) -> None:
    assert _g2p().readings(text)[index] == expected


@given(st.text(alphabet="一个好学生银行长大重庆声音调小了", max_size=30))
def test_word_split_covers_the_run_with_dictionary_words(run: str) -> None:
    words = split_words(run)
    assert "".join(words) == run
    assert all(len(w) == 1 or w in PHRASES_DICT for w in words)


def test_non_han_gets_no_reading() -> None:
    assert _g2p().readings("好，A😀") == ["hao3", None, None, None]


def test_pinned_readings_win_and_are_context() -> None:
    readings = _g2p().readings("银行", ["yin2", "xing2"])
    assert readings == ["yin2", "xing2"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一个", "yi2"),
        ("一样", "yi2"),
        ("一天", "yi4"),
        ("一起", "yi4"),
        ("第一", "yi1"),
        ("十一", "yi1"),
        ("一月", "yi1"),
        ("统一", "yi1"),
        ("看一看", "yi5"),
        ("不对", "bu2"),
        ("不好", "bu4"),
        ("是不是", "bu5"),
    ],
)
def test_yi_bu_sandhi(text: str, expected: str) -> None:
    index = text.index("一") if "一" in text else text.index("不")
    assert _g2p().readings(text)[index] == expected


def test_sandhi_leaves_fixed_readings_alone() -> None:
    assert apply_yi_bu("一个", ["yi1", "ge4"], [True, False]) == ["yi1", "ge4"]
