"""``lessonaudio renders``: what the catalog knows about renders, and re-publishing one.

``renders publish`` is how an operator finishes a publish that failed (the endpoint was down): it
publishes again with the same retries and backoff as the flow's task (without starting Prefect),
skipping what is already there and then writing the pointer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.commands.db import open_catalog_for_command
from errors import InputError, NotFoundError
from storage.render_status import RenderStatus

if TYPE_CHECKING:
    from storage.db import Render

app = typer.Typer(help="Renders recorded in the catalog.", no_args_is_help=True)

STATUSES = ", ".join(s.value for s in RenderStatus)


def _status(value: str | None) -> RenderStatus | None:
    if value is None:
        return None
    try:
        return RenderStatus(value.strip().lower())
    except ValueError:
        raise InputError(f"unknown status {value!r} (choose from {STATUSES})") from None


def _time(render: Render) -> str:
    return render.started_at.strftime("%Y-%m-%d %H:%M")


def _num(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.1f}{unit}"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        typer.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@app.command("list")
def list_renders(
    course: Annotated[str | None, typer.Option(help="Only this course (as written in the scripts).")] = None,
    status: Annotated[str | None, typer.Option(help=f"Only this status: {STATUSES}.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many, newest first.")] = 50,
) -> None:
    """List renders, newest first."""
    from config import load_settings

    wanted = _status(status)
    catalog = open_catalog_for_command(load_settings())
    try:
        renders = catalog.list_renders(course=course, status=wanted, limit=limit)
    finally:
        catalog.close()
    if not renders:
        typer.echo("no renders match" if course or status else "no renders recorded yet")
        return
    rows: list[tuple[str, ...]] = [
        (
            str(r.id),
            r.render_id or "-",
            r.lesson.course or "-",
            r.lesson.lesson_id,
            r.status,
            _num(r.duration_s, " s"),
            "-" if r.segment_count is None else str(r.segment_count),
            _time(r),
        )
        for r in renders
    ]
    _table(("id", "render", "course", "lesson", "status", "audio", "segments", "started (UTC)"), rows)


@app.command()
def show(ref: Annotated[str, typer.Argument(help="Catalog id (from `renders list`) or render id.")]) -> None:
    """Show one render: versions, timings, QA, where it was published and its objects."""
    from config import load_settings

    catalog = open_catalog_for_command(load_settings())
    try:
        render = catalog.get_render(ref)
    finally:
        catalog.close()
    lines = [
        ("id", str(render.id)),
        ("render", render.render_id or "-"),
        ("course", render.lesson.course or "-"),
        ("lesson", render.lesson.lesson_id),
        ("title", render.lesson.title or "-"),
        ("status", render.status),
        ("started", render.started_at.isoformat(timespec="seconds")),
        ("finished", render.finished_at.isoformat(timespec="seconds") if render.finished_at else "-"),
        ("published", render.published_at.isoformat(timespec="seconds") if render.published_at else "-"),
        ("process", _owner(render)),
        ("spec sha256", render.spec_sha256 or "-"),
        ("voice", render.voice or "-"),
        ("engine", render.engine_id or "-"),
        ("model sha256", render.model_sha256 or "-"),
        ("audio", _num(render.duration_s, " s")),
        ("render time", _num(render.render_seconds, " s")),
        (
            "segments",
            "-"
            if render.segment_count is None
            else f"{render.segment_count} ({render.synthesized_count} synthesised, "
            f"{render.reused_count} reused)",
        ),
        ("loudness", _num(render.loudness_lufs, " LUFS")),
        ("qa", _qa_line(render)),
        ("folder", render.folder or "-"),
        ("store", render.store or "-"),
        ("latest", render.latest_key or "-"),
    ]
    if render.error:
        lines.append(("error", render.error))
    width = max(len(name) for name, _ in lines)
    for name, value in lines:
        typer.echo(f"{name.ljust(width)}  {value}")
    for key in render.object_keys or []:
        typer.echo(f"  {key}")


def _owner(render: Render) -> str:
    """Where the render ran, and when it last said it was alive (``abandoned`` renders stopped)."""
    from storage.liveness import ProcessOwner

    if render.host is None or render.pid is None:
        return "-"
    owner = ProcessOwner(render.host, render.pid).describe()
    if render.heartbeat_at is None:
        return owner
    return f"{owner}, last heartbeat {render.heartbeat_at.isoformat(timespec='seconds')}"


def _qa_line(render: Render) -> str:
    checked = [s.cer for s in render.segments if s.cer is not None]
    if not checked and render.qa_summary is None:
        return "not checked"
    flagged = sum(1 for s in render.segments if s.flagged)
    mean = f"mean CER {100 * sum(checked) / len(checked):.1f} %, " if checked else ""
    return f"{mean}{len(checked)}/{len(render.segments)} segments checked, {flagged} flagged"


@app.command()
def publish(
    ref: Annotated[str, typer.Argument(help="Catalog id, render id, or a render folder.")],
) -> None:
    """Publish (again) to the configured store: finishes a failed publish, does nothing if done."""
    # Imported here: Prefect (behind tasks.publish) is slow to import for the read-only commands.
    from config import load_settings
    from storage.publish import read_render_folder
    from tasks.publish import publish_and_record, publish_with_retries
    from wiring import publish_config

    settings = load_settings()
    folder = Path(ref)
    # Publishing a folder records its render (a write, like the render itself); an id must exist.
    catalog = open_catalog_for_command(settings, create=folder.is_dir())
    try:
        if folder.is_dir():
            manifest = read_render_folder(folder).manifest
            render_pk = catalog.import_render(manifest, folder=str(folder.resolve()))
        else:
            render = catalog.get_render(ref)
            if not render.folder:
                raise NotFoundError(f"render {ref} has no folder recorded (it never finished)")
            folder, render_pk = Path(render.folder), render.id
        # The same retries as the flow's publish task, without starting a Prefect server.
        config = publish_config(settings)
        result = publish_and_record(folder, config, catalog, render_pk, publisher=publish_with_retries)
    finally:
        catalog.close()
    pointer = "" if result.pointer_moved else " (unchanged: it names a newer render)"
    typer.echo(
        f"published {result.render_id} to {result.store}: {result.uploaded} uploaded "
        f"({result.bytes_uploaded} bytes), {result.skipped} already there; "
        f"pointer {result.latest_key}{pointer}"
    )
