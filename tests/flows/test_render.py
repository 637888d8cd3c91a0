"""The render flow end to end with the real ONNX voice, on short lessons."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from app.exit_codes import UNAVAILABLE
from audio.loudness import integrated_lufs, true_peak_dbtp
from config import load_settings
from flows.render import RenderError, RenderSummary, render_lesson
from wiring import cache_config

pytestmark = [
    pytest.mark.usefixtures("prefect_server"),
    pytest.mark.tiny_voice(
        "test_manifest_lists_latin_words_per_segment_and_captions_keep_them",
        "test_editing_one_paragraph_resynthesises_only_it",
        "test_pause_change_reassembles_without_synthesis",
        "test_failing_segment_names_paragraph_and_leaves_no_outputs",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "lesson_specs" / "examples").glob("*.yaml"))
OUTPUT_FILES = {
    "lesson.wav",
    "lesson.mp3",
    "captions.srt",
    "captions.vtt",
    "manifest.json",
    "marks.json",
    "qa.json",
    "qa.html",
}


def write_lesson(path: Path, paragraphs: list[str], lesson_id: str = "test-lesson", extra: str = "") -> Path:
    body = "\n".join(f"  - text: {p}" for p in paragraphs)
    path.write_text(
        f"id: {lesson_id}\ntitle: 测试\ncourse: 测试课程\n{extra}paragraphs:\n{body}\n", encoding="utf-8"
    )
    return path


def manifest_of(summary: RenderSummary) -> dict[str, object]:
    data: dict[str, object] = json.loads((Path(summary.folder) / "manifest.json").read_text(encoding="utf-8"))
    return data


def speech_onsets(samples: np.ndarray, sample_rate: int, starts: list[float]) -> list[float]:
    """First time at or after ``start - 0.15 s`` where the 5 ms RMS rises above the lesson's noise floor."""
    frame = int(0.005 * sample_rate)
    usable = samples[: samples.size - samples.size % frame].reshape(-1, frame)
    rms = np.sqrt(np.mean(usable.astype(np.float64) ** 2, axis=1))
    threshold = max(rms.max() * 10 ** (-40 / 20), 1e-4)
    onsets = []
    for start in starts:
        first = max(0, int((start - 0.15) / 0.005))
        loud = np.flatnonzero(rms[first:] > threshold)
        onsets.append((first + int(loud[0])) * 0.005 if loud.size else float("inf"))
    return onsets


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_lessons_render(example: Path, render_env: Path) -> None:
    summary = render_lesson(str(example), out_dir=str(render_env / "out"))
    folder = Path(summary.folder)
    assert {p.name for p in folder.iterdir()} == OUTPUT_FILES
    assert folder.parent.parent.parent == render_env / "out"  # {course}/{lesson_id}/{render_id}
    manifest = manifest_of(summary)
    segments = manifest["segments"]
    assert isinstance(segments, list) and len(segments) == summary.segments > 0
    for key in ("lesson_id", "spec_sha256", "engine_id", "model_sha256", "render_id"):
        assert manifest[key]
    for segment in segments:
        assert segment["normalized"] and segment["pinyin"] and len(segment["cache_key"]) == 64
        assert 0 < segment["start"] < segment["end"] <= manifest["duration"]

    wav, sample_rate = sf.read(folder / "lesson.wav", dtype="float32")
    assert sample_rate == 24_000 and wav.ndim == 1
    assert abs(wav.size / sample_rate - summary.duration_s) < 0.01
    mp3, mp3_rate = sf.read(folder / "lesson.mp3", dtype="float32")
    assert mp3_rate == 24_000 and abs(mp3.size - wav.size) < 0.1 * sample_rate
    # The MP3 is joined from one piece per paragraph; every segment plays where the WAV has it.
    for start, end in ((s["start"], s["end"]) for s in segments):
        a, b = int(start * sample_rate), int(end * sample_rate)
        lags = range(-480, 481)
        errors = [float(np.sum((mp3[a + lag : b + lag] - wav[a:b]) ** 2)) for lag in lags]
        assert lags[int(np.argmin(errors))] == 0
        assert np.sum((mp3[a:b] - wav[a:b]) ** 2) < 0.1 * np.sum(wav[a:b] ** 2)  # SNR > 10 dB
    assert integrated_lufs(wav, sample_rate) == pytest.approx(-16.0, abs=0.3)
    loudness = manifest["loudness"]
    assert isinstance(loudness, dict)
    assert loudness["integrated_lufs"] == pytest.approx(integrated_lufs(wav, sample_rate), abs=0.02)
    assert true_peak_dbtp(wav) <= -0.9  # -1 dBTP ceiling, +0.1 for 16-bit rounding

    # Captions start where speech starts (within 50 ms), and cue text is the script's words.
    starts = [s["start"] for s in segments]
    for onset, start in zip(speech_onsets(wav, sample_rate, starts), starts, strict=True):
        assert abs(onset - start) <= 0.05, (onset, start)
    srt = (folder / "captions.srt").read_text(encoding="utf-8")
    vtt = (folder / "captions.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT") and srt.count(" --> ") == vtt.count(" --> ") > 0
    shown = "".join("".join(block.splitlines()[2:]) for block in srt.strip().split("\n\n"))
    assert shown.replace(" ", "") == "".join(s["text"] for s in segments).replace(" ", "")
    assert "[[" not in srt and "](" not in srt


