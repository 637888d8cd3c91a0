"""Inline markup and pinyin spelling: the pieces the front end and the validator share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from text_frontend.lexicon import build_lexicon
from text_frontend.markup import (
    Alias,
    DurationError,
    Override,
    PauseMark,
    Plain,
    parse_duration,
    parse_markup,
    parse_reading,
)
from text_frontend.pinyin import PinyinError, looks_like_pinyin, normalize_syllable, split_syllables


def test_pieces_and_offsets() -> None:
    text = "在银[行](hang2)工作。他说[Python](派森)很好学。[[500ms]]我们继续。"
    markup = parse_markup(text)
    assert markup.issues == ()
    kinds = [type(p) for p in markup.pieces]
    assert kinds == [Plain, Override, Plain, Alias, Plain, PauseMark, Plain]
    override = markup.pieces[1]
    assert isinstance(override, Override)
    assert (override.text, override.syllables) == ("行", ("hang2",))
    assert text[override.start : override.end] == "[行](hang2)"
    alias = markup.pieces[3]
    assert isinstance(alias, Alias) and alias.spoken == "派森"
    pause = markup.pieces[5]
    assert isinstance(pause, PauseMark) and pause.ms == 500
    for piece in markup.pieces:
        if isinstance(piece, Plain):
            assert text[piece.start : piece.start + len(piece.text)] == piece.text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hang2", "hang2"),
        ("HANG2", "hang2"),
        ("háng", "hang2"),
        ("lü4", "lv4"),
        ("lu:4", "lv4"),
        ("de5", "de5"),
    ],
)
def test_syllable_spellings(raw: str, expected: str) -> None:
    assert normalize_syllable(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fix_part"), [("hang", "hang1"), ("xang2", "spelling"), ("h4ng", "tone digit")]
)
def test_bad_syllables(raw: str, fix_part: str) -> None:
    with pytest.raises(PinyinError) as caught:
        normalize_syllable(raw)
    assert fix_part in caught.value.fix


@pytest.mark.parametrize(
    ("raw", "fix"),
    [
        ("hāng2", "write hang2 or háng"),
        ("HÁNG2", "write hang2 or háng"),
        ("lǚ4", "write lv4 or lǜ"),
        ("hāng22", "write the tone once"),
    ],
)
def test_tone_mark_and_tone_digit_together_are_refused(raw: str, fix: str) -> None:
    with pytest.raises(PinyinError) as caught:
        normalize_syllable(raw)
    assert "both a tone mark and a tone digit" in str(caught.value)
    assert caught.value.fix.startswith(fix)


def test_override_with_two_tones_is_an_issue_not_a_reading() -> None:
    text = "在银[行](hāng2)工作"
    markup = parse_markup(text)
    assert [(text[i.start : i.end], i.fix) for i in markup.issues] == [("hāng2", "write hang2 or háng")]
    assert not any(isinstance(p, Override) for p in markup.pieces)


def test_lexicon_reading_with_two_tones_is_refused() -> None:
    lexicon, issues = build_lexicon({"银行": "yín háng2", "勾股": "gou1 gu3"})
    assert [e.word for e in lexicon.entries] == ["勾股"]
    assert "both a tone mark and a tone digit" in issues["银行"].message
    assert issues["银行"].fix == "write hang2 or háng"


@pytest.mark.parametrize(
    ("text", "at", "message"),
    [
        ("你好]]我们继续", 2, "unmatched ]]"),
        ("[[500ms]]]]我们继续", 9, "unmatched ]]"),
        ("[行](hang2)]]", 10, "unmatched ]]"),
        ("你好[[500ms我们继续", 2, "unfinished pause markup"),
    ],
)
def test_unmatched_double_brackets_are_issues(text: str, at: int, message: str) -> None:
    issues = parse_markup(text).issues
    assert [(i.start, i.end) for i in issues] == [(at, at + 2)]
    assert issues[0].message.startswith(message)
    assert "[[500ms]]" in issues[0].fix


def test_matched_pause_marks_are_not_flagged() -> None:
    assert parse_markup("你好[[500ms]][[1s]]我们继续]").issues == ()


@pytest.mark.parametrize(
    "text",
    [
        "[" + "银" * 3000 + "](yin2)",
        "[[" + "9" * 3000 + "ms]]",
        "[[x" + "9" * 3000 + "]]",
        "[行](" + "a" * 3000 + "2)",
    ],
)
def test_issue_messages_quote_a_bounded_excerpt(text: str) -> None:
    issues = parse_markup(text).issues
    assert issues
    for issue in issues:
        assert len(issue.message) <= 120 and len(issue.fix) <= 120, issue
        assert "…" in issue.message


def test_multi_syllable_override_and_count_mismatch() -> None:
    ok = parse_markup("[银行](yin2 hang2)")
    assert isinstance(ok.pieces[0], Override) and ok.pieces[0].syllables == ("yin2", "hang2")
    assert split_syllables("gou1gu3") == ["gou1", "gu3"]
    bad = parse_markup("[银行](yin2)")
    assert len(bad.issues) == 1 and "2 character(s) but 1 syllable(s)" in bad.issues[0].message
    assert isinstance(bad.pieces[0], Plain) and bad.pieces[0].text == "银行"


def test_pinyin_or_alias() -> None:
    assert looks_like_pinyin("gou1 gu3") and looks_like_pinyin("háng")
    assert not looks_like_pinyin("派森") and not looks_like_pinyin("123") and not looks_like_pinyin("")


@pytest.mark.parametrize(("text", "ms"), [("500ms", 500), ("1s", 1000), ("1.5s", 1500), (" 0.25 s ", 250)])
def test_durations(text: str, ms: int) -> None:
    assert parse_duration(text) == ms


@pytest.mark.parametrize("text", ["500", "1min", "-1s", "11s", "fast"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


def test_unfinished_markup_is_reported() -> None:
    issues = parse_markup("我们[[500ms继续](").issues
    assert {i.message for i in issues} == {"unfinished pause markup", "unfinished override markup"}


def test_lexicon_longest_first() -> None:
    lexicon, issues = build_lexicon({"勾股": "gou1 gu3", "勾股定理": "gou1 gu3 ding4 li3", "Py": "派"})
    assert issues == {}
    assert [e.word for e in lexicon.readings] == ["勾股定理", "勾股"]
    assert [e.word for e in lexicon.aliases] == ["Py"]


@given(st.text(max_size=120))
def test_parse_never_raises_and_covers_text(text: str) -> None:
    markup = parse_markup(text)
    for issue in markup.issues:
        assert 0 <= issue.start <= issue.end <= len(text)
    for piece in markup.pieces:
        if isinstance(piece, Plain):
            assert text[piece.start : piece.start + len(piece.text)] == piece.text


def test_pauses_in_one_text_add_up_to_at_most_a_minute() -> None:
    """Each pause is at most 10 s, so without a cap on their sum 250 of them ask for 41 minutes."""
    assert parse_markup("好[[10s]]" * 6).issues == ()  # exactly 60 s is allowed
    text = "好[[10s]]" * 250
    (issue,) = parse_markup(text).issues
    assert (issue.start, issue.end) == (49, 56)  # the seventh pause is the one over the limit
    assert "2500s, over the 60s limit" in issue.message
    assert "fewer or shorter pauses" in issue.fix


@pytest.mark.parametrize(
    ("reading", "expected"),
    [("ｈａｎｇ２", ("hang2",)), ("Ｈáng", ("hang2",)), ("ｘｉｎｇ２", ("xing2",)), ("yin2　hang2", None)],
)
def test_full_width_pinyin_from_a_chinese_input_method_is_pinyin(
    reading: str, expected: tuple[str, ...] | None
) -> None:
    """Typed with a Chinese input method's full-width letters, a reading is still pinyin, never an alias."""
    display = "银行" if expected is None else "行"
    assert parse_reading(display, reading) == (expected or ("yin2", "hang2"))
    (override,) = [p for p in parse_markup(f"[{display}]({reading})").pieces if not isinstance(p, Plain)]
    assert isinstance(override, Override)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("[[行](hang2)]", [(0, "stray ["), (11, "stray ]")]),
        ("银[行](hang2)]工作", [(11, "stray ]")]),
        ("[[Python](派森)", [(0, "stray [")]),
        ("[[[500ms]]]", [(0, "stray ["), (10, "stray ]")]),
    ],
)
def test_a_bracket_touching_markup_is_an_issue(text: str, flagged: list[tuple[int, str]]) -> None:
    issues = parse_markup(text).issues
    assert [(i.start, i.message[:7]) for i in issues] == flagged
    assert all(i.end == i.start + 1 and "[[500ms]]" in i.fix for i in issues)


