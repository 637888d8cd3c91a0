"""Operators after subscripts, overrides and Chinese words, and relations typed in ASCII (>=, <=, !=)."""

from __future__ import annotations

from functools import cache

import pytest

from text_frontend.frontend import FrontEnd


@cache
def _fe() -> FrontEnd:
    return FrontEnd()


def _read(text: str) -> tuple[str, list[str], list[str]]:
    result = _fe().g2p_line(text)
    return (
        result["normalized"],
        [s["pinyin"] for s in result["syllables"]],
        [u["text"] for u in result["unspoken"]],
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Vieta's formulas as textbooks print them: the subscripts are said, + is 加, not 正
        ("x₁+x₂=-b/a", "艾克斯一加艾克斯二等于负必/诶"),
        ("x₁x₂=c/a", "艾克斯一艾克斯二等于西/诶"),
        ("x₁-x₂", "艾克斯一减艾克斯二"),
        ("x₁-1", "艾克斯一减一"),
        ("x₁<x₂", "艾克斯一小于艾克斯二"),
        ("a₁₀=5", "诶十等于五"),
        # after an override or alias (its reading is fixed, but it is still an operand)
        ("[A](诶)+B", "诶加必"),
        ("[x₁](x一)+[x₂](x二)", "艾克斯一加艾克斯二"),
        ("[x₁](x一)-[x₂](x二)", "艾克斯一减艾克斯二"),
        ("[x](艾克斯)+1", "艾克斯加一"),
        ("[甲](jia3)+乙", "甲加乙"),
        # between Chinese words
        ("甲+乙=丙", "甲加乙等于丙"),
        ("甲 + 乙", "甲加乙"),
        ("互联网+教育", "互联网加教育"),
        ("A+级", "诶加级"),
        # unchanged: a sign after a word, a range between numbers, plain algebra
        ("气温为+5℃", "气温为正五摄氏度"),
        ("甲+5", "甲正五"),
        ("x=-1", "艾克斯等于负一"),
        ("(a+b)+c", "(诶加必)加西"),
        ("2x+3=7", "二艾克斯加三等于七"),
        ("北京-上海", "北京-上海"),
    ],
)
def test_binary_operators_after_any_operand(text: str, expected: str) -> None:
    normalized, _pinyin, unspoken = _read(text)
    assert normalized == expected
    assert unspoken == []


def test_a_subscript_keeps_its_citation_tone() -> None:
    # 一 before 加 or before another x would otherwise take tone sandhi (yi4, yi2)
    normalized, pinyin, _unspoken = _read("x₁+x₂=x₁x₂")
    assert normalized == "艾克斯一加艾克斯二等于艾克斯一艾克斯二"
    assert [p for char, p in zip(normalized, pinyin, strict=True) if char == "一"] == ["yi1", "yi1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x>=3或x<=-1", "艾克斯大于等于三或艾克斯小于等于负一"),
        ("x>=3", "艾克斯大于等于三"),
        ("x <= 3", "艾克斯小于等于三"),
        ("x=<3", "艾克斯小于等于三"),
        ("x＞＝3", "艾克斯大于等于三"),
        ("a≥b", "诶大于等于必"),
        ("a≤b", "诶小于等于必"),
        ("a≠b", "诶不等于必"),
        ("a≈b", "诶约等于必"),
        ("a != b", "诶不等于必"),
        ("count!=0", "西欧优恩提不等于零"),
        ("a<>b", "诶不等于必"),
        ("p=>q", "披推出秋"),
        ("p⇒q", "披推出秋"),
        ("p<=>q", "披等价于秋"),
        ("p⇔q", "披等价于秋"),
        ("x₁>=x₂", "艾克斯一大于等于艾克斯二"),
    ],
)
def test_relations_typed_in_ascii(text: str, expected: str) -> None:
    normalized, _pinyin, unspoken = _read(text)
    assert normalized == expected
    assert unspoken == []


def test_factorial_is_not_taken_for_not_equal() -> None:
    # 5!=120 and n!=1×2×…×n are factorials: ! is 的阶乘 and = must not become 不等于
    assert _read("5!=120")[0] == "五的阶乘等于一百二十"
    assert _read("n!=1×2×3")[0] == "恩的阶乘等于一乘二乘三"
    assert _read("n!=1×2×…×n")[0] == "恩的阶乘等于一乘二乘…乘恩"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # without spaces, after one letter, != is "not equal" (it read 等于, the opposite)
        ("a!=b", "诶不等于必"),
        ("x!=y", "艾克斯不等于歪"),
        ("a!=0", "诶不等于零"),
    ],
)
def test_not_equal_after_one_letter(text: str, expected: str) -> None:
    normalized, _pinyin, unspoken = _read(text)
    assert normalized == expected
    assert unspoken == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # < and > beside a signed number were dropped once the number was spelled (艾克斯负一)
        ("x>-1", "艾克斯大于负一"),
        ("x > -1", "艾克斯大于负一"),
        ("x<-1", "艾克斯小于负一"),
        ("-1<x<=2", "负一小于艾克斯小于等于二"),
        ("-3<-2", "负三小于负二"),
        ("-1>x", "负一大于艾克斯"),
        ("−1<x", "负一小于艾克斯"),
        ("x<100", "艾克斯小于一百"),
        # an absolute value is said, and closes an operand
        ("|x|<3", "艾克斯的绝对值小于三"),
        ("|-3|=3", "负三的绝对值等于三"),
        ("|x-1|+|x+2|", "艾克斯减一的绝对值加艾克斯加二的绝对值"),
        # a signed 2 is 负二, not 负两 (负两百 keeps its 两)
        ("x=-2", "艾克斯等于负二"),
        ("第-2", "第负二"),
        ("-200", "负两百"),
        # limits: → between a variable and a number, infinity or a variable is 趋向于
        ("x→∞", "艾克斯趋向于无穷大"),
        ("当x→0时", "当艾克斯趋向于零时"),
        ("x→-∞", "艾克斯趋向于负无穷大"),
    ],
)
def test_relations_beside_signed_numbers(text: str, expected: str) -> None:
    normalized, _pinyin, unspoken = _read(text)
    assert normalized == expected
    assert unspoken == []


def test_an_arrow_between_words_stays_an_arrow() -> None:
    assert "趋向于" not in _read("北京→上海")[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # + after …, a letter subscript or an ion's charge is 加, not 正 or silence
        ("a₁+a₂+…+aₙ", "诶一加诶二加…加诶恩"),
        ("1+2+…+n", "一加二加…加恩"),
        ("a+b+…+z", "诶加必加…加兹"),
        ("aₙ+2", "诶恩加二"),
        ("aₙ₊₁", "诶恩加一"),
        ("aₙ₋₁=2", "诶恩减一等于二"),
    ],
)
def test_plus_after_an_ellipsis_or_a_letter_subscript(text: str, expected: str) -> None:
    normalized, _pinyin, unspoken = _read(text)
    assert normalized == expected
    assert unspoken == []


def test_plus_after_an_ion_is_said() -> None:
    # the ions themselves are another rule's; the + between them must be 加
    assert "加" in _read("Fe³⁺+3OH⁻")[0]
    normalized, _pinyin, unspoken = _read("2H⁺+CO₃²⁻")
    assert "加碳酸根离子" in normalized
    assert "+" not in "".join(unspoken)


def test_empty_angle_brackets_in_prose_stay() -> None:
    assert "不等于" not in _read("一对<>括号")[0]
