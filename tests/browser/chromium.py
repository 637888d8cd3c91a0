"""Headless Debian Chromium driven by Selenium through Debian's matching ``chromedriver``.

Why Selenium + chromium-driver rather than Playwright: Debian ships the browser and its driver as one
version pair, so an upgrade of either can never break the protocol between them, and nothing is
downloaded at test time. A missing browser fails the test with the install command, never a skip.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL = "apt-get update && apt-get install -y chromium chromium-driver fonts-noto-cjk"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--autoplay-policy=no-user-gesture-required",
    "--window-size=1100,1500",
)


def require_chromium() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists() and not shutil.which(p.name)]
    if missing:
        pytest.fail(
            f"the browser tests need {', '.join(missing)}; install them with: {INSTALL}", pytrace=False
        )


@contextmanager
def chromium(profile: Path, downloads: Path, language: str | None = None) -> Iterator[webdriver.Chrome]:
    """``language``: the browser's UI language and Accept-Language (e.g. ``zh-CN``); None: Chromium's."""
    require_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console messages, for get_log
    prefs: dict[str, object] = {
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
    }
    if language:
        options.add_argument(f"--lang={language}")
        prefs["intl.accept_languages"] = f"{language},{language.split('-')[0]}"
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        yield driver
    finally:
        driver.quit()


def by_label(driver: webdriver.Chrome, text: str) -> WebElement:
    """The form control a visible <label> names, or the element with that aria-label: how a user
    (and a screen reader) finds it, so an unlabelled control fails the test."""
    labels = driver.find_elements(By.XPATH, f"//label[normalize-space()={_xpath_literal(text)}]")
    if labels:
        target = labels[0].get_attribute("for")
        assert target, f"label {text!r} is not tied to a control"
        return driver.find_element(By.ID, target)
    return driver.find_element(By.CSS_SELECTOR, f"[aria-label={_css_string(text)}]")


def by_role(driver: webdriver.Chrome, role: str, name: str) -> WebElement:
    """A button or link by its accessible name (its text)."""
    tag = {"button": "button", "link": "a"}[role]
    return driver.find_element(By.XPATH, f"//{tag}[normalize-space()={_xpath_literal(name)}]")


def _xpath_literal(text: str) -> str:
    return f'"{text}"' if '"' not in text else f"'{text}'"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