@pytest.mark.parametrize(
    "text", ["a]b", "区间(0, 1]和[0, 1)", "数组a[0]等于[行](hang2)", "[1] 见[行](hang2) [2]"]
)
def test_a_lone_bracket_in_prose_is_text(text: str) -> None:
    """Brackets not touching markup are prose: intervals in maths, indexes in programming."""
    assert parse_markup(text).issues == ()


def test_a_bracket_pair_already_reported_is_reported_once() -> None:
    assert [i.message for i in parse_markup("[行](hang2)]]").issues] == ["unmatched ]] (no [[ opens it)"]


@pytest.mark.parametrize(
    "text",
    [
        "在银[行]（hang2）工作",
        "在银【行】(hang2)工作",
        "在银【行】（hang2）工作",
        "在银［行］（ｈａｎｇ２）工作",
    ],
)
def test_an_override_typed_with_a_chinese_input_method_is_an_override(text: str) -> None:
    markup = parse_markup(text)
    assert markup.issues == () and markup.hints == ()
    assert markup.pieces == (Plain("在银", 0), Override("行", ("hang2",), 2, 12), Plain("工作", 12))


@pytest.mark.parametrize(
    "text", ["停顿【【500ms】】继续", "停顿［［500ms］］继续", "停顿【【５００ｍｓ】】继续"]
)
def test_a_pause_typed_with_full_width_brackets_is_a_pause(text: str) -> None:
    assert parse_markup(text).pieces == (Plain("停顿", 0), PauseMark(500, 2, 11), Plain("继续", 11))


