"""Lesson-script validation: every error names file, line, column, paragraph and the fix."""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path

import pytest

from lesson_specs import (
    MAX_PARAGRAPH_CHARS,
    MAX_SCRIPT_BYTES,
    Diagnostic,
    Emotion,
    SpecError,
    load_spec,
    load_spec_file,
)
from lesson_specs.loader import MAX_PARAGRAPHS
from lesson_specs.pronounceability import pronunciation_warnings
from tests.read_meter import bytes_read
from text_frontend.frontend import FrontEnd

EXAMPLES = sorted((Path(__file__).parents[2] / "lesson_specs" / "examples").glob("*.yaml"))


def errors_of(text: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec(text, source="lesson.yaml")
    return [str(d) for d in caught.value.diagnostics]


def test_examples_exist_and_validate() -> None:
    assert len(EXAMPLES) >= 2
    for path in EXAMPLES:
        spec = load_spec_file(path)
        assert spec.paragraphs, path
        assert len(spec.sha256) == 64


def test_full_example_fields() -> None:
    spec = load_spec(
        """\
id: math-g8-pythagoras
title: 勾股定理
course: 初中数学八年级
voice: baker
emotion: serious
lexicon:
  勾股: gou1 gu3
  Python: 派森
paragraphs:
  - emotion: happy
    text: 同学们好！
  - text: 他说[Python](派森)很好学。
    pause_after: 1s
  - 一个纯文本段落。
"""
    )
    assert spec.id == "math-g8-pythagoras"
    assert spec.course == "初中数学八年级"
    assert spec.voice == "baker"
    assert [p.emotion for p in spec.paragraphs] == [Emotion.HAPPY, Emotion.SERIOUS, Emotion.SERIOUS]
    assert spec.paragraphs[1].pause_after_ms == 1000
    assert spec.paragraphs[2].text == "一个纯文本段落。"
    entry = spec.lexicon.get("勾股")
    assert entry is not None and entry.syllables == ("gou1", "gu3")
    alias = spec.lexicon.get("Python")
    assert alias is not None and alias.alias == "派森"
    # Positions point at the text value in the file (line 12, column 11).
    assert spec.paragraphs[1].origin.start == (12, 11)
    assert spec.paragraphs[1].origin.at(2) == (12, 13)


def test_yaml_syntax_error_has_position() -> None:
    (message,) = errors_of("id: x\ntitle: [unclosed\nparagraphs: []\n")
    assert message.startswith("lesson.yaml:3:")
    assert "YAML syntax error" in message
    assert "(fix the YAML syntax)" in message


def test_unknown_keys_suggest_closest() -> None:
    messages = errors_of("id: a\ntitel: t\nparagraphs:\n  - txt: 你好\n    text: 你好\n")
    assert "lesson.yaml:2:1: unknown key `titel` (did you mean `title`?)" in messages
    assert "lesson.yaml:4:5: paragraph 1: unknown key `txt` (did you mean `text`?)" in messages


def test_missing_text_and_paragraphs() -> None:
    messages = errors_of("id: a\ntitle: t\nparagraphs:\n  - emotion: sad\n")
    assert any("paragraph 1: paragraph has no text" in m and m.startswith("lesson.yaml:4:") for m in messages)
    messages = errors_of("id: a\ntitle: t\n")
    assert any("`paragraphs` is missing" in m for m in messages)


def test_unknown_emotion_lists_valid_ones() -> None:
    (message,) = errors_of("id: a\ntitle: t\nparagraphs:\n  - text: 你好\n    emotion: hapy\n")
    assert message.startswith("lesson.yaml:5:14: paragraph 1: unknown emotion `hapy`")
    assert "did you mean `happy`?" in message
    for emotion in Emotion:
        assert emotion.value in message


@pytest.mark.parametrize("duration", ["5", "fast", "-1s", "20s", "1 min"])
def test_bad_durations(duration: str) -> None:
    (message,) = errors_of(f"id: a\ntitle: t\nparagraphs:\n  - text: 你好\n    pause_after: {duration}\n")
    assert message.startswith("lesson.yaml:5:18: paragraph 1: pause_after:")
    assert "500ms" in message or "shorter" in message


def test_bad_inline_pause() -> None:
    (message,) = errors_of("id: a\ntitle: t\nparagraphs:\n  - text: 你好[[soon]]再见\n")
    assert message.startswith("lesson.yaml:4:13: paragraph 1: 'soon' is not a duration")


def test_bad_overrides_point_at_the_reading() -> None:
    messages = errors_of("id: a\ntitle: t\nparagraphs:\n  - text: 银[行](xang2)和[银行](yin2)和[长](chang)\n")
    assert messages[0].startswith("lesson.yaml:4:16: paragraph 1: 'xang2' is not a Mandarin syllable")
    assert "1 syllable(s)" in messages[1] and "[银行](yin2 hang2)" in messages[1]
    assert "'chang' has no tone" in messages[2] and "chang1" in messages[2]


def test_bad_lexicon_entry() -> None:
    (message,) = errors_of("id: a\ntitle: t\nlexicon:\n  勾股: gou1\nparagraphs:\n  - 你好\n")
    assert message.startswith("lesson.yaml:4:7:")
    assert "lexicon `勾股`" in message and "2 character(s) but 1 syllable(s)" in message


@pytest.mark.parametrize("bad_id", ["Math_G8", "math--g8", "-x", "数学", "a" * 65])
def test_bad_id(bad_id: str) -> None:
    (message,) = errors_of(f"id: {bad_id}\ntitle: t\nparagraphs:\n  - 你好\n")
    assert message.startswith("lesson.yaml:1:5:")
    assert "is not a slug" in message and "e.g. `" in message


def test_oversize_script_and_paragraph() -> None:
    big = "id: a\ntitle: t\nparagraphs:\n" + "  - " + "好" * 100 + "\n" * 1
    big = big * (MAX_SCRIPT_BYTES // len(big.encode()) + 1)
    (message,) = errors_of(big)
    assert "over the 200 KB limit" in message and "split the lesson" in message
    (message,) = errors_of("id: a\ntitle: t\nparagraphs:\n  - " + "好" * (MAX_PARAGRAPH_CHARS + 1) + "\n")
    assert message.startswith("lesson.yaml:4:5: paragraph 1:") and "2001 characters" in message


def test_all_errors_reported_in_one_pass_sorted_by_line() -> None:
    messages = errors_of(
        "id: Bad ID\ntitle: t\nemotion: mad\nparagraphs:\n  - text: 你[好](hao9)\n  - emotion: x\n"
    )
    lines = [int(m.split(":")[1]) for m in messages]
    assert lines == sorted(lines)
    assert len(messages) >= 4


def test_block_scalar_positions() -> None:
    spec = load_spec("id: a\ntitle: t\nparagraphs:\n  - text: |\n      第一行\n      第二行\n")
    origin = spec.paragraphs[0].origin
    assert origin.at(0) == (5, 7)
    assert origin.at(4) == (6, 7)  # "第一行\n第二行": offset 4 is 第 of the second line
    messages = errors_of("id: a\ntitle: t\nparagraphs:\n  - text: |\n      第一行\n      第二[[x]]\n")
    assert messages[0].startswith("lesson.yaml:6:9: paragraph 1:")


def test_scalars_keep_their_text() -> None:
    spec = load_spec("id: a\ntitle: 2024\nparagraphs:\n  - text: 2024\n  - text: yes\n")
    assert spec.title == "2024"
    assert [p.text for p in spec.paragraphs] == ["2024", "yes"]


def test_unreadable_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec_file(tmp_path / "missing.yaml")
    assert "cannot read file" in str(caught.value)
    path = tmp_path / "gbk.yaml"
    path.write_bytes("id: a\ntitle: 标题\n".encode("gbk"))
    with pytest.raises(SpecError) as caught:
        load_spec_file(path)
    assert f"{path}:2:1: file is not UTF-8 text (save the script as UTF-8)" == str(caught.value)


def test_special_files_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    # /dev/null, not /dev/zero: reading it all costs nothing (the CLI test covers /dev/zero, boxed).
    cases = {fifo: "a named pipe (FIFO)", Path("/dev/null"): "a device", tmp_path: "a folder"}
    for path, kind in cases.items():
        assert load_error_unless_stuck(path, fifo) == [
            f"{path}:1:1: cannot read file: it is {kind}, not a regular file"
            " (give the path of a .yaml lesson script)"
        ], path


def test_huge_file_is_refused_without_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.write(b"id: a\ntitle: t\nparagraphs:\n  - x\n")
        handle.truncate(256 * 1024**2)  # sparse: takes no disk
    before = bytes_read()
    assert load_error(huge) == (
        f"{huge}:1:1: script is 262144 KB, over the 200 KB limit (split the lesson into several scripts)"
    )
    if before is not None:
        after = bytes_read()
        assert after is not None and after - before < 8 * MAX_SCRIPT_BYTES  # not read at all
    just_over = tmp_path / "over.yaml"
    just_over.write_bytes(b"#" * (MAX_SCRIPT_BYTES + 1))
    assert "over the 200 KB limit" in load_error(just_over)
    at_limit = tmp_path / "limit.yaml"
    at_limit.write_bytes(b"id: a\ntitle: t\nparagraphs:\n  - x\n".ljust(MAX_SCRIPT_BYTES, b"#"))
    assert len(load_spec_file(at_limit).paragraphs) == 1


def load_error_unless_stuck(path: Path, fifo: Path) -> list[str]:
    """The load's error, or nothing if it blocked (opening ``fifo``) for 30 s, then freed."""
    found: list[str] = []
    worker = threading.Thread(target=lambda: found.append(load_error(path)), daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # blocked opening the FIFO: give it a writer so the thread can end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(5)
        return []
    return found


def load_error(path: Path) -> str:
    with pytest.raises(SpecError) as caught:
        load_spec_file(path)
    return str(caught.value)


def test_alias_bomb_is_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 8):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]\n"
    bomb += "id: a\ntitle: t\nparagraphs:\n  - text: *h\n"
    with pytest.raises(SpecError):
        load_spec(bomb)


def test_known_voices_checked() -> None:
    with pytest.raises(SpecError) as caught:
        load_spec("id: a\ntitle: t\nvoice: bakr\nparagraphs:\n  - 你好\n", known_voices={"baker", "http"})
    assert "unknown voice `bakr` (did you mean `baker`?)" in str(caught.value)


def _col_of(line: str, part: str) -> int:
    return line.index(part) + 1


def test_reading_with_tone_mark_and_digit_is_an_error_with_its_position() -> None:
    line = "  - text: 在银[行](hāng2)工作"
    (message,) = errors_of(f"id: a\ntitle: t\nparagraphs:\n{line}\n")
    assert message == (
        f"lesson.yaml:4:{_col_of(line, 'hāng2')}: paragraph 1: 'hāng2' has both a tone mark and a tone digit"
        " (write hang2 or háng)"
    )


def test_lexicon_reading_with_tone_mark_and_digit_is_an_error() -> None:
    line = "  银行: yín háng2"
    (message,) = errors_of(f"id: a\ntitle: t\nlexicon:\n{line}\nparagraphs:\n  - 你好\n")
    assert message.startswith(f"lesson.yaml:4:{_col_of(line, 'háng2')}: lexicon `银行`: 'háng2' has both")
    assert message.endswith("(write hang2 or háng)")


@pytest.mark.parametrize(
    ("line", "mark"),
    [("  - text: 你好]]再见", "]]"), ("  - text: 你好[[再见", "[["), ("  - text: 好[[1s]]好]]", "好]]")],
)
def test_unmatched_double_brackets_are_errors_with_their_position(line: str, mark: str) -> None:
    (message,) = errors_of(f"id: a\ntitle: t\nparagraphs:\n{line}\n")
    col = _col_of(line, mark) + (1 if mark.startswith("好") else 0)
    assert message.startswith(f"lesson.yaml:4:{col}: paragraph 1: ")
    assert "[[500ms]]" in message


@pytest.mark.parametrize(
    "text",
    [
        "id: a\ntitle: t\nparagraphs:\n  - text: 你好\n    pause_after: " + "9" * 400 + "ms\n",
        "id: a\ntitle: t\nparagraphs:\n  - text: 你好[[" + "9" * 400 + "ms]]\n",
        "id: a\ntitle: t\nparagraphs:\n  - text: 你好\n    emotion: " + "x" * 5000 + "\n",
        "id: " + "A" * 5000 + "\ntitle: t\nparagraphs:\n  - 你好\n",
        "id: a\ntitle: t\nparagraphs:\n  - text: 在[" + "银" * 1500 + "](yin2)\n",
        "id: a\ntitle: t\nlexicon:\n  " + "银" * 500 + ": yin2\nparagraphs:\n  - 你好\n",
    ],
)
def test_errors_quote_a_bounded_excerpt(text: str) -> None:
    (message,) = errors_of(text)
    assert len(message) <= 400, message
    assert "…" in message


def test_diagnostic_is_one_bounded_line_whoever_builds_it() -> None:
    diagnostic = Diagnostic("f.yaml", 1, 2, "bad `" + "x" * 5000 + "`\nsecond line", "fix\n" + "y" * 5000)
    assert "\n" not in str(diagnostic)
    assert diagnostic.message.startswith("bad `" + "x" * 30) and len(diagnostic.message) <= 60
    assert len(diagnostic.fix) <= 300 and diagnostic.fix.startswith("fix y")


@cache
def _front_end() -> FrontEnd:
    return FrontEnd()


def test_a_number_read_as_too_many_syllables_is_a_warning_with_its_position() -> None:
    line = "  - text: 圆周率是3." + "1415926535" * 20 + "。"
    spec = load_spec(f"id: a\ntitle: t\nparagraphs:\n  - 你好\n{line}\n", source="lesson.yaml")
    (warning,) = pronunciation_warnings(spec, _front_end(), 50)
    assert warning.severity == "warning"
    quoted = "`3.1415926535141592653514159265351415926…`"
    assert str(warning) == (
        f"lesson.yaml:5:{_col_of(line, '3.')}: warning: paragraph 2: {quoted}"
        " is read as 202 syllables, more than one segment holds (50), so it will be cut mid-reading"
        " (write it in words or shorten it)"
    )


def test_long_reading_warning_follows_the_configured_limit() -> None:
    spec = load_spec("id: a\ntitle: t\nparagraphs:\n  - 电话是13812345678。\n", source="lesson.yaml")
    assert pronunciation_warnings(spec, _front_end(), 50) == []
    (warning,) = pronunciation_warnings(spec, _front_end(), 8)
    assert "`13812345678` is read as 11 syllables" in warning.message


def test_unpronounced_warning_quotes_a_bounded_excerpt() -> None:
    spec = load_spec("id: a\ntitle: t\nparagraphs:\n  - 我用" + "abc" * 500 + "。\n", source="lesson.yaml")
    (warning,) = [w for w in pronunciation_warnings(spec, _front_end(), 50) if "spelled" in w.message]
    assert len(str(warning)) <= 300 and "`abcabc" in warning.message and "…" in warning.message


def test_validate_cli_warns_about_long_readings_in_short_lines(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.cli import app

    script = tmp_path / "pi.yaml"
    script.write_text(
        "id: pi\ntitle: t\nparagraphs:\n  - text: 圆周率是3." + "1415926535" * 20 + "。\n"
        "  - text: 好大的数：" + "9" * 1990 + "\n",
        "utf-8",
    )
    result = CliRunner().invoke(app, ["validate", str(script)])
    assert result.exit_code == 0, result.output
    assert f"{script}:4:15: warning: paragraph 1: `3.14159" in result.output
    assert "is read as 202 syllables" in result.output
    assert f"{script}:5:16: warning: paragraph 2: `99999" in result.output
    assert f"{script}: ok, 2 paragraphs (2 warnings)" in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 300

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: a\ntitle: t\nparagraphs:\n  - text: 你好]]\n    emotion: " + "x" * 5000 + "\n", "utf-8"
    )
    result = CliRunner().invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:4:13: paragraph 1: unmatched ]]" in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 300


