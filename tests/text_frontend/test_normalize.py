"""Normalisation by category: what WeTN handles, what our symbol layer adds, and how they combine."""

from __future__ import annotations

from functools import cache

import pytest

from text_frontend.normalize import Annotated, TextNormalizer
from text_frontend.normalize.math import rewrite_symbols
from text_frontend.normalize.symbols import GREEK, LATIN, OPERATORS
from text_frontend.pinyin import normalize_syllable


@cache
def _normalizer() -> TextNormalizer:
    return TextNormalizer()


def norm(text: str) -> str:
    return _normalizer().normalize_text(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dates and years
        ("2024年3月5日上课", "二零二四年三月五日上课"),
        ("今天是2024-03-05", "今天是二零二四年三月五日"),
        ("1998年", "一九九八年"),
        # times
        ("下午3:30开始", "下午三点三十分开始"),
        ("14:05:30", "十四点零五分三十秒"),
        # cardinals, with 两 before measure words
        ("买了2个苹果", "买了两个苹果"),
        ("1,000,000人", "一百万人"),
        ("12,238枚", "一万二千二百三十八枚"),
        ("2000人", "两千人"),
        # ordinals: WeTN says 第两名, we fix it
        ("第3课，第2名", "第三课，第二名"),
        ("第2个", "第二个"),
        # decimals, percentages, per mille
        ("3.14", "三点一四"),
        ("50%的学生", "百分之五十的学生"),
        ("5‰", "千分之五"),
        # negatives and temperatures
        ("-5℃", "负五摄氏度"),
        ("气温−3°C到5°C", "气温负三摄氏度到五摄氏度"),
        # fractions, ranges, ratios
        ("3/4的蛋糕", "四分之三的蛋糕"),
        ("1/2+1/3=5/6", "二分之一加三分之一等于六分之五"),
        ("10-20个", "十到二十个"),
        ("10~20个", "十到二十个"),
        ("比例1:3", "比例一比三"),
        # money
        ("¥50", "五十元"),
        ("5.5元", "五点五元"),
        # units
        ("100km", "一百公里"),
        ("5kg", "五千克"),
        ("30cm", "三十厘米"),
        ("20m²", "二十平方米"),
        ("60km/h", "六十千米每小时"),
        ("500ml", "五百毫升"),
        ("37℃", "三十七摄氏度"),
        ("90°", "九十度"),
        ("2μm", "两微米"),
    ],
)
def test_wetn_categories(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a²+b²=c²", "诶的平方加必的平方等于西的平方"),
        ("3²", "三的平方"),
        ("2³", "二的立方"),
        ("10⁻³", "十的负三次方"),
        ("2^10", "二的十次方"),
        ("x^2", "艾克斯的平方"),
        ("√2", "根号二"),
        ("x≠y", "艾克斯不等于歪"),
        ("a≤b", "诶小于等于必"),
        ("a≥b", "诶大于等于必"),
        ("x≈3.14", "艾克斯约等于三点一四"),
        ("3<5", "三小于五"),
        ("x>0", "艾克斯大于零"),
        ("π约等于3.14", "派约等于三点一四"),
        ("2π", "二派"),
        ("2x+3=7", "二艾克斯加三等于七"),
        ("x-1=0", "艾克斯减一等于零"),
        ("-x", "负艾克斯"),
        ("3×4=12", "三乘四等于十二"),
        ("12÷3=4", "十二除以三等于四"),
        ("∠A=30°", "角诶等于三十度"),
        ("△ABC", "三角形诶必西"),
        ("α+β=90°", "阿尔法加贝塔等于九十度"),
        ("sin x", "正弦 艾克斯"),
    ],
)
def test_math_layer(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<通知>", "<通知>"),  # angle brackets around words are not comparisons
        ("Wi-Fi", "Wi-Fi"),  # a hyphen inside a word is not a minus
        ("Python很好学", "Python很好学"),  # words stay (reported as unspoken), letters are not spelled
        ("A4纸", "诶四纸"),
        ("CPU", "西披优"),  # short capital acronyms are spelled, as Chinese speakers say them
    ],
)
def test_symbols_left_alone_or_spelled(text: str, expected: str) -> None:
    assert norm(text) == expected


def test_interjections_and_erhua_are_kept() -> None:
    # WeTN's defaults would delete 呃/啊 and the 儿 of 这儿; a teacher who writes them wants them said.
    assert norm("嗯，啊，呃，这儿") == "嗯，啊，呃，这儿"


def test_han_text_is_untouched_and_keeps_sources() -> None:
    text = "我们今天学习勾股定理。"
    out = _normalizer().normalize(Annotated.verbatim(text, 7))
    assert out.text == text
    assert [c.source for c in out.chars] == list(range(7, 7 + len(text)))


def test_produced_and_verbatim_sources() -> None:
    out = _normalizer().normalize(Annotated.verbatim("买了2个", 0))
    assert out.text == "买了两个"
    assert [c.source for c in out.chars] == [0, 1, None, 3]


def test_math_readings_are_pinned() -> None:
    out = rewrite_symbols(Annotated.verbatim("x≠γ", 0))
    assert [c.pinned for c in out.chars] == ["ai4", "ke4", "si1", "bu4", "deng3", "yu2", "ga1", "ma3"]


def test_symbol_tables_use_valid_pinyin() -> None:
    for table in (GREEK, LATIN, OPERATORS):
        for reading in table.values():
            assert [normalize_syllable(p) for p in reading.pinyin] == list(reading.pinyin), reading


def test_fst_cache_goes_to_the_given_folder(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    from text_frontend.normalize.wetn import WeTextNormalizer

    root = Path(str(tmp_path))
    WeTextNormalizer(root)
    built = [p.name for p in root.iterdir()]
    assert len(built) == 1 and not built[0].startswith(".build-")
    assert sorted(f.name for f in (root / built[0]).iterdir()) == ["zh_tn_tagger.fst", "zh_tn_verbalizer.fst"]
