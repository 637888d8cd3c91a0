"""``lessonaudio validate``: check scripts before anything is synthesised."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from errors import InputError
from i18n import N_, _

if TYPE_CHECKING:
    from text_frontend.frontend import FrontEnd


def validate(
    files: Annotated[list[Path], typer.Argument(help=N_("Lesson scripts (YAML) to check."))],
    warnings: Annotated[
        bool,
        typer.Option(
            "--warnings/--no-warnings",
            help=N_("Also report text that would not be spoken, and numbers read far too long."),
        ),
    ] = True,
) -> None:
    """Check lesson scripts and print every problem as file:line:col: paragraph N: message (fix).

    Exits 2 (input) if any script has errors; warnings (e.g. a Latin word with no lexicon entry, a number
    read as more syllables than a segment holds) do not fail.
    """
    from config import load_settings
    from lesson_specs import SpecError, load_spec_file
    from lesson_specs.pronounceability import pronunciation_warnings

    failed = 0
    front_end: FrontEnd | None = None
    max_syllables = load_settings().max_segment_chars
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
            from text_frontend.frontend import FrontEnd  # loads dictionaries and models: only when needed

            front_end = front_end or FrontEnd()
            found = pronunciation_warnings(spec, front_end, max_syllables)
            for diagnostic in found:
                typer.echo(str(diagnostic), err=True)
            if any(d.severity == "error" for d in found):  # reads, but would not render
                failed += 1
                continue
        ok = _("{path}: ok, {count} paragraphs").format(path=path, count=len(spec.paragraphs))
        if found:
            note = _("(1 warning)") if len(found) == 1 else _("({count} warnings)").format(count=len(found))
            ok += " " + note
        typer.echo(ok)
    if failed:  # every script is checked first, so one run lists every problem
        raise InputError(
            _("{failed} of {total} script(s) have errors").format(failed=failed, total=len(files))
        )
