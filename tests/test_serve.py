"""``lessonaudio serve`` as an operator runs it: its own Prefect server, both deployments, a real scan."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from app.prefect_server import free_port

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "id: served\ntitle: 服务\ncourse: 定时\nparagraphs:\n  - 春天来了。\n"


def _api(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def test_serve_schedules_scan_and_renders_from_the_inbox(tmp_path: Path, models_dir: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "served.yaml").write_text(SCRIPT, "utf-8")
    (inbox / "broken.yaml").write_text("id: Broken Id\ntitle: t\nparagraphs: []\n", "utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "LESSONAUDIO_"))}
    env.update(
        LESSONAUDIO_CACHE_DIR=str(tmp_path / "cache"),
        LESSONAUDIO_MODELS_DIR=str(models_dir),
        LESSONAUDIO_INBOX=str(inbox),
        LESSONAUDIO_OUTPUT_DIR=str(tmp_path / "out"),
        LESSONAUDIO_BACKCHECK="false",
    )
    log = tmp_path / "serve.log"
    with open(log, "wb") as sink:
        serve = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 180
        deployments: list[dict[str, Any]] = []
        while time.monotonic() < deadline and len(deployments) < 2:
            assert serve.poll() is None, log.read_text(errors="replace")
            with contextlib.suppress(OSError):
                deployments = _api(f"{api}/deployments/filter", {})
            time.sleep(1)
        assert f"Prefect UI: http://127.0.0.1:{port}" in log.read_text(errors="replace")
        by_name = {d["name"]: d for d in deployments}
        assert set(by_name) == {"render-lesson", "scan-inbox"}
        schedules = by_name["scan-inbox"]["schedules"]
        assert [s["schedule"]["cron"] for s in schedules] == ["*/15 * * * *"]

        # Do not wait 15 minutes for the cron: run the scan now, as the schedule would.
        _api(f"{api}/deployments/{by_name['scan-inbox']['id']}/create_flow_run", {})
        out = tmp_path / "out" / "定时" / "served"
        while time.monotonic() < deadline + 180 and not (out.exists() and any(out.glob("*/lesson.mp3"))):
            assert serve.poll() is None, log.read_text(errors="replace")
            time.sleep(1)
        assert any(out.glob("*/lesson.mp3")), log.read_text(errors="replace")[-3000:]
        assert any((tmp_path / "out").glob("定时/served/latest.json"))  # published (locally) by the inbox run
        assert "is not a slug" in (inbox / "broken.yaml.errors.txt").read_text("utf-8")
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
