"""The back-check with the real voice and real Whisper-base: clean renders pass, broken segments do not.

Broken means what goes wrong in production: a segment's audio that says a different sentence (real
synthesised speech, so only listening can tell) and a segment that is silent. Then the same through the
render flow: a corrupted cached segment is flagged, re-synthesised slower, replaced, and reported.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from asr.registry import RecognizerConfig
from asr.windows import plan_windows
from audio.export import read_audio
from config import Settings, load_settings
from engines.registry import VoiceConfig, create_engine
from lesson_specs import load_spec_file
from qa.results import LessonCheck
from storage.pieces import PieceStore
from storage.segments import SegmentStore
from tasks.assemble import assemble_audio
from tasks.backcheck import recognizer_for, retry_flagged, segment_refs
from tasks.backcheck_config import BackcheckConfig
from tasks.jobs import LessonPlan, SegmentAudio, VoiceIdentity
from tasks.plan import plan_paragraphs
from tasks.synthesize import render_segment
from text_frontend.frontend import FrontEnd
from wiring import backcheck_config

pytestmark = [pytest.mark.slow, pytest.mark.real_voice, pytest.mark.whisper]

PARAGRAPHS = [
    "同学们好！今天我们来学习勾股定理。",
    "直角三角形的两条直角边分别是3cm和4cm，斜边就是5cm。",
    "春天来了，小草从地里探出头来，柳树长出了嫩绿的新芽。",
    "小朋友们在公园里放风筝，笑声传得很远很远。",
    "请大家打开课本，翻到第二十页，我们一起来朗读这篇课文。",
]
OTHER = "中国有很多美丽的地方，每年都有许多游客来这里旅游。"


def write_lesson(path: Path, paragraphs: list[str], lesson_id: str) -> Path:
    body = "\n".join(f"  - text: {p}" for p in paragraphs)
    path.write_text(
        f"id: {lesson_id}\ntitle: 回听\ncourse: 测试课程\nparagraphs:\n{body}\n", encoding="utf-8"
    )
    return path


class Voice:
    """Real Baker voice + a private segment store, without Prefect."""

    def __init__(self, models_dir: Path, root: Path, front_end: FrontEnd) -> None:
        self.config = VoiceConfig(models_dir=models_dir, http_url=None, threads=2)
        engine = create_engine("baker", self.config)
        self.identity = VoiceIdentity("baker", engine.engine_id, engine.model_hash)
        self.store = SegmentStore(root / "segments")
        self.root = root
        self.front_end = front_end

    def plan(self, paragraphs: list[str], lesson_id: str) -> LessonPlan:
        spec = write_lesson(self.root / f"{lesson_id}.yaml", paragraphs, lesson_id)
        return plan_paragraphs(load_spec_file(spec), self.front_end, self.identity, max_chars=50)

    def render(self, plan: LessonPlan) -> list[SegmentAudio]:
        return [render_segment(job, self.store, self.config) for job in plan.jobs]


@pytest.fixture(scope="module")
def front_end() -> FrontEnd:
    return FrontEnd()


@pytest.fixture(scope="module")
def voice(models_dir: Path, tmp_path_factory: pytest.TempPathFactory, front_end: FrontEnd) -> Voice:
    return Voice(models_dir, tmp_path_factory.mktemp("voice"), front_end)


@pytest.fixture(scope="module")
def checking(models_dir: Path) -> BackcheckConfig:
    # The declared defaults (not this machine's environment), with the prepared models.
    settings = Settings.model_construct(models_dir=models_dir)
    return replace(backcheck_config(settings), store=None)


def check(
    plan: LessonPlan,
    audios: list[SegmentAudio],
    folder: Path,
    checking: BackcheckConfig,
    fe: FrontEnd,
    *,
    scattered: bool = False,
) -> LessonCheck:
    """Back-check a lesson; ``scattered`` picks a window length at which some window skips a neighbour."""
    from qa.check import check_lesson

    folder.mkdir(parents=True, exist_ok=True)
    lesson = assemble_audio(plan, audios, folder, PieceStore(folder / "pieces"))
    samples, rate = read_audio(folder / "lesson.wav")
    recognizer = recognizer_for(checking.recognizer)
    qa = checking.qa
    if scattered:
        qa = replace(qa, window_s=scattering_window(lesson.spans, samples.size / rate))
    return check_lesson(samples, rate, lesson.spans, segment_refs(plan), recognizer, fe, qa)


def scattering_window(spans: tuple[tuple[float, float], ...], duration_s: float) -> float:
    """The longest window length (0.1 s steps) at which a window holds segments that are not neighbours."""
    for tenths in range(295, 0, -1):
        windows = plan_windows(spans, duration_s, max_s=tenths / 10)
        if any(b - a > 1 for w in windows for a, b in itertools.pairwise(w.segments)):
            return tenths / 10
    raise AssertionError(f"no window length re-packs these segments: {spans}")


def test_clean_render_passes_and_broken_segments_are_flagged(
    voice: Voice, checking: BackcheckConfig, front_end: FrontEnd, tmp_path: Path
) -> None:
    plan = voice.plan(PARAGRAPHS, "clean")
    audios = voice.render(plan)
    assert len(plan.jobs) >= 6
    clean = check(plan, audios, tmp_path / "clean", checking, front_end)
    assert len(clean.flagged) <= 1, [(s.reference, s.hearing.transcript) for s in clean.segments]
    assert clean.score.per < 0.15
    assert all(w.seconds <= 30 for w in clean.windows)

    # Segment 2 says another (real) sentence; segment 4 is silent. Nothing else changes.
    (other,) = voice.render(voice.plan([OTHER], "other"))
    silent_key = "0" * 64
    voice.store.put(silent_key, np.zeros(audios[4].num_samples, np.float32), audios[4].sample_rate)
    broken = list(audios)
    broken[2] = other
    broken[4] = SegmentAudio(
        silent_key, str(voice.store.path(silent_key)), 24_000, audios[4].num_samples, False
    )
    result = check(plan, broken, tmp_path / "broken", checking, front_end)
    flagged = set(result.flagged)
    assert {2, 4} <= flagged, [(s.index, s.hearing.score.per, s.hearing.reasons) for s in result.segments]
    assert len(flagged - {2, 4}) <= 1
    assert result.segments[2].hearing.score.per > 0.5
    assert any(r.startswith("silent") for r in result.segments[4].hearing.reasons)

    # Re-synthesis (slower, through the same store) fixes both, and the report says so.
    made: list[str] = []

    def resynthesize(job: object) -> SegmentAudio:
        from tasks.jobs import SegmentJob

        assert isinstance(job, SegmentJob)
        made.append(job.key)
        return render_segment(job, voice.store, voice.config)

    kept, retried = retry_flagged(plan, tuple(broken), result, checking, front_end, resynthesize)
    for index in (2, 4):
        seg = retried.segments[index]
        assert seg.attempts and seg.attempts[0].rate == pytest.approx(plan.jobs[index].prosody.rate * 0.88)
        assert seg.kept >= 1 and not seg.flagged
        assert kept[index].key == seg.attempts[seg.kept - 1].key != plan.jobs[index].key
        assert voice.store.has(kept[index].key)
    assert set(made) >= {kept[2].key, kept[4].key}
    assert retried.score.per < result.score.per


def test_windows_of_segments_that_are_not_neighbours_are_attributed_right(
    voice: Voice, checking: BackcheckConfig, front_end: FrontEnd, tmp_path: Path
) -> None:
    # Re-packed windows hold segments from different places in the lesson; each must still get its
    # own words back: a clean render passes, and a segment saying another sentence is the one flagged.
    plan = voice.plan(PARAGRAPHS, "clean")
    audios = voice.render(plan)
    clean = check(plan, audios, tmp_path / "clean", checking, front_end, scattered=True)
    assert any(b - a > 1 for w in clean.windows for a, b in itertools.pairwise(w.segments))
    assert len(clean.flagged) <= 1, [(s.reference, s.hearing.transcript) for s in clean.segments]
    assert clean.score.per < 0.15
    (other,) = voice.render(voice.plan([OTHER], "other"))
    broken = list(audios)
    broken[2] = other
    result = check(plan, broken, tmp_path / "broken", checking, front_end, scattered=True)
    assert 2 in result.flagged and len(set(result.flagged) - {2}) <= 1
    assert result.segments[2].hearing.score.per > 0.5


def test_whisper_transcribes_like_faster_whispers_own_batched_pipeline(
    voice: Voice, checking: BackcheckConfig
) -> None:
    # The recogniser drives the encoder and decoder itself (one window encoded at a time, then one
    # batched decode); it must hear exactly what faster-whisper's pipeline hears with the same options.
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    from asr.audio import ASR_RATE, to_rate
    from asr.simplified import to_simplified
    from models.whisper import WHISPER_BASE, whisper_files

    audios = voice.render(voice.plan(PARAGRAPHS, "clean"))
    segments = [read_audio(Path(a.path))[0] for a in audios]
    clips = [np.concatenate(segments[:3]), segments[3], np.concatenate(segments[3:])]
    ours = [t.text for t in recognizer_for(checking.recognizer).transcribe(clips, 24_000)]

    files: dict[str, Any] = dict(whisper_files(checking.recognizer.models_dir))
    model = WhisperModel(WHISPER_BASE.name, device="cpu", compute_type="int8", cpu_threads=2, files=files)
    pipeline = BatchedInferencePipeline(model)
    theirs = []
    for clip in clips:
        audio = to_rate(clip, 24_000)
        pieces, _ = pipeline.transcribe(
            audio,
            language="zh",
            clip_timestamps=[{"start": 0.0, "end": audio.size / ASR_RATE}],
            batch_size=8,
            beam_size=1,
            without_timestamps=True,
            vad_filter=False,
            temperature=0.0,
            max_new_tokens=int(12 * audio.size / ASR_RATE) + 16,
        )
        theirs.append(to_simplified("".join(p.text for p in pieces).strip()))
    assert all(theirs)
    assert ours == theirs


@pytest.mark.usefixtures("prefect_server")
def test_render_flow_backcheck_replaces_a_corrupted_segment(render_env: Path, tmp_path: Path) -> None:
    from flows.render import render_lesson
    from wiring import cache_config

    spec = write_lesson(tmp_path / "lesson.yaml", PARAGRAPHS[:3], "backcheck-flow")
    first = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    folder = Path(first.folder)
    assert {"qa.json", "qa.html", "manifest.json", "lesson.wav", "lesson.mp3"} <= {
        p.name for p in folder.iterdir()
    }
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert first.qa_flags is not None and first.qa_flags <= 1
    assert manifest["backcheck"]["flags"] == first.qa_flags
    for segment in manifest["segments"]:
        assert {"cer", "per", "flagged", "transcript", "attempts", "kept"} <= set(segment["backcheck"])
    html = (folder / "qa.html").read_text(encoding="utf-8")
    assert html.count("data:audio/mpeg;base64,") == len(manifest["segments"])

    # Someone's disk flips a cached segment to silence, and its paragraph's mastered piece is lost, so
    # the next render masters the silence into the lesson: the back-check must notice and repair it.
    victim = manifest["segments"][1]
    caching = cache_config(load_settings())
    store = SegmentStore(caching.segments)
    samples, rate = store.get(victim["cache_key"])
    store.put(victim["cache_key"], np.zeros_like(samples), rate)
    shutil.rmtree(caching.pieces)
    second = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    report = json.loads((Path(second.folder) / "qa.json").read_text(encoding="utf-8"))
    fixed = report["segments"][1]
    assert fixed["first_hearing"]["flagged"] and fixed["kept"] >= 1 and not fixed["flagged"]
    assert report["summary"]["replaced"] == 1
    again = json.loads((Path(second.folder) / "manifest.json").read_text(encoding="utf-8"))["segments"][1]
    assert again["backcheck"]["kept"] == fixed["kept"] and again["cache_key"] == victim["cache_key"]
    wav, rate = read_audio(Path(second.folder) / "lesson.wav")
    start, end = int(again["start"] * rate), int(again["end"] * rate)
    assert np.sqrt(np.mean(wav[start:end] ** 2)) > 0.01  # speech is back in the lesson
    assert again["end"] - again["start"] > victim["end"] - victim["start"]  # the slower attempt

    # The same broken cache again: the same lesson is assembled, so the check and its repair are
    # taken over from the second render (its attempt from the store), and the result is the same.
    third = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    assert third.qa_reused is True
    assert _report(third.folder) == _report(second.folder)
    assert _wav(third.folder) == _wav(second.folder)


def _report(folder: str) -> dict[str, Any]:
    """qa.json less what differs between two renders of the same audio by definition: the render id."""
    report: dict[str, Any] = json.loads((Path(folder) / "qa.json").read_text(encoding="utf-8"))
    report.pop("render_id")
    return report


def _players(folder: str) -> list[str]:
    """The audio embedded in qa.html's players."""
    return re.findall(r'src="(data:audio/mpeg;base64,[^"]+)"', (Path(folder) / "qa.html").read_text())


