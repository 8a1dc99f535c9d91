"""``study serve`` in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) driven by Selenium opens the page, answers a card by keys, and the
answer is in the database; on a non-local address a request without the token is refused.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()),
    reason="needs Debian's chromium and chromium-driver "
    "(apt-get install -y chromium chromium-driver; .ci/run installs them)",
)

DECK = """\
title: Tiny
cards:
  - id: one
    front: Capital of Vietnam?
    back: Hanoi
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, server: subprocess.Popen[str], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"study serve exited: {server.communicate()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("study serve did not start listening")


def status(url: str, **headers: str) -> int:
    try:
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


class Served:
    """A running ``study serve`` over a temporary data folder with the tiny deck."""

    def __init__(self, tmp_path: Path, host: str) -> None:
        self.data = tmp_path / "data"
        decks = tmp_path / "decks"
        decks.mkdir()
        (decks / "tiny.yaml").write_text(DECK, encoding="utf-8")
        self.port = free_port()
        env = {**os.environ, "STUDY_HOME": str(self.data), "TZ": "UTC"}
        command = [sys.executable, "-m", "study", "--data", str(self.data), "--decks", str(decks)]
        self.process = subprocess.Popen(
            [*command, "serve", "--host", host, "--port", str(self.port)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_listening(self.port, self.process)

    def stop(self) -> str:
        self.process.terminate()
        out, err = self.process.communicate(timeout=20)
        return out + err


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1000,700",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=DriverService(str(CHROMEDRIVER)), options=options)
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    try:
        yield browser
    finally:
        browser.quit()


RECORDER = """
window.__studyOut = '';
const Socket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new Socket(...args);
  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') {
      window.__studyOut += new TextDecoder().decode(event.data);
    }
  });
  return socket;
};
window.WebSocket.prototype = Socket.prototype;
"""
"""Keeps what the app writes to the page's terminal, which xterm.js draws on a canvas."""


def screen_text(browser: object) -> str:
    """Everything the app has written to the terminal so far (escape sequences and all)."""
    return str(browser.execute_script("return window.__studyOut || '';"))  # type: ignore[attr-defined]


def wait_for(browser: object, text: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in screen_text(browser):
            return
        time.sleep(0.2)
    pytest.fail(f"{text!r} never appeared; the app wrote:\n{screen_text(browser)[-2000:]!r}")


def reviews(data: Path) -> list[tuple[str, int, str]]:
    with sqlite3.connect(data / "progress.sqlite3") as db:
        return list(db.execute("SELECT item, rating, mode FROM review ORDER BY id"))


def wait_reviews(data: Path, timeout: float = 30.0) -> list[tuple[str, int, str]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = reviews(data)
        except sqlite3.OperationalError:
            found = []
        if found:
            return found
        time.sleep(0.2)
    return []


def test_the_app_runs_in_the_browser_and_an_answer_by_keys_reaches_the_database(
    tmp_path: Path, driver: object
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    served = Served(tmp_path, "127.0.0.1")
    try:
        driver.get(f"http://127.0.0.1:{served.port}/")  # type: ignore[attr-defined]
        wait_for(driver, "Enter: study the highlighted deck")  # the home screen, decks loaded
        # xterm.js takes the keyboard through a hidden text area: focus it, then type as a
        # person does (to the focused element; a hidden element refuses send_keys in newer
        # ChromeDrivers, "element not interactable")
        terminal = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")  # type: ignore[attr-defined]

        def keys(*pressed: str) -> None:
            for key in pressed:
                driver.execute_script("arguments[0].focus();", terminal)  # type: ignore[attr-defined]
                ActionChains(driver).send_keys(key).perform()  # type: ignore[arg-type]
                time.sleep(0.3)

        keys(Keys.ENTER)  # study the highlighted deck
        wait_for(driver, "Capital of Vietnam?")
        keys(" ")  # show the answer
        wait_for(driver, "Hanoi")
        shot = Path(os.environ.get("STUDY_SCREENSHOT", tmp_path / "serve.png"))
        driver.save_screenshot(str(shot))  # type: ignore[attr-defined]
        keys("3")  # good
        assert wait_reviews(served.data) == [("tiny/one", 3, "review")]
    finally:
        served.stop()


def test_a_non_local_address_refuses_requests_without_the_token(tmp_path: Path) -> None:
    served = Served(tmp_path, "0.0.0.0")
    try:
        token_file = served.data / "serve-token"
        token = token_file.read_text(encoding="ascii").strip()
        assert token and token_file.stat().st_mode & 0o777 == 0o600
        base = f"http://127.0.0.1:{served.port}"
        assert status(f"{base}/") == 403
        assert status(f"{base}/static/js/textual.js") == 403
        assert status(f"{base}/ws") == 403
        assert status(f"{base}/?token=wrong{token}") == 403
        assert status(f"{base}/?token={token}") == 200
        # another site open in the same browser cannot reach the app's websocket
        assert status(f"{base}/ws?token={token}", Origin="http://elsewhere.example") == 403
    finally:
        output = served.stop()
    assert output.count(token) == 1, "the new token is printed once"


def test_the_token_is_printed_only_when_it_is_made(tmp_path: Path) -> None:
    first = Served(tmp_path, "0.0.0.0")
    output = first.stop()
    token = (first.data / "serve-token").read_text(encoding="ascii").strip()
    assert token in output
    (tmp_path / "decks" / "tiny.yaml").unlink()
    (tmp_path / "decks").rmdir()
    second = Served(tmp_path, "0.0.0.0")
    output = second.stop()
    assert token not in output and "serve-token" in output
