"""Speech marks and captions on the real Baker voice, through the render's own synthesis, trimming,
mastering and assembly (without Prefect): marks land where the speech is, captions obey the rules."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf

from engines.registry import VoiceConfig, identify
from lesson_specs import load_spec, load_spec_file
from storage.pieces import PieceStore
from storage.segment_times import read_times
from storage.segments import SegmentStore
from tasks.assemble import assemble_audio
from tasks.describe import RenderInfo, write_descriptions
from tasks.jobs import LessonPlan, VoiceIdentity
from tasks.plan import plan_paragraphs
from tasks.synthesize import render_segment
from tests.tasks.test_speech_marks import assert_breaks_between_words, assert_caption_rules
from text_frontend.frontend import FrontEnd

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "lesson_specs" / "examples").glob("*.yaml"))


@dataclass(frozen=True)
class Rendered:
    plan: LessonPlan
    folder: Path


@pytest.fixture(scope="module")
def front_end() -> FrontEnd:
    return FrontEnd()


def render(
    spec_text: str | Path, folder: Path, models_dir: Path, front_end: FrontEnd, cache: Path | None = None
) -> Rendered:
    spec = load_spec_file(spec_text) if isinstance(spec_text, Path) else load_spec(spec_text)
    config = VoiceConfig(models_dir=models_dir, http_url=None, threads=2)
    voice = VoiceIdentity("baker", *identify("baker", config))
    plan = plan_paragraphs(spec, front_end, voice, max_chars=50)
    cache = cache or folder / "cache"
    store = SegmentStore(cache / "segments")
    audios = [render_segment(job, store, config) for job in plan.jobs]
    out = folder / "out"
    out.mkdir(parents=True)
    lesson = assemble_audio(plan, audios, out, PieceStore(cache / "pieces"))
    info = RenderInfo("r", spec.title, tuple(False for _ in audios))
    write_descriptions.fn(plan, audios, lesson, info, out)
    return Rendered(plan, out)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_lessons_have_marks_and_captions_by_the_rules(
    example: Path, tmp_path: Path, models_dir: Path, front_end: FrontEnd
) -> None:
    done = render(example, tmp_path, models_dir, front_end)
    manifest = json.loads((done.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["marks"] == "marks.json"
    marks = json.loads((done.folder / "marks.json").read_text(encoding="utf-8"))
    texts = [s["text"] for s in marks["segments"]]
    assert texts == [s["text"] for s in manifest["segments"]]
    assert {s["timing"] for s in marks["segments"]} == {"durations"}
    duration_ms = manifest["duration"] * 1000
    for mark in marks["marks"]:
        assert set(mark) == {"time", "end_time", "type", "segment", "start", "end", "value"}
        assert texts[mark["segment"]][mark["start"] : mark["end"]] == mark["value"]
        assert 0 < mark["time"] < mark["end_time"] <= duration_ms
    for segment, spans in zip(manifest["segments"], _character_times(marks), strict=True):
        # a segment's characters lie inside the span the manifest gives the segment, in order
        assert segment["start"] * 1000 - 1 <= spans[0][0] and spans[-1][1] <= segment["end"] * 1000 + 1
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))

    srt = (done.folder / "captions.srt").read_text(encoding="utf-8")
    cues = assert_caption_rules(srt)
    assert_breaks_between_words(texts, cues)
    vtt = (done.folder / "captions.vtt").read_text(encoding="utf-8")
    assert vtt.count(" --> ") == len(cues)


def _character_times(marks: dict[str, Any]) -> list[list[tuple[int, int]]]:
    per: dict[int, list[tuple[int, int]]] = {}
    for mark in marks["marks"]:
        if mark["type"] == "character":
            per.setdefault(mark["segment"], []).append((mark["time"], mark["end_time"]))
    return [per[i] for i in sorted(per)]


# --- onsets -----------------------------------------------------------------------------------

ONSET_SCRIPT = """id: onsets
title: onsets
paragraphs:
  - text: 他的哥哥天天都去公园打球，可是今天下大雨。
  - emotion: happy
    text: 爸爸带着弟弟去图书馆借故事书。
  - emotion: sad
    text: 同学们齐声朗读课文，老师点头称赞。
  - emotion: angry
    text: 这个题目很难，大家要仔细思考。
  - emotion: excited
    text: 我们明天坐火车去北京看长城！
  - emotion: gentle
    text: 小猫躺在窗台上，安静地晒着太阳。
  - emotion: serious
    text: 请大家认真检查自己的答案，不要粗心。
  - emotion: surprised
    text: 原来这道题还有第二种解法？
"""
HOP_S = 0.005
VALLEY_DB = 6.0
"""A syllable's onset is measurable when the energy dips at least this much before its nucleus."""


