"""What captions and the manifest show for each segment: the script's own words, whole, even where
normalisation wrote the reading (numbers, formulas, units, Latin words at a segment's edge)."""

from __future__ import annotations

import re

import pytest

from engines.estimate import estimate_times
from lesson_specs import load_spec
from tasks.jobs import SegmentJob, VoiceIdentity
from tasks.marks import char_spans
from tasks.plan import plan_paragraphs
from text_frontend.display_words import is_pause_char
from text_frontend.frontend import FrontEnd

VOICE = VoiceIdentity("baker", "test", "test")
_MARKUP = re.compile(r"\[\[[^\[\]]*\]\]|\[([^\[\]]+)\]\([^()]*\)")


@pytest.fixture(scope="module")
def front_end() -> FrontEnd:
    return FrontEnd()


def jobs_of(front_end: FrontEnd, paragraphs: list[str], max_chars: int = 50) -> list[list[SegmentJob]]:
    body = "\n".join(f"  - text: '{p}'" for p in paragraphs)
    plan = plan_paragraphs(
        load_spec(f"id: t\ntitle: t\nparagraphs:\n{body}\n"), front_end, VOICE, max_chars=max_chars
    )
    return [[j for j in plan.jobs if j.paragraph == n] for n in range(1, len(paragraphs) + 1)]


def without_markup_or_spaces(text: str) -> str:
    return "".join(_MARKUP.sub(lambda m: m.group(1) or "", text).split())


@pytest.mark.parametrize(
    ("paragraph", "shown"),
    [
        ("100%的同学都来了。", ["100%的同学都来了。"]),
        ("2024年我们毕业。", ["2024年我们毕业。"]),
        ("3cm长的线段。", ["3cm长的线段。"]),
        ("我们学了勾股定理。3²+4²=5²是一个例子。", ["我们学了勾股定理。", "3²+4²=5²是一个例子。"]),
        ("直角三角形的两条直角边分别是3cm和4cm", ["直角三角形的两条直角边分别是3cm和4cm"]),
        ("AT&T公司", ["AT&T公司"]),
        ("AT&T公司和C++语言。", ["AT&T公司和C++语言。"]),
    ],
)
def test_a_number_formula_or_latin_word_at_a_segment_edge_is_shown(
    front_end: FrontEnd, paragraph: str, shown: list[str]
) -> None:
    (jobs,) = jobs_of(front_end, [paragraph])
    assert [j.display_text for j in jobs] == shown


PARAGRAPHS = [
    "100%的同学都来了。",
    "同学们，50%的人及格了，还有30%没及格。",
    "老师说：3²+4²=5²。",
    "我们学了勾股定理。3²+4²=5²是一个例子。",
    "直角三角形的两条直角边分别是3cm和4cm",
    "AT&T公司和C++语言。DNA是遗传物质，Python很好学",
    "  我有[Python](派森)课[[500ms]]，今天学3²+4²=5²。[[300ms]]2024年  ",
    "第一句。“第二句”？ 他说：（对）★好 12345678901234567890",
    "长度是1234567890123456789012345678901234567890米，3.14159265358979323846是圆周率。",
]


@pytest.mark.parametrize("max_chars", [8, 12, 50])
def test_a_paragraphs_segments_show_its_text_with_nothing_lost_or_doubled(
    front_end: FrontEnd, max_chars: int
) -> None:
    for paragraph, jobs in zip(PARAGRAPHS, jobs_of(front_end, PARAGRAPHS, max_chars), strict=True):
        assert jobs
        shown = "".join(j.display_text for j in jobs)
        assert without_markup_or_spaces(shown) == without_markup_or_spaces(paragraph), (max_chars, paragraph)
        for job in jobs:
            # Each character shown points at itself in the script, so speech marks can time it.
            assert len(job.display_sources) == len(job.display_text)
            assert [paragraph[i] if i is not None else None for i in job.display_sources] == list(
                job.display_text
            )


def test_every_character_shown_is_timed_by_what_the_segment_said(front_end: FrontEnd) -> None:
    (jobs,) = jobs_of(front_end, ["我们学了勾股定理。3²+4²=5²是一个例子，分别是3cm和4cm"])
    for job in jobs:
        length = 4800 * len(job.segment.syllables)
        spans = char_spans(job, estimate_times(job.segment.tokens, length).spans)
        timed = [
            s for c, s in zip(job.display_text, spans, strict=True) if not is_pause_char(c) and s is not None
        ]
        assert len(timed) == sum(not is_pause_char(c) for c in job.display_text), job.display_text
        assert timed[0][0] == 0 and timed[-1][1] == length
        assert [s[0] for s in timed] == sorted(s[0] for s in timed)


@pytest.mark.parametrize(
    ("paragraph", "shown"),
    [
        ("在银【行】（hang2）工作", "在银行工作"),
        ("在银［行］（ｈａｎｇ２）工作", "在银行工作"),
        ("在银[行]（hang2）工作", "在银行工作"),
        ("我学【Python】（派森）", "我学【Python】（派森）"),  # not unmistakable: prose, read as written
        ("【注意】（见下文）好", "【注意】（见下文）好"),
    ],
)
def test_markup_typed_with_a_chinese_input_method_is_not_shown(
    front_end: FrontEnd, paragraph: str, shown: str
) -> None:
    (jobs,) = jobs_of(front_end, [paragraph])
    assert "".join(j.display_text for j in jobs) == shown
    for job in jobs:
        assert [paragraph[i] if i is not None else None for i in job.display_sources] == list(
            job.display_text
        )


def test_a_full_width_pause_mark_is_not_shown(front_end: FrontEnd) -> None:
    between, leading = jobs_of(front_end, ["好的【【300ms】】继续", "【【300ms】】继续"])
    assert [j.display_text for j in between] == ["好的", "继续"]
    assert [j.display_text for j in leading] == ["继续"]
