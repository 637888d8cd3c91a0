"""Task arguments Prefect hands over as they are, without walking them for futures."""

from __future__ import annotations

from typing import TypeVar, cast

from prefect.utilities.annotations import quote

T = TypeVar("T")


def unwalked(value: T) -> T:
    """Pass ``value`` to a task without Prefect walking every field of it looking for futures.

    Before each task run Prefect walks its arguments twice, once to record upstream runs and once to
    resolve futures, into every tuple and dataclass field. Plans, references, the assembled lesson and
    its check hold no futures, and walking them cost more than the lesson's small tasks themselves.
    Prefect unwraps the quote before the task runs, so the task receives ``value`` itself, which is the
    type this function claims.
    """
    return cast(T, quote(value))
