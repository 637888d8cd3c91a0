"""Shared test set-up: an isolated cache and output folder, one temporary Prefect server per session,
and the markers that split the suite into tiers.

Prepared models are shared with the machine (they are large, hash-checked and read-only), and so is
WeTN's compiled grammar (it depends only on WeTN's version), but the segment cache, Prefect's
database and outputs are per test session, so tests never see a previous run's cache hits and never
write into the user's folders.

Tiers: ``make test`` runs everything; ``make test-fast`` leaves out what needs a prepared model,
Chromium or servers of its own (markers in ``pyproject.toml``). Markers come from what a test uses,
so a new test is placed without anyone remembering to mark it: asking for ``render_env`` or importing
``tests.voice_fixtures``'s loaders means the real voice, ``models_dir`` the prepared files, anything
under ``tests/browser/`` Chromium. A module
whose render tests only need *a* voice lists them in ``pytest.mark.tiny_voice(...)``: each then runs
twice, with the real voice (``make test``) and with the tiny one of ``tests/tiny_voice.py`` (both tiers).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# With PYTHONDONTWRITEBYTECODE set (common in containers) every test process and every command a
# test runs compiles the project and the tests from source again: about a third of each worker's
# collection and much of each command's start-up. The setting's point is no __pycache__ folders in
# the tree, so the bytecode goes to one folder under pytest's own cache instead, for children too.
if sys.dont_write_bytecode:
    _PYCACHE = str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "pycache")
    sys.dont_write_bytecode = False
    sys.pycache_prefix = _PYCACHE
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = _PYCACHE

from config import Settings
from tests.mounts import Mount, tmpfs_mounts

# Tests read messages in English whatever the machine's locale (and a web client that sends no
# Accept-Language gets English); tests/test_i18n.py and tests/web/test_web_language.py set their own.
os.environ["LESSONAUDIO_LANG"] = "en"
os.environ["LESSONAUDIO_WEB_LANGUAGE"] = "en"

_VOICES = ("baker", "tiny")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests a module names in ``tiny_voice`` with both voices."""
    marker = metafunc.definition.get_closest_marker("tiny_voice")
    if marker is None:
        return
    unknown = [name for name in marker.args if not callable(getattr(metafunc.module, name, None))]
    if unknown:
        raise pytest.UsageError(f"{metafunc.module.__name__}: tiny_voice names no test {unknown[0]!r}")
    if metafunc.function.__name__ not in marker.args:
        return
    if "render_env" not in metafunc.fixturenames:
        raise pytest.UsageError(
            f"{metafunc.function.__name__}: a tiny_voice test renders, so asks for render_env"
        )
    metafunc.parametrize("voice_under_test", _VOICES, indirect=True)


def _imports_the_real_voice(item: pytest.Item) -> bool:
    """The module imported ``tests.voice_fixtures``'s loaders of the prepared voice."""
    from tests import voice_fixtures

    loaders = {
        id(voice_fixtures.baker_engine),
        id(voice_fixtures.baker_models_dir),
        id(voice_fixtures.copy_models),
    }
    module = getattr(item, "module", None)
    return module is not None and any(id(value) in loaders for value in vars(module).values())


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser = Path(__file__).parent / "browser"
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        voice = callspec.params.get("voice_under_test", "baker") if callspec is not None else "baker"
        if voice != "tiny":  # the tiny variant's models dir is empty: it cannot use a prepared model
            if "render_env" in used or _imports_the_real_voice(item):
                item.add_marker(pytest.mark.real_voice)
            if "models_dir" in used:
                item.add_marker(pytest.mark.prepared_models)
        if browser in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def voice_under_test(request: pytest.FixtureRequest) -> Iterator[str]:
    """``baker`` (the prepared voice, untouched) unless a ``tiny_voice`` test runs its tiny variant.

    The tiny variant replaces the ``baker`` voice in this process and points the models dir at an
    empty folder, so anything that still reaches for the real model fails instead of using it.
    """
    voice: str = getattr(request, "param", "baker")
    if voice != "tiny":
        yield voice
        return
    from tests.tiny_voice import use_tiny_voice  # ONNX Runtime is loaded only by tests that use it

    monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
    empty = request.getfixturevalue("tmp_path_factory").mktemp("no-models")
    for _ in use_tiny_voice(monkeypatch, empty):
        yield voice


# Read before any fixture points LESSONAUDIO_CACHE_DIR at a temporary folder: the models live in the
# machine's cache, and a session that asked for the isolated cache first must still find them.
_MACHINE_MODELS_DIR = Settings().resolved_models_dir
_MACHINE_CACHE_ENV = {name: os.environ.get(name) for name in ("LESSONAUDIO_CACHE_DIR", "XDG_CACHE_HOME")}


@pytest.fixture(scope="session")
def models_dir() -> Path:
    """The machine's prepared models (``make test`` runs ``lessonaudio models prepare`` first)."""
    return _MACHINE_MODELS_DIR


@contextmanager
def _environ(**values: str | None) -> Iterator[None]:
    """Set (or, for ``None``, unset) variables for the duration of the block."""
    saved = {key: os.environ.get(key) for key in values}
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _machine_wetn_fsts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The machine's compiled WeTN grammar (the folder ``FrontEnd()`` uses outside tests), built if missing.

    Compiling it costs ~5 s of CPU, so every xdist worker compiling its own would be paid once per
    core and run; the grammar depends only on WeTN's version and our options, like a prepared model.
    Workers of one run share the temporary root, so one builds while the others wait for it.
    """
    from filelock import FileLock

    from text_frontend.normalize import wetn

    with _environ(**_MACHINE_CACHE_ENV):
        root = wetn.default_cache_dir()
    folder = root / wetn._options_key()
    if not all((folder / name).is_file() for name in wetn._FST_FILES):
        with FileLock(tmp_path_factory.getbasetemp().parent / "wetn-build.lock"):
            wetn.WeTextNormalizer(root)  # builds unless another worker finished first; then just loads
    return folder


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An isolated cache_dir for the session; needs no model, so asking for it keeps a test fast.

    It starts with a copy of the compiled WeTN grammar (nothing of a previous session's renders):
    building an empty folder's grammar is ``tests/text_frontend/test_normalize.py``'s business.
    """
    root = tmp_path_factory.mktemp("lessonaudio")
    fsts = _machine_wetn_fsts(tmp_path_factory)
    shutil.copytree(fsts, root / "cache" / "wetn" / fsts.name)
    with _environ(LESSONAUDIO_CACHE_DIR=str(root / "cache")):
        yield root


@pytest.fixture(scope="session")
def render_env(session_cache: Path, models_dir: Path) -> Iterator[Path]:
    """Environment for tests that run the render flow: isolated cache_dir, shared models."""
    with _environ(LESSONAUDIO_MODELS_DIR=str(models_dir)):
        yield session_cache


@pytest.fixture(scope="session")
def prefect_server(session_cache: Path) -> Iterator[None]:
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
