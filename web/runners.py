"""How a job's render runs: in this process (embedded, works on a fresh machine with no server), or
as a flow run of a Prefect deployment when ``LESSONAUDIO_WEB_RENDER_DEPLOYMENT`` names one.

The embedded runner calls the ``render-lesson`` flow on the job's worker thread with the job's
reporter in the flow's progress context, exactly as the CLI does; Prefect uses the API named by
``PREFECT_API_URL`` or else starts its temporary local server on first use.
"""

from __future__ import annotations

from pathlib import Path

from config import Settings
from flows.progress import Reporter, reporting_to
from web.job_types import RenderOutcome
from web.prefect_runs import DeploymentRuns


class EmbeddedRunner:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir

    def run(self, spec_path: Path, voice: str | None, progress: Reporter) -> RenderOutcome:
        from flows.in_process import in_process_runs
        from flows.render import render_lesson

        # A failure is the flow's own exception: the job shows a LessonaudioError's message as it is.
        with reporting_to(progress), in_process_runs():
            summary = render_lesson(str(spec_path), out_dir=str(self.out_dir), voice=voice)
        return RenderOutcome(summary.render_id, summary.folder, summary.duration_s)


def deployment_runs(settings: Settings) -> DeploymentRuns | None:
    """The deployment new jobs are submitted to, checked to exist on the server; None: render here.

    Checked at start-up, so a mistyped name or a server without the deployment stops ``lessonaudio
    web`` with one line instead of leaving every job queued.
    """
    if not settings.web_render_deployment:
        return None
    runs = DeploymentRuns(settings.web_render_deployment.strip(), settings.output_dir)
    runs.check()
    return runs
