"""Each request is answered in its reader's language: Accept-Language, Simplified Chinese by default.

The page's readers are teachers in China, so a browser that asks for nothing in particular (or for
a language we do not have) gets Chinese. The choice is a context variable (see :mod:`i18n`), set
around the whole request so every message made while answering it (validation diagnostics, API
errors) is translated once, where it is made. Responses say which language they are in and that
they vary by the header, so a shared cache never serves one reader's language to another.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from i18n import language_from_accept, use_language

__all__ = ["LanguageMiddleware", "request_language"]


def request_language(headers: Headers, default: str) -> str:
    """The language to answer in: the best Accept-Language match, else ``default``."""
    return language_from_accept(headers.get("accept-language"), default)


class LanguageMiddleware:
    """Pure ASGI, so the language is set in the context the endpoint (and its thread) runs in."""

    def __init__(self, app: ASGIApp, default: str) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language = request_language(Headers(scope=scope), self.default)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Language", language)
                headers.add_vary_header("Accept-Language")
            await send(message)

        with use_language(language):
            await self.app(scope, receive, send_with_language)
