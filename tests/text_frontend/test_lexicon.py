"""Lexicon layers and course lexicon files: who wins, and what a bad file is told."""

from __future__ import annotations

import pytest

from lesson_specs.course_lexicon import MAX_LEXICON_BYTES, LexiconFile, is_lexicon_name, resolve_key
from lesson_specs.loader import parse_course_lexicon
from text_frontend.frontend import FrontEnd
from text_frontend.lexicon import (
    BUILTIN,
    COURSE,
    MAX_ALIAS_CHARS,
    Lexicon,
    LexiconStack,
    alias_limit,
    build_lexicon,
    spoken_length,
)

_FRONT_END: FrontEnd | None = None


def _fe() -> FrontEnd:
    global _FRONT_END
    if _FRONT_END is None:
        _FRONT_END = FrontEnd()
    return _FRONT_END


def _layer(raw: dict[str, str], layer: str) -> Lexicon:
    lexicon, issues = build_lexicon(raw, layer)
    assert not issues
    return lexicon


def _read(text: str, stack: LexiconStack) -> list[tuple[str, str, str]]:
    return [(s.char, s.pinyin, s.origin) for s in _fe().analyze(text, stack).syllables]


def test_lesson_beats_course_beats_builtin_for_the_same_word() -> None:
    lesson = _layer({"银行": "yin2 hang2"}, "lesson")
    course = _layer({"银行": "yin2 xing2", "行列": "hang2 lie4"}, COURSE)
    builtin = _layer({"银行": "yin4 xing4", "行列": "xing2 lie4", "DNA": "低恩诶"}, BUILTIN)
    stack = LexiconStack((lesson, course)).below(builtin)
    layers = {word: getattr(stack.get(word), "layer", None) for word in ("银行", "行列", "DNA", "数学")}
    assert layers == {"银行": "lesson", "行列": COURSE, "DNA": BUILTIN, "数学": None}
    assert [e.word for e in stack.entries] == ["银行", "行列", "DNA"]  # shadowed words left out
    assert _read("银行行列", stack)[:2] == [("银", "yin2", "lexicon"), ("行", "hang2", "lexicon")]
    assert _read("行列", stack) == [("行", "hang2", "lexicon"), ("列", "lie4", "lexicon")]


def test_a_higher_layer_wins_even_where_a_lower_layer_has_a_longer_word() -> None:
    lesson = _layer({"长度": "chang2 du4"}, "lesson")
    course = _layer({"生长度": "sheng1 zhang3 du4"}, COURSE)
    matches = LexiconStack((lesson, course)).matches("生长度")
    assert [(at, e.word) for at, e in matches] == [(1, "长度")]
    # Within one layer the longest word still wins.
    assert [e.word for _, e in LexiconStack((course, lesson)).matches("生长度")] == ["生长度"]


def test_inline_markup_beats_every_lexicon_layer() -> None:
    stack = LexiconStack((_layer({"银行": "yin2 xing2"}, "lesson"), _layer({"银行": "yin2 xing2"}, COURSE)))
    got = _read("[银行](yin2 hang2)", stack)
    assert got == [("银", "yin2", "override"), ("行", "hang2", "override")]


def test_empty_builtin_layer_changes_nothing() -> None:
    stack = LexiconStack((_layer({"勾股": "gou1 gu3"}, "lesson"),))
    assert stack.below(Lexicon()) is stack


def test_lexicon_file_names_and_keys_stay_inside_their_root() -> None:
    assert is_lexicon_name("lexicon.yaml") and is_lexicon_name("math/初中数学.lexicon.yml")
    assert not is_lexicon_name("lesson.yaml") and not is_lexicon_name("lexicon.yaml.bak")
    assert resolve_key("math/ch1/l1.yaml", "../course.lexicon.yaml") == "math/course.lexicon.yaml"
    assert resolve_key("l1.yaml", "../course.lexicon.yaml") is None
    assert resolve_key("math/l1.yaml", "/etc/x.lexicon.yaml") is None


