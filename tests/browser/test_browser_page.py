"""The teachers' page in a real headless Chromium, against the real voice and render flow:
sign in, see inline errors for a broken script, preview a paragraph, render the example lesson,
play it and download the MP3. Screenshots go to ``test-artifacts/`` (kept by CI as artifacts)."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
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

    # Play it, and download the MP3.
    wait(browser).until(lambda d: audio_duration(d, "Lesson audio") > 10)
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
