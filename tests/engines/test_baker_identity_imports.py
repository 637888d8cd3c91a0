"""A fully cached render asks for the Baker voice's identity only: that must not load ONNX Runtime."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
from pathlib import Path
from engines.registry import VoiceConfig, identify
engine_id, model_hash = identify("baker", VoiceConfig(Path("unused"), None, 2))
print(json.dumps([engine_id, model_hash, sorted(sys.modules)]))
"""


def test_identifying_the_baker_voice_loads_neither_the_engine_nor_onnx_runtime() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, cwd=ROOT, check=True
    )
    engine_id, model_hash, modules = json.loads(done.stdout)
    assert engine_id.startswith("baker-onnx/") and len(model_hash) == 64
    assert "engines.baker.identity" in modules  # the probe did reach the voice's own module
    assert "onnxruntime" not in modules and "engines.baker.engine" not in modules
