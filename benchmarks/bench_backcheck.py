"""ASR back-check speed: windowed, batched, greedy Whisper against per-segment beam-5 transcription.

    .venv/bin/python benchmarks/bench_backcheck.py

A 30-paragraph lesson is synthesised with the real voice (not timed), then, in one process:
1. the back-check as the render flow runs it (windows of at most 29.5 s of whole segments, re-packed
   so the fewest windows are encoded, each window encoded on its own, batched greedy decoding on one
   single-threaded model replica per core, no timestamps; alignment, scoring and flags included), and
2. the baseline: every segment transcribed on its own with beam 5 (Whisper pads each to 30 s).
Targets: back-check RTF <= 0.06 on 2 cores, and >= 3.5 x faster than the baseline. The model load is a
once-per-process cost and reported on its own line. The machine's load average is printed because
the cores may be shared.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asr.registry import create_recognizer  # noqa: E402
from audio.export import read_audio  # noqa: E402
from benchmarks.lesson import PARAGRAPHS, write_lesson  # noqa: E402
from config import Settings  # noqa: E402
from engines.registry import VoiceConfig, create_engine  # noqa: E402
from lesson_specs import load_spec_file  # noqa: E402
from qa.check import SegmentRef, check_lesson, hear_clips  # noqa: E402
from qa.metrics import total  # noqa: E402
from qa.normalize import reference_units  # noqa: E402
from storage.pieces import PieceStore  # noqa: E402
from storage.segments import SegmentStore  # noqa: E402
from tasks.assemble import assemble_audio  # noqa: E402
from tasks.jobs import VoiceIdentity  # noqa: E402
from tasks.plan import plan_paragraphs  # noqa: E402
from tasks.synthesize import render_segment  # noqa: E402
from text_frontend.frontend import FrontEnd  # noqa: E402
from wiring import qa_config, recognizer_config  # noqa: E402

TARGET_RTF = 0.06
TARGET_SPEEDUP = 3.5


def main() -> None:
    settings = Settings()
    models_dir = settings.resolved_models_dir
    load_before = os.getloadavg()[0]
    front_end = FrontEnd()
    qa = qa_config(settings)
    with tempfile.TemporaryDirectory() as tmp:
        spec_path = Path(tmp) / "lesson.yaml"
        write_lesson(spec_path)
        voice = VoiceConfig(models_dir=models_dir, http_url=None, threads=2)
        engine = create_engine("baker", voice)
        identity = VoiceIdentity("baker", engine.engine_id, engine.model_hash)
        plan = plan_paragraphs(load_spec_file(spec_path), front_end, identity, max_chars=50)
        store = SegmentStore(Path(tmp) / "segments")
        audios = [render_segment(job, store, voice) for job in plan.jobs]
        lesson = assemble_audio(plan, audios, Path(tmp), PieceStore(Path(tmp) / "pieces"))
        samples, rate = read_audio(Path(tmp) / "lesson.wav")
    refs = [SegmentRef(j.index, j.paragraph, j.display_text, reference_units(j.segment)) for j in plan.jobs]

    started = time.perf_counter()
    recognizer = recognizer_config(settings)
    fast = create_recognizer(replace(recognizer, beam_size=1, batch_size=8))
    load_s = time.perf_counter() - started
    slow = create_recognizer(replace(recognizer, beam_size=5, batch_size=1))
    warm = samples[: rate * 2]
    fast.transcribe([warm], rate)
    slow.transcribe([warm], rate)

    started = time.perf_counter()
    check = check_lesson(samples, rate, lesson.spans, refs, fast, front_end, qa)
    check_s = time.perf_counter() - started

    clips = [samples[int(a * rate) : int(b * rate)] for a, b in lesson.spans]
    started = time.perf_counter()
    baseline = []
    for clip, ref in zip(clips, refs, strict=True):
        hearings, _ = hear_clips([clip], rate, [ref], slow, front_end, qa)
        baseline.extend(hearings)
    base_s = time.perf_counter() - started
    base_score = total([h.score for h in baseline])

    duration = check.audio_s
    rtf, base_rtf = check_s / duration, base_s / duration
    speedup = base_s / check_s
    load_after = os.getloadavg()[0]
    print(
        f"lesson: {PARAGRAPHS} paragraphs, {len(refs)} segments, "
        f"{duration:.1f} s; {len(check.windows)} windows "
        f"({', '.join(f'{w.seconds:.1f}' for w in check.windows)} s of audio each)"
    )
    print(
        f"Whisper-base load (once per process): {load_s:.1f} s; "
        f"load average {load_before:.2f} -> {load_after:.2f}"
    )
    print(
        f"recognition inside the back-check: {check.asr_s:.2f} s (the rest: normalising, aligning, scoring)"
    )
    print("| measurement | seconds | RTF | CER | PER | flags | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    score = check.score
    print(
        f"| back-check: {len(check.windows)} windows <= 29.5 s, batched decode, beam 1, no timestamps "
        f"(incl. scoring) | {check_s:.2f} | "
        f"{rtf:.3f} | {score.cer:.3f} | {score.per:.3f} | {len(check.flagged)} | RTF <= {TARGET_RTF} |"
    )
    base_flags = sum(1 for h in baseline if h.flagged)
    print(
        f"| baseline: per segment, beam 5 | {base_s:.2f} | {base_rtf:.3f} | {base_score.cer:.3f} | "
        f"{base_score.per:.3f} | {base_flags} | |"
    )
    print(f"| speed-up | | {speedup:.2f} x | | | | >= {TARGET_SPEEDUP} x |")
    ok = rtf <= TARGET_RTF and speedup >= TARGET_SPEEDUP
    print("PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
