"""Warnings for what normalisation cannot read: an unknown unit or an exponent no lesson means."""

from __future__ import annotations

from functools import cache
from pathlib import Path

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


def _script_warnings(script: str) -> list[str]:
    spec = load_spec(script, source="lesson.yaml")
    return [str(w) for w in pronunciation_warnings(spec, _front_end())]


def test_a_syllable_the_voice_cannot_say_is_an_error_even_with_an_override() -> None:
    """呣 is only ever m2, which the Baker voice has no phones for: the render would fail."""
    found = _warnings('"[呣](m2)，好的。"', "噷，嗯。")
    assert found == [
        "lesson.yaml:5:13: paragraph 2: `呣` is read m2, a syllable the voice cannot say,"
        " so the render will fail (write the sound with characters the voice can say, e.g. [呣](嗯) or 嗯)",
        "lesson.yaml:6:11: paragraph 3: `噷` is read hm5, a syllable the voice cannot say,"
        " so the render will fail (write the sound with characters the voice can say, e.g. [噷](嗯) or 嗯)",
    ]
    assert _warnings('"[呣](嗯)，好的。"', "嗯，哼。") == []
    spec = load_spec("id: a\ntitle: t\nparagraphs:\n  - 呣，好的。\n", source="lesson.yaml")
    assert [d.severity for d in pronunciation_warnings(spec, _front_end())] == ["error"]


def test_validate_fails_a_script_the_voice_cannot_say(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.cli import app

    script = tmp_path / "lesson.yaml"
    script.write_text("id: a\ntitle: t\nparagraphs:\n  - 呣，好的。\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["validate", str(script)])
    assert done.exit_code == 2 and "a syllable the voice cannot say" in done.output, done.output
    assert ": ok," not in done.output


def test_another_voices_syllables_are_not_judged_by_the_baker_table() -> None:
    assert _script_warnings("id: a\ntitle: t\nvoice: http\nparagraphs:\n  - 呣，好的。\n") == []


def test_markup_typed_with_full_width_brackets_that_is_not_used_is_a_warning() -> None:
    warning, spelled = _warnings("在银【行】（hang6）工作")
    assert "H-A-N-G" in spelled  # read as text, as the warning says
    assert warning.startswith("lesson.yaml:5:13: warning: paragraph 2: `【行】（hang6）` looks like markup")
    assert _warnings("在银【行】（hang2）工作", "【注意】（见下文）") == []


def test_a_reading_of_latin_letters_only_warns_that_it_will_be_spelled() -> None:
    (inline,) = _warnings("在银[行](hang-2)工作")
    assert "the reading `hang-2` of `行` is not pinyin, so it will be spelled H-A-N-G" in inline
    (entry,) = _script_warnings(
        "id: a\ntitle: t\nlexicon:\n  行长: hang zhang-3\nparagraphs:\n  - 他是行长。\n"
    )
    assert "lesson.yaml:6:7: warning: paragraph 1: the reading `hang zhang-3` of `行长`" in entry
    assert _warnings("学[C++](C加加)。") == []
