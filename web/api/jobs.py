"""Render jobs: submitting a script (``POST /api/renders``) queues a job; its status is polled.

Submitting lives here rather than with the finished renders because what it creates and answers
with is a job: the render only exists once the job has finished.
"""

# No `from __future__ import annotations`: FastAPI evaluates the handlers' annotations, which name
# the ``access`` dependencies this module is given.
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from i18n import _
from web.api.access import Access, limit_key, visible
from web.api.responses import error_responses
from web.errors import ApiError
from web.jobs import Job
from web.netguard import TargetRefused
from web.schemas import JobOut, RenderRequest, StageOut, WebhookOut
from web.services import Services
from web.tokens import TokenInfo

JOB_ID = r"^[0-9a-f]{16}$"


def job_out(job: Job) -> JobOut:
    webhook = job.webhook
    return JobOut(
        id=job.id,
        state=job.state.value,
        lesson_id=job.lesson_id,
        title=job.title,
        submitted_by=job.owner,
        script_sha256=job.script_sha256,
        submitted_at=job.submitted_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        stages=[StageOut(name=s.name, total=s.total, done=s.done, finished=s.finished) for s in job.stages],
        render_id=job.outcome.render_id if job.outcome else None,
        error=job.error,
        webhook=WebhookOut(
            delivered=webhook.delivered, attempts=webhook.attempts, status=webhook.status, error=webhook.error
        )
        if webhook
        else None,
        runner=job.runner.value,
        flow_run_id=job.flow_run_id,
        status_url=f"/api/jobs/{job.id}",
    )


def checked_callback(services: Services, url: str | None) -> str | None:
    """The callback URL to send to, if any; a 422 when this server sends none or the target is refused."""
    callback = url.strip() if url else None
    if not callback:
        return callback
    if services.webhooks is None:
        raise ApiError(
            422,
            "webhooks_disabled",
            _("this server sends no callbacks: it has no webhook secret"),
            where="callback_url",
            fix=_(
                "leave callback_url out and poll status_url, or ask the operator to set"
                " LESSONAUDIO_WEB_WEBHOOK_SECRET"
            ),
        )
    try:
        services.webhooks.check(callback)
    except TargetRefused as err:
        raise ApiError(422, "callback_refused", str(err), where="callback_url") from None
    return callback


def return_render_slot(services: Services, who: TokenInfo) -> None:
    """A refused submission (a script with errors, a refused callback) queues nothing, so it gives its
    render slot back. It did cost a script check, so it counts as one instead; once those are used up
    a refusal keeps its render slot, so refusals stay bounded rather than free."""
    key = limit_key(who)
    if services.validate_limit.hit(key) is None:
        services.render_limit.refund(key)


def router(services: Services, access: Access) -> APIRouter:
    routes = APIRouter(tags=["renders"])

    @routes.post(
        "/api/renders",
        status_code=202,
        response_model=JobOut,
        responses=error_responses(400, 401, 413, 422, 429),
    )
    def submit(body: RenderRequest, who: Annotated[TokenInfo, Depends(access.render)]) -> JobOut:
        """Validate, then queue a render; poll `status_url` for progress. A script with errors is
        refused (422) with every diagnostic, and nothing runs; a refused script or callback does not
        use up a render slot."""
        try:
            return queued(body, who)
        except ApiError:
            return_render_slot(services, who)
            raise

    def queued(body: RenderRequest, who: TokenInfo) -> JobOut:
        report = services.checker.check(body.script)
        if report.spec is None or report.errors:
            first = report.errors[0] if report.errors else None
            raise ApiError(
                422,
                "invalid_script",
                _("the script has {count} error(s)").format(count=len(report.errors))
                + (_("; first: {message}").format(message=first.message) if first else ""),
                where=_("script line {line}, column {column}").format(line=first.line, column=first.col)
                if first
                else "script",
                fix=first.fix if first else None,
                diagnostics=report.errors + report.warnings,
            )
        callback = checked_callback(services, body.callback_url)
        job = services.jobs.submit(
            body.script,
            report.spec,
            owner=who.name,
            owner_id=who.id,
            voice=body.voice,
            callback_url=callback,
        )
        return job_out(job)

    @routes.get("/api/jobs", response_model=list[JobOut], responses=error_responses(401, 422))
    def list_jobs(
        who: Annotated[TokenInfo, Depends(access.teacher)],
        limit: Annotated[int, Query(ge=1, le=500, description="At most this many.")] = 50,
    ) -> list[JobOut]:
        """Render jobs, newest first, with who submitted each and when: a teacher's own, every
        teacher's for an admin. Jobs are kept in the catalog, so they outlive a server restart."""
        return [job_out(job) for job in services.jobs.recent(None if who.is_admin else who.id, limit)]

    @routes.get("/api/jobs/{job_id}", response_model=JobOut, responses=error_responses(401, 404, 422))
    def job_status(
        job_id: Annotated[str, Path(pattern=JOB_ID)], who: Annotated[TokenInfo, Depends(access.teacher)]
    ) -> JobOut:
        """Progress of a submitted render, stage by stage; `render_id` once it finished."""
        job = visible(
            services.jobs.get(job_id),
            lambda job: job.owner_id,
            who,
            code="no_such_job",
            message=_("no render job `{id}`").format(id=job_id),
            where="job_id",
            fix=_("list your jobs with GET /api/jobs"),
        )
        return job_out(job)

    return routes
