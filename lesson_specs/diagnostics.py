"""What the validator tells a teacher: where the problem is and what to type instead."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from errors import InputError
from i18n import _
from text_frontend.excerpt import QUOTE_CHARS, excerpt, one_line

Severity = Literal["error", "warning"]

_QUOTED = re.compile(r"`([^`]*)`")


def _bounded(text: str) -> str:
    """One line, each `quoted` piece of the script cut to an excerpt, the whole capped.

    Messages quote what they complain about (a key, an id, a word), and that can be thousands of
    characters; cutting here, once, keeps every diagnostic one readable line whoever built it.
    """
    quotes_cut = _QUOTED.sub(lambda m: f"`{excerpt(m.group(1), QUOTE_CHARS)}`", text)
    return one_line(quotes_cut)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, printed as ``file:line:col: paragraph N: message (fix)``; line and col are 1-based.

    ``message`` and ``fix`` are kept to one bounded line each (see :func:`_bounded`).
    """

    file: str
    line: int
    col: int
    message: str
    fix: str
    paragraph: int | None = None
    severity: Severity = "error"

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", _bounded(self.message))
        object.__setattr__(self, "fix", _bounded(self.fix))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}: "
        para = _("paragraph {number}: ").format(number=self.paragraph) if self.paragraph is not None else ""
        kind = _("warning: ") if self.severity == "warning" else ""
        said = _("{message} ({fix})").format(message=self.message, fix=self.fix) if self.fix else self.message
        return f"{where}{kind}{para}{said}"


class SpecError(InputError):
    """The only exception loading a lesson script raises; carries every error found, not just the first."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in diagnostics))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")
