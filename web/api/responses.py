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
    500: "The work failed (`work_failed`, the message says where) or the server hit a bug "
    "(`internal_error`).",
    503: "Something the request needs (the voice, the catalog database, storage) cannot be used now; "
    "try again later.",
}
ALWAYS = (500, 503)
"""Any route can answer these (``web.errors`` maps the project's exceptions), so every route says so."""


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for ``codes`` and :data:`ALWAYS`: every error has the one JSON shape of
    ``web.errors``."""
    return {
        code: {"model": ErrorResponse, "description": MEANING[code]} for code in sorted({*codes, *ALWAYS})
    }
