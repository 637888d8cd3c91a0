"""Render-pipeline overhead against the pure-inference floor, measured in one run.

    .venv/bin/python benchmarks/bench_render.py

1. Floor: the ONNX Runtime model calls alone (FastSpeech2 + MB-MelGAN, the engine's tuned sessions,
   2 threads, no Prefect, no DSP) for exactly the phone ids and knobs of the lesson's segments.
2. Cold render of a 30-paragraph lesson through the ``render-lesson`` flow, with an empty cache and a
   front end that has not seen the lesson.
3. Warm re-render after editing one paragraph.
Each repeat runs all three; the table gives medians, and the ratios' range over the repeats. Targets:
cold <= 1.3 x floor; warm <= 15 % of cold. Once-per-process costs are measured before the repeats
and reported on their own line, as a running worker has paid them: the Prefect temporary server,
loading the voice, loading the front end.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.prefect_env import quiet_prefect  # noqa: E402

quiet_prefect()

from prefect import flow  # noqa: E402

from benchmarks.lesson import write_lesson  # noqa: E402
from config import Settings, load_settings  # noqa: E402
from engines.baker import BakerEngine, load_baker  # noqa: E402
from engines.baker.pitch import semitone_ratio  # noqa: E402
from flows.in_process import in_process_runs  # noqa: E402
from flows.render import _front_end, render_lesson  # noqa: E402
from lesson_specs import load_spec_file  # noqa: E402
from tasks.jobs import VoiceIdentity  # noqa: E402
from tasks.plan import plan_paragraphs  # noqa: E402
from tasks.synthesize import engine_for  # noqa: E402
from text_frontend.frontend import FrontEnd  # noqa: E402
from wiring import voice_config  # noqa: E402

TARGET_COLD = 1.3
TARGET_WARM = 0.15
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
"""The floor alone moves by up to 20 % between runs on this machine; medians of repeats compare."""


FloorCall = tuple[tuple[int, ...], float, float]


def floor_calls(spec_path: Path, settings: Settings, engine: BakerEngine) -> tuple[list[FloorCall], int]:
    """Phone ids and knobs of every model call the lesson needs, and its segment count.

    Planned with a front end of its own: the flow's must meet the lesson's text for the first time in
    the cold render, or its sentence cache would hide the front end's share of the render.
    """
    identity = VoiceIdentity("baker", engine.engine_id, engine.model_hash)
    plan = plan_paragraphs(
        load_spec_file(spec_path), FrontEnd(), identity, max_chars=settings.max_segment_chars
    )
    calls = [
        (ids, semitone_ratio(job.prosody.pitch_shift_semitones) / job.prosody.rate, job.prosody.pitch_range)
        for job in plan.jobs
        for ids in engine.phone_ids(job.segment.tokens)
    ]
    return calls, len(plan.jobs)


def inference_floor(engine: BakerEngine, calls: list[FloorCall]) -> tuple[float, float]:
    """Seconds of the model calls alone, and the seconds of audio they make.

    The same tuned ONNX Runtime sessions and the same prosody knobs as the engine, called in order
    with both cores: no front end, pitch-shift DSP, Prefect, caching or post-processing.
    """
    started = time.perf_counter()
    samples = sum(engine.render_ids(ids, speed=speed, f0=f0).size for ids, speed, f0 in calls)
    return time.perf_counter() - started, samples / 24_000


@flow
def _warm_up() -> None:
    """Starting the temporary Prefect server happens here, once per process."""


def main() -> None:
    models_dir = Settings().resolved_models_dir  # the prepared models, before the cache moves
    floors: list[float] = []
    colds: list[float] = []
    warms: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LESSONAUDIO_MODELS_DIR"] = str(models_dir)
        # The ASR back-check is measured on its own by bench_backcheck.py; this is the render pipeline.
        os.environ["LESSONAUDIO_BACKCHECK"] = "false"
        settings = load_settings()
        spec = Path(tmp) / "lesson.yaml"
        write_lesson(spec)

        started = time.perf_counter()
        _warm_up()
        server_s = time.perf_counter() - started
        started = time.perf_counter()
        engine_for("baker", voice_config(settings))  # the render's voice, as a running worker has it
        voice_s = time.perf_counter() - started

        floor_engine = load_baker(settings.resolved_models_dir, threads=2)
        calls, segments = floor_calls(spec, settings, floor_engine)
        floor_engine.render_ids(calls[0][0])  # warm-up: the first run allocates

        for repeat in range(REPEATS):
            os.environ["LESSONAUDIO_CACHE_DIR"] = str(Path(tmp) / f"cache-{repeat}")  # an empty cache
            write_lesson(spec)
            _front_end.cache_clear()
            _front_end()  # WeTN + g2pM loaded, as a running worker has them, but new to this lesson
            floor_s, audio_s = inference_floor(floor_engine, calls)
            floors.append(floor_s)
            with in_process_runs():  # as the CLI and the web page run renders
                started = time.perf_counter()
                cold = render_lesson(str(spec), out_dir=str(Path(tmp) / "out"))
                colds.append(time.perf_counter() - started)

                write_lesson(spec, edited=True)
                started = time.perf_counter()
                warm = render_lesson(str(spec), out_dir=str(Path(tmp) / "out"))
                warms.append(time.perf_counter() - started)

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    floor_s, cold_s, warm_s = median(floors), median(colds), median(warms)
    cold_ratios = [c / f for c, f in zip(colds, floors, strict=True)]
    warm_ratios = [w / c for w, c in zip(warms, colds, strict=True)]
    print(
        f"lesson: 30 paragraphs, {segments} segments, {audio_s:.1f} s of speech "
        f"({cold.duration_s:.1f} s lesson); medians of {REPEATS} repeats, each with an empty cache"
    )
    print(f"once per process: Prefect temporary server {server_s:.1f} s, voice load {voice_s:.2f} s")
    print("| measurement | seconds | ratio | target |")
    print("| --- | ---: | ---: | --- |")
    print(f"| pure inference floor (model calls only, 2 threads) | {floor_s:.2f} | 1.00 | |")
    print(
        f"| cold render ({cold.synthesized} synthesised, {cold.mastered} paragraphs mastered) "
        f"| {cold_s:.2f} | {median(cold_ratios):.2f} x floor "
        f"({min(cold_ratios):.2f}-{max(cold_ratios):.2f}) | <= {TARGET_COLD} x floor |"
    )
    print(
        f"| warm re-render, one paragraph edited ({warm.synthesized} synthesised, {warm.reused} reused, "
        f"{warm.mastered} mastered) | {warm_s:.2f} | {median(warm_ratios):.2f} x cold "
        f"({min(warm_ratios):.2f}-{max(warm_ratios):.2f}) | <= {TARGET_WARM} x cold |"
    )
    print(f"peak RSS: render process {rss_mb:.0f} MB, largest child (Prefect server) {child_mb:.0f} MB")
    ok = median(cold_ratios) <= TARGET_COLD and median(warm_ratios) <= TARGET_WARM
    print("PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
