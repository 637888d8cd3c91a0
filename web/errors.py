"""One JSON shape for every error the API returns: what went wrong, where, and how to fix it.

``{"error": {"code", "message", "where", "fix"}, "diagnostics": [...]}``; ``diagnostics`` only for
lesson scripts. Handlers here also turn FastAPI's validation errors and Starlette's HTTP errors into
that shape, and anything unexpected into a 500 without a traceback in the response.

This is also the one place the project's exception tree (``errors``) becomes HTTP statuses, so a
route lets a project error propagate instead of catching it:

====================  ======  ====================  =========================================
kind                  status  ``error.code``        meaning
====================  ======  ====================  =========================================
``InputError``        422     ``invalid_input``     what was sent is wrong; the message says how
``NotFoundError``     404     ``not_found``         a named thing does not exist
``UnavailableError``  503     ``unavailable``       the voice, catalog, bucket or disk cannot
                                                    be used now; try again later
``WorkFailedError``   500     ``work_failed``       the work itself failed; the message says
                                                    where
any other exception   500     ``internal_error``    a bug; the server log has the traceback
====================  ======  ====================  =========================================

422 rather than 400 for input, as FastAPI answers a request that fails its schema: the request was
read, what it says is wrong. 500 rather than 502 for failed work, since the work runs here.

A route raises :class:`ApiError` itself only to say more than the kind does (its own ``code`` and
``where``, as a 404 for an id the caller may not see, or a refused ``callback_url``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from errors import InputError, LessonaudioError, NotFoundError, UnavailableError, WorkFailedError
from i18n import N_, _
from i18n.problems import problem_message
from lesson_specs import Diagnostic, SpecError
from text_frontend.excerpt import one_line

log = logging.getLogger("lessonaudio.web")


class ApiError(StarletteHTTPException):
    """An error meant for the client; subclassing Starlette's keeps FastAPI from re-wrapping it."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        where: str | None = None,
        fix: str | None = None,
        headers: dict[str, str] | None = None,
        diagnostics: Sequence[Diagnostic] = (),
    ) -> None:
        super().__init__(status, message, headers)
        self.code = code
        self.message = message
        self.where = where
        self.fix = fix
        self.diagnostics = tuple(diagnostics)


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    return {
        "severity": d.severity,
        "line": d.line,
        "column": d.col,
        "paragraph": d.paragraph,
        "message": d.message,
        "fix": d.fix,
        "text": str(d),
    }


def error_body(code: str, message: str, where: str | None = None, fix: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "where": where, "fix": fix}}


def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    body = error_body(exc.code, exc.message, exc.where, exc.fix)
    if exc.diagnostics:
        body["diagnostics"] = [diagnostic_json(d) for d in exc.diagnostics]
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, "http_error")
    message = _(_HTTP_MESSAGES[exc.status_code]) if exc.status_code in _HTTP_MESSAGES else str(exc.detail)
    fix = _("see /docs for the API's paths and methods") if exc.status_code in (404, 405) else None
    if exc.status_code == 400:  # FastAPI's answer to a body it cannot decode
        code, message = "unreadable_body", _("the request body is not JSON encoded as UTF-8")
        fix = _("send UTF-8 JSON with `Content-Type: application/json`")
    return JSONResponse(
        error_body(code, message, "body" if exc.status_code == 400 else request.url.path, fix),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


_HTTP_MESSAGES = {
    404: N_("Not Found"),
    405: N_("Method Not Allowed"),
    406: N_("Not Acceptable"),
    415: N_("Unsupported Media Type"),
}
"""Starlette's own answers, whose detail is the status phrase in English."""


def _where(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [{"where": _where(e.get("loc", ())), "message": problem_message(e)} for e in exc.errors()]
    first = problems[0] if problems else {"where": "body", "message": _("invalid request")}
    body = error_body(
        "invalid_request",
        first["message"],
        first["where"],
        _("send the fields the API documents at /docs (JSON, UTF-8)"),
    )
    body["problems"] = problems
    return JSONResponse(body, status_code=422)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        error_body(
            "internal_error",
            _("the server failed to handle this request"),
            request.url.path,
            _("try again; if it keeps failing, tell the operator (the server log has the details)"),
        ),
        status_code=500,
    )


PROJECT_ERRORS: tuple[tuple[type[LessonaudioError], int, str, str], ...] = (
    # Order matters where a class has two kinds (as ``app.exit_codes``): a bad database URL is input
    # before it is an unavailable catalog, a voice that cannot load is unavailable before failed.
    (InputError, 422, "invalid_input", N_("correct what the message names and send the request again")),
    (NotFoundError, 404, "not_found", N_("check the name or id; the list routes show what exists")),
    (UnavailableError, 503, "unavailable", N_("try again later; if it keeps failing, tell the operator")),
    (WorkFailedError, 500, "work_failed", N_("the message says what failed; try again or tell the operator")),
)
_OTHER_PROJECT_ERROR = (500, "work_failed", PROJECT_ERRORS[-1][3])


def project_status(exc: LessonaudioError) -> tuple[int, str, str]:
    """Status, ``error.code`` and fix (in the current language) for a project exception, by its kind."""
    status, code, fix = next(
        ((status, code, fix) for kind, status, code, fix in PROJECT_ERRORS if isinstance(exc, kind)),
        _OTHER_PROJECT_ERROR,
    )
    return status, code, _(fix)


def _project_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LessonaudioError)
    status, code, fix = project_status(exc)
    if status >= 500:  # the operator's to look at: the client sees the message, the log the cause
        log.warning(
            "%s %s answered %d: %s", request.method, request.url.path, status, exc, exc_info=status == 500
        )
    if isinstance(exc, SpecError):
        first = exc.errors[0] if exc.errors else None
        message = _("the script has {count} error(s)").format(count=len(exc.errors))
        message += _("; first: {message}").format(message=first.message) if first else ""
        body = error_body(code, message, request.url.path, first.fix if first else fix)
        body["diagnostics"] = [diagnostic_json(d) for d in exc.diagnostics]
    else:
        body = error_body(code, one_line(str(exc)), request.url.path, fix)
    return JSONResponse(body, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(LessonaudioError, _project_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