def test_manifest_lists_latin_words_per_segment_and_captions_keep_them(
    render_env: Path, tmp_path: Path
) -> None:
    spec = write_lesson(tmp_path / "latin.yaml", ["请升级gpu。", "我们用Zoom上课。", "今天学汉字。"], "latin")
    summary = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    segments = manifest_of(summary)["segments"]
    assert isinstance(segments, list)
    listed = [(s["text"], s["spelled"], s["lexicon_words"]) for s in segments]
    assert listed == [
        ("请升级gpu。", [], ["gpu"]),
        ("我们用Zoom上课。", ["Zoom"], []),
        ("今天学汉字。", [], []),
    ]
    assert segments[0]["pinyin"] == "qing3 sheng1 ji2 ji2 pi1 you1"
    srt = (Path(summary.folder) / "captions.srt").read_text(encoding="utf-8")
    assert "请升级gpu。" in srt and "我们用Zoom上课。" in srt


def test_editing_one_paragraph_resynthesises_only_it(render_env: Path, tmp_path: Path) -> None:
    paragraphs = [f"这是第{chr(0x4E00 + i)}段，我们来读一读。" for i in range(30)]
    spec = write_lesson(tmp_path / "lesson.yaml", paragraphs, lesson_id="thirty")
    first = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    assert first.synthesized == first.segments and first.reused == 0
    assert first.mastered == 30

    paragraphs[6] = "这一段被老师改过了。"
    write_lesson(spec, paragraphs, lesson_id="thirty")
    second = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    manifest = manifest_of(second)
    segments = manifest["segments"]
    assert isinstance(segments, list)
    fresh = {s["paragraph"] for s in segments if not s["reused"]}
    assert fresh == {7}
    assert second.synthesized == sum(1 for s in segments if s["paragraph"] == 7)
    assert second.reused == second.segments - second.synthesized > 0
    assert second.mastered == 1  # the other 29 paragraphs' WAV and MP3 pieces were reused as they are
    assert first.render_id != second.render_id
    # Nothing that was copied differs from what a render from scratch of the edited script makes.
    wav, _ = sf.read(Path(second.folder) / "lesson.wav", dtype="int16")
    shutil.rmtree(cache_config(load_settings()).pieces)  # segments stay cached: re-master every paragraph
    third = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    assert third.mastered == 30
    assert np.array_equal(sf.read(Path(third.folder) / "lesson.wav", dtype="int16")[0], wav)
    assert (Path(third.folder) / "lesson.mp3").read_bytes() == (
        Path(second.folder) / "lesson.mp3"
    ).read_bytes()


def test_pause_change_reassembles_without_synthesis(render_env: Path, tmp_path: Path) -> None:
    spec = write_lesson(tmp_path / "a.yaml", ["停顿之前。[[300ms]]停顿之后。"], lesson_id="pauses")
    first = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    write_lesson(spec, ["停顿之前。[[1500ms]]停顿之后。"], lesson_id="pauses")
    second = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    assert second.synthesized == 0 and second.reused == first.segments
    assert second.duration_s == pytest.approx(first.duration_s + 1.2, abs=0.01)


