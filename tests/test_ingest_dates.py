"""Items without a readable date do not flood a new feed's first edition.

On a feed's first contact such an item is back catalogue; after that it is new when first
seen; `digest feeds check` says the feed has no usable dates. Dates in other languages that
feedparser cannot read ("Seg, 24 Set 2018") are read, not stamped with the fetch time.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
import tomli_w

from digest.sources.dates import parse_foreign_date
from digest.store import Database
from digest.store.stories import new_stories
from tests.clirun import run_cli

NOW = dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)


def rss(items: list[tuple[str, str]]) -> str:
    """An RSS document whose items are (title, pubDate text; "" for none)."""
    body = "".join(
        f"<item><title>{title}</title><link>https://uol.example/{abs(hash(title))}</link>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + "<description>Text.</description></item>"
        for title, date in items
    )
    return f'<rss version="2.0"><channel><title>UOL</title>{body}</channel></rss>'


def configure(tmp_path: Path, **feeds: str) -> Path:
    for name, text in feeds.items():
        (tmp_path / f"{name}.xml").write_text(text, encoding="utf-8")
    config = {
        "store": {"path": str(tmp_path / "digest.db")},
        "feeds": [{"name": name, "url": str(tmp_path / f"{name}.xml")} for name in feeds],
    }
    (tmp_path / "digest.toml").write_text(tomli_w.dumps(config))
    return tmp_path / "digest.toml"


def new_titles(tmp_path: Path) -> list[str]:
    with Database(tmp_path / "digest.db") as db:
        return sorted(s.title for s in new_stories(db, None, NOW + dt.timedelta(days=2)))


def test_undated_items_are_back_catalogue_on_first_contact_then_new_when_first_seen(
    tmp_path: Path,
) -> None:
    undated = [(f"Old post {n}", "") for n in range(30)]
    config = configure(tmp_path, Blog=rss(undated))

    assert run_cli(config, "ingest").code == 0
    assert new_titles(tmp_path) == []
    check = run_cli(config, "feeds", "check").stdout
    assert "no usable dates: items count as new when first seen" in check

    configure(tmp_path, Blog=rss([("Fresh post", ""), *undated]))
    assert run_cli(config, "ingest", now="2025-06-11T11:00:00Z").code == 0
    assert new_titles(tmp_path) == ["Fresh post"]


def test_dates_feedparser_cannot_read_are_not_taken_for_today(tmp_path: Path) -> None:
    items = [
        ("Eleições 2018", "Seg, 24 Set 2018 10:00:00 -0300"),
        ("Sem data legível", "amanhã de manhã"),
        ("Hoje", "Ter, 10 Jun 2025 08:00:00 -0300"),
    ]
    config = configure(tmp_path, UOL=rss(items))

    assert run_cli(config, "ingest").code == 0

    assert new_titles(tmp_path) == ["Hoje"]
    threads = run_cli(config, "threads", "--since", "2018-09-24", "--until", "2018-09-24").stdout
    assert "Eleições 2018" in threads
    check = run_cli(config, "feeds", "check").stdout
    assert "1 of 3 items have no usable date" in check


@pytest.mark.parametrize(
    ("written", "instant"),
    [
        ("Seg, 24 Set 2018 19:42:40 -0300", "2018-09-24T22:42:40"),
        ("Sat, Dec 16 2023 02:02:33 PM", "2023-12-16T14:02:33"),
        ("Dec 16, 2023 12:05 AM", "2023-12-16T00:05:00"),
        ("16 déc. 2023 12:05 p.m. +0100", "2023-12-16T11:05:00"),
    ],
)
def test_a_date_written_in_another_shape_is_read_to_the_second(written: str, instant: str) -> None:
    parsed = parse_foreign_date(written)

    assert parsed is not None
    assert time.strftime("%Y-%m-%dT%H:%M:%S", parsed) == instant


def test_a_thirteenth_hour_with_pm_is_no_date() -> None:
    assert parse_foreign_date("Sat, Dec 16 2023 13:02:33 PM") is None
