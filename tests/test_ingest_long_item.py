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
