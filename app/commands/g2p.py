"""``lessonaudio g2p``: show how text will be read, character by character, before synthesising it."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table


def _lines(texts: list[str] | None) -> list[str]:
    if texts:
        return texts
    return [line.rstrip("\n") for line in sys.stdin if line.strip()]


def _show(console: Console, result: dict[str, Any]) -> None:
    """Han characters over their pinyin, in columns, so a misread polyphone stands out."""
    console.print(f"[bold]{result['text']}[/bold]")
    console.print(f"→ {result['normalized']}")
    syllables = result["syllables"]
    for start in range(0, len(syllables), 12):
        row = syllables[start : start + 12]
        table = Table.grid(padding=(0, 1))
        for _ in row:
            table.add_column(justify="center")
        table.add_row(*(s["char"] if s["source"] is not None else f"[dim]{s['char']}[/dim]" for s in row))
        table.add_row(*(f"[cyan]{s['pinyin']}[/cyan]" for s in row))
        console.print(table)
    for span in result.get("unspoken", []):
        console.print(f"[yellow]not pronounced:[/yellow] {span['text']!r} at {span['start']}")
    console.print()


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
    "source": null in JSON; verbatim ones carry their index in the input line.
    """
    from text_frontend.frontend import FrontEnd  # loads WeTN and the polyphone model

    front_end = FrontEnd()
    console = Console()
    for line in _lines(texts):
        result = front_end.g2p_line(line)
        if json_output:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            _show(console, result)
