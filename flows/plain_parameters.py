"""Flows whose parameters are plain JSON values record them without loading FastAPI.

Prefect stores a flow run's parameters after passing each through FastAPI's ``jsonable_encoder``,
imported on first use. For a command-line render that import is the largest single piece of work
between starting the run and rendering, while its parameters are strings, booleans and None, which
the encoder returns unchanged. Such values are stored as they are here; any other value still goes
through Prefect's own serialisation, so what the server records is the same either way.
"""

from __future__ import annotations

from typing import Any, ParamSpec, TypeVar

from prefect import Flow

P = ParamSpec("P")
R = TypeVar("R")

_PLAIN = frozenset({str, bool, int, float, type(None)})
"""Exact types only: a subclass (an enum, say) may be encoded differently."""


class PlainParameterFlow(Flow[P, R]):
    """A :class:`prefect.Flow` that records plain parameters without FastAPI's encoder."""

    def serialize_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        if all(type(value) in _PLAIN for value in parameters.values()):
            return dict(parameters)
        return super().serialize_parameters(parameters)

    def with_options(self, *args: Any, **kwargs: Any) -> Flow[P, R]:
        return plain_parameters(super().with_options(*args, **kwargs))


def plain_parameters(flow: Flow[P, R]) -> Flow[P, R]:
    """Put under ``@flow``: the same flow (name, entrypoint, options), recording plain parameters cheaply.

    ``@flow`` stays the decorator Prefect reads from the source when it inspects an entrypoint.
    """
    flow.__class__ = PlainParameterFlow
    return flow
