"""The page's "Render jobs" table follows a job without a reload: it shows the job once submitted, and
its state as it changes (fake renderer, real Chromium: the subject is the page's script)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.chromium import by_label, by_role, require_chromium
from tests.browser.support import EXAMPLE, FakeRunner, fake_app, live_server, new_token, web_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    require_chromium()
    root = tmp_path_factory.mktemp("jobs-page")
    settings = web_settings(root, web_language="en")
    app = fake_app(settings, FakeRunner(settings.output_dir, delay_s=3.0))
    with live_server(app) as url:
        yield url, new_token(app)


def jobs_rows(driver: webdriver.Chrome) -> list[str]:
    """The rows' text read in one script: the table is redrawn while a job runs, so element
    references taken one by one can go stale between reads."""
    rows: list[str] = driver.execute_script(
        "return Array.from(document.querySelectorAll('#jobs tbody tr'), r => r.innerText.trim());"
    )
    return rows


def test_the_jobs_table_follows_a_submitted_job(browser: webdriver.Chrome, site: tuple[str, str]) -> None:
    url, token = site
    wait = WebDriverWait(browser, 30, poll_frequency=0.2)
    browser.get(url)
    by_label(browser, "Teacher token").send_keys(token)
    by_role(browser, "button", "Sign in").click()
    wait.until(lambda d: "Signed in as" in d.page_source)
    assert jobs_rows(browser) == ["No render jobs yet."]

    script = by_label(browser, "Lesson script (YAML)")
    browser.execute_script("arguments[0].value = arguments[1];", script, EXAMPLE.read_text(encoding="utf-8"))
    by_role(browser, "button", "Render lesson").click()
    # Drawn again while the job runs (the fake renderer takes 3 s), then when it has finished.
    wait.until(lambda d: any(r.endswith(("queued", "running")) for r in jobs_rows(d)))
    assert "math-g8-pythagoras" in jobs_rows(browser)[0]
    wait.until(lambda d: jobs_rows(d)[0].endswith("finished"))
    href = browser.execute_script("const a = document.querySelector('#jobs tbody tr a'); return a && a.href;")
    assert "/files/lesson.mp3?download=true" in (href or "")
