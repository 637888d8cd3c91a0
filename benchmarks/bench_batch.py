"""A nightly batch as the inbox scan runs it, against the same lessons rendered in one warm process.

    nice -n 10 .venv/bin/python benchmarks/bench_batch.py [--lessons 20] [--repeats 2] [--rss]

``served``: ``lessonaudio serve`` is started with a cache folder of its own and left to settle; one
lesson is sent through it first, so both sides start with models loaded. Then the lessons are put in
an inbox and one ``scan-inbox`` run of the served deployment is created; the time runs from that
moment until every lesson's ``latest.json`` is published (the last thing a render writes), and
includes the runner noticing the scan (``PREFECT_RUNNER_POLL_FREQUENCY``, 10 s by default), the scan
and every render it submits. ``warm``: one Python process renders a throwaway lesson first, then
calls the ``render-lesson`` flow once per lesson with ``publish=True``, as the scan's runs do. Both
use a fresh segment cache, the back-check as configured (on by default) and the local folder as the
bucket. The ratio served / warm is what a batch pays for going through deployments.

``--rss``: peak resident memory of one ``lessonaudio render`` of the Pythagoras example (cold cache,
back-check on), sampled over the command's process tree, and the resident memory of one Python
process after each step of a render (imports, voice, front end, recogniser), which shows what the
peak is made of.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_commands import lessonaudio, render_env, stop_local_server  # noqa: E402

PYTHAGORAS = ROOT / "lesson_specs" / "examples" / "math-g8-pythagoras.yaml"
COURSE = "夜间批量"
_WHO = ("小明", "小红", "老师", "同学们", "爷爷", "妈妈", "小狗", "我们班", "哥哥", "小兔子")
_DID = (
    "在公园里看见了一只蝴蝶",
    "把作业认真地写完了",
    "今天早上很早就起床了",
    "给大家讲了一个有趣的故事",
    "在河边种下了三棵小树",
    "用彩色的笔画了一座房子",
)
_THEN = ("大家都很高兴。", "天气晴朗，阳光很好。", "我们一起拍手欢迎。", "这真是美好的一天。")


def lesson_yaml(n: int) -> str:
    """Lesson ``n``: two or three short paragraphs, none shared with another lesson."""
    count = 2 + n % 2
    paragraphs = []
    for p in range(count):
        k = n * 3 + p
        who, did, then = _WHO[k % len(_WHO)], _DID[(k // len(_WHO)) % len(_DID)], _THEN[(n + p) % len(_THEN)]
        paragraphs.append(f"第{n + 1}课第{p + 1}段：{who}{did}，{then}")
    body = "".join(f"  - {text}\n" for text in paragraphs)
    return f"id: batch-{n:02d}\ntitle: 第{n + 1}课\ncourse: {COURSE}\nparagraphs:\n{body}"


def write_lessons(folder: Path, count: int, *, first: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(first, first + count):
        path = folder / f"batch-{n:02d}.yaml"
        path.write_text(lesson_yaml(n), encoding="utf-8")
        paths.append(path)
    return paths


def published(out: Path, count: int, *, first: int = 0) -> int:
    return sum(
        (out / COURSE / f"batch-{n:02d}" / "latest.json").exists() for n in range(first, first + count)
    )


def _api(url: str, body: dict[str, Any] | None = None) -> Any:
    """POST ``body`` (GET without one); a busy server's 503 is asked again, as Prefect's client does."""
    data = None if body is None else json.dumps(body).encode()
    for attempt in range(10):
        request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as err:
            if err.code != 503 or attempt == 9:
                raise
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


def _wait(condition: Callable[[], bool], timeout: float, what: str, check: Callable[[], None]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        check()
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} not within {timeout:.0f} s")
        time.sleep(0.25)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def served(work: Path, count: int, runs: int | None = None) -> float:
    """Seconds from creating one scan-inbox run until all ``count`` lessons are published."""
    env = render_env(work)
    out = work / "out"
    env |= {"LESSONAUDIO_OUTPUT_DIR": str(out), "LESSONAUDIO_INBOX_SETTLE_S": "0"}
    env.pop("LESSONAUDIO_INBOX", None)  # no schedule: the benchmark creates the scan runs itself
    env.pop("LESSONAUDIO_INBOX_CRON", None)
    env.pop("LESSONAUDIO_INBOX_INTERVAL_S", None)
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    log = work / "serve.log"
    with open(log, "wb") as sink:
        serve = subprocess.Popen(
            [*lessonaudio(), "serve", "--port", str(port), *(["--runs", str(runs)] if runs else [])],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    last_asked = [0.0]

    def alive() -> None:
        """serve still runs and no flow run failed (asked of the server every 5 s: it is busy)."""
        if serve.poll() is not None:
            raise SystemExit(f"serve exited {serve.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() - last_asked[0] < 5:
            return
        last_asked[0] = time.monotonic()
        bad = {"flow_runs": {"state": {"type": {"any_": ["FAILED", "CRASHED"]}}}}
        try:
            failed = _api(f"{api}/flow_runs/filter", bad)
        except OSError:  # a slow answer under load; serve itself is checked above
            return
        if failed:
            tail = log.read_text(errors="replace")[-3000:]
            raise SystemExit(f"a flow run failed: {failed[0]['name']} {failed[0]['state']}\n{tail}")

    def deployments() -> dict[str, str]:
        try:
            return {d["name"]: d["id"] for d in _api(f"{api}/deployments/filter", {})}
        except OSError:
            return {}

    def scan(inbox: Path) -> None:
        _api(f"{api}/deployments/{ids['scan-inbox']}/create_flow_run", {"parameters": {"inbox": str(inbox)}})

    try:
        _wait(
            lambda: len(deployments()) == 2,
            300,
            "serve's deployments",
            alive,
        )
        ids = deployments()
        scan_dir = work / "warm-up-inbox"
        write_lessons(scan_dir, 1, first=count)
        scan(scan_dir)
        _wait(lambda: published(out, 1, first=count) == 1, 600, "the warm-up lesson", alive)
        inbox = work / "inbox"
        write_lessons(inbox, count)
        started = time.perf_counter()
        scan(inbox)
        _wait(lambda: published(out, count) == count, 1800, f"{count} published lessons", alive)
        return time.perf_counter() - started
    finally:
        from app.prefect_server import stop_process_group

        stop_process_group(serve)


def warm(work: Path, count: int) -> float:
    """Seconds for ``count`` render flow calls in one process that has rendered once already."""
    env = render_env(work) | {"LESSONAUDIO_OUTPUT_DIR": str(work / "out")}
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--warm-child", str(work), "--lessons", str(count)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        stop_local_server(env)
    if done.returncode != 0:
        raise SystemExit(f"warm run failed:\n{done.stderr[-3000:]}")
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def warm_child(work: Path, count: int) -> None:
    from app.prefect_env import quiet_prefect
    from app.shared_server import shared_prefect_api
    from config import load_settings

    settings = load_settings()
    quiet_prefect()
    with shared_prefect_api(settings.cache_dir):
        from flows.in_process import in_process_runs
        from flows.render import render_lesson

        first = write_lessons(work / "warm-up", 1, first=count)[0]
        lessons = write_lessons(work / "lessons", count)
        with in_process_runs():
            render_lesson(str(first), publish=True)
            started = time.perf_counter()
            for path in lessons:
                render_lesson(str(path), publish=True)
            seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds}))


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def render_rss(work: Path) -> tuple[float, float, float]:
    """(wall s, peak RSS of the render process MB, peak RSS summed over its process tree MB).

    The local Prefect server the render may start is detached into a session of its own and is
    started (and left) by a warm-up render first, as on a machine that has rendered before.
    """
    env = render_env(work) | {"LESSONAUDIO_OUTPUT_DIR": str(work / "out")}
    args = [*lessonaudio(), "render", str(PYTHAGORAS)]
    try:
        subprocess.run(args, cwd=ROOT, env=env, capture_output=True, check=True)
        for entry in (work / "cache").iterdir():  # cold again, server and grammars kept
            if not entry.name.startswith(("wetn", "prefect-")):
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        started = time.perf_counter()
        with tempfile.TemporaryFile() as err:
            process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
            tree_peak = 0.0
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                tree_peak = max(tree_peak, sum(_rss_mb(p) for p in _tree(process.pid)))
                time.sleep(0.05)
            wall = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                err.seek(0)
                raise SystemExit(f"render failed: {err.read().decode(errors='replace')[-2000:]}")
    finally:
        stop_local_server(env)
    return wall, usage.ru_maxrss / 1024, tree_peak  # ru_maxrss is in kB on Linux


def rss_steps(work: Path) -> list[tuple[str, float]]:
    env = render_env(work) | {"LESSONAUDIO_OUTPUT_DIR": str(work / "out")}
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--rss-child"], cwd=ROOT, env=env, capture_output=True, text=True
        )
    finally:
        stop_local_server(env)
    if done.returncode != 0:
        raise SystemExit(f"memory steps failed:\n{done.stderr[-3000:]}")
    return [(step, float(mb)) for step, mb in json.loads(done.stdout.strip().splitlines()[-1])]


def rss_child() -> None:
    """Resident memory after each step a render takes, in one process."""
    steps: list[tuple[str, float]] = [("python", _rss_mb(os.getpid()))]

    def step(name: str) -> None:
        steps.append((name, _rss_mb(os.getpid())))

    from app.prefect_env import quiet_prefect
    from app.shared_server import shared_prefect_api
    from config import load_settings

    settings = load_settings()
    quiet_prefect()
    with shared_prefect_api(settings.cache_dir):
        import prefect  # noqa: F401

        step("import prefect")
        from flows.in_process import in_process_runs
        from flows.render import _front_end, render_lesson

        step("import the render flow (engines, audio, ASR modules)")
        from tasks.backcheck import recognizer_for
        from tasks.synthesize import engine_for
        from wiring import backcheck_config, voice_config

        engine_for(settings.default_voice, voice_config(settings))
        step("load the ONNX voice")
        _front_end().analyze("同学们好，今天我们学习勾股定理。")
        step("front end (G2P, normalisation grammars)")
        recognizer_for(backcheck_config(settings).recognizer)
        step("load the Whisper recogniser")
        with in_process_runs():
            render_lesson(str(PYTHAGORAS))
        step("after one render (back-check on)")
    print(json.dumps(steps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=20)
    parser.add_argument("--modes", default="served,warm", help="served, warm, or both (default)")
    parser.add_argument("--rss", action="store_true", help="Also measure the peak RSS of one render.")
    parser.add_argument("--repeats", type=int, default=1, help="Batches per mode, in ABBA order.")
    parser.add_argument("--serve-runs", type=int, help="serve's --runs (runs at the same time; default 1).")
    parser.add_argument("--warm-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rss-child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.warm_child is not None:
        warm_child(options.warm_child, options.lessons)
        return
    if options.rss_child:
        rss_child()
        return
    modes = options.modes.split(",")
    results: dict[str, list[float]] = {mode: [] for mode in modes}
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as folder:
        for repeat in range(options.repeats):
            # ABBA order: a machine whose load drifts during the run favours neither side.
            for mode in modes if repeat % 2 == 0 else modes[::-1]:
                work = Path(folder) / f"{mode}-{repeat}"
                work.mkdir()
                if mode == "served":
                    seconds = served(work, options.lessons, options.serve_runs)
                else:
                    seconds = warm(work, options.lessons)
                results[mode].append(seconds)
                print(f"{mode}: {seconds:.1f} s (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
        if options.rss:
            wall, own, tree = render_rss(Path(folder) / "rss")
            steps = rss_steps(Path(folder) / "rss-steps")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cores, load average {load}\n")
    medians = {mode: statistics.median(times) for mode, times in results.items() if times}
    for mode, seconds in medians.items():
        label = "through serve's deployments" if mode == "served" else "one warm process"
        each = seconds / options.lessons
        runs = ", ".join(f"{t:.1f}" for t in results[mode])
        print(f"{options.lessons} lessons {label}: median {seconds:.1f} s ({each:.2f} s/lesson; runs {runs})")
    if "served" in medians and "warm" in medians:
        print(f"ratio served / warm (medians): {medians['served'] / medians['warm']:.2f} (target <= 1.3)")
    if options.rss:
        print(f"\n`lessonaudio render` {PYTHAGORAS.name}, cold cache, back-check on: {wall:.1f} s wall")
        print(f"peak RSS: render process {own:.0f} MB, its process tree {tree:.0f} MB (target <= 900 MB)")
        print("resident memory of one process after each step:")
        previous = 0.0
        for name, mb in steps:
            print(f"  {name:<55} {mb:7.0f} MB  (+{mb - previous:.0f})")
            previous = mb


if __name__ == "__main__":
    main()
