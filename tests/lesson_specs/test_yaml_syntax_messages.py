"""A YAML syntax error reads as what usually causes it, in the reader's language.

Each case is a script a teacher could type, parsed by the real parser (PyYAML for validation,
ruamel.yaml where only the editor's round trip refuses it). A Chinese reader gets the plain cause
and fix, with the parser's English only in parentheses after it; an English reader keeps exactly
the parser's words, as before.
"""

from __future__ import annotations

import re

import pytest
import yaml

from i18n import use_language
from lesson_specs.roundtrip import RoundTripError, outline
from lesson_specs.yaml_source import YamlProblem, compose

HAN = re.compile(r"[\u4e00-\u9fff]")

CASES = [
    ("tab", "id: l1\nparagraphs:\n\t- text: 你好\n", "缩进用了 Tab 键"),
    ("colon in text", "id: l1\ntitle: 注意: 这里\n", "冒号加空格"),
    ("indentation", "id: l1\nparagraphs:\n  - text: 你好\n emotion: happy\n", "缩进和同一层的其他行不一致"),
    ("indentation, bare colons", ": : :", "缩进和同一层的其他行不一致"),
    ("no colon", "id: l1\ntitle\nparagraphs: []\n", "缺少冒号"),
    ("unclosed double quote", 'id: l1\ntitle: "你好\n', "引号只有开头"),
    ("unclosed single quote", "id: l1\ntitle: '你好\n", "引号只有开头"),
    ("unknown escape", 'id: l1\ntitle: "C:\\path"\n', "不是有效的转义"),
    ("unclosed bracket", "id: l1\ntags: [a, b\n", "没有用“]”闭合"),
    ("unclosed brace", "id: l1\nmeta: {a: 1\n", "没有用“}”闭合"),
    ("control character", "id: l1\ntitle: 你\x07好\n", "控制字符（#x0007）"),
    ("two documents", "id: l1\n---\nid: l2\n", "多出来的 `---` 行"),
    ("value starting with @", "id: l1\ntitle: @老师\n", "值不能以“@”开头"),
    ("value starting with *", "id: l1\ntitle: *重点*\n", "会被当作 YAML 别名"),
    ("alias never defined", "id: l1\ntitle: *note\n", "会被当作 YAML 别名"),
    ("value starting with &", "id: l1\ntitle: &\n", "会被当作 YAML 锚点"),
    ("list after a key", "id: l1\ntitle: t\nparagraphs: - x\n", "不能和键写在同一行"),
    ("bracket open at the end", "id: [\n", "直到脚本结尾都没有闭合"),
    ("brace open at the end", "id: l1\ntags: [a, {\n", "直到脚本结尾都没有闭合"),
    ("value missing", "id: ,\n", "“,”前面缺少值"),
]


def _parser_words(text: str) -> str:
    """What the parser itself says of ``text``, as the message showed it before."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        return str(err.problem or err.context)
    except yaml.YAMLError as err:
        return str(err)
    raise AssertionError(f"{text!r} parses")


@pytest.mark.parametrize(("case", "text", "chinese"), CASES, ids=[c[0] for c in CASES])
def test_a_chinese_reader_reads_the_cause_and_the_fix(case: str, text: str, chinese: str) -> None:
    with use_language("zh-CN"):
        problem = compose(text)
    assert isinstance(problem, YamlProblem), case
    words = _parser_words(text).splitlines()[0]
    assert problem.message.startswith("YAML 语法错误："), problem.message
    assert chinese in problem.message, problem.message
    # The parser's English only after the Chinese, in parentheses.
    assert problem.message.endswith(f"（{words}）"), problem.message
    assert HAN.search(problem.message.removesuffix(f"（{words}）")[-3:]), problem.message


@pytest.mark.parametrize(("case", "text", "chinese"), CASES, ids=[c[0] for c in CASES])
def test_an_english_reader_keeps_the_parsers_words(case: str, text: str, chinese: str) -> None:
    with use_language("en"):
        problem = compose(text)
    assert isinstance(problem, YamlProblem), case
    assert problem.message == f"YAML syntax error: {_parser_words(text)}"


def test_an_unknown_problem_keeps_the_parsers_words_in_either_language() -> None:
    text = "title: |x\n"  # a block scalar's bad indicator: rare enough to have no plain message
    for language, prefix in (("zh-CN", "YAML 语法错误："), ("en", "YAML syntax error: ")):
        with use_language(language):
            problem = compose(text)
        assert isinstance(problem, YamlProblem)
        assert problem.message == prefix + _parser_words(text)


def test_the_editor_says_the_same_as_validation() -> None:
    text = "id: l1\ntitle: 注意: 这里\nparagraphs: []\n"
    with use_language("zh-CN"), pytest.raises(RoundTripError) as raised:
        outline(text)
    assert "冒号加空格" in raised.value.message
    assert raised.value.message.endswith("（mapping values are not allowed here）")


def test_a_key_written_twice_is_named_in_the_editor() -> None:
    """PyYAML takes a repeated key, ruamel.yaml (the editor's round trip) refuses it."""
    text = "id: l1\nid: l2\nparagraphs: []\n"
    assert not isinstance(compose(text), YamlProblem)
    for language, said in (("zh-CN", "键“id”在同一层里出现了两次"), ("en", 'found duplicate key "id"')):
        with use_language(language), pytest.raises(RoundTripError) as raised:
            outline(text)
        assert said in raised.value.message, raised.value.message
    with use_language("en"), pytest.raises(RoundTripError) as raised:
        outline(text)
    assert not HAN.search(raised.value.message)