# -- course lexicons ------------------------------------------------------------------------------

COURSE_SCRIPT = "id: l1\ntitle: t\n{extra}paragraphs:\n  - text: 他在银行工作，学勾股定理。\n"


def _course(tmp_path: Path, extra: str, lexicon: str | None, name: str = "lexicon.yaml") -> Path:
    lessons = tmp_path / "math" / "ch1"
    lessons.mkdir(parents=True)
    if lexicon is not None:
        (tmp_path / "math" / name).write_text(lexicon, "utf-8")
    script = lessons / "l1.yaml"
    script.write_text(COURSE_SCRIPT.format(extra=extra), "utf-8")
    return script


def _pinyin(spec: object, text: str) -> list[tuple[str, str]]:
    from lesson_specs.model import LessonSpec

    assert isinstance(spec, LessonSpec)
    return [(s.char, s.pinyin) for s in _front_end().analyze(text, spec.lexicon).syllables]


def test_a_named_course_lexicon_is_read_relative_to_the_script(tmp_path: Path) -> None:
    lexicon = "course: 初中数学\nlexicon:\n  银行: yin2 hang2\n  勾股: gou1 gu3\n"
    script = _course(
        tmp_path,
        "course_lexicon: ../初中数学.lexicon.yaml\nlexicon:\n  银行: yin2 xing2\n",
        lexicon,
        "初中数学.lexicon.yaml",
    )
    spec = load_spec_file(script)
    assert spec.course_lexicon == str(script.parent / "../初中数学.lexicon.yaml")
    assert spec.course_lexicon_sha256 is not None and len(spec.course_lexicon_sha256) == 64
    entry = spec.lexicon.get("勾股")
    assert entry is not None and entry.layer == "course"
    # The lesson's own entry wins over the course's for the same word.
    assert _pinyin(spec, "银行") == [("银", "yin2"), ("行", "xing2")]


