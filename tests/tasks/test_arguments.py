"""An unwalked task argument reaches the task as it was given: Prefect does not look inside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from prefect import flow, task
from prefect.states import Completed

from tasks.arguments import unwalked


@dataclass(frozen=True)
class Holder:
    inside: Any


@task
def kind_inside(value: Holder) -> str:
    return type(value.inside).__name__


@flow
def pass_it(walked: bool) -> str:
    holder = Holder(Completed(data="the result"))
    return kind_inside(holder if walked else unwalked(holder))


@pytest.mark.usefixtures("prefect_server")
def test_prefect_walks_an_argument_unless_it_is_unwalked() -> None:
    assert pass_it(True) == "str"  # Prefect found the state inside and passed its result instead
    assert pass_it(False) == "State"  # the argument untouched
