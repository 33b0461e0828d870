"""Captured web pages keep their article and lose the page around it, by one general rule."""

# ruff: noqa: E501 - a captured page keeps its paragraphs on single long lines, as pages do

from __future__ import annotations

from digest.sources.normalize import canonical_url, html_to_text
from digest.sources.pagetext import extract_article
from tests.conftest import SEEDS

NEWS_PAGE = """Skip to main content
Menu
World
Business
Harbour strike ends after nine days

Dockworkers accepted a 7% raise on Sunday night

Advertisement

By Jane Doe
Updated 3 hours ago

Dockworkers at the city's container port voted on Sunday night to accept a new contract, ending a strike that had stranded more than forty ships in the bay for nine days.

The deal gives workers a 7% raise over two years and limits automation at two of the port's four terminals, the union said in a statement.

Subscribe to our morning briefing for the day's top stories.

Shipping lines expect the backlog to clear within a week. Retailers had warned that shelves could thin out before the holidays if the dispute dragged on.

The port handles about a fifth of the country's imports by value.

Read more
Port automation: what it means for jobs
Five charts on the shipping slowdown
Why freight rates are falling

Most popular
Cookie settings
© 2025 Example News. All rights reserved."""


def test_seed_000_keeps_title_dek_and_body() -> None:
    article = extract_article((SEEDS / "000_2d148068ed96eaa8.txt").read_text(encoding="utf-8"))
    assert article.title == "US and China reps meet on neutral ground for a second time"
    assert article.dek.startswith("Trump’s team is feeling positive")
    assert article.body.startswith("Representatives from the US and China")
    assert article.body.endswith("Keep an eye on your inbox tomorrow for all the updates.")
    assert "share" not in article.body.split()
    assert "Upcoming Events" not in article.body


def test_another_captured_page_with_other_leftovers() -> None:
    article = extract_article(NEWS_PAGE)
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("Dockworkers at the city's container port voted")
    assert paragraphs[-1] == "The port handles about a fifth of the country's imports by value."
    assert len(paragraphs) == 4  # the inline promo is gone, the four paragraphs stay
    for junk in ("Subscribe", "Advertisement", "Read more", "Five charts", "Cookie", "©", "Menu"):
        assert junk not in article.body


def test_a_clean_article_is_left_whole() -> None:
    text = "Rates on hold\n\nThe committee left rates unchanged.\n\nIt meets again in July."
    article = extract_article(text)
    assert (article.title, article.body) == (
        "Rates on hold",
        "The committee left rates unchanged.\n\nIt meets again in July.",
    )


def test_html_becomes_paragraphs_without_active_content() -> None:
    markup = '<p>One <b>bold</b>&nbsp;move.</p><script>x()</script><div onclick="y()">Two</div>'
    assert html_to_text(markup) == "One bold move.\n\nTwo"


def test_canonical_urls() -> None:
    assert canonical_url("/a?utm_source=x&id=1&fbclid=z#frag", "https://Example.COM:443/feed") == (
        "https://example.com/a?id=1"
    )
    assert canonical_url("javascript:alert(1)") == ""
    assert canonical_url("data:text/html,<b>x</b>") == ""
