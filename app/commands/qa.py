"""``lessonaudio qa PATH [--fail-over PER]``: a render's back-check at a glance, and a CI gate.

A sub-app, so further ``qa`` commands (``qa summary --course``) can join it; a bare path after ``qa``
runs ``check``, which is what people type. Register with ``app.add_typer(qa.app, name="qa")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from app.commands.columns import table_lines
from app.exit_codes import FAILED
from errors import InputError
from i18n import N_, _
from qa.report import QAReportError, load_report


class _PathRunsCheck(TyperGroup):
    """``qa PATH …`` means ``qa check PATH …``; known subcommand names and help still work."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer vendors its own click
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_PathRunsCheck,
    help=N_("Back-check (ASR) results of renders."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The lesson line and one row per flagged or re-synthesised segment, as plain aligned text."""
    s = report["summary"]
    lines = [
        _("{lesson} · render {render} · {seconds} s · ASR {engine}").format(
            lesson=report["lesson_id"],
            render=report["render_id"],
            seconds=f"{report['duration']:.1f}",
            engine=report["engine"],
        ),
        _(
            "segments {segments}  CER {cer}  PER {per}  flags {flags}  re-synthesised {resynthesised} "
            "(kept {kept})"
        ).format(
            segments=s["segments"],
            cer=_pct(s["cer"]),
            per=_pct(s["per"]),
            flags=s["flags"],
            resynthesised=s["resynthesised"],
            kept=s["replaced"],
        ),
    ]
    rows = [
        (
            str(seg["index"] + 1),
            str(seg["paragraph"]),
            _pct(seg["cer"]),
            _pct(seg["per"]),
            _("yes") if seg["flagged"] else "",
            _("{count}, kept {kept}").format(
                count=len(seg["attempts"]), kept=seg["kept"] if seg["kept"] else _("original")
            )
            if seg["attempts"]
            else "",
            seg["text"] if len(seg["text"]) <= 24 else seg["text"][:23] + "…",
        )
        for seg in report["segments"]
        if seg["flagged"] or seg["attempts"]
    ]
    if rows:
        header = ("#", _("para"), "CER", "PER", _("flag"), _("attempts"), _("text"))
        lines.append("")
        lines.extend(table_lines((header, *rows)))
    return lines


@app.command("check")
def qa(
    path: Annotated[Path, typer.Argument(help=N_("A render folder, or its qa.json."))],
    fail_over: Annotated[
        float | None,
        typer.Option(
            "--fail-over", min=0.0, help=N_("Exit 1 when the lesson PER (0-1) is above this (for CI).")
        ),
    ] = None,
) -> None:
    """Print a render's back-check summary; with --fail-over, fail when its PER is too high.

    A path that holds no readable report exits 2 (input), never 1, so a CI gate can tell "this render
    failed the check" from "the gate points at the wrong place".
    """
    try:
        report = load_report(path)
    except QAReportError as err:  # here the report is the path the user gave: an input error
        raise InputError(str(err)) from None
    for line in summary_lines(report):
        typer.echo(line)
    per = float(report["summary"]["per"])
    if fail_over is not None and per > fail_over:
        message = _("FAIL: lesson PER {per} is over --fail-over {limit}")
        typer.echo(message.format(per=f"{per:.4f}", limit=f"{fail_over:.4f}"), err=True)
        raise typer.Exit(FAILED)
