"""``lessonaudio g2p``: show how text will be read, character by character, before synthesising it."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from text_frontend.excerpt import excerpt


def _lines(texts: list[str] | None) -> list[str]:
    if texts:
        return texts
    return [line.rstrip("\n") for line in sys.stdin if line.strip()]


def _show(console: Console, result: dict[str, Any]) -> None:
    """Han characters over their pinyin, in columns, so a misread polyphone stands out."""
    # The line is the user's text: brackets in it ("[/b]", lesson markup) must not be read as Rich markup.
    console.print(f"[bold]{escape(result['text'])}[/bold]")
    console.print(f"→ {escape(result['normalized'])}")
    syllables = result["syllables"]
    for start in range(0, len(syllables), 12):
        row = syllables[start : start + 12]
        table = Table.grid(padding=(0, 1))
        for _ in row:
            table.add_column(justify="center")
        table.add_row(
            *(
                escape(s["char"]) if s["source"] is not None else f"[dim]{escape(s['char'])}[/dim]"
                for s in row
            )
        )
        table.add_row(*(f"[cyan]{s['pinyin']}[/cyan]" for s in row))
        console.print(table)
    for span in result.get("unspoken", []):
        quoted = escape(repr(excerpt(span["text"])))
        console.print(f"[yellow]not pronounced:[/yellow] {quoted} at {span['start']}")
    console.print()


def _issue_line(text: str, issue: dict[str, Any]) -> str:
    """A markup error as one bounded line: column, a short quote, the message and the fix."""
    quoted = excerpt(text[issue["start"] : issue["end"]] or text[issue["start"] : issue["start"] + 1])
    return f"error: column {issue['start'] + 1} ({quoted!r}): {issue['message']} ({issue['fix']})"


def g2p(
    texts: Annotated[
        list[str] | None, typer.Argument(help="Lines to read; without any, one line per stdin line.")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="One JSON object per input line instead of a table.")
    ] = False,
) -> None:
    """Show how text will be read: normalised text and tone-numbered pinyin per character.

    Characters produced by normalisation (the 十 of "10") are dimmed in the table and have
    "source": null in JSON; verbatim ones carry their index in the input line. Markup errors
    (``[行](hāng2)``, a stray ``]]``) are printed on stderr, one line each, and make the exit code 1:
    the reading shown is then not the one the markup meant.
    """
    from text_frontend.frontend import FrontEnd  # loads WeTN and the polyphone model

    front_end = FrontEnd()
    console = Console()
    failed = False
    for line in _lines(texts):
        result = front_end.g2p_line(line)
        if json_output:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            _show(console, result)
        for issue in result["issues"]:
            typer.echo(_issue_line(line, issue), err=True)
            failed = True
    if failed:
        raise typer.Exit(1)
