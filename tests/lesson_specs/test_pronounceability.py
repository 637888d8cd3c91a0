"""Warnings for what normalisation cannot read: an unknown unit or an exponent no lesson means."""

from __future__ import annotations

from functools import cache

from lesson_specs import load_spec
from lesson_specs.pronounceability import pronunciation_warnings
from text_frontend.frontend import FrontEnd


@cache
def _front_end() -> FrontEnd:
    return FrontEnd()


def _warnings(*paragraphs: str) -> list[str]:
    lines = "".join(f"  - text: {p}\n" for p in paragraphs)
    spec = load_spec(f"id: a\ntitle: t\nparagraphs:\n  - 你好\n{lines}", source="lesson.yaml")
    return [str(w) for w in pronunciation_warnings(spec, _front_end())]


def test_an_unknown_unit_is_a_warning_with_where_and_how_to_fix() -> None:
    (warning,) = _warnings("溶液浓度为5g/kL。")
    assert warning == (
        "lesson.yaml:5:17: warning: paragraph 2: `g/kL` looks like a unit the reader does not know;"
        " it would be spelled letter by letter"
        " (write the unit in Chinese, such as 毫克每分升, or give its reading inline: [g/kL](读法))"
    )


def test_the_fix_the_warning_gives_silences_it() -> None:
    assert _warnings("溶液浓度为5[g/kL](克每千升)。") == []
    assert _warnings("溶液浓度为5克每千升。") == []


def test_known_rates_need_no_warning() -> None:
    assert _warnings("浓度为0.1mol/L，密度为1.0g/cm³，反应速率为0.2mol/(L·min)。") == []


def test_an_absurd_exponent_is_a_warning() -> None:
    (read,) = _warnings("答案是1e999999999999。")
    assert "paragraph 2: the exponent in `1e999999999999` has 12 digits" in read
    (left_out,) = _warnings("答案是1e" + "9" * 40 + "。")
    assert "has 40 digits, too many to read aloud, so it is left out" in left_out
    assert _warnings("答案是1e5。") == []
