"""One exception tree: every exception the project defines descends from LessonaudioError, and the
tree drawn in errors/__init__.py names each of them."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import errors
from errors import LessonaudioError

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (
    *("app", "asr", "audio", "config", "engines", "flows", "lesson_specs"),
    *("models", "qa", "storage", "tasks", "text_frontend", "web"),
)
# Exceptions that are another library's protocol rather than ours: the HTTP API's own error type is
# how the API answers, and Alembic's migration scripts are loaded by Alembic, not imported.
OUTSIDE = {"web.errors.ApiError"}


def _project_exceptions() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for package in PACKAGES:
        module = importlib.import_module(package)
        names = [package] + [
            info.name
            for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}.")
            if ".migrations." not in info.name
        ]
        for name in names:
            loaded = importlib.import_module(name)
            for value in vars(loaded).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, BaseException)
                    and value.__module__ == name
                    and not value.__name__.startswith("_")
                ):
                    found[f"{name}.{value.__name__}"] = value
    return found


def test_every_project_exception_descends_from_the_root() -> None:
    exceptions = _project_exceptions()
    assert len(exceptions) > 25  # the walk really found the project's exceptions
    strays = sorted(
        name
        for name, cls in exceptions.items()
        if name not in OUTSIDE and not issubclass(cls, LessonaudioError)
    )
    assert strays == []


def test_the_drawn_tree_names_every_exception() -> None:
    drawing = errors.__doc__ or ""
    missing = sorted(
        name
        for name, cls in _project_exceptions().items()
        if name not in OUTSIDE and cls.__name__ not in drawing
    )
    assert missing == []
