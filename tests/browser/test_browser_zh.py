"""The whole teachers' loop in a real headless Chromium whose language is Chinese, with the real voice,
render flow and Whisper back-check: sign in, load a script, edit a paragraph, fix a polyphone's
reading by clicking, preview, render and follow its progress, play, download, open the QA report and
jump from a flagged segment back to its paragraph in the editor. Every step's words are checked to be
Chinese. Screenshots go to ``docs/`` (the README shows them) when that folder exists."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from config import Settings
from i18n import _, use_language
from tests.browser.chromium import by_label, by_role, chromium, require_chromium
from tests.browser.support import live_server
from web.app import create_app
from web.page_text import SCRIPT_TEXT
from web.services import Services

pytestmark = [pytest.mark.slow, pytest.mark.whisper, pytest.mark.usefixtures("prefect_server")]

DOCS = Path(__file__).resolve().parents[2] / "docs"
RENDER_TIMEOUT_S = 600
SCRIPT = """# 第三课：在银行
id: zh-bank
title: 在银行
paragraphs:
  - text: 同学们好！今天我们学习新课。
  - text: 他在银行工作，每天走路去上班。
  - text: 请大家记住这个词。
"""
HAN = re.compile(r"[\u4e00-\u9fff]")
# Words that stay as they are in any language: names of formats and of the product.
KEPT = {"lessonaudio", "YAML", "MP3", "WAV", "SRT", "WebVTT", "UTC", "HTTP"}
# The page's words, without what is not the page's own: the script's text and readings (pinyin),
# render ids, file names, lesson ids (muted, in brackets), commands (code) and the teacher's token name.
VISIBLE_WORDS = """
const page = document.body.cloneNode(true);
const others = page.querySelectorAll(
  "script, textarea, code, .reading-line, .muted, audio, .who strong, #jobs td:nth-child(2)");
