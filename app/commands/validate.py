"""``lessonaudio validate``: check scripts before anything is synthesised."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lesson_specs import SpecError, load_spec_file
from lesson_specs.pronounceability import unspoken_warnings


def validate(
    files: Annotated[list[Path], typer.Argument(help="Lesson scripts (YAML) to check.")],
    warnings: Annotated[
        bool, typer.Option("--warnings/--no-warnings", help="Also report text that would not be spoken.")
    ] = True,
) -> None:
    """Check lesson scripts and print every problem as file:line:col: paragraph N: message (fix).

    Exits 1 if any script has errors; warnings (e.g. a Latin word with no lexicon entry) do not fail.
    """
    from text_frontend.frontend import FrontEnd  # loads dictionaries and models: only when needed

    failed = 0
    front_end: FrontEnd | None = None
    for path in files:
        try:
            spec = load_spec_file(path)
        except SpecError as err:
            failed += 1
            for diagnostic in err.diagnostics:
                typer.echo(str(diagnostic), err=True)
            continue
        found = []
        if warnings:
            front_end = front_end or FrontEnd()
            found = unspoken_warnings(spec, front_end)
            for diagnostic in found:
                typer.echo(str(diagnostic), err=True)
        note = f" ({len(found)} warning{'s' if len(found) != 1 else ''})" if found else ""
        typer.echo(f"{path}: ok, {len(spec.paragraphs)} paragraphs{note}")
    if failed:
        typer.echo(f"{failed} of {len(files)} script(s) have errors", err=True)
        raise typer.Exit(1)
