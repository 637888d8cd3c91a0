"""Shared test set-up: an isolated cache and output folder, and one temporary Prefect server per session.

Prepared models are shared with the machine (they are large, hash-checked and read-only), but the
segment cache, Prefect's database and outputs are per test session, so tests never see a previous
run's cache hits and never write into the user's folders.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import Settings
from tests.mounts import Mount, tmpfs_mounts


@pytest.fixture(scope="session")
def models_dir() -> Path:
    """The machine's prepared models (``make test`` runs ``lessonaudio models prepare`` first)."""
    return Settings().resolved_models_dir


@pytest.fixture(scope="session")
def render_env(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[Path]:
    """Environment for tests that run the render flow: isolated cache_dir, shared models."""
    root = tmp_path_factory.mktemp("lessonaudio")
    saved = {k: os.environ.get(k) for k in ("LESSONAUDIO_CACHE_DIR", "LESSONAUDIO_MODELS_DIR")}
    os.environ["LESSONAUDIO_CACHE_DIR"] = str(root / "cache")
    os.environ["LESSONAUDIO_MODELS_DIR"] = str(models_dir)
    yield root
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def prefect_server(render_env: Path) -> Iterator[None]:
    """A temporary Prefect server and database for the whole session (started once: ~10 s)."""
    from app.prefect_env import quiet_prefect

    quiet_prefect()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session", autouse=True)
def stop_shared_prefect_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A render run as a command leaves its cache folder's Prefect server running for the next one:
    stop those that tests started, all of which live in this session's temporary folders."""
    yield
    from app.shared_server import stop_servers_under

    stop_servers_under(tmp_path_factory.getbasetemp())


@pytest.fixture(autouse=True)
def stop_test_prefect_servers(request: pytest.FixtureRequest) -> Iterator[None]:
    """The same for one test's own folder, as soon as it ends: servers must not pile up meanwhile."""
    folder: Path | None = request.getfixturevalue("tmp_path") if "tmp_path" in request.fixturenames else None
    yield
    if folder is not None:
        from app.shared_server import stop_servers_under

        stop_servers_under(folder)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Mount]:
    """Mount small tmpfs file systems for the test (see ``tests/mounts.py``)."""
    yield from tmpfs_mounts(tmp_path)
