"""A flow run's plain parameters are recorded as Prefect records them, without loading FastAPI."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from prefect import Flow, flow

from flows.plain_parameters import PlainParameterFlow, plain_parameters
from flows.render import SynthesisRunner, render_lesson

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Point:
    x: int


def _echo(**values: Any) -> dict[str, Any]:
    return values


@pytest.mark.parametrize(
    "parameters",
    [
        {"spec_path": "春天.yaml", "out_dir": None, "voice": "baker", "publish": False},
        {"count": 3, "ratio": 0.5, "empty": ""},
        {"path": Path("/tmp/a"), "point": Point(1)},  # not plain: Prefect's own encoder
        {"plain": "x", "nested": {"p": Path("/tmp/b")}},
    ],
    ids=["render", "numbers", "objects", "mixed"],
)
def test_parameters_are_recorded_as_prefect_records_them(parameters: dict[str, Any]) -> None:
    ordinary = flow(name="echo")(_echo)
    plain = plain_parameters(flow(name="echo")(_echo))
    assert plain.serialize_parameters(parameters) == ordinary.serialize_parameters(parameters)


def test_options_keep_the_flow_plain() -> None:
    assert isinstance(render_lesson, PlainParameterFlow)
    copy = render_lesson.with_options(task_runner=SynthesisRunner(1))
    assert isinstance(copy, PlainParameterFlow) and isinstance(copy, Flow)
    assert copy.name == "render-lesson" and copy.fn is render_lesson.fn


def test_recording_a_render_s_parameters_loads_no_fastapi() -> None:
    probe = (
        "import json, sys\n"
        "from flows.render import render_lesson\n"
        "render_lesson.serialize_parameters({'spec_path': 'a.yaml', 'out_dir': None, 'publish': True})\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert not [m for m in json.loads(done.stdout) if m.partition(".")[0] == "fastapi"]
