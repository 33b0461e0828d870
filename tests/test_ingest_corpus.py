"""`digest ingest` of a config listing every file of ../shared/data/feeds (3,496 files).

It completes, names each file it cannot read with the reason, and stores the stories of
all the others. Skipped where the shared data is absent (users' clones do not have it).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from digest.errors import SourceError
from digest.sources.read import read_feed
from digest.store import Database
from digest.store.feeds import feed_health
from tests.clirun import run_cli
from tests.conftest import SHARED_DATA

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from corpus_ingest import corpus_config  # the bench's own config builder

CORPUS = SHARED_DATA / "feeds"


@pytest.mark.slow
def test_ingest_of_the_whole_corpus_names_each_failure_and_stores_the_rest(
    tmp_path: Path, now: dt.datetime
) -> None:
    if not (CORPUS / "manifest.jsonl").is_file():
        pytest.skip(f"{CORPUS} is absent")
    config = corpus_config(tmp_path)

    run = run_cli(config, "ingest", timeout=600)

    assert run.code == 0, run.stderr[-2000:]
    assert "Traceback" not in run.output
    expected = {name: _read(CORPUS / name, now) for name in _names(config)}
    failing = {name for name, outcome in expected.items() if isinstance(outcome, str)}
    assert len(expected) == 3496 and 0 < len(failing) < len(expected) // 2
    for name in failing:
        assert f"{name} failed: {(CORPUS / name).as_uri()}: {expected[name]}" in run.stderr
    with Database(tmp_path / "digest.db") as db:
        health = {h.name: h for h in feed_health(db)}
        carried = dict(db.conn.execute("SELECT feed, count(*) FROM story_sources GROUP BY feed"))
    for name, outcome in expected.items():
        if isinstance(outcome, int):
            assert (health[name].last_error, health[name].item_count) == ("", outcome), name
            assert carried.get(name, 0) >= min(outcome, 1), name  # its stories are stored
        else:
            assert health[name].consecutive_failures == 1, name


def _names(config: Path) -> list[str]:
    import tomllib

    return [feed["name"] for feed in tomllib.loads(config.read_text())["feeds"]]


def _read(path: Path, now: dt.datetime) -> int | str:
    """How many stories the file holds, or why it cannot be read (as ingest would say)."""
    try:
        return len(read_feed(path.as_uri(), path.read_bytes(), kind="", feed="c", now=now).stories)
    except SourceError as e:
        return e.reason
