"""One very long item does not stall the edition: what a story hands to grouping and
summarizing is bounded, while the store keeps the whole text."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from digest.store import Database
from digest.store.stories import ANALYSIS_CHARS, stories_published_between
from tests.clirun import run_cli

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from long_item import long_text, project  # the bench's own feed builder


@pytest.mark.slow
def test_a_5000_sentence_item_builds_an_edition_in_bounded_time(tmp_path: Path) -> None:
    body = long_text(5000)  # about 690 KB: 55 s of summarizing per 2,500 sentences before
    config = project(tmp_path, body)

    assert run_cli(config, "ingest").code == 0
    built = run_cli(config, "build", "--out", str(tmp_path / "out"), timeout=120)

    assert built.code == 0, built.output
    assert "Acme Corp" in (tmp_path / "out" / "edition.txt").read_text()
    with Database(tmp_path / "digest.db") as db:
        long = next(s for s in stories_published_between(db, None, None) if s.feed == "Long")
        stored = db.conn.execute("SELECT length(text) FROM stories WHERE id = ?", (long.id,))
        assert stored.fetchone()[0] > 600_000  # kept whole
    assert ANALYSIS_CHARS // 2 < len(long.text) <= ANALYSIS_CHARS
    assert long.text.endswith(".")  # cut at a sentence's end


def test_the_cut_never_splits_a_word(tmp_path: Path) -> None:
    with Database(tmp_path / "digest.db") as db:
        db.conn.execute(
            "INSERT INTO stories (id, url, title, source, published, first_seen, text)"
            " VALUES ('a', '', ?, 'S', '2025-06-10T00:00:00+00:00', '2025-06-10T00:00:00+00:00',"
            " ?)",
            ("word " * 1000, "word " * 10_000),
        )
        (story,) = stories_published_between(db, None, None)
    assert story.text.endswith("word") and len(story.text) <= ANALYSIS_CHARS
    assert story.title.endswith("word") and len(story.title) <= 1000


def test_sqlite_substr_counts_characters_not_bytes() -> None:
    # The cut reads `substr(text, 1, N)`: characters, so a non-Latin text is not cut short.
    assert sqlite3.connect(":memory:").execute("SELECT substr('ééé', 1, 2)").fetchone() == ("éé",)


@pytest.mark.slow
def test_one_event_told_by_40_outlets_at_length_builds_in_bounded_time(tmp_path: Path) -> None:
    # 40 stories of 200 sentences in one thread: 280 s of summarizing before the bound.
    config = project(tmp_path, long_text(200), [long_text(201 + n) for n in range(39)])

    assert run_cli(config, "ingest").code == 0
    built = run_cli(config, "build", "--out", str(tmp_path / "out"), timeout=120)

    assert built.code == 0, built.output
    assert "Acme Corp" in (tmp_path / "out" / "edition.txt").read_text()


def test_a_thread_shares_a_bounded_text_budget_among_its_stories() -> None:
    import datetime as dt

    from digest.models import Story, Thread

    when = dt.datetime(2025, 6, 10, tzinfo=dt.UTC)
    stories = tuple(
        Story(str(n), "T", "", "S", when, "A sentence here. " * 1000) for n in range(40)
    )
    thread = Thread("t", stories, when, when)

    bounded = thread.for_summary()

    assert sum(len(s.text) for s in bounded.stories) <= 40_000
    assert all(s.text.endswith("here.") for s in bounded.stories)
    assert [s.id for s in bounded.stories] == [s.id for s in stories]
    short = Thread("t", stories[:1], when, when).for_summary(budget=10**6)
    assert short.stories[0].text == stories[0].text
