"""What the validator tells a teacher: where the problem is and what to type instead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, printed as ``file:line:col: paragraph N: message (fix)``; line and col are 1-based."""

    file: str
    line: int
    col: int
    message: str
    fix: str
    paragraph: int | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}: "
        para = f"paragraph {self.paragraph}: " if self.paragraph is not None else ""
        kind = "warning: " if self.severity == "warning" else ""
        fix = f" ({self.fix})" if self.fix else ""
        return f"{where}{kind}{para}{self.message}{fix}"


class SpecError(Exception):
    """The only exception loading a lesson script raises; carries every error found, not just the first."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in diagnostics))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")
