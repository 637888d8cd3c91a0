"""The paragraph editor and the reading view in a real headless Chromium, by keyboard: open a script
as paragraphs, edit and reorder them, fix a polyphone by choosing its reading (an inline override)
and another by a lexicon entry, see the YAML keep the teacher's comments, see a validation error on
its paragraph, and pass axe-core (no serious or critical violation) at desktop width and at 375 px
without horizontal scrolling. Screenshots ``docs/web-editor.png`` and ``docs/web-375.png`` are the
README's.

The readings come from the real front end; the preview voice is the fake (this test is about the
page, not the voice). axe-core is fetched from the npm registry at test time (``npm pack``), never
committed; without npm or the registry the axe checks are skipped with the reason.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.chromium import by_label, by_role, require_chromium
from tests.browser.support import fake_app, live_server, new_token, web_settings
from tests.browser.test_browser_docs import RECORD_VIOLATIONS

pytestmark = pytest.mark.slow

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCRIPT = """\
# 第三课：在银行 (keep this comment)
id: lesson-3
title: 第三课
emotion: gentle
paragraphs:
  # the greeting
  - text: 同学们好！
    emotion: happy
  # the bank sentence
  - text: 他在银行工作，每天行走去上班。  # the bank sentence's own comment
  - text: 他说这个很好学。
    pause_after: 1s
  - text: 我们用Kubernetes部署。
# closing remark
"""
AXE_SEVERE = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source(tmp_path_factory: pytest.TempPathFactory) -> str | None:
    """axe.min.js from the npm registry, or None when npm or the registry cannot be reached."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    folder = tmp_path_factory.mktemp("axe")
    try:
        done = subprocess.run(
            [npm, "pack", "axe-core@4", "--silent"], cwd=folder, capture_output=True, text=True, timeout=120
        )
    except subprocess.TimeoutExpired:
        return None
    packed = list(folder.glob("axe-core-*.tgz"))
    if done.returncode != 0 or not packed:
        return None
    with tarfile.open(packed[0]) as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode("utf-8")


@pytest.fixture
def browser_language() -> str:
    """The checks below read the editor's words, which follow the reader's language: Chinese here."""
    return "zh-CN"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, str]]:
    require_chromium()
    app = fake_app(web_settings(tmp_path))
    token = new_token(app, "editor")
    try:
        with live_server(app) as url:
            yield url, token
    finally:
        app.state.services.close()


def wait(driver: webdriver.Chrome, timeout: float = 60) -> WebDriverWait[webdriver.Chrome]:
    return WebDriverWait(driver, timeout, poll_frequency=0.2)


def focused(driver: webdriver.Chrome) -> WebElement:
    element: WebElement = driver.switch_to.active_element
    return element


def press(driver: webdriver.Chrome, element: WebElement, key: str = Keys.ENTER) -> None:
    """Focus ``element`` as Tab would and press ``key`` on it: the keyboard path, not a mouse click."""
    driver.execute_script("arguments[0].focus();", element)
    assert focused(driver) == element
    element.send_keys(key)


def yaml(driver: webdriver.Chrome) -> str:
    value = driver.find_element(By.ID, "script").get_attribute("value")
    return value or ""


def cards(driver: webdriver.Chrome) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, "#paragraph-list > li.paragraph")


def card_text(card: WebElement) -> str:
    return card.find_element(By.TAG_NAME, "textarea").get_attribute("value") or ""


def saved(driver: webdriver.Chrome) -> bool:
    return driver.find_element(By.ID, "editor-status").text != "正在保存…"


def shot(driver: webdriver.Chrome, path: Path, top: WebElement, height: int) -> None:
    """``height`` px of the page from ``top``'s top edge, the page's full width (CDP: Selenium's
    Chrome driver cannot capture beyond the window)."""
    y = driver.execute_script("return arguments[0].getBoundingClientRect().top + window.scrollY;", top)
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": max(0, y - 8), "width": size["width"], "height": height, "scale": 1}
    image = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    path.write_bytes(base64.b64decode(image["data"]))


def axe_violations(driver: webdriver.Chrome, source: str) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    driver.execute_script(source)
    result: dict[str, Any] = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then((r) => done(r), (e) => done({error: String(e)}));"
    )
    assert "error" not in result, result
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in AXE_SEVERE
    ]


def page_width(driver: webdriver.Chrome) -> tuple[int, int]:
    widths: list[int] = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];"
    )
    return widths[0], widths[1]


