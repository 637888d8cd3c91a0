"""What the Baker voice's cache keys are made of, without loading the voice or ONNX Runtime.

A re-render whose segments are all cached needs only these values (``engines.registry.identify``),
so they live apart from the engine, whose import loads ONNX Runtime.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

# Bump when the DSP around the models changes output for the same input: it is part of cache keys.
# (The compact vocoder of models/convert_baker.py did not bump it: its audio is bit-identical, see
# tests/engines/test_engine_speed_equivalence.py; the new pin changes ``model_hash`` anyway.)
ENGINE_ID = "baker-onnx/1"


def combined_hash(file_hashes: Sequence[tuple[str, str]]) -> str:
    """One hash for a multi-file model, independent of file order."""
    text = "".join(f"{name} {digest}\n" for name, digest in sorted(file_hashes))
    return hashlib.sha256(text.encode()).hexdigest()
