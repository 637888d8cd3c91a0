"""``lessonaudio qa summary --course …``: how a course's current renders did in the back-check.

Reads the catalog only (no audio), so it is cheap to run for a whole course. A lesson's "current"
render is its published one, or its newest finished one if none was published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from app.commands.db import open_catalog_for_command
from errors import NotFoundError

if TYPE_CHECKING:
    from storage.catalog import CourseQA


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def format_course_qa(summary: CourseQA) -> list[str]:
    header: tuple[str, ...] = ("lesson", "render", "status", "segments", "checked", "flagged")
    header += ("mean CER", "max CER", "mean PER")
    rows: list[tuple[str, ...]] = [
        (
            q.lesson_id,
            q.render_id or "-",
            q.status,
            str(q.segments),
            str(q.checked),
            str(q.flagged),
            _pct(q.mean_cer),
            _pct(q.max_cer),
            _pct(q.mean_per),
        )
        for q in summary.lessons
    ]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in (header, *rows)]
    lines.append(
        f"course {summary.course}: {len(summary.lessons)} lessons, {summary.segments} segments, "
        f"{summary.checked} checked, {summary.flagged} flagged, mean CER {_pct(summary.mean_cer)}, "
        f"{summary.failed_renders} failed renders"
        + (f", {summary.abandoned_renders} abandoned" if summary.abandoned_renders else "")
    )
    return lines


def qa_summary(
    course: Annotated[str, typer.Option("--course", help="Course name, as written in the scripts.")],
) -> None:
    """Course-level QA from the catalog: per lesson and in total (CER/PER as the back-check recorded)."""
    from config import load_settings

    catalog = open_catalog_for_command(load_settings())
    try:
        known = catalog.courses()
        if course not in known:
            listed = ", ".join(c or "(no course)" for c in known) or "none yet"
            raise NotFoundError(f"no lessons of course {course!r} in the catalog (courses: {listed})")
        summary = catalog.course_qa(course)
    finally:
        catalog.close()
    if not summary.lessons:
        typer.echo(f"course {course}: no finished renders yet")
        return
    for line in format_course_qa(summary):
        typer.echo(line)
