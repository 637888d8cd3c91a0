"""Latin words: built-in classroom terms, spelling in any case, and nothing silently dropped."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from lesson_specs import load_spec
from lesson_specs.pronounceability import pronunciation_warnings
from tasks.plan import display_text
from text_frontend.frontend import FrontEnd
from text_frontend.latin.letters import spell, spelled_out
from text_frontend.latin.terms import TermTableError, builtin_terms, find_terms, parse_terms
from text_frontend.lexicon import COURSE, LexiconStack, build_lexicon
from text_frontend.normalize.symbols import LATIN


@cache
def _fe() -> FrontEnd:
    return FrontEnd()


def _pinyin(text: str) -> list[str]:
    return [s.pinyin for s in _fe().analyze(text).syllables]


GPU = ["ji2", "pi1", "you1"]
NBA = ["en1", "bi4", "ei1"]
WTO = ["da2", "bu4", "liu1", "ti2", "ou1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("升级gpu", ["sheng1", "ji2", *GPU]),
        ("nba比赛", [*NBA, "bi3", "sai4"]),
        ("加入了wto", ["jia1", "ru4", "le5", *WTO]),
        ("ANDROID手机", ["an1", "zhuo2", "shou3", "ji1"]),
        ("GOOGLE服务", ["gu3", "ge1", "fu2", "wu4"]),
        ("升级GPU", ["sheng1", "ji2", *GPU]),
        ("Gpu升级", [*GPU, "sheng1", "ji2"]),
    ],
)
def test_latin_words_in_any_case_are_said(text: str, expected: list[str]) -> None:
    analysis = _fe().analyze(text)
    assert [s.pinyin for s in analysis.syllables] == expected
    assert analysis.unspoken == ()


@pytest.mark.parametrize(
    ("word", "letters"),
    [("Zoom", "zoom"), ("zoom", "zoom"), ("ZOOMING", "zooming"), ("ｚｏｏｍ", "zoom"), ("café", "cafe")],
)
def test_a_word_no_lexicon_knows_is_spelled_with_classroom_letter_names(word: str, letters: str) -> None:
    analysis = _fe().analyze(f"打开{word}软件")
    expected = [p for letter in letters for p in LATIN[letter].pinyin]
    assert [s.pinyin for s in analysis.syllables] == ["da3", "kai1", *expected, "ruan3", "jian4"]
    (word_read,) = analysis.latin_words
    assert (word_read.text, word_read.kind, word_read.start) == (word, "spelled", 2)


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("DNA", "迪恩诶"),
        ("pH", "披艾尺"),
        ("PH", "披艾尺"),
        ("Wi-Fi", "歪飞"),
        ("WiFi", "歪飞"),
        ("wifi", "歪飞"),
        ("PM2.5", "披艾姆二点五"),
        ("Python", "派森"),
        ("python", "派森"),
        ("android", "安卓"),
        ("e-mail", "伊妹儿"),
        ("email", "伊妹儿"),
        ("iPad", "爱派"),
        ("B超", "必超"),
        ("X光", "艾克斯光"),
        ("T恤", "提恤"),
        ("U盘", "优盘"),
        ("Q&A", "问答"),
        ("app", "诶披披"),
    ],
)
def test_builtin_terms_are_read_as_classrooms_say_them(text: str, reading: str) -> None:
    analysis = _fe().analyze(f"看{text}。")
    assert analysis.normalized == f"看{reading}。"
    (word,) = analysis.latin_words
    assert (word.text, word.kind) == (text, "lexicon")


def test_terms_match_whole_words_only() -> None:
    assert [m.written for m in find_terms("apple和app和happy")] == ["app"]
    assert [w.kind for w in _fe().analyze("apple").latin_words] == ["spelled"]


def test_point_names_in_formulas_are_not_terms() -> None:
    analysis = _fe().analyze("AB=CD，pH=7")
    assert analysis.normalized == "诶必等于西迪，披艾尺等于七"
    assert [w.text for w in analysis.latin_words] == ["pH"]


def test_units_after_numbers_are_left_to_the_number_reader() -> None:
    assert _fe().analyze("重5kg，长3cm").normalized == "重五千克，长三厘米"
    assert find_terms("2 cd") == []


def test_lesson_and_course_lexicons_beat_the_builtin_one_and_inline_beats_all() -> None:
    lexicon, issues = build_lexicon({"GPU": "显卡"})
    assert issues == {}
    analysis = _fe().analyze("升级GPU和[CPU](处理器)", lexicon)
    assert analysis.normalized == "升级显卡和处理器"
    assert analysis.latin_words == ()
    course, issues = build_lexicon({"DNA": "脱氧核糖核酸"}, layer=COURSE)
    assert issues == {}
    stacked = _fe().analyze("GPU和DNA和RNA", LexiconStack((lexicon, course)))
    assert stacked.normalized == "显卡和脱氧核糖核酸和阿尔恩诶"
    assert [(w.text, w.kind) for w in stacked.latin_words] == [("RNA", "lexicon")]


def test_latin_words_in_an_alias_are_read_too() -> None:
    lexicon, issues = build_lexicon({"显卡": "gpu芯片"})
    assert issues == {}
    assert _fe().analyze("[加速](zoom加速)", lexicon).normalized == "兹欧欧艾姆加速"
    assert _fe().analyze("[编程](用Python编程)").normalized == "用派森编程"
    analysis = _fe().analyze("用显卡", lexicon)
    assert [(s.char, s.pinyin, s.origin) for s in analysis.syllables[1:4]] == [
        ("吉", "ji2", "lexicon"),
        ("披", "pi1", "lexicon"),
        ("优", "you1", "lexicon"),
    ]
    assert analysis.latin_words == ()


def test_captions_show_the_written_word() -> None:
    text = "请升级gpu"
    (segment,) = _fe().analyze(text).segments
    assert display_text(text, segment) == text


def test_validate_warns_with_the_entry_to_add_and_its_position() -> None:
    script = "id: a\ntitle: t\nparagraphs:\n  - 我们用Zoom上课，用gpu算。\n"
    (warning,) = pronunciation_warnings(load_spec(script, source="l.yaml"), _fe())
    assert str(warning) == (
        "l.yaml:4:8: warning: paragraph 1: `Zoom` is not in the lexicon and will be spelled Z-O-O-M"
        " (if it is said as a word, add `Zoom: 读法` to the lesson's lexicon"
        " (Chinese or pinyin, e.g. `Python: 派森`))"
    )
    fixed = script.replace("paragraphs:", "lexicon:\n  Zoom: 祖姆\nparagraphs:")
    assert pronunciation_warnings(load_spec(fixed, source="l.yaml"), _fe()) == []


def test_spelling_helpers() -> None:
    assert spell("Ab").text == "诶必"
    assert spelled_out("Zoom") == "Z-O-O-M"


def test_a_bad_table_line_names_its_line() -> None:
    with pytest.raises(TermTableError, match=r"t.tsv:3: .*one syllable per character"):
        parse_terms("# c\nDNA\nWi-Fi\t歪飞\twai1\n", "t.tsv")
    with pytest.raises(TermTableError, match=r"t.tsv:1: .*not a Mandarin syllable"):
        parse_terms("Wi-Fi\t歪飞\twai1 fai1\n", "t.tsv")
    with pytest.raises(TermTableError, match=r"t.tsv:1: 'PM2.5' cannot be spelled"):
        parse_terms("PM2.5\n", "t.tsv")


def test_every_builtin_term_and_letter_is_one_the_voice_can_say(models_dir: object) -> None:
    """Every syllable of the table and of the letter names has Baker phones (checked on the real map)."""
    from tests.voice_fixtures import baker_engine
    from text_frontend.types import Syllable

    phones = baker_engine().phones
    readings = [t.reading for t in builtin_terms()] + list(LATIN.values())
    assert len(builtin_terms()) >= 60
    for reading in readings:
        for char, pinyin in zip(reading.text, reading.pinyin, strict=True):
            assert len(phones.syllable_phones(Syllable(char, pinyin, None))) >= 2


def _speech_s(samples: np.ndarray, sample_rate: int) -> float:
    """From the first to the last sample above 1 % of full scale: the speech, without the padding."""
    loud = np.nonzero(np.abs(samples) > 0.01)[0]
    return float(loud[-1] - loud[0]) / sample_rate


@pytest.mark.slow
def test_the_real_voice_says_the_letters() -> None:
    from engines import Prosody
    from engines.analysis import voice_stats
    from tests.voice_fixtures import baker_engine

    engine = baker_engine()
    short = engine.synthesize(_fe().analyze("升级").tokens, Prosody())
    spelled = engine.synthesize(_fe().analyze("升级gpu").tokens, Prosody())
    # Three more syllables than 升级's two: the speech itself is clearly longer, and voiced.
    assert _speech_s(spelled.samples, spelled.sample_rate) > 1.6 * _speech_s(short.samples, short.sample_rate)
    assert (
        voice_stats(spelled.samples, spelled.sample_rate).voiced_frames
        > voice_stats(short.samples, short.sample_rate).voiced_frames
    )


def test_each_planned_segment_lists_its_spelled_and_lexicon_words() -> None:
    from tasks.jobs import VoiceIdentity
    from tasks.plan import plan_paragraphs

    script = "id: a\ntitle: t\nparagraphs:\n  - 我们用Zoom上课。请升级gpu和Wi-Fi。\n  - 今天没有英文。\n"
    plan = plan_paragraphs(
        load_spec(script, source="l.yaml"), _fe(), VoiceIdentity("baker", "e", "m"), max_chars=8
    )
    listed = [(job.display_text, job.spelled, job.lexicon_words) for job in plan.jobs]
    assert listed == [
        ("我们用Zoom", ("Zoom",), ()),
        ("上课。", (), ()),
        ("请升级gpu和", (), ("gpu",)),
        ("Wi-Fi。", (), ("Wi-Fi",)),
        ("今天没有英文。", (), ()),
    ]


def test_g2p_command_names_the_spelled_words() -> None:
    import json

    from typer.testing import CliRunner

    from app.cli import app

    runner = CliRunner()
    table = runner.invoke(app, ["g2p", "升级gpu和Zoom"])
    assert table.exit_code == 0, table.output
    assert "spelled (no lexicon entry): 'Zoom' at 6" in table.output
    assert "'gpu'" not in table.output
    line = json.loads(runner.invoke(app, ["g2p", "--json", "用Zoom"]).output)
    assert line["latin_words"] == [
        {"start": 1, "end": 5, "text": "Zoom", "kind": "spelled", "reading": "兹欧欧艾姆"}
    ]
