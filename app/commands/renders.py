"""``lessonaudio renders``: what the catalog knows about renders, and re-publishing one.

``renders publish`` is how an operator finishes a publish that failed (the endpoint was down): it
publishes again with the same retries and backoff as the flow's task (without starting Prefect),
skipping what is already there and then writing the pointer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.commands.columns import pad, table_lines, width
from app.commands.db import open_catalog_for_command
from app.usage_text import help_text
from errors import InputError, NotFoundError
from i18n import N_, _
from storage.render_status import RenderStatus

if TYPE_CHECKING:
    from storage.db import Render

app = typer.Typer(help=N_("Renders recorded in the catalog."), no_args_is_help=True)

STATUSES = ", ".join(s.value for s in RenderStatus)


def _status(value: str | None) -> RenderStatus | None:
    if value is None:
        return None
    try:
        return RenderStatus(value.strip().lower())
    except ValueError:
        raise InputError(
            _("unknown status {status!r} (choose from {statuses})").format(status=value, statuses=STATUSES)
        ) from None


def _time(render: Render) -> str:
    return render.started_at.strftime("%Y-%m-%d %H:%M")


def _num(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.1f}{unit}"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    for line in table_lines((header, *rows)):
        typer.echo(line)


@app.command("list")
def list_renders(
    course: Annotated[
        str | None, typer.Option(help=N_("Only this course (as written in the scripts)."))
    ] = None,
    status: Annotated[
        str | None, typer.Option(help=help_text(N_("Only this status: {statuses}."), statuses=STATUSES))
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help=N_("At most this many, newest first."))] = 50,
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
        typer.echo(_("no renders match") if course or status else _("no renders recorded yet"))
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
    header = ("id", _("render"), _("course"), _("lesson"), _("status"), _("audio"), _("segments"))
    _table((*header, _("started (UTC)")), rows)


@app.command()
def show(
    ref: Annotated[str, typer.Argument(help=N_("Catalog id (from `renders list`) or render id."))],
) -> None:
    """Show one render: versions, timings, QA, where it was published and its objects."""
    from config import load_settings

    catalog = open_catalog_for_command(load_settings())
    try:
        render = catalog.get_render(ref)
    finally:
        catalog.close()
    segments = (
        "-"
        if render.segment_count is None
        else _("{count} ({synthesised} synthesised, {reused} reused)").format(
            count=render.segment_count, synthesised=render.synthesized_count, reused=render.reused_count
        )
    )
    lines = [
        ("id", str(render.id)),
        (_("render"), render.render_id or "-"),
        (_("course"), render.lesson.course or "-"),
        (_("lesson"), render.lesson.lesson_id),
        (_("title"), render.lesson.title or "-"),
        (_("status"), render.status),
        (_("started"), render.started_at.isoformat(timespec="seconds")),
        (_("finished"), render.finished_at.isoformat(timespec="seconds") if render.finished_at else "-"),
        (_("published"), render.published_at.isoformat(timespec="seconds") if render.published_at else "-"),
        (_("process"), _owner(render)),
        (_("spec sha256"), render.spec_sha256 or "-"),
        (_("voice"), render.voice or "-"),
        (_("engine"), render.engine_id or "-"),
        (_("model sha256"), render.model_sha256 or "-"),
        (_("audio"), _num(render.duration_s, " s")),
        (_("render time"), _num(render.render_seconds, " s")),
        (_("segments"), segments),
        (_("loudness"), _num(render.loudness_lufs, " LUFS")),
        ("qa", _qa_line(render)),
        (_("folder"), render.folder or "-"),
        (_("store"), render.store or "-"),
        (_("latest"), render.latest_key or "-"),
    ]
    if render.error:
        lines.append((_("error"), render.error))
    name_width = max(width(name) for name, _value in lines)
    for name, value in lines:
        typer.echo(f"{pad(name, name_width)}  {value}")
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
    return _("{owner}, last heartbeat {moment}").format(
        owner=owner, moment=render.heartbeat_at.isoformat(timespec="seconds")
    )


def _qa_line(render: Render) -> str:
    checked = [s.cer for s in render.segments if s.cer is not None]
    if not checked and render.qa_summary is None:
        return _("not checked")
    flagged = sum(1 for s in render.segments if s.flagged)
    counts = _("{checked}/{total} segments checked, {flagged} flagged").format(
        checked=len(checked), total=len(render.segments), flagged=flagged
    )
    if not checked:
        return counts
    mean = f"{100 * sum(checked) / len(checked):.1f}"
    return _("mean CER {cer} %, {counts}").format(cer=mean, counts=counts)


@app.command()
def publish(
    ref: Annotated[str, typer.Argument(help=N_("Catalog id, render id, or a render folder."))],
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
                raise NotFoundError(
                    _("render {ref} has no folder recorded (it never finished)").format(ref=ref)
                )
            folder, render_pk = Path(render.folder), render.id
        # The same retries as the flow's publish task, without starting a Prefect server.
        config = publish_config(settings)
        result = publish_and_record(folder, config, catalog, render_pk, publisher=publish_with_retries)
    finally:
        catalog.close()
    pointer = "" if result.pointer_moved else " " + _("(unchanged: it names a newer render)")
    done = _(
        "published {render} to {store}: {uploaded} uploaded ({size} bytes), {skipped} already there; "
        "pointer {pointer}"
    )
    typer.echo(
        done.format(
            render=result.render_id,
            store=result.store,
            uploaded=result.uploaded,
            size=result.bytes_uploaded,
            skipped=result.skipped,
            pointer=result.latest_key,
        )
        + pointer
    )
