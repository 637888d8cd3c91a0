"""Settings for flows started inside this process rather than by a worker."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from prefect.context import SettingsContext, get_settings_context

_HEARTBEAT_VARIABLES = ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY")


@contextmanager
def in_process_runs() -> Iterator[None]:
    """Flows started in this process (CLI, web, warm workers, benchmarks) run without Prefect's heartbeat.

    Heartbeats let a server's automation spot a flow run that died silently. A render started here
    reports its own failure to whoever started it, and a warm worker's runs die with it and are
    found by the catalog's own beats (the inbox scan re-submits them). Prefect 3.8's heartbeat
    thread sleeps in one-second steps and is joined when the run ends, which added up to a second
    to every render: more than a fully cached re-render costs otherwise. An operator who sets the
    heartbeat variable explicitly keeps it; runs a process worker starts in their own process keep
    Prefect's default.
    """
    if any(name in os.environ for name in _HEARTBEAT_VARIABLES):
        yield
        return
    current = get_settings_context()
    flows = current.settings.flows.model_copy(update={"heartbeat_frequency": None})
    settings = current.settings.model_copy(update={"flows": flows})
    with SettingsContext(profile=current.profile, settings=settings):
        yield
