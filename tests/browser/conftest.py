"""The Chromium every browser test drives: a fresh profile and downloads folder per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver

from tests.browser.chromium import chromium


@pytest.fixture
def browser_language() -> str | None:
    """The language the browser asks pages for (Accept-Language); None: Chromium's own. A test module
    overrides this fixture to read the page in another language."""
    return None


@pytest.fixture
def browser(tmp_path: Path, browser_language: str | None) -> Iterator[webdriver.Chrome]:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chromium(tmp_path / "profile", downloads, language=browser_language) as driver:
        yield driver
