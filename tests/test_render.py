"""What a reader sees in the rendered email: the Forward Guidance anatomy and email standards."""

from __future__ import annotations

import dataclasses
import html as html_lib
import re
from html.parser import HTMLParser
from pathlib import Path

from digest.edition import placeholders
from digest.edition.render import HTML_BUDGET, render_edition
from digest.models import RenderedEdition
from tests.editions import (
    BLOCKWORKS_URL,
    SAMPLE_BLOCKS,
    SECOND_DAY_URL,
    full_edition,
    numbered_segment,
    seeds_edition,
    settings,
)


class Elements(HTMLParser):
    """Every start tag of an HTML document with its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def visible(html: str) -> str:
    """The HTML's text with tags removed and whitespace collapsed (roughly what a reader sees)."""
    body = html.split("<body", 1)[1]
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def render_seeds(**sections: object) -> RenderedEdition:
    return render_edition(seeds_edition(), settings(**sections))  # type: ignore[arg-type]


def test_subject_has_the_badge_and_the_lead_headline() -> None:
    rendered = render_seeds()

    assert rendered.subject == "🟠 US and China reps meet on neutral ground for a second time"


def test_preheader_names_the_next_segments_and_is_hidden_in_the_html() -> None:
    rendered = render_edition(full_edition(3, 0), settings())

    assert rendered.preheader == (
        "Plus, Headline number 2 moves markets and Headline number 3 moves markets"
    )
    hidden = re.search(r'<div style="display:none[^>]*>([^<]*)</div>', rendered.html)
    assert hidden and hidden.group(1) == rendered.preheader


def test_masthead_intro_and_segment_read_like_forward_guidance() -> None:
    text = visible(render_seeds(theme={"web_url": "https://digest.example/{date}"}).html)

    assert "Forward Digest Tuesday, June 10, 2025 · View in browser" in text
    assert "Here's what you'll find in today's edition: US and China reps meet" in text
    assert "2 SOURCES" in text.upper()
    assert "London calling. Representatives from the US and China" in text
    assert "Sources differ on China's share of global rare-earth supply: 60% (Blockworks)" in text
    assert "vs 70% (Second-day report)" in text
    assert "Read more →" in text


def test_sentences_carry_linked_sources_and_bold_lead_ins() -> None:
    html = render_seeds().html
    links = {a["href"] for a in Elements(html).all("a")}

    assert {BLOCKWORKS_URL, SECOND_DAY_URL} <= links
    # Prose: a lead-in opens a paragraph; within one, sentences run on.
    assert "<strong>Rare earths.</strong> Since April 4" in html
    assert "<strong>Markets.</strong>" not in html and "The S&amp;P 500 and Nasdaq" in html
    assert re.search(rf'<a href="{SECOND_DAY_URL}"[^>]*>Second-day report</a>', html)


def test_view_in_browser_and_logo_appear_only_when_configured() -> None:
    plain = render_seeds().html
    themed = render_seeds(
        theme={
            "web_url": "https://digest.example/{date}",
            "logo": "https://digest.example/logo.png",
            "logo_alt": "Forward Digest logo",
        }
    ).html

    assert "View in browser" not in plain
    assert '<a href="https://digest.example/2025-06-10"' in themed
    logo = Elements(themed).all("img")[0]
    assert logo["src"] == "https://digest.example/logo.png"
    assert logo["alt"] == "Forward Digest logo"


def test_a_continuing_thread_is_marked_developing_with_its_day() -> None:
    edition = dataclasses.replace(seeds_edition(), segments=(numbered_segment(1, day=3),))

    rendered = render_edition(edition, settings())

    assert "Developing · day 3" in rendered.html
    assert "DEVELOPING · DAY 3" in rendered.text


def test_segment_image_has_width_alt_and_credit() -> None:
    edition = dataclasses.replace(seeds_edition(), segments=(numbered_segment(1, image=True),))

    html = render_edition(edition, settings()).html

    image = Elements(html).all("img")[0]
    assert image["src"] == "https://images.example.com/1.jpg"
    assert image["alt"] == "Chart 1" and image["width"] == "552"
    assert "Photo: Example Wire" in html


def test_quick_hits_are_one_line_each_with_a_linked_source() -> None:
    edition = full_edition(1, 3)

    rendered = render_edition(edition, settings())

    assert "Quick hits" in rendered.html
    for n in (100, 101, 102):
        assert re.search(
            rf"<li[^>]*>Headline number {n} moves markets <span[^>]*>"
            rf'<a href="https://blockworks.co/news/story-{n}"',
            rendered.html,
        )
        assert f"  * Headline number {n} moves markets (Blockworks:" in rendered.text


def test_market_events_and_promo_blocks_from_config() -> None:
    rendered = render_seeds(blocks=SAMPLE_BLOCKS)
    text = visible(rendered.html)

    assert "S&P 500 6,005.88 ▲ +0.30%" in text and "Nasdaq 19,591.24 ▼ −0.50%" in text
    assert 'aria-label="up"' in rendered.html and 'aria-label="down"' in rendered.html
    assert "As of 2 p.m. ET" in text
    assert "Our crypto letter Daily, before the open. Learn more →" in text
    assert "Macro Summit Oct 13 · London" in text
    assert "▲ +0.30% (up)" in rendered.text and "https://digest.example/crypto" in rendered.text


