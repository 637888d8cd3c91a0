"""``lessonaudio g2p``: show how text will be read, character by character, before synthesising it."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from errors import InputError
from i18n import N_, _
from text_frontend.excerpt import excerpt

if TYPE_CHECKING:
    from rich.console import Console

    from text_frontend.frontend import FrontEnd


def _lines(texts: list[str] | None) -> list[str]:
    """The lines to read, each held to a lesson paragraph's length (checked before any model loads):
    the front end's work grows with a line, and no line is read aloud that a script could not hold."""
    from lesson_specs import MAX_PARAGRAPH_CHARS

    lines = texts or [line.rstrip("\n") for line in sys.stdin if line.strip()]
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_PARAGRAPH_CHARS:
            raise InputError(
                _(
                    "line {number} is {length} characters, over the {limit} limit for one paragraph: "
                    "split it into shorter lines"
                ).format(number=number, length=f"{len(line):,}", limit=f"{MAX_PARAGRAPH_CHARS:,}")
            )
    return lines


def _show(console: Console, result: dict[str, Any]) -> None:
    """Han characters over their pinyin, in columns, so a misread polyphone stands out."""
    from rich.markup import escape
    from rich.table import Table

    # The line is the user's text: brackets in it ("[/b]", lesson markup) must not be read as Rich markup.
    console.print(f"[bold]{escape(result['text'])}[/bold]")
    console.print(f"→ {escape(result['normalized'])}")
    syllables = result["syllables"]
    for start in range(0, len(syllables), 12):
        row = syllables[start : start + 12]
        table = Table.grid(padding=(0, 1))
        for _cell in row:
            table.add_column(justify="center")
        table.add_row(
            *(
                escape(s["char"]) if _verbatim(result["text"], s) else f"[dim]{escape(s['char'])}[/dim]"
                for s in row
            )
        )
        table.add_row(*(f"[cyan]{s['pinyin']}[/cyan]" for s in row))
        console.print(table)
    for span in result.get("unspoken", []):
        quoted = escape(repr(excerpt(span["text"])))
        label = escape(_("not pronounced:"))
        at = escape(_("at {position}").format(position=span["start"]))
        console.print(f"[yellow]{label}[/yellow] {quoted} {at}")
    for word in result.get("latin_words", []):
        if word["kind"] == "spelled":
            quoted = escape(repr(excerpt(word["text"])))
            label = escape(_("spelled (no lexicon entry):"))
            at = escape(_("at {position}").format(position=word["start"]))
            console.print(f"[yellow]{label}[/yellow] {quoted} {at}")
    console.print()


def _explain(front_end: FrontEnd, line: str) -> list[dict[str, Any]]:
    """Why each polyphone of ``line`` reads as it does: one entry per polyphonic syllable, in order."""
    from text_frontend.explain import explain_line

    _normalized, syllables = explain_line(front_end, line)
    return [
        {"char": s.char, "pinyin": s.pinyin, "source": s.source, "why": s.why, "detail": s.detail}
        for s in syllables
        if s.polyphone
    ]


_WHY_LABELS = {
    "pinned": N_("pinned"),
    "inline": N_("inline"),
    "lesson_lexicon": N_("lesson lexicon"),
    "course_lexicon": N_("course lexicon"),
    "rule": N_("rule"),
    "word": N_("word"),
    "dictionary": N_("dictionary"),
    "model": N_("model"),
    "single": N_("single"),
    "sandhi": N_("sandhi"),
}
"""The layer that chose a reading, as the table names it (``--json`` keeps the identifiers)."""


def _show_explanations(console: Console, explanations: list[dict[str, Any]]) -> None:
    from rich.markup import escape

    for item in explanations:
        why = item["why"]
        label = _(_WHY_LABELS[why]) if why in _WHY_LABELS else why.replace("_", " ")
        detail = f": {escape(item['detail'])}" if item["detail"] else ""
        console.print(f"  {escape(item['char'])} [cyan]{item['pinyin']}[/cyan]  {label}{detail}")
    if explanations:
        console.print()


def _verbatim(text: str, syllable: dict[str, Any]) -> bool:
    """The character is the script's own (a Latin word's reading marks the word's ends, but is made)."""
    source = syllable["source"]
    return source is not None and text[source] == syllable["char"]


def _issue_line(text: str, issue: dict[str, Any]) -> str:
    """A markup error as one bounded line: column, a short quote, the message and the fix."""
    quoted = excerpt(text[issue["start"] : issue["end"]] or text[issue["start"] : issue["start"] + 1])
    return _("error: column {column} ({quoted}): {message} ({fix})").format(
        column=issue["start"] + 1, quoted=repr(quoted), message=issue["message"], fix=issue["fix"]
    )


def g2p(
    texts: Annotated[
        list[str] | None, typer.Argument(help=N_("Lines to read; without any, one line per stdin line."))
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help=N_("One JSON object per input line instead of a table."))
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help=N_(
                "Say for each polyphone why it reads as it does: inline override, lesson or course"
                " lexicon, rule, dictionary word, or model."
            ),
        ),
    ] = False,
) -> None:
    """Show how text will be read: normalised text and tone-numbered pinyin per character.

    Characters produced by normalisation (the 十 of "10") are dimmed in the table and have
    "source": null in JSON; verbatim ones carry their index in the input line. Latin words read by
    the built-in English lexicon or spelled letter by letter are listed under "latin_words". Markup errors
    (``[行](hāng2)``, a stray ``]]``) are printed on stderr, one line each, and make the exit code 2:
    the reading shown is then not the one the markup meant. ``--explain`` adds, per polyphone, which
    layer chose its reading, so a teacher knows whether to fix an override, a lexicon entry, or to
    add one (a rule, dictionary word or model choice is the G2P's own).
    """
    lines = _lines(texts)
    from rich.console import Console

    from text_frontend.frontend import FrontEnd  # loads WeTN and the polyphone model

    front_end = FrontEnd()
    console = Console()
    failed = 0
    for line in lines:
        result = front_end.g2p_line(line)
        explanations = _explain(front_end, line) if explain else []
        if explain:
            result["polyphones"] = explanations
        if json_output:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            _show(console, result)
            _show_explanations(console, explanations)
        for issue in result["issues"]:
            typer.echo(_issue_line(line, issue), err=True)
            failed += 1
    if failed:  # after every line was shown: the reading printed is not the one the markup meant
        raise InputError(_("{count} markup error(s), listed above").format(count=failed))
