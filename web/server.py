"""The HTTP server under ``lessonaudio web``: uvicorn, plus a deadline for receiving each request.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but gives a client unlimited time
to *send* a request: a client that opens connections and trickles header bytes, or announces a body
and never sends it (slowloris), holds each connection and its file descriptor for as long as it
likes. :class:`RequestTimeoutProtocol` gives every request a deadline, counted from the moment the
connection opens or the request's first byte arrives, by which its headers and body must have been
received; past it the connection is closed (with a 408 when nothing has been answered yet).

The deadline covers receiving only: once a request is complete, the time the app takes to answer is
not limited here. Request bodies are small (``web_max_body_kb``) and read as they arrive, so a slow
app does not hold a body back long enough to hit the deadline.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar, cast

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

_TIMEOUT_BODY = b"the request was not sent in time\n"
REQUEST_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: " + str(len(_TIMEOUT_BODY)).encode() + b"\r\n"
    b"Connection: close\r\n"
    b"\r\n" + _TIMEOUT_BODY
)


class RequestTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a receive deadline per request; see the module docstring."""

    request_timeout_s: ClassVar[float] = 30.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_deadline()  # a connection that never sends a byte is held no longer than a request

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow_request()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow_request()  # a pipelined request may already be partly buffered

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_deadline()
        super().connection_lost(exc)

    def _receiving(self) -> bool:
        """A request has started arriving and is not complete: headers partly buffered, or a body."""
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            return True
        return state is h11.IDLE and bool(self.conn.trailing_data[0])

    def _follow_request(self) -> None:
        if self.transport.is_closing() or not self._receiving():
            self._stop_deadline()
        elif self._deadline is None:
            self._start_deadline()

    def _start_deadline(self) -> None:
        self._stop_deadline()
        self._deadline = self.loop.call_later(self.request_timeout_s, self._timed_out)

    def _stop_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _timed_out(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        self.logger.info(
            "closing a connection whose request took over %s s to arrive", self.request_timeout_s
        )
        if self.conn.our_state is h11.IDLE:  # nothing answered yet: say why before closing
            self.transport.write(REQUEST_TIMEOUT_RESPONSE)
        self.transport.close()


def timed_protocol(request_timeout_s: float) -> type[RequestTimeoutProtocol]:
    """A protocol class with this deadline (uvicorn instantiates the class it is given)."""
    attributes = {"request_timeout_s": request_timeout_s}
    return cast(
        type[RequestTimeoutProtocol], type("RequestTimeoutProtocol", (RequestTimeoutProtocol,), attributes)
    )


def server_config(
    app: FastAPI, *, host: str, port: int, request_timeout_s: float, log_level: str = "warning"
) -> uvicorn.Config:
    """How ``lessonaudio web`` (and the tests' live server) run the app."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        proxy_headers=False,
        lifespan="on",
        http=timed_protocol(request_timeout_s),
    )


def serve(app: FastAPI, *, host: str, port: int, request_timeout_s: float) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM, handled by uvicorn)."""
    uvicorn.Server(server_config(app, host=host, port=port, request_timeout_s=request_timeout_s)).run()
