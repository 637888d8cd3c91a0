"""Checking a pasted script before anything runs: every error with its line, plus reading warnings.

Warnings need the front end (to know what it would skip), so they are computed only for scripts
without errors: a teacher fixes errors first, and a broken script must not cost a model load.
"""

from __future__ import annotations

from dataclasses import dataclass

from engines import voice_names
from lesson_specs import Diagnostic, LessonSpec, SpecError, load_spec
from lesson_specs.pronounceability import pronunciation_warnings
from web.frontend import SharedFrontEnd

SCRIPT_SOURCE = "script.yaml"


@dataclass(frozen=True, slots=True)
class ScriptReport:
    spec: LessonSpec | None
    errors: tuple[Diagnostic, ...]
    warnings: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.spec is not None and not self.errors


class ScriptChecker:
    def __init__(self, front_end: SharedFrontEnd, max_segment_chars: int) -> None:
        self._front_end = front_end
        self._max_segment_chars = max_segment_chars

    @property
    def front_end(self) -> SharedFrontEnd:
        """The one front end of the process, shared with the page's reading view."""
        return self._front_end

    def check(self, script: str, source: str = SCRIPT_SOURCE) -> ScriptReport:
        try:
            spec = load_spec(script, source=source, known_voices=voice_names())
        except SpecError as err:
            warnings = tuple(d for d in err.diagnostics if d.severity == "warning")
            return ScriptReport(None, err.errors, warnings)
        found = pronunciation_warnings(spec, self._front_end.get(), self._max_segment_chars)
        errors = tuple(d for d in found if d.severity == "error")
        return ScriptReport(spec, errors, tuple(d for d in found if d.severity != "error"))
