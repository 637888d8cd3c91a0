"""Caption files carry the script's text as text: what a player would read as markup is escaped."""

from __future__ import annotations

import html
import re

import pytest

from audio.captions import Cue, to_srt, to_vtt

SCRIPT_LINES = ["当x‹3时，y>2。", "若a<b且b<c，则a<c", "AT&T公司&amp;", "<b>加粗</b>不是标签", "x<y>z &lt; 1"]


def cue_texts(document: str, header_lines: int) -> list[str]:
    """The text lines of each cue (after its timing line), as a player splits the file."""
    blocks = document.split("\n\n")
    return ["\n".join(block.strip("\n").split("\n")[header_lines:]) for block in blocks]


@pytest.mark.parametrize("line", SCRIPT_LINES)
def test_vtt_cue_text_escapes_what_would_be_a_tag_or_an_entity(line: str) -> None:
    vtt = to_vtt([Cue(0.0, 1.0, line), Cue(1.0, 2.0, "下一句", lines=(line, "二"))])
    first, second = cue_texts(vtt.removeprefix("WEBVTT\n\n"), 1)
    # WebVTT cue text: "&" and "<" always start markup, so neither may appear raw.
    for text in (first, second):
        assert not re.search(r"<|&(?!amp;|lt;|gt;)", text)
    assert html.unescape(first) == line
    assert html.unescape(second) == f"{line}\n二"


def test_srt_text_has_no_tag_a_player_would_obey_and_keeps_plain_comparisons() -> None:
    srt = to_srt(
        [Cue(0.0, 1.0, "<b>加粗</b>和<font color=red>红</font>"), Cue(1.0, 2.0, "{\\an8}若a<b，3 < 5")]
    )
    first, second = cue_texts(srt, 2)
    assert not re.search(r"</?[A-Za-z]|\{\\", first + second)
    assert first == "＜b>加粗＜/b>和＜font color=red>红＜/font>"
    assert second == "｛\\an8}若a＜b，3 < 5"  # "<b" could open a tag; "3 < 5" cannot


def test_plain_chinese_captions_are_unchanged() -> None:
    text = "同学们好！今天学习勾股定理：3²+4²=5²，长度是3cm。"
    assert cue_texts(to_vtt([Cue(0.0, 1.0, text)]).removeprefix("WEBVTT\n\n"), 1) == [text]
    assert cue_texts(to_srt([Cue(0.0, 1.0, text)]), 2) == [text]
