"""Ingest into a real SQLite store: the seeds, first contact, dedupe across feeds, isolation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from digest.sources.ingest import ingest
from digest.store import Database
from digest.store.stories import get_stories, new_stories, stories_published_between
from tests.feedgen import rss_feed

LEFTOVERS = [
    "share",
    "article-image",
    "CC license",
    "This is a segment from the Forward Guidance newsletter",
    "Get the news in your inbox",
    "Tags",
    "Upcoming Events",
    "Javits Center",
    "Digital Asset Summit",
    "recent research",
    "by Blockworks",
]


def test_the_seeds_become_two_clean_stories(make_config: Any, seeds_dir: Path, now: Any) -> None:
    settings = make_config(feeds=[{"name": "Seeds", "url": str(seeds_dir), "kind": "folder",
                                   "first_contact_days": "all"}])  # fmt: skip
    with Database(settings.resolve(settings.store.path)) as db:
        assert ingest(settings, db, now).new == 2
        fg, second = new_stories(db, None, now)
    assert fg.title == "US and China reps meet on neutral ground for a second time"
    assert (
        fg.dek
        == "Trump’s team is feeling positive headed into the trade negotiation meeting in London"
    )
    assert (fg.source, fg.url) == (
        "Blockworks",
        "https://blockworks.co/news/us-china-trade-talk-london",
    )
    assert fg.published == dt.datetime(2025, 6, 9, 18, 0, tzinfo=dt.UTC)
    assert fg.text.startswith("Representatives from the US and China kicked off")
    assert fg.text.endswith("Keep an eye on your inbox tomorrow for all the updates.")
    assert [junk for junk in LEFTOVERS if junk.lower() in fg.text.lower()] == []
    assert "\n\nHere’s hoping.\n\n" in fg.text
    assert second.published == dt.datetime(2025, 6, 10, 9, 0, tzinfo=dt.UTC)
    assert second.source == "Second-day report"
    assert second.text.endswith("The S&P 500 approached its February high with a 2% gain.")


def test_the_bundled_config_reads_the_seeds(now: Any) -> None:
    from digest.config import load_settings

    settings = load_settings(Path(__file__).parent.parent / "digest.toml")
    seeds = next(f for f in settings.feeds if f.name == "Seeds")
    assert seeds.first_contact_days == "all"
    assert settings.resolve(seeds.url).is_dir()


def _feed(path: Path, title: str, items: list[tuple[str, str, dt.datetime]]) -> str:
    path.write_text(rss_feed(title, items), encoding="utf-8")
    return str(path)


def test_first_contact_takes_only_recent_items_as_new(
    make_config: Any, tmp_path: Path, now: Any
) -> None:
    old, recent = now - dt.timedelta(days=30), now - dt.timedelta(hours=5)
    url = _feed(
        tmp_path / "f.xml",
        "F",
        [("Old", "https://x.test/old", old), ("Recent", "https://x.test/r", recent)],
    )
    settings = make_config(feeds=[{"name": "F", "url": url}], fetch={"first_contact_days": 3})
    with Database(settings.resolve(settings.store.path)) as db:
        ingest(settings, db, now)
        assert [s.title for s in new_stories(db, None, now)] == ["Recent"]
        assert [s.title for s in stories_published_between(db, None, None)] == ["Old", "Recent"]
        # Later fetches: anything unseen is new, whatever date the feed claims.
        later = now + dt.timedelta(days=1)
        _feed(tmp_path / "f.xml", "F", [("Backdated", "https://x.test/b", old)])
        ingest(settings, db, later)
        assert [s.title for s in new_stories(db, now, later)] == ["Backdated"]


def test_the_same_article_through_two_feeds_is_one_story(
    make_config: Any, tmp_path: Path, now: Any
) -> None:
    when = now - dt.timedelta(hours=1)
    a = _feed(tmp_path / "a.xml", "A", [("Talks", "https://news.test/talks?utm_source=a", when)])
    b = _feed(tmp_path / "b.xml", "B", [("Talks!", "https://news.test/talks#top", when)])
    settings = make_config(feeds=[{"name": "A", "url": a}, {"name": "B", "url": b}])
    with Database(settings.resolve(settings.store.path)) as db:
        assert ingest(settings, db, now).new == 1
        [story] = new_stories(db, None, now)
        assert story.url == "https://news.test/talks"
        assert sorted(s.feed for s in story.sources) == ["A", "B"]
        assert get_stories(db, ["nope", story.id]) == [story]


def test_a_guid_reused_by_another_feed_for_another_article_is_another_story(
    make_config: Any, tmp_path: Path, now: Any
) -> None:
    def doc(link: str) -> str:
        return (f'<rss version="2.0"><channel><title>t</title><item><title>{link}</title>'
                f"<guid>1</guid><link>{link}</link></item></channel></rss>")  # fmt: skip

    (tmp_path / "a.xml").write_text(doc("https://a.test/1"))
    (tmp_path / "b.xml").write_text(doc("https://b.test/1"))
    feeds = [{"name": n, "url": str(tmp_path / f"{n.lower()}.xml")} for n in ("A", "B")]
    settings = make_config(feeds=feeds)
    with Database(settings.resolve(settings.store.path)) as db:
        assert ingest(settings, db, now).new == 2
        assert ingest(settings, db, now).new == 0  # and the ids are stable


def test_a_broken_feed_does_not_stop_the_others(make_config: Any, tmp_path: Path, now: Any) -> None:
    good = _feed(tmp_path / "good.xml", "G", [("Fine", "https://g.test/1", now)])
    (tmp_path / "bad.xml").write_bytes(b"\x00\x01 not a feed at all")
    feeds = [{"name": "Bad", "url": str(tmp_path / "bad.xml")}, {"name": "Good", "url": good},
             {"name": "Missing", "url": str(tmp_path / "nope.xml")}]  # fmt: skip
    settings = make_config(feeds=feeds)
    with Database(settings.resolve(settings.store.path)) as db:
        report = ingest(settings, db, now)
    assert report.new == 1
    errors = {r.name: r.error for r in report.failed}
    assert (
        errors["Bad"] == f"{(tmp_path / 'bad.xml').as_uri()}: is not a feed digest can read "
        "(RSS, Atom, RDF or JSON Feed)"
    )
    assert str(errors["Missing"]).startswith(f"{tmp_path / 'nope.xml'}: cannot read")


def test_a_folder_article_without_metadata(make_config: Any, tmp_path: Path, now: Any) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "memo.md").write_text(
        "# Rates on hold\n\nThe committee left rates unchanged. It meets again in July.\n"
    )
    settings = make_config(
        feeds=[{"name": "Notes", "url": str(folder), "first_contact_days": "all"}]
    )
    with Database(settings.resolve(settings.store.path)) as db:
        ingest(settings, db, now)
        [story] = new_stories(db, None, now)
    assert (story.title, story.source) == ("Rates on hold", "Notes")
    assert story.text == "The committee left rates unchanged. It meets again in July."
    assert story.url == (folder / "memo.md").as_uri()


def test_one_bad_sidecar_skips_its_article_not_the_folder(
    make_config: Any, tmp_path: Path, now: Any, caplog: Any
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "good.txt").write_text("Rates on hold\n\nThe committee left rates unchanged.\n")
    (folder / "good.toml").write_text('source = "Desk"\npublished = 2025-06-09\n')
    (folder / "bad.txt").write_text("Oil jumps\n\nBrent rose four percent on Monday.\n")
    (folder / "bad.toml").write_text('published = "yesterday"\n')
    settings = make_config(
        feeds=[{"name": "Notes", "url": str(folder), "first_contact_days": "all"}]
    )
    with Database(settings.resolve(settings.store.path)) as db:
        report = ingest(settings, db, now)
        stories = new_stories(db, None, now)

    assert report.failed == ()
    assert [s.title for s in stories] == ["Rates on hold"]
    assert stories[0].published == dt.datetime(2025, 6, 9, tzinfo=dt.UTC)
    assert "bad.txt" in caplog.text and "is not ISO 8601" in caplog.text
