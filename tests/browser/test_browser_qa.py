"""The QA report of a real render (real voice, real Whisper back-check) in a real headless Chromium: each
segment's player highlights the sentence and the character being spoken, a sentence seeks its player
to it, and one player plays at a time. Opened from disk, as a mailed or downloaded report is, and as
the web app serves it (under its own sandboxing Content-Security-Policy). A screenshot goes to
``test-artifacts/``."""

from __future__ import annotations

import base64
import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.chromium import chromium, require_chromium
from tests.browser.support import fake_app, live_server, new_token, web_settings
from web.tokens import Role

pytestmark = [pytest.mark.slow, pytest.mark.whisper, pytest.mark.usefixtures("prefect_server")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCRIPT = """id: qa-karaoke
title: 勾股定理
course: 测试课程
paragraphs:
  - text: 同学们好！今天我们一起来学习勾股定理。
  - text: 直角三角形两条直角边的平方和，等于斜边的平方。请大家记住这个结论。
"""


@dataclass(frozen=True)
class Rendered:
    out: Path
    folder: Path
    render_id: str
    segments: int


@pytest.fixture(scope="module")
def rendered(render_env: Path, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    require_chromium()  # fail before the (slow) render when the browser is missing
    from flows.render import render_lesson

    root = tmp_path_factory.mktemp("qa-browser")
    spec = root / "lesson.yaml"
    spec.write_text(SCRIPT, encoding="utf-8")
    summary = render_lesson(str(spec), out_dir=str(root / "out"))
    folder = Path(summary.folder)
    report = json.loads((folder / "qa.json").read_text(encoding="utf-8"))
    return Rendered(root / "out", folder, summary.render_id, len(report["segments"]))


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    with chromium(tmp_path / "profile", tmp_path / "downloads") as driver:
        yield driver


def wait(driver: webdriver.Chrome, timeout: float = 30) -> WebDriverWait[webdriver.Chrome]:
    return WebDriverWait(driver, timeout, poll_frequency=0.1)


SPOKEN = """
const row = arguments[0];
const audio = row.querySelector("audio");
const chars = Array.from(row.querySelectorAll(".karaoke-char"));
const now = row.querySelector(".karaoke-char.karaoke-now");
const sentence = row.querySelector(".karaoke-sentence[aria-current]");
return {
  time: audio.currentTime, paused: audio.paused, index: now ? chars.indexOf(now) : -1,
  char: now ? now.textContent : null, sentence: sentence ? sentence.textContent : null,
  inSentence: Boolean(now && sentence && sentence.contains(now)),
};
"""


def spoken(driver: webdriver.Chrome, row: WebElement) -> dict[str, Any]:
    """What this row's player highlights now: the character's place among the row's characters."""
    state: dict[str, Any] = driver.execute_script(SPOKEN, row)
    return state


def rows(driver: webdriver.Chrome) -> list[WebElement]:
    """The table rows whose text follows their player."""
    return driver.find_elements(By.XPATH, "//tr[.//div[contains(@class, 'karaoke')]]")


def chars_of(row: WebElement) -> int:
    return len(row.find_elements(By.CSS_SELECTOR, ".karaoke-char"))


def check_players_follow_their_text(driver: webdriver.Chrome, segments: int) -> None:
    wait(driver).until(lambda d: rows(d) and rows(d)[0].find_elements(By.CSS_SELECTOR, ".karaoke-sentence"))
    followed = rows(driver)
    assert len(followed) == segments
    for row in followed:
        assert row.find_elements(By.CSS_SELECTOR, "button.karaoke-sentence") and chars_of(row) >= 4
    longest, other = sorted(followed, key=chars_of, reverse=True)[:2]

    # Play the longest segment: its characters light up one after another, inside the lit sentence.
    driver.execute_script("arguments[0].querySelector('audio').play();", longest)
    wait(driver).until(lambda d: spoken(d, longest)["index"] >= 0)
    first = spoken(driver, longest)
    assert not first["paused"] and first["inSentence"], first
    wait(driver).until(lambda d: spoken(d, longest)["index"] > first["index"] + 2)
    later = spoken(driver, longest)
    assert later["time"] > first["time"] and later["inSentence"], (first, later)
    assert later["char"] in longest.find_element(By.CSS_SELECTOR, ".karaoke").text

    # A click on another segment's sentence plays that segment from the sentence; the first one stops.
    target = other.find_element(By.CSS_SELECTOR, "button.karaoke-sentence")
    start_s = int(target.get_attribute("data-time") or 0) / 1000
    target.click()
    wait(driver).until(
        lambda d: spoken(d, other)["index"] >= 0 and spoken(d, other)["sentence"] == target.text
    )
    jumped = spoken(driver, other)
    assert not jumped["paused"] and spoken(driver, longest)["paused"], (jumped, spoken(driver, longest))
    assert start_s <= jumped["time"] + 0.05 and jumped["char"] in target.text, (start_s, jumped)
    assert target.get_attribute("aria-current") == "true"

    # Within a segment: past the middle, a click on its sentence seeks back to the sentence's start.
    sentence = longest.find_element(By.CSS_SELECTOR, "button.karaoke-sentence")
    driver.execute_script("arguments[0].querySelector('audio').play();", longest)
    middle = chars_of(longest) // 2
    wait(driver).until(lambda d: spoken(d, longest)["index"] > middle)
    assert spoken(driver, other)["paused"]
    before = spoken(driver, longest)
    sentence_s = int(sentence.get_attribute("data-time") or 0) / 1000
    sentence.click()
    wait(driver).until(lambda d: spoken(d, longest)["time"] < before["time"])
    wait(driver).until(lambda d: 0 <= spoken(d, longest)["index"] < middle)
    back = spoken(driver, longest)
    assert sentence_s - 0.05 <= back["time"] < before["time"] and not back["paused"], (
        sentence_s,
        before,
        back,
    )
    driver.execute_script("arguments[0].querySelector('audio').pause();", longest)
    log: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    errors = [e for e in log if e["level"] == "SEVERE"]
    assert not errors, errors


def shot(driver: webdriver.Chrome, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    image = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    (ARTIFACTS / f"qa-{name}.png").write_bytes(base64.b64decode(image["data"]))


def test_report_opened_from_disk_follows_its_players(browser: webdriver.Chrome, rendered: Rendered) -> None:
    browser.get((rendered.folder / "qa.html").as_uri())
    check_players_follow_their_text(browser, rendered.segments)
    shot(browser, "karaoke")


def test_report_served_by_the_web_app_follows_its_players(
    browser: webdriver.Chrome, rendered: Rendered, tmp_path: Path
) -> None:
    app = fake_app(web_settings(tmp_path, output_dir=rendered.out))
    token = new_token(app, "qa-reviewer", Role.ADMIN)
    with live_server(app) as url:
        address = f"{url}/api/renders/{rendered.render_id}/files/qa.html"
        request = urllib.request.Request(address, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers["Content-Security-Policy"].startswith("sandbox allow-scripts")
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd(
            "Network.setExtraHTTPHeaders", {"headers": {"Authorization": f"Bearer {token}"}}
        )
        browser.get(address)
        assert browser.current_url == address and "勾股定理" in browser.title
        check_players_follow_their_text(browser, rendered.segments)
