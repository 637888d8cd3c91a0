"""Render-finished callbacks: signed with HMAC-SHA256, retried with backoff, never sent inward.

The receiver verifies ``X-Lessonaudio-Signature: sha256=<hex>``, the HMAC-SHA256 (key: the shared
secret from settings) of ``"<X-Lessonaudio-Timestamp>." + body``; including the timestamp lets it
refuse replays of old deliveries. ``X-Lessonaudio-Delivery`` is the same on every retry of one event,
so a receiver can drop duplicates. Redirects are not followed (they could point inward).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from web.netguard import Resolver, Target, TargetRefused, check_target, resolve

log = logging.getLogger("lessonaudio.web.webhooks")

SIGNATURE_HEADER = "X-Lessonaudio-Signature"
TIMESTAMP_HEADER = "X-Lessonaudio-Timestamp"
DELIVERY_HEADER = "X-Lessonaudio-Delivery"
MAX_DELAY_S = 300.0


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """From settings (``wiring.webhook_config``); no defaults of its own, so none drift from the settings'."""

    secret: str
    allow_private: bool
    retries: int
    retry_delay_s: float
    timeout_s: float


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    delivered: bool
    attempts: int
    status: int | None
    error: str | None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does; here for tests and as the reference for integrators."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def _pinned_url(target: Target) -> str:
    """The callback URL with its host replaced by the checked address (DNS is not asked again)."""
    address = f"[{target.address}]" if ":" in target.address else target.address
    netloc = f"{address}:{target.port}"
    return target.parts._replace(netloc=netloc, fragment="").geturl()


def _host_header(target: Target) -> str:
    default = 443 if target.parts.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == default else f"{host}:{target.port}"


def _retryable(status: int) -> bool:
    return status >= 500 or status in (408, 429)


class WebhookSender:
    """Delivers one event per call; blocking (run it on a worker thread, not the event loop)."""

    def __init__(
        self,
        config: WebhookConfig,
        *,
        resolver: Resolver = resolve,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.config = config
        self._resolver = resolver
        self._sleep = sleep
        self._transport = transport

    def check(self, url: str) -> Target:
        """Raise :class:`TargetRefused` for a URL this server must not call (done at submit time too)."""
        return check_target(url, allow_private=self.config.allow_private, resolver=self._resolver)

    def deliver(self, url: str, event: Mapping[str, Any]) -> DeliveryResult:
        body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        delivery = uuid.uuid4().hex
        attempts = 0
        status: int | None = None
        error: str | None = None
        with httpx.Client(
            timeout=self.config.timeout_s, follow_redirects=False, transport=self._transport
        ) as client:
            for attempt in range(self.config.retries + 1):
                if attempt:
                    self._sleep(min(self.config.retry_delay_s * 2 ** (attempt - 1), MAX_DELAY_S))
                try:
                    target = self.check(url)  # again: the name may resolve differently now
                except TargetRefused as err:
                    return DeliveryResult(False, attempts, None, str(err))
                attempts += 1
                timestamp = str(int(time.time()))
                headers = {
                    "Content-Type": "application/json; charset=utf-8",
                    "Host": _host_header(target),
                    "User-Agent": "lessonaudio-webhook/1",
                    TIMESTAMP_HEADER: timestamp,
                    DELIVERY_HEADER: delivery,
                    SIGNATURE_HEADER: sign(self.config.secret, timestamp, body),
                }
                extensions = {"sni_hostname": target.host} if target.parts.scheme == "https" else {}
                try:
                    response = client.post(
                        _pinned_url(target), content=body, headers=headers, extensions=extensions
                    )
                except httpx.HTTPError as err:
                    status, error = None, f"{type(err).__name__}: {err}"
                    log.warning("webhook %s attempt %d failed: %s", url, attempts, error)
                    continue
                status = response.status_code
                if 200 <= status < 300:
                    return DeliveryResult(True, attempts, status, None)
                error = f"receiver answered HTTP {status}"
                log.warning("webhook %s attempt %d: %s", url, attempts, error)
                if not _retryable(status):
                    break
        return DeliveryResult(False, attempts, status, error)
