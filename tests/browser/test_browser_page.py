"""The teachers' page in a real headless Chromium, against the real voice and render flow:
sign in, see inline errors for a broken script, preview a paragraph, render the example lesson,
play it with its text highlighted as it is spoken, and download the MP3. Screenshots go to
``test-artifacts/`` (kept by CI as artifacts)."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from config import Settings
from tests.browser.chromium import by_label, by_role, chromium, require_chromium
from tests.browser.support import EXAMPLE, live_server
from web.app import create_app
from web.services import Services

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_server")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BROKEN = "id: Bad Id\ntitle: 勾股定理\nparagraphs:\n  - text: 在银[行](hang)工作的人\n"
RENDER_TIMEOUT_S = 600


@pytest.fixture(scope="module")
def site(render_env: Path) -> Iterator[tuple[str, str]]:
    require_chromium()  # fail before the (slow) server start when the browser is missing
    settings = Settings(
        output_dir=render_env / "web-browser-out", database_url=f"sqlite:///{render_env / 'web-browser.db'}"
    )
    app = create_app(settings)
    services: Services = app.state.services
    token = services.tokens.create("browser")[1]
    with live_server(app) as url:
        yield url, token


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chromium(tmp_path / "profile", downloads) as driver:
        driver.downloads = downloads  # type: ignore[attr-defined]
        yield driver


def shot(driver: webdriver.Chrome, name: str, scale: float = 1.0) -> None:
    """The whole page, not just the window (CDP: Selenium's Chrome driver has no full-page capture)."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": scale}
    image = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    (ARTIFACTS / f"web-{name}.png").write_bytes(base64.b64decode(image["data"]))


def wait(driver: webdriver.Chrome, timeout: float = 60) -> WebDriverWait[webdriver.Chrome]:
    return WebDriverWait(driver, timeout, poll_frequency=0.25)


def sign_in(driver: webdriver.Chrome, url: str, token: str) -> None:
    driver.get(url)
    by_label(driver, "Teacher token").send_keys(token)
    by_role(driver, "button", "Sign in").click()
    wait(driver).until(lambda d: "Signed in as" in d.page_source)


def audio_duration(driver: webdriver.Chrome, label: str) -> float:
    element = by_label(driver, label)
    value = driver.execute_script("return arguments[0].readyState >= 1 ? arguments[0].duration : 0;", element)
    return float(value or 0)


SPOKEN = """
const audio = arguments[0];
const chars = Array.from(document.querySelectorAll("#lesson-text .karaoke-char"));
const now = document.querySelector("#lesson-text .karaoke-char.karaoke-now");
const sentence = document.querySelector("#lesson-text [aria-current]");
return {
  time: audio.currentTime, paused: audio.paused, index: now ? chars.indexOf(now) : -1,
  char: now ? now.textContent : null, sentence: sentence ? sentence.textContent : null,
  inSentence: Boolean(now && sentence && sentence.contains(now)),
};
"""


def spoken(driver: webdriver.Chrome) -> dict[str, Any]:
    """What the player highlights now: the character's place among the text's characters, and its sentence."""
    state: dict[str, Any] = driver.execute_script(SPOKEN, by_label(driver, "Lesson audio"))
    return state


def check_karaoke(driver: webdriver.Chrome) -> None:
    """Real playback in headless Chromium (autoplay allowed by a flag): the highlight follows the audio."""
    text = by_label(driver, "Lesson text")
    wait(driver).until(lambda d: text.is_displayed() and "勾股定理" in text.text)
    sentences = text.find_elements("css selector", "button.karaoke-sentence")
    assert len(sentences) >= 5
    audio = by_label(driver, "Lesson audio")
    driver.execute_script("arguments[0].play();", audio)
    wait(driver, 15).until(lambda d: spoken(d)["index"] >= 0)
    first = spoken(driver)
    assert not first["paused"] and first["inSentence"], first
    wait(driver, 15).until(lambda d: spoken(d)["index"] > first["index"])
    later = spoken(driver)
    assert later["time"] > first["time"] and later["inSentence"], (first, later)

    # A sentence is a button: Enter on it plays the lesson from that sentence's start.
    target = sentences[3]
    start_s = int(target.get_attribute("data-time") or 0) / 1000
    assert start_s > later["time"] + 1
    target.send_keys(Keys.ENTER)
    wait(driver, 15).until(lambda d: spoken(d)["sentence"] == target.text and spoken(d)["index"] >= 0)
    jumped = spoken(driver)
    assert start_s <= jumped["time"] < start_s + 5 and jumped["char"] in target.text, jumped
    assert target.get_attribute("aria-current") == "true"
    shot(driver, "3-karaoke")
    driver.execute_script("arguments[0].pause();", audio)


def test_teacher_checks_previews_renders_and_downloads(
    browser: webdriver.Chrome, site: tuple[str, str]
) -> None:
    url, token = site
    sign_in(browser, url, token)

    # A broken script: errors inline, with line numbers, before anything runs.
    script = by_label(browser, "Lesson script (YAML)")
    script.send_keys(BROKEN)
    by_role(browser, "button", "Check script").click()
    problems = by_label(browser, "Script problems")
    wait(browser).until(lambda d: "Line 1, column 5" in problems.text)
    assert "Line 4" in problems.text and "no tone" in problems.text
    by_role(browser, "button", "Render lesson").click()  # refused: nothing is submitted
    time.sleep(0.5)
    assert not by_label(browser, "Lesson audio").is_displayed()
    shot(browser, "1-errors")

    # Preview a paragraph with an emotion: the audio element gets real audio.
    Select(by_label(browser, "Emotion")).select_by_visible_text("happy")
    by_role(browser, "button", "Play preview").click()
    wait(browser, 120).until(lambda d: audio_duration(d, "Preview audio") > 0)
    assert audio_duration(browser, "Preview audio") > 1.0
    assert (
        "segment(s)" in by_label(browser, "Emotion").find_element("xpath", "//p[@id='preview-status']").text
    )

    # Upload the example and render it; progress shows while it runs.
    script.clear()
    by_label(browser, "Upload a script file").send_keys(str(EXAMPLE))
    wait(browser).until(lambda d: "The script is valid" in problems.text)
    by_role(browser, "button", "Render lesson").click()
    wait(browser, 30).until(lambda d: d.find_elements("css selector", "#stages progress"))
    wait(browser, RENDER_TIMEOUT_S).until(lambda d: "Finished" in d.find_element("id", "job-status").text)

    # Play it with its text highlighted as it is spoken, and download the MP3.
    wait(browser).until(lambda d: audio_duration(d, "Lesson audio") > 10)
    check_karaoke(browser)
    by_role(browser, "link", "Download MP3").click()
    downloads: Path = browser.downloads  # type: ignore[attr-defined]
    wait(browser).until(lambda d: [p for p in downloads.glob("*.mp3") if p.stat().st_size > 10_000])
    assert by_role(browser, "link", "Download captions (WebVTT)").get_attribute("href")
    table = browser.find_element("id", "renders")
    assert "math-g8-pythagoras" in table.text
    shot(browser, "2-rendered")
    shot(browser, "readme", scale=0.6)  # the source of docs/web.png


def test_sign_in_with_a_wrong_token_says_so(browser: webdriver.Chrome, site: tuple[str, str]) -> None:
    url, _ = site
    browser.get(url)
    by_label(browser, "Teacher token").send_keys("la_not-a-token")
    by_role(browser, "button", "Sign in").click()
    wait(browser).until(lambda d: "unknown or revoked" in d.find_element("id", "sign-in-error").text)
