"""The facade: markup and lexicon precedence, source offsets, unspoken spans, pauses, robustness."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from text_frontend.frontend import FrontEnd
from text_frontend.lexicon import Lexicon, build_lexicon
from text_frontend.types import Punct, Syllable


@cache
def _fe() -> FrontEnd:
    return FrontEnd()


def _lexicon(raw: dict[str, str]) -> Lexicon:
    lexicon, issues = build_lexicon(raw)
    assert issues == {}
    return lexicon


def test_override_beats_lexicon_beats_g2p() -> None:
    lexicon = _lexicon({"银行": "yin2 xing2"})
    plain = _fe().analyze("他在银行工作。", lexicon)
    assert [(s.char, s.pinyin, s.origin) for s in plain.syllables[2:4]] == [
        ("银", "yin2", "lexicon"),
        ("行", "xing2", "lexicon"),
    ]
    overridden = _fe().analyze("他在[银行](yin2 hang2)工作。", lexicon)
    assert [(s.pinyin, s.origin) for s in overridden.syllables[2:4]] == [
        ("yin2", "override"),
        ("hang2", "override"),
    ]


def test_alias_and_sources_point_into_the_paragraph_as_written() -> None:
    text = "在银[行](hang2)工作。他说[Python](派森)很好。"
    analysis = _fe().analyze(text)
    words = {w.start for w in analysis.latin_words} | {w.end - 1 for w in analysis.latin_words}
    for token in analysis.tokens:
        if token.source is not None:
            # A Latin word's reading marks where the word starts and ends, for captions.
            assert text[token.source] == token.char or token.source in words
    by_char = {s.char: s for s in analysis.syllables}
    assert by_char["行"].source == text.index("[行]") + 1
    assert (by_char["派"].origin, by_char["派"].source) == ("alias", None)
    assert analysis.unspoken == ()


def test_numbers_keep_context_across_an_override() -> None:
    analysis = _fe().analyze("买了2[个](ge4)苹果")
    assert analysis.normalized == "买了两个苹果"
    assert [s.source for s in analysis.syllables][:4] == [0, 1, None, 4]


def test_unspoken_spans_report_emoji_and_symbols_while_latin_words_are_read() -> None:
    text = "我用Python写代码😀，还有iPhone 15 Pro。"
    analysis = _fe().analyze(text)
    assert [(s.text, s.reason) for s in analysis.unspoken] == [("😀", "emoji")]
    assert [(w.text, w.kind) for w in analysis.latin_words] == [
        ("Python", "lexicon"),
        ("iPhone", "lexicon"),
        ("Pro", "spelled"),
    ]
    for w in analysis.latin_words:
        assert text[w.start : w.end] == w.text


def test_lexicon_alias_makes_a_word_spoken_and_matches_whole_words_only() -> None:
    lexicon = _lexicon({"Py": "派"})
    analysis = _fe().analyze("Py和Pythons", lexicon)
    assert analysis.normalized.startswith("派和")
    assert [w.text for w in analysis.latin_words] == ["Pythons"]


def test_latin_letters_in_formulas_are_spoken() -> None:
    analysis = _fe().analyze("勾股定理：a²+b²=c²。")
    assert "诶的平方加必的平方等于西的平方" in analysis.normalized
    assert analysis.unspoken == ()


def test_pauses_marks_defaults_and_paragraph_pause() -> None:
    analysis = _fe().analyze("[[300ms]]你好。[[800ms]]我们开始，先读课文", pause_after_ms=1200)
    assert analysis.leading_pause_ms == 300
    assert [(s.text, s.pause_after_ms) for s in analysis.segments] == [
        ("你好。", 800),
        ("我们开始，先读课文", 1200),
    ]


def test_formula_is_one_unit_while_it_fits() -> None:
    analysis = _fe().analyze("所以a²+b²=c²", max_chars=16)
    texts = [s.text for s in analysis.segments]
    assert texts == ["所以", "诶的平方加必的平方等于西的平方"]
    shorter = _fe().analyze("所以a²+b²=c²", max_chars=5)
    assert "".join(s.text for s in shorter.segments) == "所以诶的平方加必的平方等于西的平方"
    assert all(len(s.tokens) <= 5 for s in shorter.segments)


def test_g2p_line_json_shape() -> None:
    line = _fe().g2p_line("银行有10个人")
    assert line["text"] == "银行有10个人"
    assert line["normalized"] == "银行有十个人"
    assert line["syllables"][1] == {"char": "行", "pinyin": "hang2", "source": 1}
    assert line["syllables"][3] == {"char": "十", "pinyin": "shi2", "source": None}


def test_g2p_line_reports_markup_issues() -> None:
    line = _fe().g2p_line("[行](hāng2)好]]")
    assert [(i["start"], i["end"]) for i in line["issues"]] == [(4, 9), (11, 13)]
    assert line["issues"][0]["fix"] == "write hang2 or háng"


PI_200 = "3." + "1415926535" * 20


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (f"圆周率是{PI_200}。", PI_200),
        ("9" * 1999, "9" * 1999),
        ("2^" * 500 + "2", "2^" * 500 + "2"),
        ("他说 " + "12345678" * 10 + " 很大", "12345678" * 10),
    ],
)
def test_a_long_reading_is_cut_to_the_limit_and_reported(text: str, written: str) -> None:
    analysis = _fe().analyze(text, max_chars=50)
    assert all(len(seg.tokens) <= 50 for seg in analysis.segments)
    assert len(analysis.segments) >= 2
    produced = sum(1 for s in analysis.syllables if s.source is None)
    assert [(text[r.start : r.end], r.syllables) for r in analysis.long_readings] == [(written, produced)]


def test_long_readings_of_aliases_and_lexicon_point_at_what_was_written() -> None:
    long_alias = "派森" * 30
    word = "Python" * 5  # a lexicon alias may be twice its word's length: 60 characters here
    text = f"我学[Python]({long_alias})和{word}"
    analysis = _fe().analyze(text, _lexicon({word: long_alias}), max_chars=50)
    assert [(text[r.start : r.end], r.syllables) for r in analysis.long_readings] == [
        (f"[Python]({long_alias})", 60),
        (word, 60),
    ]
    assert all(len(seg.tokens) <= 50 for seg in analysis.segments)


def test_readings_within_the_limit_are_not_reported() -> None:
    assert _fe().analyze("圆周率约等于3.14159。", max_chars=50).long_readings == ()


@pytest.mark.parametrize("text", ["", "   ", "[[500ms]]", "😀", "🙂 ✓"])
def test_nothing_to_say(text: str) -> None:
    analysis = _fe().analyze(text)
    assert analysis.syllables == ()


_PARAGRAPH = st.text(
    alphabet=st.sampled_from(
        list("我们学习勾股定理行长重还了的一不。，；！？“”：2019.5%-+=xa²√πα[]()ms Python😀℃km/")
    ),
    max_size=80,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PARAGRAPH, st.integers(min_value=4, max_value=50))
def test_properties_on_lesson_like_text(text: str, max_chars: int) -> None:
    analysis = _fe().analyze(text, max_chars=max_chars)
    assert "".join(s.text for s in analysis.segments) == analysis.normalized
    for seg in analysis.segments:
        assert seg.text == "".join(t.char for t in seg.tokens)
        assert seg.pause_after_ms >= 0
        # The limit counts what is spoken, so it holds for numbers and formulas too.
        assert len(seg.tokens) <= max_chars
    words = {w.start for w in analysis.latin_words} | {w.end - 1 for w in analysis.latin_words}
    for token in analysis.tokens:
        if token.source is not None:
            # A Latin word's reading marks where the word starts and ends, for captions.
            assert text[token.source] == token.char or token.source in words
        if isinstance(token, Syllable):
            assert token.pinyin[-1] in "12345"
        else:
            assert isinstance(token, Punct)
    for span in analysis.unspoken:
        assert text[span.start : span.end] == span.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_never_raises_on_arbitrary_unicode(text: str) -> None:
    analysis = _fe().analyze(text)
    assert "".join(s.text for s in analysis.segments) == analysis.normalized
