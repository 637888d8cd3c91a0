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
    # 5!=120 and n!=1×2×…×n are factorials; ! is not read yet, but = must not become 不等于
    assert "不等于" not in _read("5!=120")[0]
    assert "不等于" not in _read("n!=1×2×3")[0]


def test_empty_angle_brackets_in_prose_stay() -> None:
    assert "不等于" not in _read("一对<>括号")[0]
