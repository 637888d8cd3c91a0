"""Warnings for text that would be silently skipped: a Latin word, an emoji, a stray symbol.

These are warnings, not errors: the lesson still renders, but the teacher should know that
"Python" will not be heard unless the lexicon says how to say it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lesson_specs.diagnostics import Diagnostic
from lesson_specs.model import LessonSpec

if TYPE_CHECKING:
    from text_frontend.frontend import FrontEnd


def unspoken_warnings(spec: LessonSpec, front_end: FrontEnd) -> list[Diagnostic]:
    """One warning per span of paragraph text that the front end would not pronounce."""
    found: list[Diagnostic] = []
    for paragraph in spec.paragraphs:
        analysis = front_end.analyze(paragraph.text, spec.lexicon)
        for span in analysis.unspoken:
            line, col = paragraph.origin.at(span.start)
            word = span.text.strip() or span.text
            found.append(
                Diagnostic(
                    spec.source,
                    line,
                    col,
                    f"`{word}` will not be pronounced",
                    f"add a lexicon entry such as `{word}: 读法` or write [{word}](读法) inline",
                    paragraph.number,
                    "warning",
                )
            )
    return found
