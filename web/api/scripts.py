"""Script checks: every error and warning of a lesson script, without rendering it."""

# No `from __future__ import annotations`: FastAPI evaluates the handlers' annotations, which name
# the ``access`` dependencies this module is given.
from typing import Annotated

from fastapi import APIRouter, Depends

from lesson_specs import Diagnostic
from web.api.access import Access
from web.api.responses import error_responses
from web.schemas import DiagnosticOut, LessonOut, ScriptRequest, ValidationOut
from web.services import Services
from web.tokens import TokenInfo
from web.validation import ScriptReport


def diagnostic_out(d: Diagnostic) -> DiagnosticOut:
    return DiagnosticOut(
        severity=d.severity,
        line=d.line,
        column=d.col,
        paragraph=d.paragraph,
        message=d.message,
        fix=d.fix,
        text=str(d),
    )


def validation_out(report: ScriptReport) -> ValidationOut:
    spec = report.spec
    lesson = (
        LessonOut(id=spec.id, title=spec.title, course=spec.course, paragraphs=len(spec.paragraphs))
        if spec is not None
        else None
    )
    return ValidationOut(
        ok=report.ok,
        errors=[diagnostic_out(d) for d in report.errors],
        warnings=[diagnostic_out(d) for d in report.warnings],
        lesson=lesson,
    )


def router(services: Services, access: Access) -> APIRouter:
    routes = APIRouter(tags=["scripts"])

    @routes.post(
        "/api/scripts/validate",
        response_model=ValidationOut,
        responses=error_responses(400, 401, 413, 422, 429),
    )
    def validate(
        body: ScriptRequest, who: Annotated[TokenInfo, Depends(access.script_check)]
    ) -> ValidationOut:
        """Check a script without rendering it: every error with line and column, and warnings for
        text that would not be pronounced. A script with errors still answers 200 (`ok: false`)."""
        return validation_out(services.checker.check(body.script))

    return routes
