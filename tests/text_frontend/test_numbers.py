"""Numbers read by their meaning: years, clock times, ratios, units, money, ordinals, codes, formulas."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from text_frontend.frontend import FrontEnd
from text_frontend.normalize import Annotated, Char, TextNormalizer
from text_frontend.normalize.doubts import find_doubts
from text_frontend.normalize.numbers import rewrite_numbers
from text_frontend.normalize.spoken_numbers import cardinal, decimal, digits
from text_frontend.normalize.years import is_year

EXAMPLES = Path(__file__).resolve().parents[2] / "lesson_specs" / "examples"


@cache
def _normalizer() -> TextNormalizer:
    return TextNormalizer()


@cache
def _front_end() -> FrontEnd:
    return FrontEnd()


def norm(text: str) -> str:
    return _normalizer().normalize_text(text)


def numbers_only(text: str) -> str:
    """Just the number layer, so formulas are checked without the letter-name layer."""
    return rewrite_numbers(Annotated.verbatim(text, 0)).text


@pytest.mark.parametrize(
    ("number", "liang", "expected"),
    [
        ("110111111", False, "一亿一千零一十一万一千一百一十一"),
        ("10", False, "十"),
        ("15", True, "十五"),
        ("100000", False, "十万"),
        ("1001", False, "一千零一"),
        ("10010", False, "一万零一十"),
        ("20000000", True, "两千万"),
        ("200", False, "二百"),
        ("2", True, "两"),
        ("2", False, "二"),
        ("22", True, "二十二"),
        ("0", False, "零"),
    ],
)
def test_cardinal(number: str, liang: bool, expected: str) -> None:
    assert cardinal(number, liang=liang) == expected


def test_decimal_and_digits() -> None:
    assert decimal("12.05") == "十二点零五"
    assert decimal("2.5", liang=True) == "二点五"
    assert decimal("212.5", liang=True) == "两百一十二点五"
    assert digits("1949") == "一九四九"
    assert digits("101", yao=True) == "幺零幺"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # years, digit by digit
        ("公元前221年秦统一六国", "公元前二二一年秦统一六国"),
        ("公元前202年", "公元前二零二年"),
        ("1949年10月1日", "一九四九年十月一日"),
        ("2024年", "二零二四年"),
        ("唐朝建于618年", "唐朝建于六一八年"),
        ("他在1949年后参加了工作", "他在一九四九年后参加了工作"),
        ("2008年以后", "二零零八年以后"),
        ("公元前500年左右", "公元前五百年左右"),
        ("秦始皇于前221年统一六国", "秦始皇于前二二一年统一六国"),
        ("前3年", "前三年"),
        # quantities of years, as numbers
        ("距今约2500年", "距今约两千五百年"),
        ("2000多年前", "两千多年前"),
        ("500年", "五百年"),
        ("约2500年前", "约两千五百年前"),
        ("经过了300年", "经过了三百年"),
        ("早在2000年前", "早在两千年前"),
        ("1000年的历史", "一千年的历史"),
        ("学了2年", "学了两年"),
        ("到了1949年", "到了一九四九年"),
        ("2024年内", "二零二四年内"),
        ("5年内", "五年内"),
        ("1年半", "一年半"),
        ("三年级和3年级", "三年级和三年级"),
        # spans of years, and ranges of years counted
        ("三国时期（220年—280年）", "三国时期（二二零年到二八零年）"),
        ("1978年-2018年", "一九七八年到二零一八年"),
        ("公元前221年—公元前206年", "公元前二二一年到公元前二零六年"),
        ("3~5年", "三到五年"),
        ("学了3-5年", "学了三到五年"),
    ],
)
def test_years(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(
    ("number", "before", "after", "year"),
    [
        ("221", "公元前", "", True),
        ("2500", "距今约", "！", False),
        ("2000", "", "前", False),
        ("1949", "", "后", True),
        ("1949", "", "10月", True),
        ("500", "", "", False),
        ("618", "建于", "", True),
        ("12345", "", "", False),
    ],
)
def test_year_or_quantity(number: str, before: str, after: str, year: bool) -> None:
    assert is_year(number, before, after) is year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("早上8:05集合", "早上八点零五分集合"),
        ("13:10", "十三点十分"),
        ("8:00出发", "八点出发"),
        ("2:30", "两点三十分"),
        ("8:05am", "上午八点零五分"),
        ("3:30 pm", "下午三点三十分"),
        ("12:00pm", "中午十二点"),
        ("下午3:30", "下午三点三十分"),
        ("14:05:30", "十四点零五分三十秒"),
        ("9:00-10:00上课", "九点到十点上课"),
        # ratios and scores
        ("3:2的比", "三比二的比"),
        ("比分3:2", "比分三比二"),
        ("比分10:08", "比分十比八"),
        ("比例1:2", "比例一比二"),
        ("1:2:3", "一比二比三"),
        ("比例尺1:50000", "比例尺一比五万"),
    ],
)
def test_clock_and_ratio(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-1/3", "负三分之一"),
        ("x=-1/3", "艾克斯等于负三分之一"),
        ("-98%", "负百分之九十八"),
        ("5-1/3", "五减三分之一"),
        ("50%-20%", "百分之五十减百分之二十"),
        # ranges, and subtraction where it is maths
        ("100-200元", "一百到两百元"),
        ("3~5天", "三到五天"),
        ("第3-5页", "第三到五页"),
        ("5-3=2", "五减三等于二"),
    ],
)
def test_signs_and_ranges(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.2g", "一点二克"),
        ("2g", "两克"),
        ("5mg", "五毫克"),
        ("3kg", "三千克"),
        ("3 kg", "三千克"),
        ("2t", "两吨"),
        ("250mL", "两百五十毫升"),
        ("1.5L", "一点五升"),
        ("6cm²", "六平方厘米"),
        ("2m³", "两立方米"),
        ("60km/h", "六十千米每小时"),
        ("3m/s", "三米每秒"),
        ("9.8m/s²", "九点八米每二次方秒"),
        ("25℃", "二十五摄氏度"),
        ("25°C", "二十五摄氏度"),
        ("100Pa", "一百帕"),
        ("3kPa", "三千帕"),
        ("5J", "五焦"),
        ("4kJ", "四千焦"),
        ("60W", "六十瓦"),
        ("2kW", "两千瓦"),
        ("3kWh", "三千瓦时"),
        ("220V", "两百二十伏"),
        ("2A", "两安"),
        ("10Ω", "十欧"),
        ("1mol", "一摩尔"),
        ("50Hz", "五十赫兹"),
        ("60dB", "六十分贝"),
        ("F=5N", "艾弗等于五牛"),
        ("g=10N/kg", "吉等于十牛每千克"),
        ("1.0×10³kg/m³", "一点零乘十的立方千克每立方米"),
        ("温度为-5V", "温度为负五伏"),
        ("2-3kg", "两到三千克"),
        ("10-20g", "十到二十克"),
        ("9.8m/s2", "九点八米每二次方秒"),
        ("100km", "一百公里"),
        # operators between quantities spelled here
        ("2kg+3kg=5kg", "两千克加三千克等于五千克"),
        ("5kg-2kg", "五千克减两千克"),
        ("123+456=579", "一百二十三加四百五十六等于五百七十九"),
        ("3x+100", "三艾克斯加一百"),
        ("x+100", "艾克斯加一百"),
        ("a-110=0", "诶减一百一十等于零"),
        # letters that are not units: algebra and grades
        ("y=2t+1", "歪等于二提加一"),
        ("2t=6", "二提等于六"),
        ("P=3V×0.5A=1.5W", "披等于三伏乘零点五安等于一点五瓦"),
        ("2N+3N=5N", "二恩加三恩等于五恩"),
    ],
)
def test_units(text: str, expected: str) -> None:
    assert norm(text) == expected


def test_letter_without_number_is_not_a_unit() -> None:
    assert numbers_only("this is g") == "this is g"
    assert numbers_only("5 g") == "五克"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1.5万", "一点五万美元"),
        ("$3亿", "三亿美元"),
        ("¥20", "二十元"),
        ("¥1,000", "一千元"),
        ("€3", "三欧元"),
        ("£5", "五英镑"),
        ("₩100", "一百韩元"),
        ("HK$10", "十港元"),
    ],
)
def test_currencies(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第110111111", "第一亿一千零一十一万一千一百一十一"),
        ("第200名", "第二百名"),
        ("第2名", "第二名"),
        ("110111111", "一亿一千零一十一万一千一百一十一"),
        ("共20000人", "共两万人"),
        # codes: digit by digit, with 幺
        ("电话13800138000", "电话幺三八零零幺三八零零零"),
        ("房间号302", "房间号三零二"),
        ("302室", "三零二室"),
        ("学号20230115", "学号二零二三零幺幺五"),
        ("12月5号300名学生", "十二月五号三百名学生"),
        ("212.5页", "两百一十二点五页"),
        ("身份证号110101199003071234", "身份证号幺幺零幺零幺幺九九零零三零七幺二三四"),
        ("请拨打110报警", "请拨打幺幺零报警"),
        ("007", "零零七"),
        ("今天是2024-03-05", "今天是二零二四年三月五日"),
        ("电话：010-12345678", "电话：零幺零幺二三四五六七八"),
        ("第1-2课", "第一到二课"),
        # ordinary numbers WeTN reads as codes or dates
        ("110", "一百一十"),
        ("12.5", "十二点五"),
        ("答案是11.11。", "答案是十一点一一。"),
        ("200个", "两百个"),
        ("-110", "负一百一十"),
        ("-11.11", "负十一点一一"),
        ("1 - 2", "一减二"),
        ("12.5%", "百分之十二点五"),
        ("2024.3.5", "二零二四年三月五日"),
    ],
)
def test_ordinals_and_codes(text: str, expected: str) -> None:
    out = norm(text)
    assert out == expected
    if "幺" not in expected:
        assert "幺" not in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H₂O", "H二O"),
        ("CO2", "CO二"),
        ("CO₂", "CO二"),
        ("C₆H₁₂O₆", "C六H十二O六"),
        ("2H₂+O₂=2H₂O", "两个H二加O二生成两个H二O"),
        ("2HCl+CaO=CaCl₂+H₂O", "两个HCl加CaO生成CaCl二加H二O"),
        ("CaCO₃ → CaO + CO₂", "CaCO三生成CaO加CO二"),
        # not formulas: no such elements, or no count
        ("MP3", "MP3"),
        ("A4纸", "A4纸"),
        ("NaCl", "NaCl"),
    ],
)
def test_chemistry(text: str, expected: str) -> None:
    assert numbers_only(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fe³⁺和Cl⁻结合", "铁离子和氯离子结合"),
        ("Fe²⁺", "亚铁离子"),
        ("SO₄²⁻和Ba²⁺生成沉淀", "硫酸根离子和钡离子生成沉淀"),
        ("溶液中H⁺的浓度", "溶液中氢离子的浓度"),
        ("NH₄⁺", "铵根离子"),
        ("CH₃COO⁻", "醋酸根离子"),
        # an ion without a classroom name keeps its formula and its charge
        ("Zr⁴⁺", "带四个单位正电荷的Zr离子"),
        ("S₂O₃²⁻", "带两个单位负电荷的S二O三离子"),
    ],
)
def test_ions_are_read_by_name_not_as_powers(text: str, expected: str) -> None:
    assert numbers_only(text) == expected


def test_a_power_is_still_a_power() -> None:
    assert norm("3²+4²=5²") == "三的平方加四的平方等于五的平方"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("COVID-19疫情", "COVID十九疫情"),
        ("Boeing-737飞机", "Boeing七三七飞机"),
        ("x-1=0", "x减1=0"),  # algebra: one letter is a variable, and the dash is minus
    ],
)
def test_a_word_joined_to_a_number_names_a_thing(text: str, expected: str) -> None:
    assert numbers_only(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("COVID-19疫情", "西欧维艾迪十九疫情"),
        ("iPhone-15手机", "爱疯十五手机"),
        ("x-1=0", "艾克斯减一等于零"),
    ],
)
def test_no_minus_sign_is_heard_inside_a_name(text: str, expected: str) -> None:
    assert "".join(s.char for s in _front_end().analyze(text).syllables) == expected


def test_letters_a_reading_inserts_are_spelled_not_dropped() -> None:
    said = "".join(s.char for s in _front_end().analyze("ZrO₂和Zr⁴⁺").syllables)
    assert said == "兹阿尔欧二和带四个单位正电荷的兹阿尔离子"


@pytest.mark.parametrize("layer", ["numbers", "whole normaliser"])
def test_sources_around_a_number_stay_verbatim(layer: str) -> None:
    src = Annotated.verbatim("早上8:05集合，距今约2500年", 10)
    out = rewrite_numbers(src) if layer == "numbers" else _normalizer().normalize(src)
    assert out.text == "早上八点零五分集合，距今约两千五百年"
    sources = {c.char: c.source for c in out.chars if c.source is not None}
    assert sources == {
        "早": 10,
        "上": 11,
        "集": 16,
        "合": 17,
        "，": 18,
        "距": 19,
        "今": 20,
        "约": 21,
        "年": 26,
    }
    assert all(c.source is None for c in out.chars[2:7] + out.chars[13:17])


def test_pinned_text_is_not_rewritten() -> None:
    pinned = Annotated((Char("2", None, "er4", "override", 1), Char("0", None, "ling2", "override", 1)))
    src = pinned + Annotated.verbatim("年", 2)
    assert rewrite_numbers(src) == src


# What each example lesson's numbers must sound like (the back-check heard 二五零零年 here).
EXAMPLE_READINGS = {
    "math-g8-pythagoras": ("三厘米和四厘米", "公元前五百年左右", "距今约两千五百年"),
    "chinese-g3-spring": ("二零二四年三月二十一日",),
}


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_example_lessons_read_numbers_right(path: Path) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    said = "".join(norm(p["text"]) for p in spec["paragraphs"])
    assert not any(ch.isdecimal() for ch in said)
    for reading in EXAMPLE_READINGS[path.stem]:
        assert reading in said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("浓度为0.1mol/L", "浓度为零点一摩尔每升"),
        ("5g/L", "五克每升"),
        ("3mg/mL", "三毫克每毫升"),
        ("2.5 mol/L的盐酸", "二点五摩尔每升的盐酸"),
        ("5mmol/L", "五毫摩尔每升"),
        ("5mmol", "五毫摩尔"),
        ("1.5g/dm³", "一点五克每立方分米"),
        ("20kg/h", "二十千克每小时"),
        ("5mg/kg", "五毫克每千克"),
        ("0.2mol/(L·min)", "零点二摩尔每升每分钟"),
        ("4.2×10³J/(kg·℃)", "四点二乘十的立方焦每千克摄氏度"),
        ("2.0mol·L⁻¹", "二点零摩尔每升"),
        ("0.5mol·L⁻¹·s⁻¹", "零点五摩尔每升每秒"),
        ("6.02×10²³mol⁻¹", "六点零二乘十的二十三次方每摩尔"),
        ("6.02×10^23mol⁻¹", "六点零二乘十的二十三次方每摩尔"),
        # the existing rates keep their readings
        ("60km/h", "六十千米每小时"),
        ("9.8m/s²", "九点八米每二次方秒"),
        ("1.0g/cm³", "一点零克每立方厘米"),
    ],
)
def test_rates_are_read_with_mei(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10⁸km", "十的八次方千米"),
        ("3×10⁸m/s", "三乘十的八次方米每秒"),
        ("10³m", "十的立方米"),
        ("10^3m", "十的立方米"),
        ("x³m", "艾克斯的立方艾姆"),  # after a variable's power a letter is another variable
    ],
)
def test_a_unit_after_a_power_of_ten(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("称取5g食盐", "称取五克食盐"), ("5g/L", "五克每升"), ("5G网络", "五吉网络"), ("4g", "四克")],
)
def test_grams_after_a_number_are_not_the_term_5g(text: str, expected: str) -> None:
    assert "".join(s.char for s in _front_end().analyze(text).syllables) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e5", "一乘十的五次方"),
        ("1.5e-3", "一点五乘十的负三次方"),
        ("是1E-7.", "是一乘十的负七次方."),
        ("1e999999999999", "一乘十的九千九百九十九亿九千九百九十九万九千九百九十九次方"),
        ("10^999999999999", "十的九千九百九十九亿九千九百九十九万九千九百九十九次方"),
        ("2^(123)", "二的一百二十三次方"),
        ("#1e5e5e", "#一伊五伊五伊"),  # a colour code, not a number
    ],
)
def test_exponents(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(
    ("written", "said"),
    [("1e" + "9" * 3000, "数是。"), ("10^" + "9" * 3000, "数是十。"), ("10" + "⁹" * 3000, "数是十。")],
)
def test_an_exponent_too_long_to_say_is_left_out(written: str, said: str) -> None:
    assert norm(f"数是{written}。") == said
    (doubt,) = find_doubts(written)
    assert (doubt.kind, doubt.digits, doubt.start, doubt.end) == ("unsaid_exponent", 3000, 0, len(written))


def test_a_long_digit_run_is_read_here_not_by_wetn() -> None:
    # WeTN takes seconds per thousand digits; the number layer reads them in milliseconds.
    out = numbers_only("编号x" + "9" * 3000)
    assert out == "编号x" + "九" * 3000


@pytest.mark.parametrize(
    ("text", "doubts"),
    [
        ("浓度5g/kL", [(3, 7, "g/kL", "unit")]),
        ("0.3mol/(L·wk)", [(3, 13, "mol/(L·wk)", "unit")]),
        ("1e99999", [(0, 7, "1e99999", "large_exponent")]),
        ("x⁹⁹⁹⁹⁹", [(0, 6, "x⁹⁹⁹⁹⁹", "large_exponent")]),
        # read, or algebra: nothing to report
        ("0.1mol/L，3mg/mL，9.8m/s²，mol/(L·min)", []),
        ("2a/b+3m/n", []),
        ("1e9999", []),
    ],
)
def test_doubts(text: str, doubts: list[tuple[int, int, str, str]]) -> None:
    assert [(d.start, d.end, d.text, d.kind) for d in find_doubts(text)] == doubts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # figure, table and example numbers are labels, read 杠
        ("如图1-2所示", "如图一杠二所示"),
        ("见表2-1", "见表二杠一"),
        ("例3-2", "例三杠二"),
        ("式(1-2)", "式(一杠二)"),
        ("图1-2-3", "图一杠二杠三"),
        # a rising pair before a measure word, a percent sign or 学年 is a range
        ("2-3节课", "两到三节课"),
        ("2—3节课", "两到三节课"),
        ("8-9点", "八到九点"),
        ("2-3次", "两到三次"),
        ("1-2年级", "一到二年级"),
        ("2-3月", "二到三月"),
        ("1.5-2小时", "一点五到两小时"),
        ("第2章2-3节", "第二章两到三节"),
        ("2020-2021学年第一学期", "二零二零到二零二一学年第一学期"),
        ("鲁迅（1881—1936）", "鲁迅（一八八一到一九三六）"),
        ("增长了50%-60%", "增长了百分之五十到百分之六十"),
        ("50-60%", "百分之五十到百分之六十"),
        ("¥100-200", "一百到两百元"),
        ("¥100-¥200", "一百到两百元"),
        ("$5-10万", "五到十万美元"),
        # what already read 到 still does
        ("3-5页", "三到五页"),
        ("1-3月", "一到三月"),
        ("第1-2章", "第一到二章"),
        # subtraction stays minus
        ("5-3=2", "五减三等于二"),
        ("10-3=7", "十减三等于七"),
        ("x=10-3", "艾克斯等于十减三"),
        ("(10-3)×2", "(十减三)乘二"),
        ("算式2-3=-1", "算式二减三等于负一"),
        ("50%-20%", "百分之五十减百分之二十"),
        ("¥100-¥20", "一百元减二十元"),
        ("x-1", "艾克斯减一"),
        ("a-b", "诶减必"),
        ("1 - 2", "一减二"),
        ("计算：2-3", "计算：二减三"),
        ("12-5", "十二减五"),
        # page and number spans are not dates: a bare rising pair is a range
        ("见课本P12-15", "见课本披十二到十五"),
        ("p.12-15", "披.十二到十五"),
        ("P3-5", "披三到五"),
        ("第12-15页", "第十二到十五页"),
        ("第3-5题", "第三到五题"),
        ("12-15", "十二到十五"),
        ("9-12", "九到十二"),
        ("2-3", "二到三"),
        # a date keeps its cue
        ("2023年12-15", "二零二三年十二月十五日"),
        ("2023-10-01", "二零二三年十月一日"),
        # a score, a unit range, years and bracketed numbers
        ("比分3-2", "比分三比二"),
        ("比分是2-1", "比分是二比一"),
        ("3-2胜", "三比二胜"),
        ("以3-1战胜对手", "以三比一战胜对手"),
        ("5kg-10kg", "五千克到十千克"),
        ("10kg-5kg", "十千克减五千克"),
        ("2019-2020", "二零一九到二零二零"),
        ("2020-2019=1", "两千零二十减两千零一十九等于一"),
        ("(1)-(3)", "(一)到(三)"),
        ("1990-2000年间", "一九九零到二零零零年间"),
        ("距今1000-2000年", "距今一千到两千年"),
    ],
)
def test_a_dash_between_numbers_is_a_range_a_label_or_minus(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第Ⅱ卷", "第二卷"),
        ("Ⅰ、Ⅱ、Ⅲ", "一、二、三"),
        ("第ⅩⅣ章", "第十四章"),
        ("ⅲ.", "三."),
        ("⼀⼆⼗", "一二十"),  # Kangxi radicals copied from a PDF
        # Latin capitals are a numeral only where something is numbered
        ("第IV章", "第四章"),
        ("第II卷", "第二卷"),
        ("XIV章", "十四章"),
        ("第I单元", "第一单元"),
        ("第IIII章", "第艾艾艾艾章"),  # not a numeral
        ("I和V", "艾和维"),
    ],
)
def test_roman_numerals_and_kangxi_radicals_are_read_for_what_they_stand_for(
    text: str, expected: str
) -> None:
    assert norm(text) == expected


def test_roman_numerals_are_said_and_radicals_are_not_emoji() -> None:
    analysis = _front_end().analyze("第Ⅱ卷⼀⺀")
    assert "".join(s.char for s in analysis.syllables) == "第二卷一"
    assert [(s.text, s.reason) for s in analysis.unspoken] == [("⺀", "symbol")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.5元/kg", "三点五元每千克"),
        ("¥3.5/kg", "三点五元每千克"),
        ("30元/人", "三十元每人"),
        ("1990s", "一九九零年代"),
        ("1990's", "一九九零年代"),
        ("2000s", "两千秒"),  # a round number of seconds is as likely
        ("90s", "九十秒"),
        (".5", "零点五"),
        ("...5", "...五"),
        ("3/0", "三除以零"),
        ("0/5", "五分之零"),
    ],
)
def test_numbers_that_were_misread_in_silence(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5N·m", "五牛米"),
        ("5C", "五库仑"),
        ("电荷量为1.6×10⁻¹⁹C。", "电荷量为一点六乘十的负十九次方库仑。"),
        ("10⁻³m", "十的负三次方米"),
        ("2hm²", "两公顷"),
        ("单位是mol/(L·min)", "单位是摩尔每升每分钟"),
        ("mol·L⁻¹", "摩尔每升"),
        # C before a word is not coulombs, and a lone m/s may be algebra
        ("3C产品", "三西产品"),
        ("m/s", "艾姆/艾丝"),
    ],
)
def test_units_the_table_lacked_or_named_without_a_number(text: str, expected: str) -> None:
    assert norm(text) == expected
