"""The default recogniser: Whisper-base on CTranslate2 (faster-whisper), int8 on the CPU, Mandarin.

Speed settings, measured on two cores (``benchmarks/bench_backcheck.py``): windows are decoded as one
batch (one decoder step serves every window), greedy (beam 1: beam 5 costs more and its accuracy gain
is lost in the homophones that PER forgives anyway), without timestamp tokens (fewer tokens to decode;
segments are attributed by alignment instead), no VAD (the timeline already says where speech is), no
temperature fallback (a re-decode at higher temperature doubles the cost of exactly the windows that
are wrong, and wrong is what the back-check is looking for), no conditioning on earlier text (windows
are independent, so one bad window cannot poison the next).

The model is loaded from the verified bytes (``models.whisper.whisper_files``), so a file swapped
after its hash check is never used and nothing is ever fetched from a model hub.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from asr.audio import ASR_RATE, to_rate
from asr.protocol import RecognizerError, Samples, Transcript
from asr.simplified import to_simplified
from asr.windows import WHISPER_LIMIT_S

TOKENS_PER_SECOND = 12
"""Cap on decoded tokens per second of audio (Mandarin is ~8): stops a repetition loop early."""


@dataclass(frozen=True, slots=True)
class WhisperOptions:
    beam_size: int = 1
    batch_size: int = 8
    threads: int = 2
    compute_type: str = "int8"


class WhisperRecognizer:
    """Thread-safe: one model per process, calls are serialised (CTranslate2 uses every thread anyway)."""

    def __init__(
        self, models_dir: Path, options: WhisperOptions = WhisperOptions(), model_dir: Path | None = None
    ) -> None:
        try:
            from faster_whisper import BatchedInferencePipeline, WhisperModel
        except ImportError as err:  # pragma: no cover - a broken install
            raise RecognizerError(f"faster-whisper is not installed: {err}") from err
        if model_dir is None:
            from models.whisper import WHISPER_BASE, whisper_files

            # A missing or corrupt file raises ModelError naming the fix (`lessonaudio models prepare`).
            files: dict[str, Any] = dict(whisper_files(models_dir))
            model = WhisperModel(
                WHISPER_BASE.name,
                device="cpu",
                compute_type=options.compute_type,
                cpu_threads=options.threads,
                files=files,
            )
            self.engine_id = (
                f"faster-whisper/{WHISPER_BASE.name}/{options.compute_type}/beam{options.beam_size}"
            )
        else:
            # An operator-supplied converted model (e.g. whisper-small): not pinned, their responsibility.
            if not (model_dir / "model.bin").is_file() or not (model_dir / "tokenizer.json").is_file():
                raise RecognizerError(
                    f"{model_dir} is not a CTranslate2 Whisper model (needs model.bin and tokenizer.json)"
                )
            model = WhisperModel(
                str(model_dir), device="cpu", compute_type=options.compute_type, cpu_threads=options.threads
            )
            self.engine_id = f"faster-whisper/{model_dir.name}/{options.compute_type}/beam{options.beam_size}"
        self._pipeline = BatchedInferencePipeline(model)
        self._options = options
        self._lock = threading.Lock()

    def transcribe(self, clips: Sequence[Samples], sample_rate: int) -> list[Transcript]:
        """Transcribe every clip (each at most 30 s) in batches; Simplified Chinese out."""
        if not clips:
            return []
        resampled = [to_rate(c, sample_rate) for c in clips]
        for clip in resampled:
            if clip.size > WHISPER_LIMIT_S * ASR_RATE + 1:
                raise ValueError(f"clip of {clip.size / ASR_RATE:.1f} s is over Whisper's 30 s window")
        # The pipeline takes one signal plus clip boundaries: lay the clips end to end.
        starts = np.cumsum([0, *(c.size for c in resampled)])
        audio = np.concatenate(resampled) if len(resampled) > 1 else resampled[0]
        bounds = [
            {"start": float(starts[i]) / ASR_RATE, "end": float(starts[i + 1]) / ASR_RATE}
            for i in range(len(resampled))
        ]
        longest = max(c.size for c in resampled) / ASR_RATE
        texts = [""] * len(clips)
        with self._lock:
            segments, _ = self._pipeline.transcribe(
                audio,
                language="zh",
                clip_timestamps=bounds,
                batch_size=self._options.batch_size,
                beam_size=self._options.beam_size,
                without_timestamps=True,
                vad_filter=False,
                temperature=0.0,
                max_new_tokens=int(TOKENS_PER_SECOND * longest) + 16,
            )
            for piece in segments:
                index = _clip_at(starts, float(piece.start) * ASR_RATE)
                texts[index] += piece.text
        return [Transcript(to_simplified(t.strip())) for t in texts]


def _clip_at(starts: np.ndarray, sample: float) -> int:
    """Index of the clip a pipeline segment belongs to (its start is the clip's offset, rounded to 1 ms)."""
    index = int(np.searchsorted(starts, sample + 0.002 * ASR_RATE, side="right")) - 1
    return min(max(index, 0), starts.size - 2)
