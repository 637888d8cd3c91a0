"""Progress reporting from inside a flow run to whoever started it (the CLI's progress bars).

A flow's parameters must be serialisable, so a reporter cannot be passed as one; instead the caller
sets it in a context variable before calling the flow in-process. Deployed runs have no reporter and
get the silent default.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

from i18n import N_, _

STAGE_LABELS = {
    "front end": N_("front end"),
    "synthesis": N_("synthesis"),
    "assemble": N_("assemble"),
    "back-check": N_("back-check"),
    "publish": N_("publish"),
}
"""What a progress bar calls each stage; the stage names flows report stay as they are."""


def stage_label(stage: str) -> str:
    """``stage`` as a progress bar shows it, in the reader's language."""
    return _(STAGE_LABELS[stage]) if stage in STAGE_LABELS else stage


class Reporter(Protocol):
    def start(self, stage: str, total: int) -> None: ...

    def advance(self, stage: str, amount: int = 1) -> None: ...

    def finish(self, stage: str) -> None: ...


class SilentReporter:
    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, stage: str, amount: int = 1) -> None:
        pass

    def finish(self, stage: str) -> None:
        pass


_current: ContextVar[Reporter | None] = ContextVar("lessonaudio_reporter", default=None)
_SILENT = SilentReporter()


def reporter() -> Reporter:
    return _current.get() or _SILENT


@contextmanager
def reporting_to(target: Reporter) -> Iterator[None]:
    token = _current.set(target)
    try:
        yield
    finally:
        _current.reset(token)
