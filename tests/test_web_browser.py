"""A reader's whole road through `digest serve` in headless Chromium, and the archive at 375 px."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import Chromium, find_chromium
from tests.smtpserver import free_port
from tests.webapp import body, cli, link, mail_to, serving, web_config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None, reason="chromium is not installed (make test installs it)"
    ),
]

CLICK = "document.getElementById('submit').click()"
MESSAGE = "document.getElementById('message') && document.getElementById('message').textContent"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Chromium]:
    with Chromium(tmp_path / "profile") as chromium:
        yield chromium


def navigated(browser: Chromium, script: str) -> str:
    """Run `script` (a click that leaves the page) and wait for the next page's message."""
    browser.evaluate("window.before = true")
    browser.evaluate(script)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            loaded = browser.evaluate("!window.before && document.readyState === 'complete'")
        except RuntimeError:  # the old page is going away
            continue
        if loaded:
            return str(browser.evaluate(MESSAGE))
    raise AssertionError("the next page never loaded")


def test_subscribe_confirm_receive_unsubscribe_in_the_browser(
    make_config: Any, seeds_dir: Path, tmp_path: Path, browser: Chromium
) -> None:
    port = free_port()
    web_config(make_config, seeds_dir, port)
    config, outbox = tmp_path / "digest.toml", tmp_path / "outbox"
    cli(config, "run")
    with serving(config, port) as site:
        browser.open(site + "/", 1000)
        leave = "[...document.links].find(a => a.textContent === 'Subscribe').click()"
        assert "Leave your address" in navigated(browser, leave)
        browser.evaluate("document.querySelector('input[name=email]').value = 'New@Example.com'")
        browser.evaluate("document.querySelector('input[name=name]').value = 'Nia'")
        assert "confirmation link is on its way" in navigated(browser, CLICK)

        [confirmation] = mail_to(outbox, "new@example.com")
        browser.open(link(body(confirmation), "/confirm"), 1000)
        assert browser.evaluate(MESSAGE) == "new@example.com will receive The Digest."

        cli(config, "run", "--force")
        [_, edition] = mail_to(outbox, "new@example.com")
        assert edition["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        shown = tmp_path / "email.html"  # the email as the reader's mail client shows it
        shown.write_text(body(edition, "html"), encoding="utf-8")
        browser.open(shown.as_uri(), 600)
        leave = "[...document.links].find(a => a.textContent === 'Unsubscribe').click()"
        assert "Stop sending The Digest to new@example.com?" in navigated(browser, leave)
        assert navigated(browser, CLICK) == "new@example.com will get no more emails."

    cli(config, "run", "--force")
    assert len(mail_to(outbox, "new@example.com")) == 2  # the confirmation and one edition
    assert len(mail_to(outbox, "reader@example.com")) == 3
    listed = cli(config, "recipients", "list").stdout
    assert re.search(r"new@example.com +unsubscribed +store +Nia · since", listed), listed
    assert "unsubscribed by the unsubscribe page" in listed


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_archive_page_fits_a_phone(
    make_config: Any, seeds_dir: Path, tmp_path: Path, browser: Chromium, dark: bool
) -> None:
    web_config(make_config, seeds_dir, free_port())
    config = tmp_path / "digest.toml"
    cli(config, "run")
    cli(config, "run", "--force")
    cli(config, "publish", "--out", str(tmp_path / "site"))

    pages = sorted((tmp_path / "site").glob("*.html"))
    assert [p.name for p in pages] == ["2026-11-21.2.html", "2026-11-21.html", "index.html"]
    for page in pages:
        browser.open(page.as_uri(), 375, dark=dark)
        browser.screenshot(tmp_path / f"{page.stem}-375.png")
        assert browser.evaluate("document.documentElement.scrollWidth") <= 375, page.name
        assert browser.evaluate("[...document.images].filter(i => !i.alt.trim()).length") == 0
