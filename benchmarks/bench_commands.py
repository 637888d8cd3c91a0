"""What people wait for: whole ``lessonaudio`` processes, timed from outside as a shell runs them.

    nice -n 10 .venv/bin/python benchmarks/bench_commands.py [--runs N | --quick] [--cases help,g2p]

Each case starts the installed console script in a new process, several times; the table gives the
fastest and the median wall time, the median CPU time (user + system) and the largest peak RSS of
the command's own process (the local Prefect server a render starts is a process of its own and not
counted). On shared cores the CPU time of a one-threaded command is close to its wall time on an idle
machine. Cases:

- ``help``: ``lessonaudio --help``; ``validate``: the example lesson; ``g2p``: one line on stdin, ``--json``;
- ``render-first``: the first render in a new cache folder (it starts the local Prefect server that
  later renders reuse; one run, for information);
- ``render-cold``: the example with an empty segment cache and back-check store, back-check on;
- ``render-cached``: the same again, every segment, piece and the back-check already cached;
- ``render-cached-no-check``: cached, with ``LESSONAUDIO_BACKCHECK=false``.

Renders use a temporary cache folder and catalog, the machine's prepared models, and a copy of the
machine's compiled text-normalisation grammars (compiling them is a once-per-machine cost). A cold
run empties everything in that cache folder except the grammars and the Prefect server's folder.
``PREFECT_API_URL`` is ignored, so renders use the local server as a teacher's machine does; it is
stopped at the end. The machine's load average is printed because the cores may be shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "lesson_specs" / "examples" / "chinese-g3-spring.yaml"
G2P_LINE = "同学们好\n"
# What a cold render keeps in its cache folder: compiled grammars and the running Prefect server.
KEEP_WHEN_COLD = ("wetn", "prefect-")


@dataclass
class Case:
    name: str
    label: str
    args: list[str]
    stdin: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    before_each: Callable[[], None] | None = None
    runs: int | None = None  # None: as many as the command line asks


@dataclass
class Timing:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float


def lessonaudio() -> list[str]:
    """The console script beside this interpreter, as a user runs it; the module if not installed."""
    script = Path(sys.executable).with_name("lessonaudio")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "app.cli"]


def run_once(case: Case, base_env: dict[str, str]) -> Timing:
    if case.before_each is not None:
        case.before_each()
    env = {**base_env, **case.env}
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            [*lessonaudio(), *case.args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE if case.stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        if process.stdin is not None:
            process.stdin.write((case.stdin or "").encode("utf-8"))
            process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"{case.name}: exit {process.returncode}\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    return Timing(seconds, cpu, usage.ru_maxrss / 1024)  # ru_maxrss is in kB on Linux


def machine_wetn_cache() -> Path:
    from text_frontend.normalize.wetn import default_cache_dir

    return default_cache_dir()


def machine_models_dir() -> Path:
    from config import Settings

    return Settings().resolved_models_dir


def empty_cache(cache_dir: Path) -> None:
    """Everything a render would reuse goes, except the compiled grammars and the Prefect server."""
    for entry in cache_dir.iterdir() if cache_dir.is_dir() else ():
        if entry.name.startswith(KEEP_WHEN_COLD):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def cases(work: Path) -> list[Case]:
    cache_dir = work / "cache"
    render = ["render", str(EXAMPLE), "--out", str(work / "out")]
    no_check = {"LESSONAUDIO_BACKCHECK": "false"}
    return [
        Case("help", "`lessonaudio --help`", ["--help"]),
        Case("validate", "`lessonaudio validate` example (5 paragraphs)", ["validate", str(EXAMPLE)]),
        Case("g2p", "`echo 同学们好 \\| lessonaudio g2p --json`", ["g2p", "--json"], stdin=G2P_LINE),
        Case(
            "render-first",
            "`render` example, first in a new cache folder (starts the local Prefect server)",
            render,
            before_each=lambda: empty_cache(cache_dir),
            runs=1,
        ),
        Case(
            "render-cold",
            "`render` example, cold cache, back-check on",
            render,
            before_each=lambda: empty_cache(cache_dir),
        ),
        Case("render-cached", "the same again, every segment cached", render),
        Case("render-cached-no-check", "the same, cached, back-check off", render, env=no_check),
    ]


def render_env(work: Path) -> dict[str, str]:
    """A cache folder and catalog of the benchmark's own, with the machine's models and grammars."""
    cache_dir = work / "cache"
    cache_dir.mkdir(parents=True, exist_ok=True)
    grammars = machine_wetn_cache()
    if grammars.is_dir():
        shutil.copytree(grammars, cache_dir / "wetn", dirs_exist_ok=True)
    env = {
        **os.environ,
        "LESSONAUDIO_CACHE_DIR": str(cache_dir),
        "LESSONAUDIO_MODELS_DIR": str(machine_models_dir()),
        "LESSONAUDIO_DATABASE_URL": f"sqlite:///{work / 'catalog.db'}",
    }
    env.pop("PREFECT_API_URL", None)
    return env


def stop_local_server(env: dict[str, str]) -> None:
    subprocess.run([*lessonaudio(), "server", "stop"], cwd=ROOT, env=env, capture_output=True, check=False)


def table(rows: list[tuple[Case, list[Timing]]]) -> str:
    lines = [
        "| command | runs | min | median | CPU (median) | peak RSS |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case, timings in rows:
        seconds = [t.seconds for t in timings]
        cpu = statistics.median(t.cpu_seconds for t in timings)
        rss = max(t.peak_rss_mb for t in timings)
        lines.append(
            f"| {case.label} | {len(timings)} | {min(seconds):.2f} s | {statistics.median(seconds):.2f} s "
            f"| {cpu:.2f} s | {rss:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="Runs per case (default 5).")
    parser.add_argument("--quick", action="store_true", help="One run per case.")
    parser.add_argument("--cases", default="", help="Comma-separated case names (default: all).")
    options = parser.parse_args()
    runs = 1 if options.quick else max(options.runs, 1)
    with tempfile.TemporaryDirectory(prefix="bench-commands-") as folder:
        work = Path(folder)
        chosen = [c for c in cases(work) if not options.cases or c.name in options.cases.split(",")]
        env = render_env(work)
        rows: list[tuple[Case, list[Timing]]] = []
        try:
            rendered = False
            for case in chosen:
                if case.name.startswith("render-cached") and not rendered:
                    run_once(Case("warm-up", "", case.args), env)  # what the cached cases reuse
                rendered = rendered or case.name.startswith("render")
                timings = [run_once(case, env) for _ in range(case.runs or runs)]
                rows.append((case, timings))
                print(f"{case.name}: " + ", ".join(f"{t.seconds:.2f}" for t in timings), file=sys.stderr)
        finally:
            stop_local_server(env)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cores, load average {load}\n")
    print(table(rows))


if __name__ == "__main__":
    main()