def test_a_market_file_overrides_the_rows_and_a_bad_one_leaves_the_block_out(
    tmp_path: Path,
) -> None:
    good, bad = tmp_path / "market.json", tmp_path / "bad.json"
    good.write_text('[{"symbol": "BTC", "level": 105000, "change": 1.25}]', encoding="utf-8")
    bad.write_text("[{", encoding="utf-8")
    rows = [{"symbol": "DXY", "level": "99.1", "change": 0.0}]

    from_file = visible(render_seeds(blocks={"market": rows, "market_file": str(good)}).html)
    broken = visible(render_seeds(blocks={"market": rows, "market_file": str(bad)}).html)

    assert "BTC 105000 ▲ +1.25%" in from_file and "DXY" not in from_file
    assert "DXY" not in broken and "Symbol" not in broken


def test_footer_has_disclaimer_tokens_address_and_failing_sources() -> None:
    rendered = render_edition(full_edition(1, 0), settings())
    text = visible(rendered.html)

    assert "Nothing in this newsletter is investment advice." in text
    assert "Forward Digest, 1 Example Street, New York, NY 10001" in text
    assert "1 source could not be reached: Broken Wire." in text
    hrefs = [a["href"] for a in Elements(rendered.html).all("a")]
    # Without a preferences page, "Manage preferences" would only repeat Unsubscribe.
    assert placeholders.UNSUBSCRIBE_URL in hrefs and placeholders.PREFERENCES_URL not in hrefs
    for token in (placeholders.NAME, placeholders.EMAIL, placeholders.UNSUBSCRIBE_URL):
        assert token in rendered.text
    with_page = settings(theme={"preferences_url": "https://example.com/prefs?t={token}"})
    rendered = render_edition(full_edition(1, 0), with_page)
    hrefs = [a["href"] for a in Elements(rendered.html).all("a")]
    assert placeholders.PREFERENCES_URL in hrefs and placeholders.PREFERENCES_URL in rendered.text


def test_a_quiet_edition_says_so_in_one_line() -> None:
    edition = dataclasses.replace(seeds_edition(), segments=(), quiet=True)

    rendered = render_edition(edition, settings())

    assert rendered.subject == "🟠 Forward Digest: a quiet day"
    assert "It's a quiet day: few new stories since the last edition." in rendered.html
    assert "It's a quiet day" in rendered.text


def test_email_standards_hold() -> None:
    html = render_edition(full_edition(), settings()).html

    assert re.search(r'<html lang="en"', html)
    assert '<meta name="color-scheme" content="light dark"' in html
    assert '<meta name="supported-color-schemes" content="light dark"' in html
    assert "@media (prefers-color-scheme: dark)" in html
    assert "font-size:16px" in html and "max-width:600px" in html
    assert "@media only screen and (min-width:480px)" in html
    assert "fonts.googleapis" not in html and "@import" not in html and "<link" not in html
    assert "base64" not in html
    for image in Elements(html).all("img"):
        assert image.get("alt") and image.get("width"), image


def test_ten_segments_and_twenty_quick_hits_fit_the_budget_whole() -> None:
    edition = full_edition(10, 20)

    rendered = render_edition(edition, settings())

    assert len(rendered.html.encode()) < 90_000 == HTML_BUDGET
    for n in range(1, 11):
        assert f">Headline number {n} moves markets</h2>" in rendered.html


def test_past_the_budget_the_last_segments_become_quick_hits() -> None:
    edition = full_edition(16, 20, sentences=8)

    rendered = render_edition(edition, settings())

    html = rendered.html
    assert len(html.encode()) <= HTML_BUDGET
    kept = [n for n in range(1, 17) if f">Headline number {n} moves markets</h2>" in html]
    assert kept == list(range(1, len(kept) + 1)) and len(kept) < 16
    demoted = len(kept) + 1
    assert re.search(rf"<li[^>]*>Headline number {demoted} moves markets <span", html)
    assert html.index(f"Headline number {demoted} moves") < html.index("Headline number 100 ")


def test_text_part_is_readable_with_every_link_written_out() -> None:
    text = render_seeds(theme={"web_url": "https://digest.example/{date}"}).text

    assert text.startswith("FORWARD DIGEST\nTuesday, June 10, 2025\n")
    assert "View in browser: https://digest.example/2025-06-10" in text
    assert f"[1] Blockworks {BLOCKWORKS_URL}" in text
    assert f"[2] Second-day report {SECOND_DAY_URL}" in text
    prose = " ".join(text.split())
    # Prose: sentences run on, each run of one source followed by its reference numbers.
    assert (
        "magnets. [1] Washington is reportedly willing to ease restrictions on technology exports"
        " in exchange for the lifting of China’s export limits on rare earth elements. [2] [1]"
        " The S&P 500" in prose
    )
    assert f"Read more: {BLOCKWORKS_URL}" in text
    assert all(len(line) <= 100 for line in text.splitlines())


def test_a_reference_number_stays_on_the_line_of_its_sentence() -> None:
    from digest.edition.filters import wrap

    wrapped = wrap("The United States and China are continuing trade negotiations in London. [1]")

    assert all(line.strip() != "[1]" for line in wrapped.splitlines())
    assert wrapped.endswith("London. [1]") and max(map(len, wrapped.splitlines())) <= 72
