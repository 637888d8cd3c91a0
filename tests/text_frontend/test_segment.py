"""Segmentation: where cuts go, what pause follows, and that nothing is lost or split."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from text_frontend.segment import Break, PausePolicy, Unit, segment
from text_frontend.types import Punct, Syllable


def units(text: str) -> list[Unit]:
    """One unit per character; Han → syllable, the rest → punctuation."""
    return [
        (Punct(ch, i),) if ch in "。！？；，、：”" else (Syllable(ch, "a1", i),) for i, ch in enumerate(text)
    ]


def test_cuts_at_sentence_ends_with_their_pauses() -> None:
    segs, lead = segment(units("你好。我们开始；先读，再写"))
    assert [s.text for s in segs] == ["你好。", "我们开始；", "先读，再写"]
    assert [s.pause_after_ms for s in segs] == [400, 300, 400]
    assert lead == 0


def test_long_sentence_cut_at_commas_then_anywhere() -> None:
    text = "一二三四五，六七八九十，甲乙丙丁戊己庚辛壬癸子丑寅卯。"
    segs, _ = segment(units(text), max_chars=12)
    assert [s.text for s in segs] == ["一二三四五，六七八九十，", "甲乙丙丁戊己庚辛壬癸子丑", "寅卯。"]
    assert [s.pause_after_ms for s in segs] == [200, PausePolicy().forced_ms, 400]


def test_closing_quote_stays_with_its_sentence() -> None:
    segs, _ = segment(units("他说：好。”我们走"))
    assert segs[0].text == "他说：好。”"


def test_pause_marks_force_cuts_and_add_up() -> None:
    stream: list[Unit | Break] = [*units("你好"), Break(500), *units("再见"), Break(300), Break(200)]
    segs, _ = segment(stream)
    assert [(s.text, s.pause_after_ms) for s in segs] == [("你好", 500), ("再见", 500)]


def test_leading_pause_is_returned() -> None:
    segs, lead = segment([Break(300), *units("好")])
    assert lead == 300 and segs[0].text == "好"


def _reading(text: str) -> Unit:
    """A produced unit, as the front end makes for a number's reading."""
    return tuple(Syllable(ch, "a1", None) for ch in text)


def test_a_unit_that_fits_is_never_split() -> None:
    segs, _ = segment([*units("共有"), _reading("一千二百三十四"), *units("人")], max_chars=8)
    assert any(s.text.startswith("一千二百三十四") for s in segs)


def test_a_unit_longer_than_the_limit_is_cut_into_near_equal_parts() -> None:
    # 3.1415… with 200 decimals: one unit of 202 syllables.
    number = _reading("三点" + "一四一五九二六五三五" * 20)
    segs, _ = segment([*units("圆周率是"), number, *units("。")], max_chars=50)
    assert "".join(s.text for s in segs) == "圆周率是" + "".join(t.char for t in number) + "。"
    assert all(len(s.tokens) <= 50 for s in segs)
    sizes = [len(s.tokens) for s in segs]
    assert max(sizes) - min(sizes) <= 10, sizes  # no one-syllable stub at the end
    assert [s.pause_after_ms for s in segs[:-1]] == [PausePolicy().forced_ms] * (len(segs) - 1)


def test_a_long_number_is_cut_after_wan_or_yi_when_one_is_near() -> None:
    number = _reading("一千二百三十四亿五千六百七十八万九千零一十二点三四五六七八九")
    segs, _ = segment([number], max_chars=20)
    assert [s.text for s in segs] == ["一千二百三十四亿五千六百七十八万", "九千零一十二点三四五六七八九"]


_TEXT = st.text(alphabet="甲乙丙丁。，；！？”", max_size=200)
_READING = st.text(alphabet="一二三万亿点", min_size=1, max_size=300).map(_reading)


@given(
    st.lists(st.one_of(_TEXT.map(units), _READING.map(lambda u: [u])), max_size=5),
    st.integers(min_value=1, max_value=60),
)
def test_every_segment_respects_the_limit_even_with_long_units(
    pieces: list[list[Unit]], max_chars: int
) -> None:
    stream = [unit for piece in pieces for unit in piece]
    segs, _ = segment(stream, max_chars=max_chars)
    assert [t for s in segs for t in s.tokens] == [t for unit in stream for t in unit]
    assert all(0 < len(s.tokens) <= max_chars for s in segs)


@given(_TEXT, st.integers(min_value=1, max_value=60))
def test_segments_rejoin_and_respect_the_limit(text: str, max_chars: int) -> None:
    segs, _ = segment(units(text), max_chars=max_chars)
    assert "".join(s.text for s in segs) == text
    assert all(len(s.text) <= max_chars for s in segs)
    assert all(s.text == "".join(t.char for t in s.tokens) for s in segs)
