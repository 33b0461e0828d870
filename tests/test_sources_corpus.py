"""Every file of the shared real-world feed corpus yields stories or a readable SourceError."""

from __future__ import annotations

import datetime as dt

import pytest

from digest.errors import SourceError
from digest.sources.read import read_feed
from tests.conftest import SHARED_DATA

CORPUS = SHARED_DATA / "feeds"


def test_every_corpus_file_parses_or_fails_readably(now: dt.datetime) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    crashes, stories, errors = [], 0, 0
    for path in files:
        try:
            stories += len(
                read_feed(path.as_uri(), path.read_bytes(), kind="", feed="c", now=now).stories
            )
        except SourceError as e:
            assert str(e).startswith(path.as_uri()) and e.reason
            errors += 1
        except Exception as e:
            crashes.append(f"{path.relative_to(CORPUS)}: {type(e).__name__}: {e}")
    assert crashes == []
    assert stories > 3000 and errors < len(files)
