"""The paragraph editor's YAML round trip keeps the teacher's comments where the paragraphs go, writes
no anchors, and reads a paragraph's text as validation does."""

from __future__ import annotations

import pytest

from lesson_specs import load_spec
from lesson_specs.roundtrip import EditError, ParagraphEdit, apply_edits, outline

E = ParagraphEdit

PLAIN = """\
id: cmt
title: t
# header comment
paragraphs:
  # above first
  - 第一段  # eol first
  # above second
  - text: 第二段  # eol second
    emotion: happy
  # above third
  - 第三段
# trailing comment
"""


def script(body: str) -> str:
    return "id: cmt\ntitle: t\nparagraphs:\n" + body


def test_deleting_paragraphs_keeps_the_comments_of_those_kept_and_the_trailing_one() -> None:
    assert apply_edits(PLAIN, [E(1, "第二段", "happy")]) == (
        "id: cmt\ntitle: t\n# header comment\nparagraphs:\n"
        "  # above second\n  - text: 第二段  # eol second\n    emotion: happy\n# trailing comment\n"
    )
    assert apply_edits(PLAIN, [E(2, "第三段"), E(0, "第一段")]) == (
        "id: cmt\ntitle: t\n# header comment\nparagraphs:\n"
        "  # above third\n  - 第三段\n  # above first\n  - 第一段  # eol first\n# trailing comment\n"
    )


def test_reordering_plain_paragraphs_moves_their_comments_and_keeps_the_trailing_one_last() -> None:
    edited = apply_edits(PLAIN, [E(2, "第三段"), E(1, "第二段", "happy"), E(0, "第一段")])
    assert edited == (
        "id: cmt\ntitle: t\n# header comment\nparagraphs:\n"
        "  # above third\n  - 第三段\n"
        "  # above second\n  - text: 第二段  # eol second\n    emotion: happy\n"
        "  # above first\n  - 第一段  # eol first\n"
        "# trailing comment\n"
    )
    assert [p.text for p in outline(edited).paragraphs] == ["第三段", "第二段", "第一段"]


def test_a_plain_paragraph_given_an_emotion_keeps_its_comment_on_its_text_line() -> None:
    edited = apply_edits(PLAIN, [E(0, "第一段", "sad"), E(1, "第二段", "happy"), E(2, "第三段", "sad", "1s")])
    assert "  - text: 第一段 # eol first\n    emotion: sad\n  # above second\n" in edited
    assert edited.endswith(
        "  # above third\n  - text: 第三段\n    emotion: sad\n    pause_after: 1s\n# trailing comment\n"
    )
    assert [(p.text, p.emotion, p.pause_after) for p in outline(edited).paragraphs] == [
        ("第一段", "sad", None),
        ("第二段", "happy", None),
        ("第三段", "sad", "1s"),
    ]


def test_the_lists_own_comment_stays_first_when_the_first_paragraph_goes() -> None:
    text = script("  # the list: greetings first\n\n  # the greeting\n  - 你好\n  - 再见\n")
    assert apply_edits(text, [E(1, "再见")]) == script("  # the list: greetings first\n\n  - 再见\n")


def test_comments_after_block_paragraphs_survive_an_unchanged_round_trip() -> None:
    text = script("  - |-  # on the header\n    a\n    b\n  # after the block\n  - x  # on x\n  - y\n")
    edits = [E(p.index, p.text, p.emotion, p.pause_after) for p in outline(text).paragraphs]
    edited = apply_edits(text, edits)
    for comment in ("# on the header", "# after the block", "# on x"):
        assert comment in edited
    assert apply_edits(text, edits[::-1]).index("# after the block") < apply_edits(text, edits[::-1]).index(
        "- x"
    )


def test_a_source_used_twice_is_refused_naming_the_edit() -> None:
    text = script("  - text: AAA\n    emotion: happy\n  - BBB\n")
    with pytest.raises(EditError) as refused:
        apply_edits(text, [E(0, "AAA"), E(1, "BBB"), E(0, "CCC")])
    assert refused.value.edit == 2
    assert "paragraph 1" in refused.value.message and "twice" in refused.value.message
    with pytest.raises(EditError) as stale:
        apply_edits(text, [E(5, "x")])
    assert stale.value.edit == 0


def test_line_break_characters_in_text_survive_the_round_trip() -> None:
    odd = "第一\x85第二\u2028第三\u2029完"
    edited = apply_edits(script("  - 你好\n  - text: 再见\n"), [E(0, odd), E(1, odd), E(None, odd)])
    assert [p.text for p in outline(edited).paragraphs] == [odd, odd, odd]
    assert [p.text for p in load_spec(edited).paragraphs] == [odd, odd, odd]


def test_a_paragraph_written_as_a_number_is_text_as_validation_reads_it() -> None:
    text = script("  - 3.10\n  - text: 2024-01-01\n    emotion: happy\n  - 你好\n")
    found = outline(text)
    assert [p.text for p in found.paragraphs] == [p.text for p in load_spec(text).paragraphs]
    assert [p.text for p in found.paragraphs] == ["3.10", "2024-01-01", "你好"]
    unchanged = [E(p.index, p.text, p.emotion, p.pause_after) for p in found.paragraphs]
    assert apply_edits(text, unchanged) == text
    edited = apply_edits(text, [E(0, "3.20", "sad"), E(1, "2024-01-01", "happy")])
    assert [p.text for p in load_spec(edited).paragraphs] == ["3.20", "2024-01-01"]
    assert [p.emotion for p in outline(edited).paragraphs] == ["sad", "happy"]
