"""Speech marks and broadcast captions without a voice: mapping token times onto the script's own
words, and the caption rules on long text (token times here are even shares, as for a voice with
no durations; ``test_marks_voice.py`` checks them on the real voice)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from audio.captions import Cue, layout_cues, to_srt
from config.captions import CAPTION_RULES, CaptionRules
from engines.estimate import estimate_times
from engines.protocol import TokenTimes
from lesson_specs import load_spec
from tasks.assemble import SegmentTimes
from tasks.display import display_map
from tasks.jobs import SegmentJob, VoiceIdentity
from tasks.marks import caption_words, char_spans, segment_marks, sentence_spans, shown_times
from tasks.plan import plan_paragraphs
from text_frontend.display_words import word_spans
from text_frontend.frontend import FrontEnd
from text_frontend.types import Syllable

VOICE = VoiceIdentity("baker", "test", "test")
RATE = 24_000


@pytest.fixture(scope="module")
def front_end() -> FrontEnd:
    return FrontEnd()


def job_for(front_end: FrontEnd, text: str) -> SegmentJob:
    (segment,) = front_end.analyze(text).segments
    shown = display_map(text, segment)
    from engines.prosody import preset

    return SegmentJob(
        "k", 1, 0, segment, shown.text, "neutral", preset("neutral"), VOICE, display_sources=shown.sources
    )


def syllable_times(job: SegmentJob, per_syllable: int = 4800) -> tuple[tuple[int, int], ...]:
    """Each syllable 200 ms, punctuation none: easy to read back."""
    spans, cursor = [], 0
    for tok in job.segment.tokens:
        step = per_syllable if isinstance(tok, Syllable) else 0
        spans.append((cursor, cursor + step))
        cursor += step
    return tuple(spans)


def test_display_positions_point_at_the_script(front_end: FrontEnd) -> None:
    text = "  我有[Python](派森)课[[500ms]]，今天学3²+4²=5²。  "
    for segment in front_end.analyze(text).segments:
        shown = display_map(text, segment)
        assert len(shown.sources) == len(shown.text)
        assert all(i is None or text[i] == c for c, i in zip(shown.text, shown.sources, strict=True))
    assert "[" not in display_map(text, front_end.analyze(text).segments[0]).text


def test_characters_get_their_syllables_and_normalised_text_shares_its_reading(
    front_end: FrontEnd,
) -> None:
    job = job_for(front_end, "我有10个苹果，Python很好。")
    spans = char_spans(job, syllable_times(job))
    shown = dict(zip(job.display_text, spans, strict=False))
    syllables = [t.char for t in job.segment.tokens if isinstance(t, Syllable)]
    assert syllables[:5] == ["我", "有", "十", "个", "苹"]
    assert shown["我"] == (0, 4800) and shown["有"] == (4800, 9600)
    # "10" is read 十: its two characters share the syllable's time
    assert spans[2] == (9600, 12000) and spans[3] == (12000, 14400)
    assert shown["个"] == (14400, 19200)
    # "Python" is read 派森: its six letters share both syllables
    p = job.display_text.index("P")
    letters = spans[p : p + 6]
    assert letters[0] is not None and letters[-1] is not None
    assert letters[0][0] == 6 * 4800 and letters[-1][1] == 8 * 4800
    assert all(s is not None for s in letters)
    # punctuation gets no character mark
    assert spans[job.display_text.index("，")] is None


def test_marks_are_polly_shaped_and_offsets_slice_the_display_text(front_end: FrontEnd) -> None:
    job = job_for(front_end, "“今天”我们学习10个新词。")
    times = SegmentTimes(syllable_times(job), "estimate")
    marks = segment_marks(shown_times(job, times))
    assert [m.type for m in marks[:3]] == ["sentence", "word", "character"]
    assert marks == sorted(marks, key=lambda m: m.time)
    for mark in marks:
        assert job.display_text[mark.start : mark.end] == mark.value
        assert mark.time < mark.end_time
    words = [m.value for m in marks if m.type == "word"]
    assert "我们" in words and "10" in words and "“" not in "".join(words)
    characters = "".join(m.value for m in marks if m.type == "character")
    assert characters == "今天我们学习10个新词"


def test_sentences_keep_their_closing_punctuation() -> None:
    text = "你好！“走吧。”他说。 好"
    assert [text[a:b] for a, b in sentence_spans(text)] == ["你好！", "“走吧。”", "他说。", "好"]


def test_token_times_follow_a_trim() -> None:
    times = TokenTimes(((100, 500), (500, 900), (900, 900)), "durations")
    assert times.shifted(-300, 500).spans == ((0, 200), (200, 500), (500, 500))


def test_estimates_cover_the_audio_evenly(front_end: FrontEnd) -> None:
    job = job_for(front_end, "你好，同学。")
    times = estimate_times(job.segment.tokens, 4000)
    syllables = [s for t, s in zip(job.segment.tokens, times.spans, strict=True) if isinstance(t, Syllable)]
    assert syllables[0][0] == 0 and syllables[-1][1] == 4000 and times.source == "estimate"


# --- captions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedCue:
    start_ms: int
    end_ms: int
    lines: list[str]


def parse_srt(srt: str) -> list[ParsedCue]:
    stamp = r"(\d\d):(\d\d):(\d\d),(\d\d\d)"
    cues = []
    for block in srt.strip().split("\n\n"):
        rows = block.splitlines()
        found = re.fullmatch(f"{stamp} --> {stamp}", rows[1])
        assert found, rows
        h1, m1, s1, f1, h2, m2, s2, f2 = (int(x) for x in found.groups())
        start = ((h1 * 60 + m1) * 60 + s1) * 1000 + f1
        end = ((h2 * 60 + m2) * 60 + s2) * 1000 + f2
        cues.append(ParsedCue(start, end, rows[2:]))
    return cues


def assert_caption_rules(srt: str, rules: CaptionRules = CAPTION_RULES) -> list[ParsedCue]:
    """Every cue: at most ``lines`` lines of ``line_chars``, ``min_s``..``max_s`` on screen, in order."""
    cues = parse_srt(srt)
    previous_end = 0
    for cue in cues:
        assert 1 <= len(cue.lines) <= rules.lines, cue
        assert all(0 < len(line) <= rules.line_chars for line in cue.lines), cue
        assert rules.min_s * 1000 <= cue.end_ms - cue.start_ms <= rules.max_s * 1000, cue
        assert cue.start_ms >= previous_end, cue
        previous_end = cue.end_ms
    return cues


def assert_breaks_between_words(texts: Sequence[str], cues: Sequence[ParsedCue]) -> None:
    """Every cue and line break falls on a word boundary of the text the cues were made from."""
    whole = "".join(texts)
    inside: set[int] = set()
    cursor = 0
    for text in texts:
        for a, b in word_spans(text):
            inside.update(range(cursor + a + 1, cursor + b))
        cursor += len(text)
    position = 0
    for cue in cues:
        for line in cue.lines:
            found = whole.find(line, position)
            assert found >= 0 and whole[position:found].strip() == "", (line, whole[position : position + 40])
            assert found not in inside, f"a break inside a word before {line!r}"
            position = found + len(line)
            assert position == len(whole) or position not in inside, f"a break inside a word after {line!r}"
    assert whole[position:].strip() == ""


def long_paragraph() -> str:
    sentences = [
        "春天来了，小草从地下探出头来，嫩嫩的，绿绿的。",
        "同学们在操场上放风筝，有的跑，有的跳，还有的坐在草地上看书。",
        "老师说：“一年之计在于春，我们要珍惜时间，认真学习。”",
        "直角三角形的两条直角边分别是3cm和4cm，斜边就是5cm。",
        "他说Python很好学，我们用Zoom上课，一共有25个同学参加。",
        "公元前500年左右，人们就已经知道了这个规律，距今约2500年！",
        "燕子从南方飞回来了，它们在屋檐下筑巢，叽叽喳喳地叫个不停",
    ]
    text = ""
    for sentence in itertools.cycle(sentences):
        if len(text) + len(sentence) > 2000:
            break
        text += sentence
    return text + ("我们一起读课文。" * 10)[: 2000 - len(text)]


def plan_of(front_end: FrontEnd, paragraphs: Sequence[str]) -> tuple[list[SegmentJob], list[SegmentTimes]]:
    body = "\n".join(f"  - text: '{p}'" for p in paragraphs)
    spec = load_spec(f"id: t\ntitle: t\nparagraphs:\n{body}\n")
    plan = plan_paragraphs(spec, front_end, VOICE, max_chars=50)
    times, cursor = [], RATE // 5
    for job in plan.jobs:
        length = RATE * len(job.segment.syllables) // 4  # 4 syllables a second
        spans = estimate_times(job.segment.tokens, length).shifted(cursor, cursor + length).spans
        times.append(SegmentTimes(spans, "estimate"))
        cursor += length + RATE * job.segment.pause_after_ms // 1000
    return list(plan.jobs), times


def cues_for(front_end: FrontEnd, paragraphs: Sequence[str]) -> tuple[list[SegmentJob], list[Cue]]:
    jobs, times = plan_of(front_end, paragraphs)
    from tasks.jobs import LessonPlan

    plan = LessonPlan("t", "t", None, "x", VOICE, tuple(jobs))
    words = caption_words([shown_times(j, t) for j, t in zip(plan.jobs, times, strict=True)], RATE)
    end = times[-1].spans[-1][1] * 1000 // RATE + 700
    return jobs, layout_cues(words, CAPTION_RULES, end_ms=end)


def test_a_2000_character_paragraph_is_cut_by_the_rules_never_inside_a_word(front_end: FrontEnd) -> None:
    text = long_paragraph()
    assert len(text) == 2000
    jobs, cues = cues_for(front_end, [text])
    parsed = assert_caption_rules(to_srt(cues))
    assert len(parsed) > 2000 / CAPTION_RULES.cue_chars
    assert_breaks_between_words([j.display_text for j in jobs], parsed)


def test_short_sentences_share_a_cue_and_a_lone_word_stays_a_second(front_end: FrontEnd) -> None:
    jobs, cues = cues_for(front_end, ["好。", "同学们好！今天我们来学习勾股定理。"])
    parsed = assert_caption_rules(to_srt(cues))
    assert parsed[0].lines == ["好。"]  # a paragraph of its own: never merged into the next
    assert_breaks_between_words([j.display_text for j in jobs], parsed)


def test_rules_are_settings_not_constants(front_end: FrontEnd) -> None:
    jobs, times = plan_of(front_end, ["同学们好！今天我们来学习勾股定理，一起看看直角三角形。"])
    from tasks.jobs import LessonPlan

    plan = LessonPlan("t", "t", None, "x", VOICE, tuple(jobs))
    narrow = CaptionRules(line_chars=8, lines=1, max_s=3.0, min_s=0.5)
    shown = [shown_times(j, t) for j, t in zip(plan.jobs, times, strict=True)]
    cues = layout_cues(caption_words(shown, RATE), narrow, end_ms=60_000)
    assert_caption_rules(to_srt(cues), narrow)
    with pytest.raises(ValueError):
        CaptionRules(min_s=8.0, max_s=7.0)


def test_cue_lines_are_written_on_their_own_lines() -> None:
    srt = to_srt([Cue(0.0, 1.5, "同学们好，今天学习", ("同学们好，", "今天学习"))])
    assert srt.endswith("00:00:00,000 --> 00:00:01,500\n同学们好，\n今天学习\n")


def test_remembered_marks_and_cues_move_with_the_segment(front_end: FrontEnd) -> None:
    """A re-render reuses what it made of an unchanged segment, at the segment's new place."""
    import json

    from tasks.marks import marks_json_items

    jobs, times = plan_of(front_end, ["同学们好！今天我们来学习勾股定理。", "好。"])
    later = [SegmentTimes(tuple((a + RATE, b + RATE) for a, b in t.spans), t.source) for t in times]
    first = [
        json.loads(i)
        for j, t in zip(jobs, times, strict=True)
        for i in marks_json_items(shown_times(j, t), RATE)
    ]
    again = [
        json.loads(i)
        for j, t in zip(jobs, later, strict=True)
        for i in marks_json_items(shown_times(j, t), RATE)
    ]
    assert [{**m, "time": m["time"] + 1000, "end_time": m["end_time"] + 1000} for m in first] == again
    assert {m["type"] for m in first} == {"sentence", "word", "character"}

    def cues(all_times: list[SegmentTimes]) -> list[Cue]:
        shown = [shown_times(j, t) for j, t in zip(jobs, all_times, strict=True)]
        return layout_cues(caption_words(shown, RATE), CAPTION_RULES, end_ms=60_000)

    moved = [Cue(c.start + 1, c.end + 1, c.text, c.lines) for c in cues(times)]
    assert [(round(c.start, 3), round(c.end, 3), c.lines) for c in moved] == [
        (round(c.start, 3), round(c.end, 3), c.lines) for c in cues(later)
    ]
