"""Page furniture (promos, credits, captions, links to other articles) is removed once, at ingest:
what a feed carries around an article never reaches the store, a summary or a dek."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from typing import Any

import pytest

from digest.models import Story, Thread
from digest.sources.fulltext import extract_article_text
from digest.sources.ingest import ingest
from digest.sources.pagetext import is_furniture, strip_furniture
from digest.store import Database
from digest.store.stories import new_stories
from digest.summary.summarize import ExtractiveSummarizer


def ingest_one(make_config: Any, tmp_path: Path, now: dt.datetime, paragraphs: str) -> Story:
    """Serve `paragraphs` (blank-line separated) as one RSS item's HTML and ingest it."""
    html = "".join(
        f"<p>{'<br/>'.join(escape(line) for line in block.split(chr(10)))}</p>"
        for block in paragraphs.split("\n\n")
    )
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>'
        "<item><title>Markets rally</title><link>https://news.test/a</link>"
        f"<pubDate>{now.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        f"<description>{escape(html)}</description></item></channel></rss>",
        encoding="utf-8",
    )
    settings = make_config(feeds=[{"name": "Wire", "url": str(feed)}])
    with Database(settings.resolve(settings.store.path)) as db:
        ingest(settings, db, now)
        (story,) = new_stories(db, None, now + dt.timedelta(minutes=1))
    return story


def summarize(story: Story) -> list[str]:
    thread = Thread("t", (story,), story.published, story.published)
    return [s.text for s in ExtractiveSummarizer().summarize(thread, budget_words=200).sentences]


def test_promos_teasers_and_leftovers_are_gone_from_the_stored_story(
    make_config: Any, tmp_path: Path, now: dt.datetime
) -> None:
    story = ingest_one(
        make_config,
        tmp_path,
        now,
        "share\n\nSubscribe to our newsletter for daily updates on the markets.\n\n"
        "Bitcoin climbed above $110,000 for the first time on Wednesday as traders cheered.\n\n"
        "Upcoming Events\nPermissionless IV takes place June 24-26 in Brooklyn this year.\n"
        "Use code FG10 for 10% off tickets to the conference.\n\n"
        "Ether gained 3% to trade near $2,800 on Wednesday as bitcoin rallied. "
        "Reporting by David Milliken; Editing by Catherine Evans.\n\n"
        "This story was updated at 3:15 p.m. ET to include analyst comment.\n\n"
        "Disclosure: Blockworks is a media outlet that covers the crypto industry.\n\n"
        "More stories from Asia\nToyota Motor Corp. reported record profit for the fiscal year.",
    )
    assert story.text == (
        "share\n\n"
        "Bitcoin climbed above $110,000 for the first time on Wednesday as traders cheered.\n\n"
        "Ether gained 3% to trade near $2,800 on Wednesday as bitcoin rallied."
    )
    assert summarize(story) == [
        "Bitcoin climbed above $110,000 for the first time on Wednesday as traders cheered.",
        "Ether gained 3% to trade near $2,800 on Wednesday as bitcoin rallied.",
    ]


def test_links_and_other_articles_headlines_are_never_the_dek(
    make_config: Any, tmp_path: Path, now: dt.datetime
) -> None:
    story = ingest_one(
        make_config,
        tmp_path,
        now,
        "Nvidia shares rose 4% in extended trading on Wednesday after revenue beat forecasts.\n\n"
        "Watch: Live coverage of Nvidia earnings from our markets desk\n\n"
        "Data center revenue at Nvidia climbed 73% to $39.1 billion, the company said.\n\n"
        "Permissionless IV | Brooklyn | June 24-26, 2025\n\n"
        "Most Popular\nNvidia Chief Says Export Curbs Cost the Company Billions",
    )
    assert "Watch:" not in story.text and "Export Curbs" not in story.text
    thread = Thread("t", (story,), story.published, story.published)
    assert ExtractiveSummarizer().summarize(thread).dek == ""


@pytest.mark.parametrize(
    "furniture",
    [
        "To read full editions, subscribe.",
        "Sponsored content from our partners at the exchange.",
        "Log in to read the full story and join the discussion.",
        "Get the news in your inbox.",
        "Reporting by David Milliken and Andy Bruce; Editing by Catherine Evans.",
        "The Associated Press contributed to this report.",
        "Check out our full coverage of the Bank of England rate decision here.",
        "Follow the latest updates on our live page throughout the day as markets react.",
        "Want more stories like this delivered every weekday morning to you?",
        "Maggie Haberman contributed reporting from Washington.",
        "Fed Chair Jerome Powell holds a news conference in Washington, June 18, 2025.",
        "Bank of England Governor Andrew Bailey speaks during the Monetary Policy Report press "
        "conference at the Bank of England in London.",
        'US Commerce Secretary Howard Lutnick | The White House/"P2025.jpg" (CC license)',
        "Jetzt abonnieren und keine Nachricht mehr verpassen, sagt die Redaktion.",
        "Suscríbete a nuestro boletín y recibe las noticias del día en tu correo.",
        "Dieser Artikel ist zuerst auf der Website der Zeit erschienen.",
        "Lees ook: kabinet valt over migratie en asiel.",
        "Meld je aan voor onze nieuwsbrief en mis niets.",
        "Questo articolo è stato tradotto automaticamente dalla redazione.",
        "Foto: ANP / Robin van Lonkhuijsen voor NRC.",
        "版权所有 2025 新华网 保留所有权利。",
        "ログイン 会員登録 ニュース 経済 政治 国際 スポーツ。",
    ],
)
def test_page_furniture_is_recognised(furniture: str) -> None:
    assert is_furniture(furniture)


@pytest.mark.parametrize(
    "sentence",
    [
        "The Federal Reserve holds its next policy meeting on July 29, 2025.",
        "Research by Morningstar found that fund fees fell again last year.",
        "Reporting by ProPublica in 2023 revealed that the company hid losses.",
        "Scientists from 60 countries contributed to the report, which runs to 3,000 pages.",
        "Manchester City celebrates its fourth straight Premier League title after the win.",
        "Keep an eye on your inbox tomorrow for all the updates.",
        "The group will confront the threat posed by Chinese state-sponsored cyberattacks.",
        "Once installed, the software steals login credentials for online games.",
        "Der Bundestag stimmte mit großer Mehrheit für den Entwurf.",
    ],
)
def test_news_sentences_are_not_furniture(sentence: str) -> None:
    assert not is_furniture(sentence)
    assert strip_furniture(f"{sentence}\n\nMore stories\n{sentence}") == sentence


def test_a_pages_full_text_loses_its_furniture_too() -> None:
    body = "".join(
        f"<p>{p}</p>"
        for p in (
            "The central bank raised its main interest rate by a quarter point on Wednesday, "
            "the first increase in more than a year, citing stubborn inflation in services.",
            "Officials said further increases would depend on data in the coming months, and "
            "markets priced in one more move before the end of the year.",
            "Reporting by David Milliken; Editing by Catherine Evans.",
            "The Associated Press contributed to this report.",
        )
    )
    page = f"<html><body><article><h1>Rates rise</h1>{body}</article></body></html>"
    text = extract_article_text(page, "https://news.test/rates")
    assert text.split("\n\n")[1].startswith("The central bank raised its main interest rate")
    assert "Reporting by" not in text and "contributed to this report" not in text
