"""The venv the tests run in holds exactly the versions ``requirements.lock`` pins.

A fresh install must get what the tests passed with: ``make`` installs from the lock, and this test
fails when the venv drifted from it (an unlocked install, or a lock edited without reinstalling).
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9._-]+(?:\[[^\]]*\])?)==([^\s;]+)\s*(?:;\s*(.+))?$")


def _pins() -> dict[str, str]:
    """Locked name -> version for this interpreter and platform (lines whose marker applies)."""
    pins: dict[str, str] = {}
    for line in LOCK.read_text("utf-8").splitlines():
        match = _PIN.match(line.strip())
        if match is None:
            continue
        name, version, marker = match.groups()
        if marker and not Marker(marker).evaluate():
            continue
        pins[canonicalize_name(name.split("[")[0])] = version
    return pins


def test_every_locked_package_is_installed_at_its_locked_version() -> None:
    pins = _pins()
    assert len(pins) > 100, "the lock looks truncated"
    wrong = {}
    for name, version in pins.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"venv differs from requirements.lock (locked, installed): {wrong}; run `make venv`"


def test_the_lock_covers_every_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]
    pins = _pins()
    for requirement in declared:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements.lock; run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside {requirement}; run `make lock`"
        )


def test_sqlalchemy_is_held_below_the_release_that_breaks_prefects_scheduler() -> None:
    assert sys.version_info[:2] == (3, 11)
    assert metadata.version("sqlalchemy").startswith("2.0.")
