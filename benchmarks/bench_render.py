"""Render-pipeline overhead against the pure-inference floor, measured in one run.

    .venv/bin/python benchmarks/bench_render.py

1. Floor: the ONNX Runtime model calls alone (FastSpeech2 + MB-MelGAN, the engine's tuned sessions,
   2 threads, no Prefect, no DSP) for exactly the phone ids and knobs of the lesson's segments.
2. Cold render of a 30-paragraph lesson through the ``render-lesson`` flow, with an empty segment cache.
3. Warm re-render after editing one paragraph.
Targets: cold <= 1.3 x floor; warm <= 15 % of cold. The Prefect temporary server is started (and
timed) before the measurements: it is a once-per-process cost, reported on its own line.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.prefect_env import quiet_prefect  # noqa: E402

quiet_prefect()

from prefect import flow  # noqa: E402

from benchmarks.lesson import write_lesson  # noqa: E402
from config import Settings, load_settings  # noqa: E402
from engines.baker import load_baker  # noqa: E402
from engines.baker.pitch import semitone_ratio  # noqa: E402
from flows.in_process import in_process_runs  # noqa: E402
from flows.render import _front_end, render_lesson  # noqa: E402
from lesson_specs import load_spec_file  # noqa: E402
from tasks.jobs import VoiceIdentity  # noqa: E402
from tasks.plan import plan_paragraphs  # noqa: E402

TARGET_COLD = 1.3
TARGET_WARM = 0.15


def inference_floor(spec_path: Path, settings: Settings) -> tuple[float, float, int]:
    """Seconds of model calls alone for the lesson's segments, the audio seconds, and segment count.

    The same tuned ONNX Runtime sessions and the same prosody knobs as the engine, called in order
    with both cores: no front end, pitch-shift DSP, Prefect, caching or post-processing.
    """
    engine = load_baker(settings.resolved_models_dir, threads=2)
    identity = VoiceIdentity("baker", engine.engine_id, engine.model_hash)
    plan = plan_paragraphs(
        load_spec_file(spec_path), _front_end(), identity, max_chars=settings.max_segment_chars
    )
    calls = [
        (ids, semitone_ratio(job.prosody.pitch_shift_semitones) / job.prosody.rate, job.prosody.pitch_range)
        for job in plan.jobs
        for ids in engine.phone_ids(job.segment.tokens)
    ]
    engine.render_ids(calls[0][0])  # warm-up: the first run allocates
    started = time.perf_counter()
    samples = sum(engine.render_ids(ids, speed=speed, f0=f0).size for ids, speed, f0 in calls)
    return time.perf_counter() - started, samples / 24_000, len(plan.jobs)


@flow
def _warm_up() -> None:
    """Starting the temporary Prefect server happens here, once per process."""


def main() -> None:
    models_dir = Settings().resolved_models_dir  # the prepared models, before the cache moves
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LESSONAUDIO_CACHE_DIR"] = str(Path(tmp) / "cache")
        os.environ["LESSONAUDIO_MODELS_DIR"] = str(models_dir)
        # The ASR back-check is measured on its own by bench_backcheck.py; this is the render pipeline.
        os.environ["LESSONAUDIO_BACKCHECK"] = "false"
        settings = load_settings()
        spec = Path(tmp) / "lesson.yaml"
        write_lesson(spec)
        _front_end()  # load WeTN + g2pM outside the timings, as a long-running worker would have them

        started = time.perf_counter()
        _warm_up()
        server_s = time.perf_counter() - started

        floor_s, audio_s, segments = inference_floor(spec, settings)

        with in_process_runs():  # as the CLI and the web page run renders
            started = time.perf_counter()
            cold = render_lesson(str(spec), out_dir=str(Path(tmp) / "out"))
            cold_s = time.perf_counter() - started

            write_lesson(spec, edited=True)
            started = time.perf_counter()
            warm = render_lesson(str(spec), out_dir=str(Path(tmp) / "out"))
            warm_s = time.perf_counter() - started

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"lesson: 30 paragraphs, {segments} segments, {audio_s:.1f} s of speech "
        f"({cold.duration_s:.1f} s lesson)"
    )
    print(f"Prefect temporary server start (once per process): {server_s:.1f} s")
    print("| measurement | seconds | ratio | target |")
    print("| --- | ---: | ---: | --- |")
    print(f"| pure inference floor (model calls only, 2 threads) | {floor_s:.2f} | 1.00 | |")
    print(
        f"| cold render ({cold.synthesized} synthesised) | {cold_s:.2f} | {cold_s / floor_s:.2f} x floor "
        f"| <= {TARGET_COLD} x floor |"
    )
    print(
        f"| warm re-render, one paragraph edited ({warm.synthesized} synthesised, {warm.reused} reused) "
        f"| {warm_s:.2f} | {warm_s / cold_s:.2f} x cold | <= {TARGET_WARM} x cold |"
    )
    print(f"peak RSS: render process {rss_mb:.0f} MB, largest child (Prefect server) {child_mb:.0f} MB")
    ok = cold_s / floor_s <= TARGET_COLD and warm_s / cold_s <= TARGET_WARM
    print("PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
