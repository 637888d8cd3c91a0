"""Slow clients (slowloris): a real server on 127.0.0.1 closes a connection whose request does not
arrive in time, whether it stalls in the headers, in the body, or never sends a byte; a client that
sends its request in time is served, however long the answer takes to compute."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.browser.support import fake_app, live_server, web_settings

TIMEOUT_S = 1.0
SLACK_S = 2.0


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return fake_app(web_settings(tmp_path))


@pytest.fixture
def server(app: FastAPI) -> Iterator[tuple[str, int]]:
    with live_server(app, request_timeout_s=TIMEOUT_S) as url:
        host, port = url.removeprefix("http://").split(":")
        yield host, int(port)


def closed_after(address: tuple[str, int], sent: bytes) -> tuple[float, bytes]:
    """Send ``sent``, then stall; seconds until the server closed the connection, and what it said."""
    with socket.create_connection(address, timeout=TIMEOUT_S + SLACK_S + 5) as sock:
        started = time.monotonic()
        if sent:
            sock.sendall(sent)
        received = b""
        try:
            while chunk := sock.recv(4096):
                received += chunk
        except TimeoutError:
            pytest.fail(f"the server kept a stalled connection open for {time.monotonic() - started:.1f} s")
        return time.monotonic() - started, received


@pytest.mark.parametrize(
    ("sent", "answered"),
    [
        pytest.param(b"GET /api/voices HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1", True, id="stalled-headers"),
        pytest.param(
            b"POST /api/scripts/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"script": ',
            False,  # the app has the request already; the connection is just closed
            id="stalled-body",
        ),
        pytest.param(b"", True, id="silent"),
    ],
)
def test_a_stalled_request_is_closed_in_time(server: tuple[str, int], sent: bytes, answered: bool) -> None:
    seconds, answer = closed_after(server, sent)
    assert TIMEOUT_S * 0.9 <= seconds <= TIMEOUT_S + SLACK_S
    assert answer.startswith(b"HTTP/1.1 408 ") == answered, answer


def test_trickled_bytes_do_not_extend_the_deadline(server: tuple[str, int]) -> None:
    """One header byte every 0.3 s keeps the connection busy but never completes the request."""
    with socket.create_connection(server, timeout=TIMEOUT_S + SLACK_S + 5) as sock:
        started = time.monotonic()
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        try:
            while time.monotonic() - started < TIMEOUT_S + SLACK_S:
                sock.sendall(b"X")
                time.sleep(0.3)
        except (BrokenPipeError, ConnectionResetError):
            pass
        else:
            pytest.fail("the server still accepted header bytes after its request deadline")
        assert time.monotonic() - started <= TIMEOUT_S + SLACK_S


def test_requests_sent_in_time_are_served_on_a_kept_alive_connection(server: tuple[str, int]) -> None:
    request = b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with socket.create_connection(server, timeout=10) as sock:
        for _ in range(2):
            sock.sendall(request)
            head = sock.recv(65536)
            assert head.startswith(b"HTTP/1.1 200 "), head[:80]
            length = int(head.split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0])
            body = head.split(b"\r\n\r\n", 1)[1]
            while len(body) < length:
                body += sock.recv(65536)
            time.sleep(TIMEOUT_S * 0.6)  # idle between requests is the keep-alive timer's business


def test_lessonaudio_web_applies_the_request_timeout(tmp_path: Path) -> None:
    """The command itself, as an operator runs it, with the setting from the environment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "LESSONAUDIO_CACHE_DIR": str(tmp_path / "cache"),
        "LESSONAUDIO_OUTPUT_DIR": str(tmp_path / "out"),
        "LESSONAUDIO_DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        "LESSONAUDIO_WEB_REQUEST_TIMEOUT_S": str(TIMEOUT_S),
        "PREFECT_API_URL": "http://127.0.0.1:9/api",  # nothing renders here: no Prefect server needed
    }
    lessonaudio = Path(sys.executable).with_name("lessonaudio")
    # The page needs a catalog with a token in it; `web` refuses to start on a missing one.
    subprocess.run(
        [str(lessonaudio), "web", "token", "create", "timeouts"], env=env, check=True, capture_output=True
    )
    process = subprocess.Popen(
        [str(lessonaudio), "web", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "lessonaudio web did not start"
                time.sleep(0.2)
        seconds, answer = closed_after(("127.0.0.1", port), b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert seconds <= TIMEOUT_S + SLACK_S and answer.startswith(b"HTTP/1.1 408 ")
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
