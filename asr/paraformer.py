"""Paraformer (FunASR, ONNX) as an alternative recogniser, for deployments that have the model.

Paraformer is a Mandarin-only, non-autoregressive recogniser: more accurate on Mandarin than
Whisper-base and its cost does not grow with the number of tokens. Its weights come from ModelScope,
which this project cannot reach, so the model directory (``model.onnx`` or ``model_quant.onnx``,
``config.yaml``, ``am.mvn``, ``tokens.json``/``tokens.txt``) must be provided by the deployment
(``LESSONAUDIO_ASR_MODEL_DIR``). ``funasr-onnx`` is an optional dependency, imported only here.

Tested only as far as this machine allows: the adapter's contract (resampling, batching, result
shapes of funasr-onnx 0.4, errors for a missing package or model) is tested with an injected fake
recogniser; it has never run against a real Paraformer model here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from asr.audio import to_rate
from asr.protocol import RecognizerError, Samples, Transcript
from asr.simplified import to_simplified
from i18n import _

_MODEL_FILES = ("model.onnx", "model_quant.onnx")

Backend = Callable[[list[Samples]], list[Any]]
"""What funasr_onnx.Paraformer instances are: a callable over a list of 16 kHz arrays."""


def _load(model_dir: Path, threads: int) -> Backend:
    if not model_dir.is_dir() or not any((model_dir / name).is_file() for name in _MODEL_FILES):
        # funasr-onnx would try to download a missing model from ModelScope; refuse before that.
        raise RecognizerError(
            _(
                "no Paraformer ONNX model in {folder} (needs model.onnx or model_quant.onnx); set "
                "LESSONAUDIO_ASR_MODEL_DIR to an exported Paraformer model, "
                "or use LESSONAUDIO_ASR_ENGINE=whisper"
            ).format(folder=model_dir)
        )
    try:
        from funasr_onnx import Paraformer
    except ImportError as err:
        raise RecognizerError(
            _(
                "the paraformer recogniser needs the optional package funasr-onnx "
                "(pip install 'funasr-onnx>=0.4,<0.5')"
            )
        ) from err
    quantize = (model_dir / "model_quant.onnx").is_file()
    backend: Backend = Paraformer(
        str(model_dir), batch_size=1, quantize=quantize, intra_op_num_threads=threads
    )
    return backend


def _text_of(result: Any) -> str:
    """funasr-onnx has returned a str, a ``{"preds": ...}`` dict and a ``(text, timestamps)`` pair."""
    if isinstance(result, str):
        return result
    if isinstance(result, dict):
        return _text_of(result.get("preds", result.get("text", "")))
    if isinstance(result, list | tuple) and result:
        return _text_of(result[0])
    return ""


class ParaformerRecognizer:
    def __init__(self, model_dir: Path, *, threads: int = 2, backend: Backend | None = None) -> None:
        self._backend = backend if backend is not None else _load(model_dir, threads)
        self.engine_id = f"paraformer-onnx/{model_dir.name}"
        self._lock = threading.Lock()

    def transcribe(self, clips: Sequence[Samples], sample_rate: int) -> list[Transcript]:
        """One clip at a time: Paraformer pads a batch to its longest clip, wasting more than it saves."""
        out: list[Transcript] = []
        for clip in clips:
            with self._lock:
                results = self._backend([to_rate(clip, sample_rate)])
            text = _text_of(results[0]) if results else ""
            # Paraformer writes Chinese characters separated by spaces in some versions.
            out.append(Transcript(to_simplified(text.replace(" ", ""))))
        return out
