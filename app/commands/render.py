"""``lessonaudio render``: validate, then run the render flow with a progress bar per stage."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Annotated

import typer

from i18n import N_

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID

    from config import Settings


class RichReporter:
    """Shows one bar per render stage; implements ``flows.progress.Reporter``."""

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichReporter:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._progress.stop()

    def start(self, stage: str, total: int) -> None:
        from flows.progress import stage_label  # loaded already: the render flow reports through it

        self._tasks[stage] = self._progress.add_task(stage_label(stage), total=max(total, 1))

    def advance(self, stage: str, amount: int = 1) -> None:
        self._progress.advance(self._tasks[stage], amount)

    def finish(self, stage: str) -> None:
        task = self._tasks[stage]
        self._progress.update(task, completed=self._progress.tasks[task].total)


def render(
    spec: Annotated[Path, typer.Argument(help=N_("The lesson script (YAML) to render."))],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help=N_("Output root, laid out like the bucket."))
    ] = None,
    voice: Annotated[
        str | None, typer.Option(help=N_("Voice to use instead of the script's/default."))
    ] = None,
    publish: Annotated[
        bool,
        typer.Option("--publish", help=N_("Publish when done (S3 if LESSONAUDIO_S3_BUCKET, else local).")),
    ] = False,
) -> None:
    """Render a lesson: WAV, MP3, SRT and WebVTT captions and a manifest under OUT/course/lesson/render."""
    from rich.console import Console

    from app.child_lifetime import exit_on_sigterm
    from app.prefect_env import quiet_prefect
    from app.shared_server import shared_prefect_api
    from config import load_settings
    from lesson_specs import load_spec_file

    console = Console(stderr=True)
    load_spec_file(spec)  # a script with errors is refused before a server starts for nothing
    settings = load_settings()
    quiet_prefect(log_failures=False)
    exit_on_sigterm()
    with shared_prefect_api(settings.cache_dir, announce=console.print):
        _render(console, settings, spec, out, voice, publish)


def _render(
    console: Console, settings: Settings, spec: Path, out: Path | None, voice: str | None, publish: bool
) -> None:
    """Run the flow; Prefect is imported only here, once ``PREFECT_API_URL`` names the server.

    That server is the local one later renders reuse (``lessonaudio server``), unless the operator
    set ``PREFECT_API_URL``.
    """
    from flows.in_process import in_process_runs
    from flows.progress import reporting_to
    from flows.render import render_lesson, synthesis_runner

    # What fails (the script, the voice, the catalog, the disk) reaches the CLI's one error handler
    # (app.exit_codes): one bounded line, although messages may quote long segment text.
    with RichReporter(console) as bars, reporting_to(bars), in_process_runs():
        # The settings this command read, so a setting given on the command line counts too.
        summary = render_lesson.with_options(task_runner=synthesis_runner(settings))(
            str(spec),
            out_dir=str(out) if out is not None else str(settings.output_dir),
            voice=voice,
            publish=publish,
        )
    from i18n import _

    done = _(
        "rendered {lesson}: {audio} s of audio, {segments} segments ({synthesised} synthesised, "
        "{reused} reused) in {seconds} s"
    )
    console.print(
        done.format(
            lesson=summary.lesson_id,
            audio=f"{summary.duration_s:.1f}",
            segments=summary.segments,
            synthesised=summary.synthesized,
            reused=summary.reused,
            seconds=f"{summary.seconds:.1f}",
        ),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    if summary.qa_flags is not None and summary.qa_per is not None:
        heard = " " + _("(reused: this audio was checked before)") if summary.qa_reused else ""
        flagged = _("{count} segment(s) flagged (see qa.html)").format(count=summary.qa_flags)
        console.print(
            _("back-check: PER {per}, {flagged}").format(per=f"{summary.qa_per:.3f}", flagged=flagged)
            + heard,
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if summary.published:
        published = _("published: {where}").format(where=summary.published)
        console.print(published, markup=False, highlight=False, soft_wrap=True)
    typer.echo(summary.folder)
