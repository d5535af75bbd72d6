"""`quotes serve` in a real browser: headless Chromium driven by Selenium searches, opens a hit, opens a
speaker and verifies a claim on a server that this test starts on a free loopback port and stops.

Needs Debian's `chromium` and `chromium-driver` (.ci/run installs them) and the `browser` extra (Selenium,
Flask); skipped with the reason where either is missing. The browser gets a fresh profile and the flags that
keep it off the network (no updates, sync or QUIC), since nothing outside this machine can be reached.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotes.cli import app

webdriver = pytest.importorskip("selenium.webdriver", reason="needs the browser extra: pip install -e '.[browser]'")
pytest.importorskip("flask", reason="needs the web extra: pip install -e '.[web]'")

from selenium.webdriver.common.by import By  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
ARTICLES = Path(__file__).parent / "data" / "workbench_articles.jsonl"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1200,900")

pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="needs Debian's chromium and chromium-driver (apt-get install -y chromium "
                                       "chromium-driver)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`quotes serve` in its own process on a free loopback port; stopped at the end."""
    index_dir = tmp_path_factory.mktemp("browser") / "ix"
    result = CliRunner().invoke(app, ["index", str(ARTICLES), "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "quotes", "serve", "--port", str(port), "--index-dir",
                                str(index_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"quotes serve did not start: {process.stderr.read().decode()[-500:]}")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('profile')}")
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=DRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_search_click_a_hit_open_the_speaker(server, browser):
    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("bridge OR budget OR schools")
    browser.find_element(By.ID, "go").click()
    assert "quotations" in browser.find_element(By.ID, "summary").text
    marked = [m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, ".hit mark")]
    assert "bridge" in marked and "budget" in marked
    hit = next(a for a in browser.find_elements(By.CSS_SELECTOR, ".hit a.words") if "rebuild" in a.text)
    hit.click()
    assert "/quote/" in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, "#paragraph mark.quote").text.startswith("We will rebuild")
    assert browser.find_element(By.CSS_SELECTOR, "#paragraph u.mention").text == "Holt"
    assert "We will repair" in browser.find_element(By.CSS_SELECTOR, ".variants").text
    browser.find_element(By.ID, "speaker").click()
    assert browser.find_element(By.ID, "speaker-name").text == "Jane Holt"
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")) == 3


def test_a_script_in_a_quotation_shows_as_text(server, browser):
    browser.get(server + "/?q=teach")
    words = browser.find_element(By.CSS_SELECTOR, ".hit a.words").text
    assert "<script>alert('owned')</script>" in words
    assert browser.execute_script("return document.querySelectorAll('main script').length") == 0


def test_verify_a_claim(server, browser):
    browser.get(server + "/verify")
    browser.find_element(By.ID, "claim").send_keys("We will rebuild each bridge in this state before the winter")
    browser.find_element(By.ID, "credited").send_keys("Jane Holt")
    browser.find_element(By.ID, "check").click()
    assert browser.find_element(By.ID, "verdict").text == "close"
    assert browser.find_element(By.CSS_SELECTOR, ".diff del").text == "each"
    assert browser.find_element(By.CSS_SELECTOR, ".diff ins").text == "every"