for (const node of others) node.remove();
return page.innerText;
"""


# The QA report's words: the lesson's id and the recogniser's name (.meta), the transcripts (.line,
# machine output) and the flags' measures left out.
REPORT_WORDS = """
const page = document.body.cloneNode(true);
for (const node of page.querySelectorAll("script, .meta, .line, audio")) node.remove();
return page.textContent;
"""
MEASURES = {"PER", "CER", "dBFS"}
STAGE_NAMES = "return Array.from(document.querySelectorAll('#stages label'), (l) => l.textContent);"


def zh(message: str, **values: object) -> str:
    """``message`` (a page-text key or a template msgid) as a Chinese reader sees it."""
    with use_language("zh-CN"):
        said = _(SCRIPT_TEXT.get(message, message))
    assert HAN.search(said), f"{message!r} has no Chinese translation"
    return said.format(**values) if values else said


def english_words(driver: webdriver.Chrome) -> set[str]:
    text: str = driver.execute_script(VISIBLE_WORDS)
    text = re.sub(r"\d{8}T\d{6}Z-[0-9a-f]+-[0-9a-f]+", " ", text)  # render ids
    text = re.sub(r"[\w-]+\.(?:mp3|wav|srt|vtt|json|html)\b", " ", text)  # file names
    return set(re.findall(r"\b[A-Za-z]{3,}\b", text)) - KEPT


@pytest.fixture(scope="module")
def site(render_env: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    require_chromium()  # fail before the (slow) server start when the browser is missing
    root = tmp_path_factory.mktemp("zh-site")
    with pytest.MonkeyPatch.context() as env:
        # Flag every segment (no speech is quieter than -1 dBFS) so the report has flags to follow
        # back, whatever Whisper hears; no retries, which could only keep the flags anyway.
        env.setenv("LESSONAUDIO_QA_SILENCE_DBFS", "-1")
        env.setenv("LESSONAUDIO_QA_ATTEMPTS", "0")
        settings = Settings(output_dir=root / "out", database_url=f"sqlite:///{root / 'web.db'}")
        app = create_app(settings)
        services: Services = app.state.services
        token = services.tokens.create("ms-wang")[1]
        script = root / "bank.yaml"
        script.write_text(SCRIPT, encoding="utf-8")
        try:
            with live_server(app) as url:
                yield url, token, script
        finally:
            services.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chromium(tmp_path / "profile", downloads, language="zh-CN") as driver:
        driver.downloads = downloads  # type: ignore[attr-defined]
        yield driver


def wait(driver: webdriver.Chrome, timeout: float = 60) -> WebDriverWait[webdriver.Chrome]:
    return WebDriverWait(driver, timeout, poll_frequency=0.25)


def yaml(driver: webdriver.Chrome) -> str:
    return driver.find_element(By.ID, "script").get_attribute("value") or ""


def card(driver: webdriver.Chrome, number: int) -> WebElement:
    return driver.find_elements(By.CSS_SELECTOR, "#paragraph-list > li.paragraph")[number - 1]


def status(driver: webdriver.Chrome, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def shot(driver: webdriver.Chrome, path: Path, scale: float, max_height: int) -> None:
    """The page from its top, its full width (CDP: Selenium's Chrome driver captures only the window)."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], max_height), "scale": scale}
    image = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    path.write_bytes(base64.b64decode(image["data"]))


def render(driver: webdriver.Chrome) -> None:
    """Render the script as it is now, follow the progress in Chinese, and wait for the result."""
    finished = zh("jobFinished", title="在银行", render_id="")[:6]
    by_role(driver, "button", zh("Render lesson")).click()
    wait(driver, 60).until(lambda d: not status(d, "job-status").startswith(finished))
    stages: set[str] = set()

    def done(d: webdriver.Chrome) -> bool:
        # The stages are redrawn every second: read their names in one go, not element by element.
        stages.update(d.execute_script(STAGE_NAMES))
        return status(d, "job-status").startswith(finished)

    wait(driver, RENDER_TIMEOUT_S).until(done)
    assert stages and all(HAN.search(name) for name in stages), stages
    wait(driver).until(lambda d: d.find_element(By.ID, "result").is_displayed())
    assert english_words(driver) == set()


def test_a_chinese_teacher_goes_round_the_whole_loop(
    browser: webdriver.Chrome, site: tuple[str, str, Path]
) -> None:
    url, token, script = site
    browser.get(url)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert english_words(browser) == set()

    # Sign in, and load a script from a file: it is checked at once.
    by_label(browser, zh("Teacher token")).send_keys(token)
    by_role(browser, "button", zh("Sign in")).click()
    wait(browser).until(lambda d: d.find_elements(By.ID, "sign-out"))
    by_label(browser, zh("Upload a script file")).send_keys(str(script))
    wait(browser).until(lambda d: zh("scriptValid") in status(d, "diagnostics"))
    assert english_words(browser) == set()

    # A first render, so that the second one shows what it did not have to do again.
    render(browser)
    wait(browser).until(lambda d: status(d, "resynthesised") == zh("resynthesised", fresh=3, total=3))

    # Edit the first paragraph in the paragraph editor: the YAML follows.
    by_role(browser, "button", zh("viewParagraphs")).click()
    wait(browser).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#paragraph-list > li")) == 3)
    assert zh("paragraph", n=2) in card(browser, 2).text and zh("line", n=6) in card(browser, 2).text
    card(browser, 1).find_element(By.TAG_NAME, "textarea").send_keys("我们开始吧。")
    wait(browser).until(lambda d: "今天我们学习新课。我们开始吧。" in yaml(d))
    wait(browser).until(lambda d: status(d, "editor-status") == zh("saved"))

    # The reading of the second paragraph: 行 in 银行 is a polyphone; one click fixes its reading.
    bank = card(browser, 2)
    bank.find_element(By.CSS_SELECTOR, f"button[aria-label='{zh('readingLabel', n=2)}']").click()
    wait(browser).until(lambda d: bank.find_elements(By.CSS_SELECTOR, "button.cell.fix[data-start='3']"))
    hang = bank.find_element(By.CSS_SELECTOR, "button.cell.fix[data-start='3']")
    assert zh("cellPolyphone", source="")[:4] in hang.accessible_name
    hang.click()
    choices = bank.find_element(By.CSS_SELECTOR, ".choices")
    wait(browser).until(lambda d: choices.is_displayed())
    assert zh("choose", char="行") in choices.text and zh("chooseHelp") in choices.text
    label = zh("asOverrideLabel", char="行", pinyin="háng")
    choices.find_element(By.CSS_SELECTOR, f"button[aria-label='{label}']").click()
    wait(browser).until(lambda d: "他在银[行](hang2)工作" in yaml(d))
    wait(browser).until(lambda d: status(d, "editor-status") == zh("fixedOverride", char="行", pinyin="háng"))
    assert "# 第三课：在银行" in yaml(browser)  # the teacher's comment is kept
    assert english_words(browser) == set()

    # Preview the edited paragraph with the real voice.
    first = card(browser, 1)
    first.find_element(By.CSS_SELECTOR, f"button[aria-label='{zh('previewLabel', n=1)}']").click()
    player = first.find_element(By.TAG_NAME, "audio")
    wait(browser, 120).until(
        lambda d: d.execute_script("return arguments[0].readyState >= 1 && arguments[0].duration;", player)
    )
    assert player.get_attribute("aria-label") == zh("previewAudio", n=1)
    assert zh("previewDone") in status(browser, f"p{first.get_attribute('data-key')}-status")

    # One more change, not previewed: the last paragraph gets a sentence.
    card(browser, 3).find_element(By.TAG_NAME, "textarea").send_keys("谢谢大家！")
    wait(browser).until(lambda d: "请大家记住这个词。谢谢大家！" in yaml(d))

    # Render again: the unchanged paragraph, the one whose reading was written out as it was read,
    # and the one just previewed come from the cache; only the last is synthesised, and the page says so.
    render(browser)
    assert status(browser, "resynthesised") == zh("resynthesised", fresh=1, total=3)
    shot_wanted = DOCS.is_dir()

    # Play the lesson: its text follows in Chinese; download the MP3.
    audio = by_label(browser, zh("Lesson audio"))
    wait(browser).until(lambda d: d.execute_script("return arguments[0].duration > 2;", audio))
    browser.execute_script("arguments[0].play();", audio)
    wait(browser, 15).until(lambda d: d.execute_script("return arguments[0].currentTime > 0.5;", audio))
    wait(browser).until(lambda d: "我们开始吧" in d.find_element(By.ID, "lesson-text").text)
    browser.execute_script("arguments[0].pause();", audio)
    by_role(browser, "link", zh("file.lesson.mp3")).click()
    downloads: Path = browser.downloads  # type: ignore[attr-defined]
    wait(browser).until(lambda d: [p for p in downloads.glob("*.mp3") if p.stat().st_size > 10_000])
    assert english_words(browser) == set()
    if shot_wanted:
        shot(browser, DOCS / "web-zh.png", 0.6, 4000)

    # The QA report opens beside the page; a flagged segment's link brings the teacher back to the
    # paragraph in the editor.
    page = browser.current_window_handle
    by_role(browser, "link", zh("file.qa.html")).click()
    wait(browser).until(lambda d: len(d.window_handles) == 2)
    browser.switch_to.window(next(h for h in browser.window_handles if h != page))
    wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "a.to-editor[data-paragraph='2']"))
    report: str = browser.execute_script(REPORT_WORDS)
    assert zh("Paragraph {n}", n=2) in report and zh("Edit paragraph {n}", n=2) in report
    assert set(re.findall(r"\b[A-Za-z]{3,}\b", report)) - MEASURES == set(), report
    row = browser.find_element(By.CSS_SELECTOR, "tr.flag[data-paragraph='2']")
    row.find_element(By.CSS_SELECTOR, "a.to-editor").click()
    browser.switch_to.window(page)
    wait(browser).until(lambda d: status(d, "editor-status") == zh("qaParagraph", n=2))
    focused = browser.switch_to.active_element
    assert focused == card(browser, 2).find_element(By.TAG_NAME, "textarea")
    assert "他在银[行](hang2)工作" in (focused.get_attribute("value") or "")
    assert english_words(browser) == set()

    # A phone's width: the same page, still Chinese.
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 375, "height": 812, "deviceScaleFactor": 1, "mobile": True},
    )
    wait(browser, 10).until(lambda d: d.execute_script("return document.documentElement.clientWidth;") <= 375)
    assert english_words(browser) == set()
    if shot_wanted:
        browser.execute_script("window.scrollTo(0, 0);")
        shot(browser, DOCS / "web-zh-375.png", 1, 2400)
    console = browser.get_log("browser")  # type: ignore[no-untyped-call]
    errors = [e["message"] for e in console if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]]
    assert errors == [], errors