def _wav(folder: str) -> bytes:
    return (Path(folder) / "lesson.wav").read_bytes()


@pytest.mark.usefixtures("prefect_server")
def test_a_rerender_of_the_same_audio_reuses_the_backcheck(
    render_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tasks.backcheck as backcheck
    from flows.render import render_lesson

    spec = write_lesson(tmp_path / "lesson.yaml", PARAGRAPHS[3:5], "backcheck-reuse")
    first = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    assert first.qa_reused is False

    def deaf(config: RecognizerConfig) -> None:
        raise AssertionError(f"the recogniser was asked to listen again ({config})")

    def uncut(wav: Path, spans: object) -> None:
        raise AssertionError(f"the players were cut again from {wav}")

    with monkeypatch.context() as patched:
        patched.setattr(backcheck, "recognizer_for", deaf)
        patched.setattr(backcheck, "mp3_snippets", uncut)
        second = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    assert second.qa_reused is True and second.reused == second.segments
    assert (second.qa_flags, second.qa_per) == (first.qa_flags, first.qa_per)
    assert _report(second.folder) == _report(first.folder)
    assert _wav(second.folder) == _wav(first.folder)
    assert _players(second.folder) == _players(first.folder) != []

    # Other thresholds ask another question of the same audio: it is heard again.
    monkeypatch.setenv("LESSONAUDIO_QA_MAX_PER", "0.3")
    third = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    assert third.qa_reused is False
