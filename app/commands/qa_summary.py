"""``lessonaudio qa summary --course …``: how a course's current renders did in the back-check.

Reads the catalog only (no audio), so it is cheap to run for a whole course. A lesson's "current"
render is its published one, or its newest finished one if none was published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from app.commands.columns import table_lines
from app.commands.db import open_catalog_for_command
from errors import NotFoundError
from i18n import N_, _

if TYPE_CHECKING:
    from storage.catalog import CourseQA


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def format_course_qa(summary: CourseQA) -> list[str]:
    header: tuple[str, ...] = (_("lesson"), _("render"), _("status"), _("segments"), _("checked"))
    header += (_("flagged"), _("mean CER"), _("max CER"), _("mean PER"))
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
    lines = table_lines((header, *rows))
    total = _(
        "course {course}: {lessons} lessons, {segments} segments, {checked} checked, {flagged} flagged, "
        "mean CER {cer}, {failed} failed renders"
    ).format(
        course=summary.course,
        lessons=len(summary.lessons),
        segments=summary.segments,
        checked=summary.checked,
        flagged=summary.flagged,
        cer=_pct(summary.mean_cer),
        failed=summary.failed_renders,
    )
    if summary.abandoned_renders:
        total += _(", {count} abandoned").format(count=summary.abandoned_renders)
    lines.append(total)
    return lines


def qa_summary(
    course: Annotated[str, typer.Option("--course", help=N_("Course name, as written in the scripts."))],
) -> None:
    """Course-level QA from the catalog: per lesson and in total (CER/PER as the back-check recorded)."""
    from config import load_settings

    catalog = open_catalog_for_command(load_settings())
    try:
        known = catalog.courses()
        if course not in known:
            listed = ", ".join(c or _("(no course)") for c in known) or _("none yet")
            raise NotFoundError(
                _("no lessons of course {course!r} in the catalog (courses: {listed})").format(
                    course=course, listed=listed
                )
            )
        summary = catalog.course_qa(course)
    finally:
        catalog.close()
    if not summary.lessons:
        typer.echo(_("course {course}: no finished renders yet").format(course=course))
        return
    for line in format_course_qa(summary):
        typer.echo(line)