def envelope(samples: npt.NDArray[np.float32], rate: int) -> npt.NDArray[np.float64]:
    """Energy in dB, 10 ms windows every 5 ms (window i covers [i*hop, i*hop + 10 ms))."""
    hop, win = int(HOP_S * rate), int(2 * HOP_S * rate)
    count = (samples.size - win) // hop
    frames = np.lib.stride_tricks.sliding_window_view(samples.astype(np.float64), win)[::hop][:count]
    return np.asarray(20 * np.log10(np.sqrt(np.mean(frames**2, axis=1)) + 1e-7))


def energy_onsets(
    db: npt.NDArray[np.float64], characters: list[tuple[int, int]]
) -> list[tuple[float, float]]:
    """(mark start, measured onset) in seconds for each character after the first of a paragraph.

    The measurement: the energy valley between the previous syllable's loudest frame and this one's
    (found inside their marks), then the first frame climbing 30 % of the way from the valley to this
    syllable's peak: where the syllable's energy rises out of the dip before it.
    """

    def frame(ms: int) -> int:
        return int(ms / 1000 / HOP_S)

    def peak(span: tuple[int, int]) -> int:
        a, b = frame(span[0]), max(frame(span[1]), frame(span[0]) + 1)
        return a + int(np.argmax(db[a:b]))

    out = []
    for previous, current in itertools.pairwise(characters):
        before, here = peak(previous), peak(current)
        if here <= before:
            continue
        valley = before + int(np.argmin(db[before : here + 1]))
        if db[here] - db[valley] < VALLEY_DB:
            continue  # no dip to rise out of (a vowel gliding into a vowel)
        rise = db[valley] + 0.3 * (db[here] - db[valley])
        onset = valley + int(np.argmax(db[valley : here + 1] >= rise))
        out.append((current[0] / 1000, (onset + 1) * HOP_S))  # the window's centre
    return out


def test_character_marks_match_the_speech_onsets_with_emotion_presets(
    tmp_path: Path, models_dir: Path, front_end: FrontEnd
) -> None:
    done = render(ONSET_SCRIPT, tmp_path, models_dir, front_end)
    assert len({job.emotion for job in done.plan.jobs}) == 8
    marks = json.loads((done.folder / "marks.json").read_text(encoding="utf-8"))
    wav, rate = sf.read(done.folder / "lesson.wav", dtype="float32")
    db = envelope(wav, rate)
    paragraph_of = {s["index"]: s["paragraph"] for s in marks["segments"]}
    by_paragraph: dict[int, list[tuple[int, int]]] = {}
    for mark in marks["marks"]:
        if mark["type"] == "character":
            by_paragraph.setdefault(paragraph_of[mark["segment"]], []).append(
                (mark["time"], mark["end_time"])
            )
    pairs = [pair for chars in by_paragraph.values() for pair in energy_onsets(db, chars)]
    errors_ms = np.abs(np.array([onset - mark for mark, onset in pairs])) * 1000
    assert len(pairs) >= 60
    median, p95 = float(np.median(errors_ms)), float(np.percentile(errors_ms, 95))
    print(f"onset error over {len(pairs)} characters: median {median:.1f} ms, 95th percentile {p95:.1f} ms")
    assert median <= 30 and p95 <= 80, (median, p95)


def test_times_are_stored_beside_the_segment_and_older_segments_are_estimated(
    tmp_path: Path, models_dir: Path, front_end: FrontEnd
) -> None:
    script = "id: k\ntitle: k\nparagraphs:\n  - text: 你好，同学们。\n"
    cache = tmp_path / "cache"
    done = render(script, tmp_path / "1", models_dir, front_end, cache)
    (job,) = done.plan.jobs
    store = SegmentStore(cache / "segments")
    stored = read_times(store.path(job.key))
    assert stored is not None and stored.source == "durations"
    assert len(stored.spans) == len(job.segment.tokens)
    assert stored.spans[-1][1] <= sf.info(store.path(job.key)).frames
    # a segment cached before times existed: same key, its audio reused, marks estimated and saying so
    store.path(job.key).with_name(f"{job.key}.times.json").unlink()
    audio = store.path(job.key).read_bytes()
    again = render(script, tmp_path / "2", models_dir, front_end, cache)
    assert again.plan.jobs[0].key == job.key and store.path(job.key).read_bytes() == audio
    marks = json.loads((again.folder / "marks.json").read_text(encoding="utf-8"))
    assert [s["timing"] for s in marks["segments"]] == ["estimate"]
    assert [m["value"] for m in marks["marks"] if m["type"] == "character"] == list("你好同学们")
