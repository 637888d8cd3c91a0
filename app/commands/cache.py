"""``lessonaudio cache``: what the segment cache holds on this machine, and pruning it by age."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from storage.housekeeping import Usage

app = typer.Typer(help="Inspect and prune the segment cache.", no_args_is_help=True)


def _size(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


def _table(rows: list[Usage]) -> None:
    from storage.housekeeping import KINDS

    width = max(len(kind) for kind in KINDS)
    for row in rows:
        typer.echo(f"{row.kind:<{width}}  {row.files:>8} files  {_size(row.bytes):>10}  {KINDS[row.kind]}")
    typer.echo(
        f"{'total':<{width}}  {sum(r.files for r in rows):>8} files  {_size(sum(r.bytes for r in rows)):>10}"
    )


@app.command()
def info() -> None:
    """Files and bytes per kind: segments, mastered paragraphs, Prefect records and results."""
    from config import load_settings
    from storage.housekeeping import usage
    from wiring import cache_config

    root = cache_config(load_settings()).root  # the cache the renders use
    typer.echo(f"segment cache: {root}")
    _table(usage(root))


@app.command("prune")
def prune_command(
    older_than: Annotated[
        float, typer.Option("--older-than", min=0, help="Days since a render last used a file.")
    ] = 30,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would go; delete nothing.")] = False,
) -> None:
    """Delete cached audio no render has used for --older-than days (made again when needed).

    Run it when no render is running, e.g. before the nightly inbox scan.
    """
    from config import load_settings
    from storage.housekeeping import prune
    from wiring import cache_config

    root = cache_config(load_settings()).root  # the cache the renders use
    removed = prune(root, older_than_s=older_than * 86_400, dry_run=dry_run)
    typer.echo(f"{'would remove' if dry_run else 'removed'} from {root} (unused for {older_than:g} days):")
    _table(removed)