def test_lexicon_yaml_beside_a_script_is_used_when_it_names_none(tmp_path: Path) -> None:
    script = _course(tmp_path, "", None)
    assert load_spec_file(script).course_lexicon is None
    (script.parent / "lexicon.yaml").write_text("lexicon:\n  银行: yin2 hang2\n", "utf-8")
    spec = load_spec_file(script)
    assert spec.course_lexicon == str(script.parent / "lexicon.yaml")
    assert _pinyin(spec, "银行") == [("银", "yin2"), ("行", "hang2")]


def test_a_missing_course_lexicon_is_reported_where_the_script_names_it(tmp_path: Path) -> None:
    script = _course(tmp_path, "course_lexicon:  ../nope.lexicon.yaml\n", None)
    assert load_error(script) == (
        f"{script}:3:18: course lexicon `../nope.lexicon.yaml`: cannot read file: No such file or directory"
        " (the path is relative to the script's folder)"
    )


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("course_lexicon: ../../../etc/passwd\n", "3:17: course lexicon `../../../etc/passwd` is not named"),
        ("course_lexicon:\n", "3:16: `course_lexicon` is empty"),
        ("course_lexicon: [a.lexicon.yaml]\n", "3:17: `course_lexicon` must be text, not a list"),
        (
            "course_lexicn: a.lexicon.yaml\n",
            "3:1: unknown key `course_lexicn` (did you mean `course_lexicon`?)",
        ),
    ],
)
def test_bad_course_lexicon_references(tmp_path: Path, extra: str, expected: str) -> None:
    script = _course(tmp_path, extra, None)
    assert f"{script}:{expected}" in load_error(script)


