"""How a job's render runs: in this process (embedded, works on a fresh machine with no server).

The embedded runner calls the ``render-lesson`` flow on the job's worker thread with the job's
reporter in the flow's progress context, exactly as the CLI does; Prefect uses the API named by
``PREFECT_API_URL`` or else starts its temporary local server on first use.
"""

from __future__ import annotations

from pathlib import Path

from flows.progress import Reporter, reporting_to
from web.jobs import RenderOutcome


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
