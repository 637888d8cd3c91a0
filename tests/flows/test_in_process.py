"""Renders started in this process run without Prefect's heartbeat thread, unless asked for."""

from __future__ import annotations

import pytest
from prefect.settings import get_current_settings

from flows.in_process import in_process_runs


def test_heartbeat_is_off_inside_and_restored_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", raising=False)
    monkeypatch.delenv("PREFECT_RUNNER_HEARTBEAT_FREQUENCY", raising=False)
    before = get_current_settings().flows.heartbeat_frequency
    assert before is not None  # Prefect 3.8 sends one every 180 s by default
    with in_process_runs():
        assert get_current_settings().flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency == before


def test_an_operator_who_sets_the_heartbeat_keeps_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")
    before = get_current_settings().flows.heartbeat_frequency
    with in_process_runs():
        assert get_current_settings().flows.heartbeat_frequency == before is not None
