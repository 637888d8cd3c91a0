"""Render callbacks: refused inward targets (checked before any connection), HMAC signatures,
retries with backoff, and delivery to a real local HTTP receiver when a render job finishes."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from config import Settings
from tests.browser.support import EXAMPLE, fake_app, new_token, web_settings
from web.netguard import TargetRefused, check_target
from web.webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookConfig,
    WebhookSender,
    verify,
)
from wiring import webhook_config

SECRET = "s3cret-for-tests"


def hooks(**changes: Any) -> WebhookConfig:
    """The callback settings as declared (not as this machine's environment says), with ``SECRET``."""
    config = webhook_config(Settings.model_construct(web_webhook_secret=SECRET))
    assert config is not None
    return replace(config, **changes)


class Receiver:
    """A real HTTP server on 127.0.0.1 that answers the next statuses in ``script`` (then 200)."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers.items()), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                if status == 200:
                    receiver.arrived.set()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook?x=1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def never_connect(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"a refused target was contacted: {request.url}")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://localhost/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_inward_targets_are_refused_before_connecting(url: str) -> None:
    sender = WebhookSender(
        hooks(retries=3), transport=httpx.MockTransport(never_connect), sleep=lambda s: None
    )
    with pytest.raises(TargetRefused, match="not a public internet address"):
        sender.check(url)
    result = sender.deliver(url, {"event": "render.finished"})
    assert not result.delivered and result.attempts == 0
    assert result.error is not None and "ALLOW_PRIVATE" in result.error


NOT_GLOBAL = [
    "127.0.0.1",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",  # shared address space (carrier-grade NAT)
    "192.0.0.1",  # IETF protocol assignments
    "192.0.2.1",
    "198.18.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "224.0.0.1",
    "0.0.0.0",
    "::",
    "::1",
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:10.0.0.1",
    "::a00:1",  # IPv4-compatible (deprecated) form of 10.0.0.1
    "fec0::1",  # site-local (deprecated, still routed inside some networks)
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "ff02::1",
    "2001:db8::1",
    "100::1",
    "2002:a00:1::1",  # 6to4 wrapping 10.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b:1::1",  # local-use NAT64
]
GLOBAL = ["93.184.216.34", "2606:4700:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822"]


def literal_url(address: str) -> str:
    return f"http://[{address}]/hook" if ":" in address else f"http://{address}/hook"


@pytest.mark.parametrize("address", NOT_GLOBAL)
def test_addresses_that_are_not_globally_routable_are_refused(address: str) -> None:
    with pytest.raises(TargetRefused, match="not a public internet address") as refused:
        check_target(literal_url(address), allow_private=False)
    assert "LESSONAUDIO_WEB_WEBHOOK_ALLOW_PRIVATE" in str(refused.value)
    assert check_target(literal_url(address), allow_private=True).address  # the operator may allow it
    named = "https://hooks.example.org/x"
    with pytest.raises(TargetRefused, match="not a public internet address"):
        check_target(named, allow_private=False, resolver=lambda h, p: ["93.184.216.34", address])


@pytest.mark.parametrize("address", GLOBAL)
def test_globally_routable_addresses_are_allowed(address: str) -> None:
    assert check_target(literal_url(address), allow_private=False).host == address


def test_a_name_that_turns_inward_after_submission_is_not_called() -> None:
    """DNS rebinding: the name passed at submission, then resolves to a site-local address; every
    delivery attempt resolves again and connects only to an address that passed the check."""
    answers = iter([["93.184.216.34"], ["fec0::1"]])
    sender = WebhookSender(
        hooks(retries=2),
        resolver=lambda h, p: next(answers),
        transport=httpx.MockTransport(never_connect),
        sleep=lambda s: None,
    )
    assert sender.check("https://hooks.example.org/x").address == "93.184.216.34"
    result = sender.deliver("https://hooks.example.org/x", {"event": "render.finished"})
    assert not result.delivered and result.attempts == 0
    assert result.error is not None and "fec0::1" in result.error


def test_every_resolved_address_is_checked() -> None:
    def mixed(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.1.2.3"]  # one public, one private: refused

    with pytest.raises(TargetRefused, match=r"10\.1\.2\.3"):
        check_target("https://example.org/hook", allow_private=False, resolver=mixed)
    public = check_target(
        "https://example.org/hook", allow_private=False, resolver=lambda h, p: ["93.184.216.34"]
    )
    assert public.address == "93.184.216.34" and public.port == 443


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/x", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("http://user:pw@example.org/", "user name or password"),
        ("http://example.org:99999/", "not a valid URL"),
    ],
)
def test_malformed_callbacks_are_refused(url: str, reason: str) -> None:
    with pytest.raises(TargetRefused, match=reason):
        check_target(url, allow_private=True, resolver=lambda h, p: ["93.184.216.34"])


def test_delivery_is_signed_and_retried_with_backoff() -> None:
    receiver = Receiver([500, 503])
    sleeps: list[float] = []
    try:
        sender = WebhookSender(hooks(allow_private=True, retries=4, retry_delay_s=0.5), sleep=sleeps.append)
        result = sender.deliver(receiver.url, {"event": "render.finished", "title": "勾股定理"})
    finally:
        receiver.close()
    assert result.delivered and result.attempts == 3 and result.status == 200
    assert sleeps == [0.5, 1.0]
    deliveries = {headers[DELIVERY_HEADER] for headers, _ in receiver.requests}
    assert len(deliveries) == 1  # one id for all attempts: receivers can drop duplicates
    headers, body = receiver.requests[-1]
    assert verify(SECRET, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    assert not verify("wrong", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    assert json.loads(body) == {"event": "render.finished", "title": "勾股定理"}
    assert headers["Host"] == receiver.url.split("/")[2]


def test_a_client_error_is_not_retried() -> None:
    receiver = Receiver([410])
    try:
        sender = WebhookSender(hooks(allow_private=True, retries=4), sleep=lambda s: None)
        result = sender.deliver(receiver.url, {"event": "render.finished"})
    finally:
        receiver.close()
    assert not result.delivered and result.attempts == 1 and result.status == 410


def test_an_unreachable_receiver_gives_up_after_the_retries() -> None:
    sender = WebhookSender(hooks(allow_private=True, retries=2, timeout_s=2), sleep=lambda s: None)
    result = sender.deliver("http://127.0.0.1:9/closed", {"event": "render.finished"})
    assert not result.delivered and result.attempts == 3 and result.status is None
    assert result.error is not None and "Connect" in result.error


def test_submitting_with_an_inward_callback_is_refused(tmp_path: Path) -> None:
    app = fake_app(web_settings(tmp_path, web_webhook_secret=SECRET))
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {new_token(app)}"}
        script = EXAMPLE.read_text(encoding="utf-8")
        for url in ("http://127.0.0.1:8080/hook", "http://10.0.0.1/hook"):
            response = client.post("/api/renders", headers=auth, json={"script": script, "callback_url": url})
            assert response.status_code == 422
            error = response.json()["error"]
            assert error["code"] == "callback_refused" and error["where"] == "callback_url"
    assert not (tmp_path / "out").exists()


def test_a_refused_callback_does_not_use_up_a_render_slot(tmp_path: Path) -> None:
    app = fake_app(web_settings(tmp_path, web_webhook_secret=SECRET, web_renders_per_minute=1))
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {new_token(app)}"}
        script = EXAMPLE.read_text(encoding="utf-8")
        for _attempt in range(3):
            body = {"script": script, "callback_url": "http://10.0.0.1/hook"}
            refused = client.post("/api/renders", headers=auth, json=body)
            assert refused.status_code == 422, refused.text
        accepted = client.post("/api/renders", headers=auth, json={"script": script})
        assert accepted.status_code == 202, accepted.text
        again = client.post("/api/renders", headers=auth, json={"script": script})
        assert again.status_code == 429 and again.json()["error"]["code"] == "rate_limited"


def test_refusals_beyond_the_script_check_budget_cost_render_slots(tmp_path: Path) -> None:
    settings = web_settings(
        tmp_path, web_webhook_secret=SECRET, web_renders_per_minute=2, web_validations_per_minute=1
    )
    app = fake_app(settings)
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {new_token(app)}"}
        body = {"script": EXAMPLE.read_text(encoding="utf-8"), "callback_url": "http://10.0.0.1/hook"}
        statuses = [client.post("/api/renders", headers=auth, json=body).status_code for _n in range(4)]
    assert statuses == [422, 422, 422, 429]


def test_callbacks_need_a_secret(tmp_path: Path) -> None:
    app = fake_app(web_settings(tmp_path))
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {new_token(app)}"}
        body = {"script": EXAMPLE.read_text(encoding="utf-8"), "callback_url": "https://example.org/hook"}
        response = client.post("/api/renders", headers=auth, json=body)
    assert response.status_code == 422
    assert "LESSONAUDIO_WEB_WEBHOOK_SECRET" in response.json()["error"]["fix"]


def test_a_finished_render_calls_back(tmp_path: Path, receiver: Receiver) -> None:
    settings = web_settings(tmp_path, web_webhook_secret=SECRET, web_webhook_allow_private=True)
    app = fake_app(settings)
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {new_token(app)}"}
        body = {"script": EXAMPLE.read_text(encoding="utf-8"), "callback_url": receiver.url}
        submitted = client.post("/api/renders", headers=auth, json=body)
        assert submitted.status_code == 202, submitted.text
        assert receiver.arrived.wait(20)
        headers, raw = receiver.requests[-1]
        event = json.loads(raw)
        assert verify(SECRET, headers[TIMESTAMP_HEADER], raw, headers[SIGNATURE_HEADER])
        assert event["event"] == "render.finished" and event["lesson_id"] == "math-g8-pythagoras"
        assert client.get(event["files_url"], headers=auth).status_code == 200
        deadline = time.monotonic() + 10
        while (job := client.get(submitted.json()["status_url"], headers=auth).json())["webhook"] is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert job["webhook"] == {"delivered": True, "attempts": 1, "status": 200, "error": None}