def test_errors_in_a_course_lexicon_name_its_file_line_and_column(tmp_path: Path) -> None:
    script = _course(
        tmp_path, "course_lexicon: ../lexicon.yaml\nlexicon: {勾股: gou1}\n", "lexicon:\n  银行: yin2 hang9\n"
    )
    lexicon_path = script.parent / "../lexicon.yaml"
    lines = load_error(script).splitlines()
    # The script's own problems first, then the course lexicon's.
    assert lines[0].startswith(f"{script}:4:15: lexicon `勾股`")
    assert lines[1].startswith(f"{lexicon_path}:2:12: lexicon `银行`: 'hang9' is not a pinyin syllable")


def test_a_fifo_or_a_huge_file_as_course_lexicon_is_refused_without_reading(tmp_path: Path) -> None:
    script = _course(tmp_path, "course_lexicon: ../pipe.lexicon.yaml\n", None)
    fifo = tmp_path / "math" / "pipe.lexicon.yaml"
    os.mkfifo(fifo)
    assert load_error_unless_stuck(script, fifo) == [
        f"{script}:3:17: course lexicon `../pipe.lexicon.yaml`: cannot read file: it is a named pipe (FIFO),"
        " not a regular file (check the file)"
    ]
    fifo.unlink()
    with fifo.open("wb") as handle:
        handle.truncate(256 * 1024**2)  # sparse: takes no disk
    assert load_error(script) == (
        f"{script}:3:17: course lexicon `../pipe.lexicon.yaml` is over the 200 KB limit"
        " (split the course's words into a smaller file)"
    )