@pytest.mark.parametrize(
    "text",
    [
        "【注意】（见下文）",
        "【版本】（v2）",
        "见［图1］（a）",
        "【Python】（派森）",
        "【【重点】】",
        "（1）【例】",
    ],
)
def test_full_width_brackets_in_prose_stay_text(text: str) -> None:
    markup = parse_markup(text)
    assert markup.pieces == (Plain(text, 0),)
    assert markup.issues == () and markup.hints == ()


def test_a_full_width_reading_that_fails_is_text_with_a_hint_that_says_why() -> None:
    markup = parse_markup("在银【行】（hang6）工作，停顿【【5秒】】")
    assert all(isinstance(p, Plain) for p in markup.pieces) and markup.issues == ()
    reading, pause = markup.hints
    assert (reading.start, reading.end) == (2, 12)
    assert "full-width" in reading.message and "'hang6' is not a pinyin syllable" in reading.message
    assert "[行](hang2)" in reading.fix
    assert "'5秒' is not a duration" in pause.message


def test_ascii_markup_next_to_full_width_brackets_reads_as_before() -> None:
    markup = parse_markup("【注意】[行](hang2)（见下文）")
    assert markup.pieces == (Plain("【注意】", 0), Override("行", ("hang2",), 4, 14), Plain("（见下文）", 14))


@pytest.mark.parametrize(
    "reading",
    ["ha\u0301ng", "hang2\u200b", "\u200bhang2", "háng\ufeff", "hang\u00ad2"],
)
def test_decomposed_accents_and_invisible_characters_do_not_make_pinyin_an_alias(reading: str) -> None:
    assert parse_reading("行", reading) == ("hang2",)
    assert parse_markup(f"[行]({reading})").pieces == (Override("行", ("hang2",), 0, 5 + len(reading)),)


@pytest.mark.parametrize("reading", ["\x00", "🙂", "\u200b", "。"])
def test_a_reading_with_nothing_to_say_is_an_error_not_a_silent_drop(reading: str) -> None:
    (issue,) = parse_markup(f"[行]({reading})").issues
    assert "reading" in issue.message
