"""Refuse oversized request bodies before reading them (413), whether or not a length is declared.

A declared ``Content-Length`` over the limit is refused at once; a chunked body is counted as it
arrives and refused when it crosses the limit, so no request makes the server buffer more than that.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from i18n import _
from web.errors import ApiError, error_body


def too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "body_too_large",
        _("request body is over the {limit} KB limit").format(limit=limit // 1024),
        where="body",
        fix=_("send a smaller body; a lesson script may be at most 200 KB (split longer lessons)"),
    )


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise too_large(self.max_bytes)  # handled by the app's ApiError handler
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = too_large(self.max_bytes)
        response = JSONResponse(
            error_body(error.code, error.message, error.where, error.fix),
            status_code=413,
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
