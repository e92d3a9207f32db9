"""``claimcheck serve`` in a real browser: headless Chromium (Debian's package) driven by Selenium.

Starts ``claimcheck serve --port 0`` as a user would, pastes a draft, presses Check, reads the highlights
and the count, applies all safe fixes and checks that the fixed draft lints clean. Screenshots go to the
test's tmp folder. Skips, saying why, when Selenium, Chromium or chromedriver is missing (``.ci/run``
installs them, so CI runs it). No browser is ever downloaded: the driver and browser paths are given.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import lint_text

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1400"]
DRAFT = ("Getting back to the garden\n\n"
         "In last season's survey, 74% of patients reported less back pain within three months.\n\n"
         "Appointments last about 40 minutes.\n")

pytest.importorskip("selenium", reason="Selenium is not installed (pip install -e '.[test]')")
pytest.importorskip("uvicorn", reason="the 'serve' extra is not installed (pip install -e '.[serve]')")
if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
    pytest.skip("no browser: install Debian's chromium and chromium-driver (apt-get install -y chromium "
                "chromium-driver)", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ready  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``claimcheck serve --isolated --port 0`` in a folder of its own; yields the address it prints."""
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "claimcheck", "serve", "--isolated", "--port", "0"],
                                   cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120  # the engine and spaCy load first; the machine may be busy
        found = None
        while found is None and time.monotonic() < deadline and process.poll() is None:
            found = re.search(r"open (http://127\.0\.0\.1:\d+/) in a browser", log.read_text())
            time.sleep(0.2)
        assert found, f"the server did not start: {log.read_text()}"
        yield found.group(1)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def test_paste_check_fix_all_and_the_result_lints_clean(server: str, browser: webdriver.Chrome,
                                                       tmp_path: Path) -> None:
    wait = WebDriverWait(browser, 60)
    browser.get(server)
    assert browser.title == "claimcheck: check a draft"
    browser.find_element(By.ID, "draft").send_keys(DRAFT)
    browser.find_element(By.ID, "check").click()
    count = wait.until(ready.visibility_of_element_located((By.ID, "count")))
    assert count.text == "2 findings (2 errors); 2 safe fixes available."
    marks = browser.find_elements(By.CSS_SELECTOR, "#rendered mark.sev-error")
    assert [mark.text for mark in marks] == ["74% of patients reported less"]
    notes = browser.find_elements(By.CSS_SELECTOR, "#rendered .note")
    assert [note.find_element(By.TAG_NAME, "strong").text for note in notes] == ["CC301", "CC101"]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#rendered button.apply-fix")) == 2
    assert not browser.find_element(By.ID, "download").is_enabled()
    browser.save_screenshot(str(tmp_path / "checked.png"))

    browser.find_element(By.ID, "fix-all").click()
    wait.until(ready.text_to_be_present_in_element((By.ID, "message"), "Applied 2 fixes."))
    assert browser.find_element(By.ID, "count").text == "No findings: the draft follows every rule checked."
    assert not browser.find_elements(By.CSS_SELECTOR, "#rendered mark")
    fixed = browser.find_element(By.ID, "draft").get_attribute("value") or ""
    assert "Individual outcomes vary." in fixed and fixed != DRAFT
    assert lint_text(fixed) == []
    assert browser.find_element(By.ID, "download").is_enabled()
    browser.save_screenshot(str(tmp_path / "fixed.png"))
    assert (tmp_path / "checked.png").stat().st_size > 10_000


def test_bad_input_shows_a_message_on_the_page(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server)
    # A fix for a finding the draft no longer has: the page says so instead of failing.
    browser.execute_script("""
      const button = document.createElement('button');
      button.className = 'apply-fix'; button.dataset.anchor = 'f-gone';
      document.getElementById('rendered').appendChild(button); button.click();""")
    message = WebDriverWait(browser, 30).until(ready.visibility_of_element_located((By.ID, "message")))
    assert message.text == ("Could not check the draft: that finding is no longer in the draft or has no safe "
                            "fix; press Check again")