def _problems(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    _, diagnostics = parse_course_lexicon(LexiconFile("math.lexicon.yaml", data))
    return [str(d) for d in diagnostics]


def test_a_good_course_lexicon_file() -> None:
    text = "course: 初中数学\nlexicon:\n  勾股: gou1 gu3\n  Python: 派森\n"
    lexicon, diagnostics = parse_course_lexicon(LexiconFile("m.lexicon.yaml", text.encode()))
    assert diagnostics == []
    assert [(e.word, e.syllables, e.alias, e.layer) for e in lexicon.entries] == [
        ("勾股", ("gou1", "gu3"), None, COURSE),
        ("Python", None, "派森", COURSE),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lexicon:\n  勾股: gou1 gu9\n", "math.lexicon.yaml:2:12: lexicon `勾股`: 'gu9' is not"),
        ("lexicon:\n  银行: yin2\n", "math.lexicon.yaml:2:7: lexicon `银行`: '银行' has 2 character(s)"),
        ("lexicon:\n  勾股: [gou1\n", "math.lexicon.yaml:3:1: YAML syntax error"),
        ("lexicon:\n  勾股: gou1 gu3\nlexicom: {}\n", "math.lexicon.yaml:3:1: unknown key `lexicom`"),
        (
            "lexicon:\n  勾股: gou1 gu3\n  勾股: gou1 gu3\n",
            "math.lexicon.yaml:3:3: lexicon word `勾股` is given twice",
        ),
        ("lexicon:\n  a: 1\nlexicon:\n  b: 2\n", "math.lexicon.yaml:3:1: `lexicon` is given twice"),
        ("course: 数学\n", "math.lexicon.yaml:1:1: `lexicon` is missing"),
        ("", "math.lexicon.yaml:1:1: the course lexicon is empty"),
        ("- 勾股\n", "math.lexicon.yaml:1:1: the course lexicon must be a mapping"),
        ("lexicon:\n  - 勾股\n", "math.lexicon.yaml:2:3: `lexicon` must map words to readings"),
        (b"lexicon:\n  \xff: a\n", "math.lexicon.yaml:2:1: file is not UTF-8 text"),
        (b"x" * (MAX_LEXICON_BYTES + 1), "math.lexicon.yaml:1:1: course lexicon is over the 200 KB limit"),
    ],
)
def test_bad_course_lexicon_files_get_file_line_col(text: str | bytes, expected: str) -> None:
    problems = _problems(text)
    assert problems and problems[0].startswith(expected), problems
    assert all("Traceback" not in p for p in problems)


def test_an_alias_bomb_in_a_course_lexicon_is_one_error() -> None:
    text = "lexicon:\n  a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"  b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}]\n"
        for i in range(20)
    )
    problems = _problems(text)
    assert problems and all(p.startswith("math.lexicon.yaml:") for p in problems)


# -- what an alias may make a paragraph say --------------------------------------------------------


def test_an_alias_longer_than_a_word_can_need_is_refused() -> None:
    fine = "哈" * MAX_ALIAS_CHARS
    lexicon, issues = build_lexicon({"WHO": "世界卫生组织", "笑": fine, "哈": fine + "哈"})
    assert [e.word for e in lexicon.entries] == ["WHO", "笑"]
    assert f"{MAX_ALIAS_CHARS + 1} characters, over the {MAX_ALIAS_CHARS}-character limit" in (
        issues["哈"].message
    )
    assert "WHO: 世界卫生组织" in issues["哈"].fix


def test_a_long_word_may_have_an_alias_twice_its_length() -> None:
    word = "Pythagorean theorem and its converse"  # 36 characters: its limit is 72
    assert alias_limit(word) == 2 * len(word) > MAX_ALIAS_CHARS
    _lexicon, issues = build_lexicon({word: "派" * (2 * len(word))})
    assert issues == {}
    _lexicon, issues = build_lexicon({word: "派" * (2 * len(word) + 1)})
    assert list(issues) == [word]


def test_spoken_length_counts_what_the_lexicon_and_markup_say() -> None:
    lexicon = _layer({"WHO": "世界卫生组织", "勾股": "gou1 gu3", "哈": "哈哈大笑"}, "lesson")
    assert spoken_length("WHO和勾股", lexicon) == len("世界卫生组织和勾股")
    assert spoken_length("哈" * 10, lexicon) == 40
    # Markup counts what it says, and the lexicon is not applied inside it.
    assert spoken_length("[哈](ha1)[[1s]][WHO](世卫)", lexicon) == 1 + 2
    # A higher layer's shorter word takes its place first, as the front end reads it.
    stack = LexiconStack((_layer({"哈": "嘿"}, "lesson"), lexicon))
    assert spoken_length("哈" * 10, stack) == 10


def test_spoken_length_agrees_with_the_front_end_on_an_alias() -> None:
    lexicon = _layer({"哈": "哈哈大笑"}, "lesson")
    text = "哈，哈。"
    assert spoken_length(text, lexicon) == len(_fe().analyze(text, lexicon).normalized)


def test_a_reading_copied_with_decomposed_accents_or_a_zero_width_space_is_pinyin() -> None:
    """Copied from a PDF or a Mac: looks like pinyin, so it must read as pinyin, not be spelled."""
    lexicon, issues = build_lexicon({"银行": "yi\u0301n ha\u0301ng", "行长": "hang2\u200b zhang3"})
    assert issues == {}
    assert [(e.word, e.syllables, e.alias) for e in lexicon.entries] == [
        ("银行", ("yin2", "hang2"), None),
        ("行长", ("hang2", "zhang3"), None),
    ]