def test_a_script_given_as_text_cannot_read_a_course_lexicon() -> None:
    assert errors_of(COURSE_SCRIPT.format(extra="course_lexicon: ../x.lexicon.yaml\n")) == [
        "lesson.yaml:3:17: a course lexicon can only be read for a script in a folder or an inbox"
        " (copy the entries you need into the script's own `lexicon:`)"
    ]


def test_validate_cli_reports_a_bad_course_lexicon_without_a_traceback(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.cli import app

    script = _course(tmp_path, "", None)
    (script.parent / "lexicon.yaml").write_text("lexicon:\n  银行: [yin2\n", "utf-8")
    result = CliRunner().invoke(app, ["validate", str(script)])
    assert result.exit_code == 2
    assert f"{script.parent / 'lexicon.yaml'}:3:1: YAML syntax error" in result.output
    assert "Traceback" not in result.output


def test_a_paragraph_with_over_a_minute_of_pauses_is_an_error_at_the_pause() -> None:
    (message,) = errors_of("id: a\ntitle: t\nparagraphs:\n  - text: " + "好[[10s]]" * 7 + "\n")
    assert message.startswith("lesson.yaml:4:60:"), message  # the seventh pause
    assert "over the 60s limit" in message and "split the paragraph" in message


def test_a_lesson_over_the_character_limit_is_an_error_naming_limit_and_fix() -> None:
    paragraph = "好" * MAX_PARAGRAPH_CHARS
    script = "id: a\ntitle: t\nparagraphs:\n" + f"  - {paragraph}\n" * 11
    (message,) = errors_of(script)
    assert message.startswith("lesson.yaml:14:5:"), message  # the 11th paragraph crosses 20,000
    assert "22,000 characters, over the 20,000 limit" in message
    assert "split the lesson into several scripts" in message


def test_a_lesson_over_ten_minutes_of_pauses_is_an_error_naming_limit_and_fix() -> None:
    paragraph = "  - text: " + "好[[10s]]" * 6 + "\n    pause_after: 10s\n"  # 70 s each
    (message,) = errors_of("id: a\ntitle: t\nparagraphs:\n" + paragraph * 9)
    assert message.startswith("lesson.yaml:20:11:"), message  # the 9th paragraph reaches 630 s
    assert "add up to 630s, over the 10 minute limit" in message
    assert "split the lesson into several scripts" in message
    load_spec("id: a\ntitle: t\nparagraphs:\n" + paragraph * 8, source="lesson.yaml")  # 560 s is fine


def test_the_gap_after_each_paragraph_counts_toward_the_pause_limit() -> None:
    """Hundreds of one-word paragraphs are minutes of silence: 700 ms after each of them."""
    (message,) = errors_of("id: a\ntitle: t\nparagraphs:\n" + "  - 好\n" * 900)
    assert message.startswith("lesson.yaml:861:5:"), message  # paragraph 858 reaches 600.6 s
    assert "with 0.7s after each paragraph that sets no `pause_after`, add up to 630s" in message
    assert "over the 10 minute limit" in message and "split the lesson into several scripts" in message
    # An explicit `pause_after` replaces the gap, a pause mark adds to it.
    paragraph = "  - text: 好[[300ms]]\n    pause_after: 1s\n"
    (message,) = errors_of("id: a\ntitle: t\nparagraphs:\n" + paragraph * 462)
    assert "add up to 600.6s" in message, message
    load_spec("id: a\ntitle: t\nparagraphs:\n" + paragraph * 461, source="lesson.yaml")
    load_spec("id: a\ntitle: t\nparagraphs:\n" + "  - 好\n" * 857, source="lesson.yaml")  # 599.9 s


def test_a_lesson_over_the_paragraph_limit_is_an_error_naming_limit_and_fix() -> None:
    paragraph = "  - text: 好\n    pause_after: 0s\n"
    (message,) = errors_of("id: a\ntitle: t\nparagraphs:\n" + paragraph * (MAX_PARAGRAPHS + 1))
    assert message.startswith(f"lesson.yaml:{4 + 2 * MAX_PARAGRAPHS}:11:"), message
    assert f"{MAX_PARAGRAPHS + 1:,} paragraphs, over the {MAX_PARAGRAPHS:,} limit" in message
    assert "split the lesson into several scripts" in message
    load_spec("id: a\ntitle: t\nparagraphs:\n" + paragraph * MAX_PARAGRAPHS, source="lesson.yaml")


# -- what the lexicon makes a lesson say -----------------------------------------------------------

LAUGH = "哈哈大笑，" * 6  # 30 characters: an alias within the limit that still multiplies 哈 by 30


def test_the_red_team_lexicon_alias_is_refused_at_its_line() -> None:
    """A 300-character alias for 哈 over ten paragraphs of 2,000 哈 once took a minute to validate."""
    alias = "哈哈大笑" * 75
    script = "id: a\ntitle: t\nlexicon:\n  哈: " + alias + "\nparagraphs:\n" + f"  - {'哈' * 2000}\n" * 10
    (message,) = errors_of(script)
    assert message.startswith("lesson.yaml:4:6: lexicon `哈`: the alias is 300 characters"), message
    assert (
        "over the 32-character limit for this word" in message
        and "put longer text in the paragraph" in message
    )


def test_a_course_lexicon_alias_too_long_names_the_course_file(tmp_path: Path) -> None:
    script = _course(
        tmp_path, "course_lexicon: ../lexicon.yaml\n", "lexicon:\n  勾股: " + "勾股定理" * 20 + "\n"
    )
    lexicon_path = script.parent / "../lexicon.yaml"
    (line,) = load_error(script).splitlines()
    assert line.startswith(f"{lexicon_path}:2:7: lexicon `勾股`: the alias is 80 characters"), line


def test_a_paragraph_the_lexicon_expands_past_the_limit_is_an_error_at_that_paragraph() -> None:
    script = (
        "id: a\ntitle: t\nlexicon:\n  哈: " + LAUGH + "\nparagraphs:\n  - 你好。\n  - " + "哈" * 100 + "\n"
    )
    (message,) = errors_of(script)
    assert message.startswith(
        "lesson.yaml:7:5: paragraph 2: paragraph is 3,000 characters once the lexicon's"
    ), message
    assert "(100 as written), over the 2,000 limit" in message and "shorten the lexicon's aliases" in message


def test_a_lesson_the_lexicon_expands_past_the_limit_is_an_error_where_it_crosses(tmp_path: Path) -> None:
    """Each paragraph fits (1,800 characters as said); the 12th takes the lesson over. The course
    lexicon counts as the lesson's does."""
    script = _course(tmp_path, "", "lexicon:\n  哈: " + LAUGH + "\n")
    paragraphs = f"  - {'哈' * 60}\n" * 12
    script.write_text("id: a\ntitle: t\ncourse_lexicon: ../lexicon.yaml\nparagraphs:\n" + paragraphs, "utf-8")
    (line,) = load_error(script).splitlines()
    assert line.startswith(f"{script}:16:5: paragraph 12: the lesson's paragraphs have 21,600 characters"), (
        line
    )
    assert "once the lexicon's aliases are put in, over the 20,000 limit for one lesson" in line


def test_markup_and_shorter_readings_never_count_against_a_lesson() -> None:
    """Counted as said, a full lesson of markup-heavy text is still within its limits."""
    paragraph = "[行](xing2)" * 200  # 2,000 characters as written, 200 said
    spec = load_spec("id: a\ntitle: t\nlexicon:\n  Python: 派森\nparagraphs:\n" + f"  - '{paragraph}'\n" * 10)
    assert len(spec.paragraphs) == 10