def test_teacher_edits_paragraphs_and_fixes_a_reading_by_keyboard(
    browser: webdriver.Chrome, site: tuple[str, str], axe_source: str | None
) -> None:
    url, token = site
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
    browser.get(url)
    # The page's own controls by id; the words checked are the Chinese the browser asks for.
    browser.find_element(By.ID, "token").send_keys(token)
    browser.find_element(By.CSS_SELECTOR, "#sign-in-form button[type=submit]").click()
    wait(browser).until(lambda d: d.find_elements(By.ID, "sign-out"))

    # The script goes in the YAML view; one button shows it as paragraphs.
    area = browser.find_element(By.ID, "script")
    browser.execute_script("arguments[0].value = arguments[1];", area, SCRIPT)
    press(browser, by_role(browser, "button", "段落编辑"))
    wait(browser).until(lambda d: len(cards(d)) == 4)
    assert not area.is_displayed()
    first, second, third, _ = cards(browser)
    assert "YAML 第 10 行" in second.text and card_text(second) == "他在银行工作，每天行走去上班。"
    assert Select(third.find_element(By.TAG_NAME, "select")).first_selected_option.text == "默认（温柔）"

    # Keyboard order inside a paragraph: text, emotion, pause, then its buttons.
    text = first.find_element(By.TAG_NAME, "textarea")
    press(browser, text, Keys.END)
    text.send_keys("今天我们学习新课。")
    focused(browser).send_keys(Keys.TAB)
    assert focused(browser).tag_name == "select"
    focused(browser).send_keys(Keys.TAB)
    assert focused(browser).get_attribute("placeholder") == "如 500ms、1s"
    focused(browser).send_keys(Keys.TAB)
    assert focused(browser).text == "试听"
    outline = browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle;", focused(browser))
    assert outline not in ("none", ""), "keyboard focus must be visible"
    wait(browser).until(lambda d: "同学们好！今天我们学习新课。" in yaml(d))

    # Its preview button speaks the paragraph (the fake voice: a short tone) in its own player.
    focused(browser).send_keys(Keys.ENTER)
    player = first.find_element(By.TAG_NAME, "audio")
    wait(browser).until(
        lambda d: d.execute_script(
            "return arguments[0].readyState >= 1 && arguments[0].duration > 0;", player
        )
    )
    assert player.get_attribute("aria-label") == "第 1 段试听音频"
    assert focused(browser).text == "试听", "the keyboard focus stays on the button"

    # Move the third paragraph up, by keyboard: the YAML follows, comments stay with their paragraphs.
    press(browser, third.find_element(By.CSS_SELECTOR, "button[aria-label='上移第 3 段']"))
    wait(browser).until(lambda d: card_text(cards(d)[1]) == "他说这个很好学。")
    wait(browser).until(lambda d: yaml(d).index("他说这个很好学") < yaml(d).index("# the bank sentence"))
    assert focused(browser).get_attribute("aria-label") == "上移第 2 段"

    # The reading view of the bank sentence: 行 is a polyphone; Enter offers its readings.
    bank = cards(browser)[2]
    press(browser, bank.find_element(By.CSS_SELECTOR, "button[aria-label='查看读音（第 3 段）']"))
    reading = bank.find_element(By.CSS_SELECTOR, ".reading")
    wait(browser).until(lambda d: reading.find_elements(By.CSS_SELECTOR, ".cell.fix"))
    hang = reading.find_element(By.CSS_SELECTOR, "button.cell.fix[data-start='3']")
    assert hang.accessible_name == "háng 行 词语 ，多音字，来源：词典词语（银行）"
    assert hang.text.split()[:3] == ["háng", "行", "词语"]  # pinyin over the character, the source below
    xing = reading.find_element(By.CSS_SELECTOR, "button.cell.fix[data-start='9']")
    assert "xíng" in xing.text
    press(browser, hang)
    choices = reading.find_element(By.CSS_SELECTOR, ".choices")
    wait(browser).until(lambda d: choices.is_displayed())
    assert focused(browser).get_attribute("aria-label") == "行（háng）：在本段标注「行」读 háng"
    if DOCS.is_dir():
        shot(browser, DOCS / "web-editor.png", browser.find_element(By.ID, "script-heading"), 1380)
    if axe_source is not None:
        assert axe_violations(browser, axe_source) == []

    # Choosing xíng writes an inline override into the paragraph and the YAML; comments are kept.
    press(
        browser,
        choices.find_element(By.CSS_SELECTOR, "button[aria-label='行（xíng）：在本段标注「行」读 xíng']"),
    )
    wait(browser).until(lambda d: "他在银[行](xing2)工作" in yaml(d))
    assert card_text(cards(browser)[2]) == "他在银[行](xing2)工作，每天行走去上班。"
    script = yaml(browser)
    for comment in (
        "# 第三课：在银行 (keep this comment)",
        "# the greeting",
        "# the bank sentence\n",
        "。 # the bank sentence's own comment\n",
        "# closing remark",
    ):
        assert comment in script, comment
    wait(browser).until(lambda d: "来源：行内标注" in focused(d).accessible_name)
    assert "xíng" in focused(browser).text

    # The other kind of fix: a lexicon entry for the word 好学 (hǎo xué, "easy to learn").
    easy = cards(browser)[1]
    press(browser, easy.find_element(By.CSS_SELECTOR, "button[aria-label='查看读音（第 2 段）']"))
    view = easy.find_element(By.CSS_SELECTOR, ".reading")
    wait(browser).until(lambda d: view.find_elements(By.CSS_SELECTOR, "button.cell.fix[data-start='5']"))
    easy_cell = view.find_element(By.CSS_SELECTOR, "button.cell.fix[data-start='5']")
    press(browser, easy_cell)
    panel = view.find_element(By.CSS_SELECTOR, ".choices")
    wait(browser).until(lambda d: panel.is_displayed())
    focused(browser).send_keys(Keys.ESCAPE)  # closes the choices and goes back to the character
    wait(browser).until(lambda d: not panel.is_displayed())
    assert focused(browser) == easy_cell and easy_cell.get_attribute("aria-expanded") == "false"
    press(browser, easy_cell)
    press(browser, view.find_element(By.CSS_SELECTOR, "button[aria-label='好学：hǎo xué，加入本课词表']"))
    wait(browser).until(lambda d: "lexicon:\n  好学: hao3 xue2\nparagraphs:" in yaml(d))
    wait(browser).until(lambda d: "来源：本课词表" in focused(d).accessible_name)

    # A Latin word that would be spelled letter by letter gets the same fix: say how it is read.
    latin = cards(browser)[3]
    press(browser, latin.find_element(By.CSS_SELECTOR, "button[aria-label='查看读音（第 4 段）']"))
    wait(browser).until(lambda d: latin.find_elements(By.CSS_SELECTOR, "button.cell.fix.latin"))
    word = latin.find_element(By.CSS_SELECTOR, "button.cell.fix.latin")
    assert "逐个字母" in word.accessible_name and "Kubernetes" in word.text
    press(browser, word)
    assert focused(browser) == by_label(browser, "读作")
    focused(browser).send_keys("酷伯内提斯")
    press(browser, by_role(browser, "button", "写入本段"))
    wait(browser).until(lambda d: "我们用[Kubernetes](酷伯内提斯)部署。" in yaml(d))

    # A bad pause: Check script shows the error on its paragraph.
    pause = cards(browser)[0].find_element(By.CSS_SELECTOR, "input[type=text]")
    press(browser, pause, "2 minutes")
    press(browser, browser.find_element(By.ID, "check"))
    problems = cards(browser)[0].find_element(By.CSS_SELECTOR, "ul.problems")
    wait(browser).until(lambda d: "pause_after" in problems.text)
    assert "pause_after: 2 minutes" in yaml(browser)

    # Narrow screen: no horizontal scrolling, and still no serious accessibility problem.
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 375, "height": 812, "deviceScaleFactor": 1, "mobile": True},
    )
    wait(browser, 10).until(lambda d: page_width(d)[1] <= 375)
    scroll, client = page_width(browser)
    assert scroll <= client, f"the page scrolls sideways at 375 px ({scroll} > {client})"
    if DOCS.is_dir():
        shot(browser, DOCS / "web-375.png", cards(browser)[2], 812)
    if axe_source is not None:
        assert axe_violations(browser, axe_source) == []

    # Back to the YAML view, one click: the same script.
    press(browser, by_role(browser, "button", "YAML 源文件"))
    assert area.is_displayed() and "[行](xing2)" in yaml(browser)
    assert browser.execute_script("return window.cspViolations;") == []
    console: list[dict[str, Any]] = browser.get_log("browser")  # type: ignore[no-untyped-call]
    # The page has no favicon; the browser asking for one is not the page's error.
    errors = [e["message"] for e in console if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]]
    assert errors == [], errors
    if axe_source is None:
        pytest.skip("axe-core could not be fetched with `npm pack axe-core` (no npm or no registry)")
