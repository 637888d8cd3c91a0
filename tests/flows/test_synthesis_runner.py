"""A deployed render runs as many synthesis workers as the settings say, like a CLI render."""

from __future__ import annotations

import pytest

from flows.render import SynthesisRunner, render_lesson


def _pool_size(runner: SynthesisRunner) -> int:
    executor = runner._executor
    assert executor is not None
    return executor._max_workers


def test_the_deployed_flow_sizes_its_pool_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_SYNTHESIS_WORKERS", "5")
    runner = render_lesson.task_runner.duplicate()  # what Prefect does for each flow run
    assert isinstance(runner, SynthesisRunner)
    with runner:
        assert _pool_size(runner) == 5
    monkeypatch.setenv("LESSONAUDIO_SYNTHESIS_WORKERS", "3")
    with render_lesson.task_runner.duplicate() as again:
        assert isinstance(again, SynthesisRunner)
        assert _pool_size(again) == 3


def test_an_explicit_size_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_SYNTHESIS_WORKERS", "5")
    with SynthesisRunner(4).duplicate() as runner:
        assert _pool_size(runner) == 4
