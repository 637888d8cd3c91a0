"""The default recogniser: Whisper-base on CTranslate2 (faster-whisper), int8 on the CPU, Mandarin.

The speed settings are chosen for a small CPU (``benchmarks/bench_backcheck.py`` measures them):
windows are decoded as one batch per model replica (one decoder step serves every window of the
batch), greedy (beam search costs more and its accuracy gain is lost in the homophones that PER
forgives anyway), without timestamp tokens (fewer tokens to decode; segments are attributed by
alignment instead), no VAD (the timeline already says where speech is), no temperature fallback (a
re-decode at higher temperature doubles the cost of exactly the windows that are wrong, and wrong is
what the back-check is looking for), no conditioning on earlier text (windows are independent, so one
bad window cannot poison the next).

Every encoder call takes a single window; only the decoding is batched. The encoder's attention
scores grow with the square of the window's frames, so a batch of windows works on far more memory
than the CPU cache holds and encoding a batch in one call is slower than encoding its windows one by
one. The decoder is the other way round: a decoder step costs little more for a batch than for one
window, so the encoded windows are stacked and decoded together. faster-whisper's
``BatchedInferencePipeline`` encodes its whole batch in one call, which is why this module drives the
model's encoder and decoder itself, with the pipeline's prompt, token suppression and feature padding
(a test checks that both hear the same words).

A recogniser that is given batches runs one model replica per CPU thread, each single-threaded, and
splits every batch between them: the windows are encoded in parallel and each replica decodes its
share. A decoder step is many small operations, and split over several threads they spend much of
their time waiting for each other; separate single-threaded replicas never wait. A recogniser fed one
clip at a time (batch size 1, e.g. the benchmark's per-segment baseline) keeps one replica on all
threads, as nothing could run beside it. A single clip given to a batching recogniser (one flagged
segment heard again) runs on one thread, a small cost accepted so that replicas never share threads.

The model is loaded from the files that were verified, opened once (``models.verified_dir``), so a
file swapped after its hash check is never used and nothing is ever fetched from a model hub. Loading
by path rather than from bytes in memory keeps the load from holding the 145 MB file twice over.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from asr.audio import ASR_RATE, to_rate
from asr.protocol import RecognizerError, Samples, Transcript
from asr.simplified import to_simplified
from asr.windows import WHISPER_LIMIT_S
from i18n import _
from models.heap import release_free_heap

TOKENS_PER_SECOND = 12
"""Cap on decoded tokens per second of audio (Mandarin is ~8): stops a repetition loop early."""


def generation_length(new_tokens: int, model_max: int) -> int:
    """The ``max_length`` that lets CTranslate2's Whisper decode ``new_tokens`` tokens.

    CTranslate2 stops a Whisper decode at ``min(max_length / 2, max_length - prompt)`` new tokens
    (whisper.cc; OpenNMT/CTranslate2#1856), so asking for ``prompt + new_tokens`` would cap a full
    window at about half the tokens it needs, and fast speech would be cut off and flagged. The
    model's own context (448) still caps a window at 224 new tokens.
    """
    return min(2 * new_tokens, model_max)


@dataclass(frozen=True, slots=True)
class WhisperOptions:
    beam_size: int = 1
    batch_size: int = 8
    threads: int = 2
    compute_type: str = "int8"

    @property
    def workers(self) -> int:
        """Model replicas, each on ``threads // workers`` threads (see the module docstring).

        One per thread when calls bring batches; a recogniser fed one clip at a time (batch size 1)
        has nothing to run side by side, so it keeps one replica on every thread.
        """
        return max(self.threads, 1) if self.batch_size > 1 else 1


class WhisperRecognizer:
    """Thread-safe: one model per process, calls are serialised (CTranslate2 uses every thread anyway)."""

    def __init__(
        self, models_dir: Path, options: WhisperOptions = WhisperOptions(), model_dir: Path | None = None
    ) -> None:
        try:
            from faster_whisper import WhisperModel
            from faster_whisper.tokenizer import Tokenizer
            from faster_whisper.transcribe import get_suppressed_tokens
        except ImportError as err:  # pragma: no cover - a broken install
            raise RecognizerError(_("faster-whisper is not installed: {error}").format(error=err)) from err

        def load(folder: Path) -> WhisperModel:
            return WhisperModel(
                str(folder),
                device="cpu",
                compute_type=options.compute_type,
                cpu_threads=max(options.threads // options.workers, 1),
                num_workers=options.workers,
            )

        if model_dir is None:
            from models.verified_dir import verified_dir
            from models.whisper import WHISPER_BASE

            # A missing or corrupt file raises ModelError naming the fix (`lessonaudio models prepare`).
            with verified_dir(models_dir, WHISPER_BASE) as verified:
                model = load(verified)
            name = WHISPER_BASE.name
        else:
            # An operator-supplied converted model (e.g. whisper-small): not pinned, their responsibility.
            if not (model_dir / "model.bin").is_file() or not (model_dir / "tokenizer.json").is_file():
                raise RecognizerError(
                    _(
                        "{folder} is not a CTranslate2 Whisper model (needs model.bin and tokenizer.json)"
                    ).format(folder=model_dir)
                )
            model = load(model_dir)
            name = model_dir.name
        self.engine_id = f"faster-whisper/{name}/{options.compute_type}/beam{options.beam_size}"
        self._model = model
        release_free_heap()  # what converting the weights allocated and freed again
        tokenizer = Tokenizer(
            model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="zh"
        )
        self._tokenizer = tokenizer
        # What BatchedInferencePipeline.transcribe(language="zh", without_timestamps=True) sends.
        self._prompt: list[int] = model.get_prompt(tokenizer, [], without_timestamps=True)
        self._suppress: list[int] = list(get_suppressed_tokens(tokenizer, [-1]) or ())
        self._options = options
        self._lock = threading.Lock()

    def transcribe(self, clips: Sequence[Samples], sample_rate: int) -> list[Transcript]:
        """Transcribe every clip (each at most 30 s) in batches; Simplified Chinese out."""
        resampled = [to_rate(c, sample_rate) for c in clips]
        for clip in resampled:
            if clip.size > WHISPER_LIMIT_S * ASR_RATE + 1:
                raise ValueError(f"clip of {clip.size / ASR_RATE:.1f} s is over Whisper's 30 s window")
        texts: list[str] = []
        size = max(self._options.batch_size, 1)
        with self._lock:
            for first in range(0, len(resampled), size):
                texts.extend(self._decode_batch(resampled[first : first + size]))
        return [Transcript(to_simplified(t.strip())) for t in texts]

    def _decode_batch(self, clips: Sequence[Samples]) -> list[str]:
        """Encode each clip on its own, then decode them in one batch per replica, replicas side by side."""
        workers = min(self._options.workers, len(clips))
        with ThreadPoolExecutor(workers) as pool:  # CTranslate2 releases the GIL while it computes
            encoded = np.concatenate(list(pool.map(self._encode, clips)))
            longest = max(c.size for c in clips) / ASR_RATE
            max_length = generation_length(int(TOKENS_PER_SECOND * longest) + 16, self._model.max_length)
            shares = np.array_split(np.arange(len(clips)), workers)
            decoded = pool.map(lambda share: self._generate(encoded[share], max_length), shares)
            return [text for share in decoded for text in share]

    def _encode(self, clip: Samples) -> npt.NDArray[np.float32]:
        # As the pipeline does: log-Mel of the clip, last frame dropped, zero-padded to 30 s.
        from faster_whisper.audio import pad_or_trim

        features = pad_or_trim(self._model.feature_extractor(clip)[..., :-1])
        return np.asarray(self._model.encode(features), dtype=np.float32)

    def _generate(self, encoded: npt.NDArray[np.float32], max_length: int) -> list[str]:
        import ctranslate2

        results = self._model.model.generate(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(encoded)),
            [self._prompt] * len(encoded),
            beam_size=self._options.beam_size,
            max_length=max_length,
            suppress_blank=True,
            suppress_tokens=self._suppress,
            sampling_temperature=0.0,
        )
        return [self._tokenizer.decode(r.sequences_ids[0]) for r in results]
