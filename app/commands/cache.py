"""``lessonaudio cache``: what the segment cache holds on this machine, and pruning it by age."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from app.commands.columns import pad, width
from i18n import N_, _

if TYPE_CHECKING:
    from storage.housekeeping import Usage

app = typer.Typer(help=N_("Inspect and prune the segment cache."), no_args_is_help=True)


def _size(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


_KIND_LABELS = {
    "segments": N_("synthesised segments (FLAC, character times)"),
    "pieces": N_("mastered paragraphs (PCM, MP3, energy)"),
    "records": N_("Prefect cache records"),
    "results": N_("Prefect cached results"),
    "plans": N_("lesson plans read from scripts (the front end's work)"),
    "backcheck": N_("back-check results and the QA report's players (MP3)"),
}
"""What each kind's folder holds, for the reader; the folder names themselves stay as they are."""


def _files(count: int) -> str:
    return _("{count} files").format(count=f"{count:>8}")


def _table(rows: list[Usage]) -> None:
    from storage.housekeeping import KINDS

    total = _("total")
    first = max(width(kind) for kind in (*KINDS, total))
    for row in rows:
        label = _(_KIND_LABELS[row.kind]) if row.kind in _KIND_LABELS else KINDS[row.kind]
        typer.echo(f"{pad(row.kind, first)}  {_files(row.files)}  {_size(row.bytes):>10}  {label}")
    typer.echo(
        f"{pad(total, first)}  {_files(sum(r.files for r in rows))}  {_size(sum(r.bytes for r in rows)):>10}"
    )


@app.command()
def info() -> None:
    """Files and bytes per kind: segments, mastered paragraphs, Prefect records and results."""
    from config import load_settings
    from storage.housekeeping import usage
    from wiring import cache_config

    root = cache_config(load_settings()).root  # the cache the renders use
    typer.echo(_("segment cache: {root}").format(root=root))
    _table(usage(root))


@app.command("prune")
def prune_command(
    older_than: Annotated[
        float, typer.Option("--older-than", min=0, help=N_("Days since a render last used a file."))
    ] = 30,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Say what would go; delete nothing."))
    ] = False,
) -> None:
    """Delete cached audio no render has used for --older-than days (made again when needed).

    Run it when no render is running, e.g. before the nightly inbox scan.
    """
    from config import load_settings
    from storage.housekeeping import prune
    from wiring import cache_config

    root = cache_config(load_settings()).root  # the cache the renders use
    removed = prune(root, older_than_s=older_than * 86_400, dry_run=dry_run)
    done = (
        _("would remove from {root} (unused for {days} days):")
        if dry_run
        else _("removed from {root} (unused for {days} days):")
    )
    typer.echo(done.format(root=root, days=f"{older_than:g}"))
    _table(removed)
