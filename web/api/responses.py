"""The error statuses a route documents, each with one sentence of meaning shared by every route."""

from __future__ import annotations

from typing import Any

from web.schemas import ErrorResponse

MEANING = {
    400: "The body is not JSON encoded as UTF-8.",
    401: "No, unknown or revoked teacher token.",
    404: "No such job or render (or not one this token submitted).",
    413: "Request body over the size limit.",
    422: "The request or the lesson script is invalid; the body says where and how to fix it.",
    429: "Too many requests; `Retry-After` says how many seconds to wait.",
    503: "The voice is not available on this server.",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for ``codes``: every error has the one JSON shape of ``web.errors``."""
    return {code: {"model": ErrorResponse, "description": MEANING[code]} for code in codes}
