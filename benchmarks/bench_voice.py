"""Real-time factor and load time of the Baker voice, against bare ONNX Runtime calls in the same run.

    .venv/bin/python benchmarks/bench_voice.py [--repeat 5] [--baseline DIR]

Targets (2 cores): engine RTF <= 0.04 for 10-50-character segments and model load <= 1 s. The bare
numbers run the same phone ids through freshly created default sessions with no phone mapping, pitch
shift, pause insertion or hash verification, so the ratio is the engine's own overhead.

``--baseline DIR`` also runs an engine built the same way from the (unverified) ``fastspeech2.onnx`` and
``mb_melgan.onnx`` in DIR, e.g. a copy of previously pinned files, so old and new models are compared in
the same run. All variants are interleaved per repetition, so load from other processes hits them alike.
Wall RTF depends on that load; "cpu" is process CPU seconds per audio second (all threads), which is
what the work costs regardless of contention; the load average is printed with the results.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import load_settings
from engines import PRESETS
from engines.baker import BakerEngine, load_baker
from engines.baker.engine import make_session
from engines.baker.phones import PhoneSet
from models import BAKER, prepare_baker
from text_frontend.frontend import FrontEnd
from text_frontend.types import Token

SEGMENTS = (
    "同学们好，今天学习汉语。",  # 12
    "请大家打开课本，翻到第二十页，我们一起来读课文。",  # 24
    "春天来了，公园里的花都开了，小朋友们在草地上快乐地玩耍，老师带着大家认识各种各样的植物。",  # 44
    "中国有很多美丽的地方，每年都有许多游客来这里旅游，"
    "他们品尝地道的美食，参观古老的建筑，感受悠久的历史文化。",  # 50
)
TARGET_RTF = 0.04
TARGET_LOAD_S = 1.0


def segment_tokens(front_end: FrontEnd, text: str) -> tuple[Token, ...]:
    """The real front end's tokens for ``text`` (all its segments, synthesised as one unit)."""
    return tuple(t for seg in front_end.analyze(text, max_chars=50).segments for t in seg.tokens)


def bare_sessions(models_dir: Path, threads: int) -> tuple[ort.InferenceSession, ort.InferenceSession]:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    d = models_dir / BAKER.name
    return (
        ort.InferenceSession(str(d / "fastspeech2.onnx"), opts, providers=["CPUExecutionProvider"]),
        ort.InferenceSession(str(d / "mb_melgan.onnx"), opts, providers=["CPUExecutionProvider"]),
    )


def bare_render(fs2: ort.InferenceSession, voc: ort.InferenceSession, ids: tuple[int, ...]) -> int:
    mel = fs2.run(
        ["Identity_1"],
        {
            "input_ids": np.asarray([ids], np.int32),
            "speaker_ids": np.zeros(1, np.int32),
            "speed_ratios": np.ones(1, np.float32),
            "f0_ratios": np.ones(1, np.float32),
            "energy_ratios": np.ones(1, np.float32),
        },
    )[0]
    return int(voc.run(None, {"mels": mel})[0].shape[1])


def baseline_engine(directory: Path, models_dir: Path, threads: int) -> BakerEngine:
    """The engine as ``load_baker`` builds it, on other (unverified) model files."""
    mapper = (models_dir / BAKER.name / "baker_mapper.json").read_bytes()
    return BakerEngine(
        PhoneSet.from_mapper_json(mapper),
        make_session((directory / "fastspeech2.onnx").read_bytes(), threads),
        make_session((directory / "mb_melgan.onnx").read_bytes(), threads),
        "baseline",
        workers=threads,
    )


def timed(fn: Callable[..., object], *args: Any) -> tuple[float, float]:
    """Wall and process-CPU seconds of one call."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - w0, time.process_time() - c0


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bare_all(
    fs2: ort.InferenceSession, voc: ort.InferenceSession, chunks: tuple[tuple[int, ...], ...]
) -> int:
    return sum(bare_render(fs2, voc, ids) for ids in chunks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--baseline", type=Path, help="dir with other fastspeech2.onnx + mb_melgan.onnx")
    args = parser.parse_args()
    models_dir = load_settings().resolved_models_dir
    prepare_baker(models_dir)

    loads = []
    for _ in range(3):
        t0 = time.perf_counter()
        engine = load_baker(models_dir, threads=args.threads)
        loads.append(time.perf_counter() - t0)
    bare_loads = []
    for _ in range(3):
        t0 = time.perf_counter()
        fs2, voc = bare_sessions(models_dir, args.threads)
        bare_loads.append(time.perf_counter() - t0)
    base = baseline_engine(args.baseline, models_dir, args.threads) if args.baseline else None

    print(
        f"cores: {os.cpu_count()}, onnxruntime {ort.__version__}, threads {args.threads}, "
        f"repeat {args.repeat} (median), load average at start {load_avg()}\n"
    )
    print(
        f"load: engine {statistics.median(loads):.3f} s (verify sha256 + sessions), "
        f"bare sessions {statistics.median(bare_loads):.3f} s, target <= {TARGET_LOAD_S:.1f} s\n"
    )
    base_cols = " baseline RTF | baseline cpu |" if base else ""
    print(f"| chars | audio s | engine RTF | engine cpu |{base_cols} bare RTF | ratio | pass |")
    print("|---" * (7 + (2 if base else 0)) + "|")
    neutral = PRESETS["neutral"]
    front_end = FrontEnd()
    worst = 0.0
    for text in SEGMENTS:
        toks = segment_tokens(front_end, text)
        chunks = engine.phone_ids(toks)
        audio = engine.synthesize(toks, neutral)  # warm-up: first run of a new shape allocates
        if base is not None:
            base.synthesize(toks, neutral)
        for ids in chunks:
            bare_render(fs2, voc, ids)
        samples = bare_all(fs2, voc, chunks)
        e_times, e_cpu, x_times, x_cpu, b_times = [], [], [], [], []
        for _ in range(args.repeat):
            wall, cpu = timed(engine.synthesize, toks, neutral)
            e_times.append(wall)
            e_cpu.append(cpu)
            if base is not None:
                wall, cpu = timed(base.synthesize, toks, neutral)
                x_times.append(wall)
                x_cpu.append(cpu)
            b_times.append(timed(bare_all, fs2, voc, chunks)[0])
        e_rtf = statistics.median(e_times) / audio.duration_s
        b_rtf = statistics.median(b_times) / (samples / audio.sample_rate)
        worst = max(worst, e_rtf)
        chars = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
        base_vals = (
            f" {statistics.median(x_times) / audio.duration_s:.4f} | "
            f"{statistics.median(x_cpu) / audio.duration_s:.4f} |"
            if base
            else ""
        )
        e_cpu_rtf = statistics.median(e_cpu) / audio.duration_s
        print(
            f"| {chars} | {audio.duration_s:.2f} | {e_rtf:.4f} | {e_cpu_rtf:.4f} |{base_vals}"
            f" {b_rtf:.4f} | {e_rtf / b_rtf:.2f} | {'yes' if e_rtf <= TARGET_RTF else 'NO'} |"
        )
    print(
        f"\nworst engine RTF {worst:.4f} (target <= {TARGET_RTF}); "
        f"load {statistics.median(loads):.3f} s (target <= {TARGET_LOAD_S}); load average at end {load_avg()}"
    )


if __name__ == "__main__":
    main()
