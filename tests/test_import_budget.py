"""Every command pays at start-up only for the libraries it uses.

Each command runs in a fresh interpreter, as a teacher or a CI job runs it, and the modules it left
loaded are compared with its budget: the heavy engines (Prefect, ONNX Runtime, Whisper, SciPy,
loudness, the web server, S3) belong to render, say, serve and web only, and commands that never
open the render catalog do not load SQLAlchemy. ``--help`` is held tighter,
since everyone types it: not even the catalog's SQLAlchemy, numpy, the pinyin dictionaries or
the settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "lesson_specs" / "examples" / "chinese-g3-spring.yaml"

HEAVY = (
    "prefect",
    "onnxruntime",
    "faster_whisper",
    "ctranslate2",
    "scipy",
    "pyloudnorm",
    "fastapi",
    "starlette",
    "uvicorn",
    "boto3",
    "botocore",
)
# Commands that never open the render catalog.
CATALOG = ("sqlalchemy", "alembic")
# Opening a catalog whose schema is current needs no migration machinery.
MIGRATIONS = ("alembic", "mako")
# Not pydantic itself: Typer uses it to convert a subcommand's parameters.
HELP_ONLY = (*HEAVY, "sqlalchemy", "alembic", "numpy", "pypinyin", "tn", "pydantic_settings", "config")

# Runs the real entry point, then writes what it imported, however the command exited.
_PROBE = """
import atexit, json, sys
out = sys.argv[1]
sys.argv = ["lessonaudio", *sys.argv[2:]]

def dump():
    with open(out, "w") as f:
        json.dump(sorted(sys.modules), f)

atexit.register(dump)  # the command ends by running exit handlers, however it ends
from app.cli import main
main()
"""


def run_command(args: list[str], env: dict[str, str], tmp_path: Path, code: int = 0) -> tuple[set[str], str]:
    """The top-level packages ``lessonaudio ARGS`` imported, and its output; it must exit with ``code``."""
    out = tmp_path / "modules.json"
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == code, result.stderr[-2000:]
    modules = json.loads(out.read_text())
    return {name.split(".")[0] for name in modules}, result.stdout + result.stderr


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The user's settings, but a catalog of this module's own, created (and migrated) up front."""
    database = tmp_path_factory.mktemp("catalog") / "catalog.db"
    environ = {**os.environ, "LESSONAUDIO_DATABASE_URL": f"sqlite:///{database}"}
    environ.pop("PREFECT_API_URL", None)
    subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"],
        cwd=ROOT,
        env=environ,
        check=True,
        capture_output=True,
    )
    return environ


@pytest.mark.parametrize(
    ("args", "code", "shows", "budget"),
    [
        (["validate", str(EXAMPLE)], 0, "ok, 5 paragraphs", HEAVY + CATALOG),
        (["g2p", "--json", "同学们好，2024年"], 0, '"normalized"', HEAVY + CATALOG),
        (["models", "list"], 0, "models dir:", (*HEAVY, *CATALOG, "numpy")),
        (["renders", "list"], 0, "no renders recorded yet", HEAVY + MIGRATIONS),
        (["qa", "summary", "--course", "小学语文三年级"], 3, "no lessons of course", HEAVY),
        (["qa", "{report}"], 2, "error: ", (*HEAVY, *CATALOG, "numpy")),
        (["cache", "info"], 0, "segment cache:", HEAVY + CATALOG),
    ],
    ids=["validate", "g2p", "models-list", "renders-list", "qa-summary", "qa-check", "cache-info"],
)
def test_command_imports_no_heavy_engine(
    args: list[str], code: int, shows: str, budget: tuple[str, ...], env: dict[str, str], tmp_path: Path
) -> None:
    report = tmp_path / "qa.json"
    report.write_text("{}")  # read, then refused: the whole check path runs
    args = [a.replace("{report}", str(report)) for a in args]
    modules, output = run_command(args, env, tmp_path, code)
    assert shows in output  # the command did its work, so its imports are all in
    assert sorted(modules & set(budget)) == []


@pytest.mark.parametrize("args", [["--help"], ["render", "--help"], ["renders", "--help"], ["qa", "--help"]])
def test_help_imports_only_the_cli(args: list[str], env: dict[str, str], tmp_path: Path) -> None:
    modules, output = run_command(args, env, tmp_path)
    assert "Usage:" in output
    assert sorted(modules & set(HELP_ONLY)) == []


def test_the_render_flow_loads_no_engine_until_it_needs_one() -> None:
    """A fully cached render never synthesises, filters or listens: loading the flow must not cost the
    voice, Whisper or the loudness filters (a worker pays this per flow run)."""
    probe = "import json, sys, flows.render; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    loaded = {name.partition(".")[0] for name in json.loads(done.stdout)}
    assert loaded.isdisjoint({"onnxruntime", "faster_whisper", "ctranslate2", "scipy", "pyloudnorm"})


def test_reading_a_script_and_loading_the_render_flow_loads_no_reading_stack() -> None:
    """A render of a stored plan reads the script and writes marks without the front end: neither
    the script loader nor the flow's modules may load pypinyin's dictionaries, the normalisation
    grammars or the polyphone model (a cached render paid about a second of CPU for them)."""
    probe = (
        "import json, sys, flows.render, tasks.marks\n"
        "from pathlib import Path\n"
        "from lesson_specs import load_spec_file\n"
        f"load_spec_file(Path({str(EXAMPLE)!r}))\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    loaded = set(json.loads(done.stdout))
    reading = {"pypinyin", "pynini", "tn", "g2pM", "text_frontend.g2p", "text_frontend.normalize"}
    assert sorted(loaded & reading) == []
