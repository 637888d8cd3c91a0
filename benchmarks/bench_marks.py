"""What speech marks and broadcast captions add to a render, measured inside real renders.

    .venv/bin/python benchmarks/bench_marks.py

Renders the 30-paragraph benchmark lesson through the ``render-lesson`` flow (back-check off, as in
``bench_render.py``), cold with an empty cache and warm after editing one paragraph, while timing every
call of the code that exists only for marks and captions: the engine's syllable and token spans,
storing and reading the times files, carrying times to the lesson timeline, character mapping,
caption layout, and making and writing ``marks.json``. The model's durations output itself is
measured apart: the same acoustic-model calls with and without it.

Cost is CPU time: the render's (``time.process_time``, every thread, ONNX Runtime's included) and
the added code's (``time.thread_time`` inside each call), so other load on the machine inflates
neither. What marks and captions remember between renders in one process is forgotten before each
cold render; the warm render after it reuses it, as a worker or the web server would. Wall times
are printed beside them. Target: the added CPU time is under 3 % of each render's.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.prefect_env import quiet_prefect  # noqa: E402

quiet_prefect()

import numpy as np  # noqa: E402

import audio.captions as captions  # noqa: E402
import engines.baker.engine as baker_engine  # noqa: E402
import storage.segment_times as segment_times  # noqa: E402
import tasks.assemble as assemble  # noqa: E402
import tasks.describe as describe  # noqa: E402
import tasks.marks as marks  # noqa: E402
import tasks.synthesize as synthesize  # noqa: E402
from benchmarks.lesson import write_lesson  # noqa: E402
from config import Settings, load_settings  # noqa: E402
from engines.baker import load_baker  # noqa: E402
from flows.in_process import in_process_runs  # noqa: E402
from flows.render import _front_end, render_lesson  # noqa: E402
from storage.layout import SPEECH_MARKS  # noqa: E402
from text_frontend.display_words import word_spans  # noqa: E402

TARGET = 0.03
REPEATS = 3
spent = 0.0
spent_cpu = 0.0
by_name: dict[str, float] = {}


def timed(module: Any, name: str, only: Callable[..., bool] = lambda *_: True) -> None:
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        global spent, spent_cpu
        if not only(*args):
            return original(*args, **kwargs)
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            took = time.thread_time() - cpu
            spent += time.perf_counter() - started
            spent_cpu += took
            by_name[name] = by_name.get(name, 0.0) + took

    setattr(module, name, wrapper)


def forget_marks() -> None:
    marks._RELATIVE.clear()
    marks._FRAGMENTS.clear()
    captions._LAYOUTS.clear()
    segment_times._READ.clear()
    word_spans.cache_clear()


def durations_output_cost(models_dir: Path) -> tuple[float, float]:
    """Seconds for the lesson's first paragraphs' acoustic calls with and without the durations."""
    engine = load_baker(models_dir, threads=2)
    from benchmarks.lesson import BODIES
    from text_frontend.frontend import FrontEnd

    ids = [engine.phone_ids(seg.tokens) for body in BODIES for seg in FrontEnd().analyze(body).segments]
    feeds = [
        {
            "input_ids": np.asarray([call], dtype=np.int32),
            "speaker_ids": np.zeros(1, dtype=np.int32),
            "speed_ratios": np.ones(1, dtype=np.float32),
            "f0_ratios": np.ones(1, dtype=np.float32),
            "energy_ratios": np.ones(1, dtype=np.float32),
        }
        for calls in ids
        for call in calls
    ]
    best = {1: float("inf"), 2: float("inf")}
    for _ in range(7):  # alternating, and the fastest of each: other load only ever adds time
        for names in (["Identity_1"], ["Identity_1", "Identity_2"]):
            started = time.perf_counter()
            for feed in feeds:
                engine.acoustic.run(names, feed)
            best[len(names)] = min(best[len(names)], time.perf_counter() - started)
    return best[1], best[2]


def main() -> None:
    global spent, spent_cpu
    models_dir = Settings().resolved_models_dir
    for module, name in (
        (baker_engine, "syllable_spans"),
        (baker_engine, "token_spans"),
        (baker_engine, "scale_spans"),
        (synthesize, "write_times"),
        (assemble, "lesson_times"),
        (describe, "segment_times"),
        (describe, "shown_times"),
        (describe, "caption_words"),
        (describe, "layout_cues"),
        (describe, "marks_json"),
    ):
        timed(module, name)
    timed(describe, "write_text", lambda path, *_: path.name == SPEECH_MARKS)
    rows: list[tuple[str, float, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LESSONAUDIO_MODELS_DIR"] = str(models_dir)
        os.environ["LESSONAUDIO_BACKCHECK"] = "false"
        load_settings()
        spec = Path(tmp) / "lesson.yaml"
        _front_end()
        for repeat in range(REPEATS):
            os.environ["LESSONAUDIO_CACHE_DIR"] = str(Path(tmp) / f"cache-{repeat}")
            with in_process_runs():
                forget_marks()  # a cold render in a new process: nothing remembered yet
                for label, edited in (("cold", False), ("warm, one paragraph edited", True)):
                    write_lesson(spec, edited=edited)
                    spent = spent_cpu = 0.0
                    by_name.clear()
                    started, cpu = time.perf_counter(), time.process_time()
                    render_lesson(str(spec), out_dir=str(Path(tmp) / "out"))
                    wall, used = time.perf_counter() - started, time.process_time() - cpu
                    rows.append((label, wall, spent, used, spent_cpu))
                    if "-v" in sys.argv:
                        print(label, "CPU ms", {k: round(v * 1000, 1) for k, v in by_name.items()})
    without, with_durations = durations_output_cost(models_dir)
    print(
        f"acoustic model, the lesson's bodies: {without * 1000:.1f} ms without the durations output, "
        f"{with_durations * 1000:.1f} ms with it"
    )
    ok = True
    print("| render | CPU s | added CPU s | share | wall s | added wall s |")
    print("|---|---|---|---|---|---|")
    for label in ("cold", "warm, one paragraph edited"):
        runs = [row[1:] for row in rows if row[0] == label]
        wall, added_wall, cpu, added_cpu = (median(r[i] for r in runs) for i in range(4))
        share = added_cpu / cpu
        ok = ok and share < TARGET
        print(
            f"| {label} | {cpu:.2f} | {added_cpu:.3f} | {share * 100:.2f} % | {wall:.2f} | {added_wall:.3f} |"
        )
    print("OK" if ok else f"FAILED: marks and captions cost {TARGET * 100:.0f} % or more of a render")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