class _FlakyTTS(BaseHTTPRequestHandler):
    """A reference-API voice that fails for any text containing 坏 (a real HTTP server)."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if "坏" in body["text"]:
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"synthesis exploded")
            return
        buffer = io.BytesIO()
        t = np.arange(int(0.05 * 16_000 * len(body["text"]))) / 16_000
        sf.write(buffer, 0.3 * np.sin(2 * np.pi * 180 * t), 16_000, format="WAV", subtype="PCM_16")
        self.send_response(200)
        self.send_header("Content-Type", "audio/wav")
        self.end_headers()
        self.wfile.write(buffer.getvalue())

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def flaky_tts() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FlakyTTS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_failing_segment_names_paragraph_and_leaves_no_outputs(
    render_env: Path, tmp_path: Path, flaky_tts: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LESSONAUDIO_TTS_HTTP_URL", flaky_tts)
    spec = write_lesson(
        tmp_path / "bad.yaml", ["第一段很好。", "第二段是坏的。", "第三段也好。"], lesson_id="flaky"
    )
    out = tmp_path / "out"
    with pytest.raises(RenderError, match="paragraph 2"):
        render_lesson(str(spec), out_dir=str(out), voice="http")
    lesson_folder = out / "测试课程" / "flaky"
    leftovers = list(lesson_folder.rglob("*")) if lesson_folder.exists() else []
    assert leftovers == []  # no render folder, no staging folder, no lesson.* anywhere


def _cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so a kill reaches the temporary Prefect server it starts, too
    )


def _subprocess_env(render_env: Path, cache: Path, prefect_home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        LESSONAUDIO_CACHE_DIR=str(cache),
        PREFECT_HOME=str(prefect_home),
        PYTHONPATH=str(ROOT),
    )
    env.pop("PREFECT_API_URL", None)  # each process gets its own temporary server, as a teacher's would
    return env


def test_killed_render_resumes_from_cache(render_env: Path, tmp_path: Path) -> None:
    paragraphs = [f"第{chr(0x4E00 + i)}段：春天来了，小草发芽了，花儿也开了。" for i in range(12)]
    spec = write_lesson(tmp_path / "long.yaml", paragraphs, lesson_id="resume")
    cache = tmp_path / "cache"
    env = _subprocess_env(render_env, cache, tmp_path / "prefect")
    process = _cli(["render", str(spec), "--out", str(tmp_path / "out")], env)
    segments_dir = cache / "segment-cache" / "segments"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(segments_dir.rglob("*.flac"))) < 3:
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the render and its temporary Prefect server, like a crash
    process.wait()
    done_before = len(list(segments_dir.rglob("*.flac")))
    assert done_before >= 3
    assert not list((tmp_path / "out").rglob("lesson.*"))

    rerun = _cli(["render", str(spec), "--out", str(tmp_path / "out")], env)
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    manifest = json.loads(
        (Path(stdout.strip().splitlines()[-1]) / "manifest.json").read_text(encoding="utf-8")
    )
    reused = sum(1 for s in manifest["segments"] if s["reused"])
    assert reused >= done_before - 1  # the segment being written at the kill may be redone


def test_an_unwritable_output_folder_is_a_message_not_a_traceback(render_env: Path, tmp_path: Path) -> None:
    spec = write_lesson(tmp_path / "one.yaml", ["写不进去。"], lesson_id="nowhere")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    env = _subprocess_env(render_env, render_env / "cache", tmp_path / "prefect")
    process = _cli(["render", str(spec), "--out", str(blocker / "out")], env)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == UNAVAILABLE  # a WriteError (app.exit_codes)
    assert "error: " in stderr and "output folder" in stderr
    assert "Traceback" not in stderr


def test_two_renders_at_once_do_not_corrupt_each_other(render_env: Path, tmp_path: Path) -> None:
    spec = write_lesson(tmp_path / "same.yaml", ["同时渲染同一课。", "两个进程共用缓存。"], lesson_id="twins")
    cache = tmp_path / "cache"
    processes = [
        _cli(
            ["render", str(spec), "--out", str(tmp_path / "out")],
            _subprocess_env(render_env, cache, tmp_path / f"prefect-{i}"),
        )
        for i in range(2)
    ]
    folders = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
        folders.append(Path(stdout.strip().splitlines()[-1]))
    assert folders[0] != folders[1]
    first, second = (sf.read(f / "lesson.wav", dtype="float32")[0] for f in folders)
    assert np.array_equal(first, second)
    planned = {
        s["cache_key"]
        for f in folders
        for s in json.loads((f / "manifest.json").read_text("utf-8"))["segments"]
    }
    assert len(planned) == 2
    manifests = [json.loads((f / "manifest.json").read_text(encoding="utf-8")) for f in folders]
    synthesised = sum(1 for m in manifests for s in m["segments"] if not s["reused"])
    assert synthesised == 2  # each shared segment synthesised by exactly one of the two renders


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_outputs_follow_the_umask(umask: int, render_env: Path, tmp_path: Path) -> None:
    spec = write_lesson(tmp_path / "modes.yaml", [f"权限掩码是{umask:o}。"], lesson_id=f"modes-{umask:o}")
    cache = cache_config(load_settings())
    before = {p for p in cache.root.rglob("*") if p.is_file()}
    old = os.umask(umask)
    try:
        summary = render_lesson(str(spec), out_dir=str(tmp_path / "out"), publish=True)
    finally:
        os.umask(old)
    folders = (tmp_path / "out", cache.segments, cache.pieces)
    made = [p for folder in folders for p in folder.rglob("*") if p.is_file() and p not in before]
    names = {p.name for p in made}
    assert OUTPUT_FILES | {"latest.json"} <= names and any(n.endswith(".flac") for n in names)
    modes = {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in made}
    assert set(modes.values()) == {oct(0o666 & ~umask)}, modes
    assert stat.S_IMODE(Path(summary.folder).stat().st_mode) == 0o777 & ~umask


def _in_mount_namespace(tmpfs: Path, options: str, command: list[str]) -> list[str]:
    """``command`` in a private mount namespace where ``tmpfs`` is a fresh tmpfs mounted with
    ``options``, filled to the last page unless read-only: it vanishes when the command exits."""
    fill = "" if "ro" in options.split(",") else f' && (head -c 100M /dev/zero > "{tmpfs}/filler" || true)'
    script = f'mount -t tmpfs -o {options} tmpfs "{tmpfs}"{fill} && exec "$@"'
    return ["unshare", "--mount", "sh", "-c", script, "sh", *command]


@pytest.mark.parametrize(
    ("options", "reason"), [("size=1m", "No space left on device"), ("ro", "Read-only file system")]
)
def test_a_full_or_read_only_cache_is_named_in_one_line(
    options: str, reason: str, render_env: Path, tmp_path: Path
) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs in a private mount namespace needs root")
    spec = write_lesson(tmp_path / "one.yaml", ["缓存写不进去。"], lesson_id="no-space")
    cache = tmp_path / "cache"
    (cache / "segment-cache").mkdir(parents=True)
    env = _subprocess_env(render_env, cache, tmp_path / "prefect")
    env["LESSONAUDIO_DATABASE_URL"] = f"sqlite:///{tmp_path / 'catalog.db'}"
    command = [sys.executable, "-m", "app.cli", "render", str(spec), "--out", str(tmp_path / "out")]
    process = subprocess.run(
        _in_mount_namespace(cache / "segment-cache", options, command),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 1
    last = process.stderr.strip().splitlines()[-1]
    segment = re.escape(str(cache / "segment-cache")) + r"/\S+"
    hint = re.escape("(free space or set LESSONAUDIO_CACHE_DIR)")
    assert re.fullmatch(rf"error: paragraph 1: cannot write {segment}: {reason} {hint}", last), process.stderr
    assert "Traceback" not in process.stderr


def test_a_render_killed_while_assembling_is_abandoned_and_its_staging_removed(
    render_env: Path, tmp_path: Path
) -> None:
    paragraphs = [f"第{chr(0x4E00 + i)}段：秋天到了，树叶黄了，一片片落下来。" for i in range(8)]
    spec = write_lesson(tmp_path / "killed.yaml", paragraphs, lesson_id="killed")
    out = tmp_path / "out"
    env = _subprocess_env(render_env, tmp_path / "cache", tmp_path / "prefect")
    catalog_url = f"sqlite:///{tmp_path / 'catalog.db'}"
    env["LESSONAUDIO_DATABASE_URL"] = catalog_url
    process = _cli(["render", str(spec), "--out", str(out)], env)
    deadline = time.monotonic() + 300
    staging: list[Path] = []
    while time.monotonic() < deadline and not staging:
        assert process.poll() is None, process.communicate()
        staging = list(out.glob("*/killed/.*.partial"))
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # the render and its temporary Prefect server
    process.wait()
    assert staging and staging[0].is_dir()

    from storage.catalog import open_catalog

    catalog = open_catalog(catalog_url)
    try:
        (killed,) = catalog.list_renders()
        assert killed.status == "running" and staging[0].name == f".{killed.render_id}.partial"

        other = write_lesson(tmp_path / "next.yaml", ["下一课。"], lesson_id="next")
        rerun = _cli(["render", str(other), "--out", str(out)], env)
        _, stderr = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, stderr

        row = catalog.get_render(killed.id)
        assert row.status == "abandoned"
        assert row.error is not None and f"pid {process.pid}" in row.error
        assert not staging[0].exists()
        assert not list(out.rglob(".*.partial"))
    finally:
        catalog.close()
