"""The optional semantic extra: reworded headlines of one event meet through their meaning.

Skipped where `digest[semantic]` is not installed (the default install does not have it).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path
from typing import Any

import pytest

from digest.config import ThreadSettings
from digest.errors import DigestError
from digest.models import SourceRef, Story
from digest.pipeline import ingest_only, open_store
from digest.threads.group import group_threads
from tests.conftest import SEEDS

needs_extra = pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None
    or importlib.util.find_spec("all_minilm_l6_v2") is None,
    reason="semantic extra not installed (pip install digest[semantic])",
)
SEMANTIC = ThreadSettings.model_validate({"semantic": True})


def seed_feed(tmp_path: Path) -> dict[str, str]:
    """A folder feed holding seed 000, for runs through the pipeline."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(next(SEEDS.glob("000_*.txt")), folder)
    return {"name": "Seeds", "url": str(folder), "first_contact_days": "all"}


def headline(ident: str, title: str, when: dt.datetime) -> Story:
    return story(ident, title, "", when)


def story(ident: str, title: str, text: str, when: dt.datetime) -> Story:
    url = f"https://news.example/{ident}"
    return Story(ident, title, url, "Wire", when, text, sources=(SourceRef("Wire", url),))


@needs_extra
def test_reworded_headlines_of_one_event_share_a_thread(now: dt.datetime) -> None:
    hour = dt.timedelta(hours=1)
    stories = [
        headline("a", "Earthquake of magnitude 6.8 strikes off northern Japan", now - 3 * hour),
        headline("b", "Strong tremor shakes Japan's north, tsunami warning lifted", now - 2 * hour),
        headline("c", "Apple unveils new iPad with faster chip", now - hour),
    ]

    threads = group_threads(stories, [], now, SEMANTIC)

    groups = sorted(sorted(s.id for s in t.stories) for t in threads)
    assert groups == [["a", "b"], ["c"]]


def test_a_missing_model_folder_is_a_clear_error(now: dt.datetime, tmp_path: object) -> None:
    settings = ThreadSettings.model_validate({"semantic": True, "model": str(tmp_path)})
    story = headline("a", "Anything at all", now)

    with pytest.raises(DigestError, match=r"semantic|threads\.model"):
        group_threads([story], [], now, settings)


@needs_extra
def test_a_relative_model_path_is_read_beside_the_config(
    make_config: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_config(
        feeds=[seed_feed(tmp_path)], threads={"semantic": True, "model": "models/minilm"}
    )
    monkeypatch.chdir("/")  # run from anywhere: the config's folder decides

    with pytest.raises(DigestError) as error:
        ingest_only(settings, dt.datetime(2025, 6, 9, 20, 0, tzinfo=dt.UTC))

    assert str(tmp_path / "models" / "minilm") in str(error.value)


def test_a_missing_extra_is_named_before_anything_is_fetched(
    make_config: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_config(feeds=[seed_feed(tmp_path)], threads={"semantic": True})
    real = importlib.util.find_spec
    # The extra may be installed here: hide it, as on a default install.
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "sentence_transformers" else real(name, *a),
    )

    with pytest.raises(DigestError, match=r"threads\.semantic = true needs the semantic extra"):
        ingest_only(settings, dt.datetime(2025, 6, 9, 20, 0, tzinfo=dt.UTC))

    with open_store(settings) as db:
        assert db.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0] == 0
