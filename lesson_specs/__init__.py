"""Lesson scripts: the YAML format teachers write, its validation, and the example lessons.

The YAML examples live in ``lesson_specs/examples/``; the code here turns a script into a validated,
immutable :class:`LessonSpec` or a :class:`SpecError` listing every problem with its line and fix.
"""

from lesson_specs.diagnostics import Diagnostic, SpecError
from lesson_specs.loader import MAX_PARAGRAPH_CHARS, MAX_SCRIPT_BYTES, load_spec, load_spec_file
from lesson_specs.model import Emotion, LessonSpec, Paragraph, TextOrigin

__all__ = [
    "MAX_PARAGRAPH_CHARS",
    "MAX_SCRIPT_BYTES",
    "Diagnostic",
    "Emotion",
    "LessonSpec",
    "Paragraph",
    "SpecError",
    "TextOrigin",
    "load_spec",
    "load_spec_file",
]
