"""The served preview in headless Chromium: screenshots, no overflow on a phone, dark mode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.commands.preview import PreviewServer
from digest.edition.render import render_edition
from digest.models import Edition, RenderedEdition
from tests.chromium import Chromium, find_chromium
from tests.conftest import ConfigFactory
from tests.editions import SAMPLE_BLOCKS, full_edition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None, reason="chromium is not installed (make test installs it)"
    ),
]


# Contrast of each element's own text against the first opaque background behind it.
LOW_CONTRAST = """(() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const back = el => { for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0.5) return c; } return [255, 255, 255]; };
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.offsetParent === null) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(back(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) bad.push(el.tagName + ' ' + ratio.toFixed(2) + ' '
      + el.textContent.trim().slice(0, 40));
  }
  return bad; })()"""


def builder(settings: object, now: dt.datetime) -> tuple[Edition, RenderedEdition]:
    edition = full_edition(4, 6)
    return edition, render_edition(edition, settings)  # type: ignore[arg-type]


@pytest.fixture
def preview_url(make_config: ConfigFactory, now: dt.datetime) -> Iterator[str]:
    settings = make_config(blocks=SAMPLE_BLOCKS, theme={"web_url": "https://digest.example/{date}"})
    server = PreviewServer(settings, now, 0, builder=builder)
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Chromium]:
    with Chromium(tmp_path / "profile") as chromium:
        yield chromium


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", [600, 375])
def test_the_email_at_desktop_and_phone_widths(
    browser: Chromium, preview_url: str, tmp_path: Path, width: int, dark: bool
) -> None:
    browser.open(preview_url + "edition.html", width, dark=dark)

    shot = browser.screenshot(tmp_path / f"email-{width}-{'dark' if dark else 'light'}.png")

    assert shot.stat().st_size > 10_000
    assert browser.evaluate("document.documentElement.scrollWidth") <= width
    assert browser.evaluate("[...document.images].filter(i => !i.alt.trim()).length") == 0
    hrefs = browser.evaluate("[...document.links].map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith(("https://", "http://", "mailto:")) for h in hrefs), hrefs
    assert browser.evaluate(LOW_CONTRAST) == []


def test_the_preview_page_shows_both_widths_text_and_headers(
    browser: Chromium, preview_url: str, tmp_path: Path
) -> None:
    browser.open(preview_url, 1400, height=1600)
    browser.screenshot(tmp_path / "preview-page.png")

    mobile = "document.querySelector('iframe.mobile').contentDocument.documentElement"
    assert browser.evaluate(f"{mobile}.clientWidth") == 375
    assert browser.evaluate(f"{mobile}.scrollWidth") <= 375
    assert browser.evaluate("document.getElementById('subject').textContent").startswith("🟠 ")
    assert "Plus, " in browser.evaluate("document.getElementById('preheader').textContent")
    assert "[1] Blockworks https://" in browser.evaluate(
        "document.getElementById('text').textContent"
    )
