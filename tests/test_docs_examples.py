"""The plug-in example in the README and docs/sources.md works as written: installed, used."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digest.sources import registry
from digest.sources.ingest import ingest
from digest.store import Database
from digest.store.stories import new_stories
from tests.conftest import ROOT
from tests.distributions import install_distribution

DOCS = ["README.md", "docs/sources.md"]


def code_block(doc: str, language: str, marker: str) -> str:
    """The fenced block of `language` in `doc` whose text contains `marker`."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    for block in re.findall(rf"```{language}\n(.*?)```", text, re.S):
        if marker in block:
            return str(block)
    raise AssertionError(f"no {language} block with {marker!r} in {doc}")


@pytest.fixture(params=DOCS)
def installed_plugin(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The doc's package and its entry point, installed the way pip lays them out."""
    doc = request.param
    site = tmp_path / "site"
    (site / "digest_csv").mkdir(parents=True)
    (site / "digest_csv" / "__init__.py").write_text(code_block(doc, "python", "class CsvSource"))
    entry = re.search(r'^(\w+) = "([\w.:]+)"', code_block(doc, "toml", "digest.sources"), re.M)
    assert entry is not None
    install_distribution(
        site, "digest-csv", f"[digest.sources]\n{entry.group(1)} = {entry.group(2)}\n"
    )
    monkeypatch.syspath_prepend(str(site))
    registry.cache_clear()
    yield
    registry.cache_clear()
    sys.modules.pop("digest_csv", None)


def test_the_csv_source_from_the_docs_is_found_and_ingests(
    installed_plugin: None, make_config: Any, tmp_path: Path, now: Any
) -> None:
    assert "csv" in registry()
    feed = tmp_path / "headlines.csv"
    feed.write_text(
        "title,url,published\n"
        "Fed holds rates,https://example.com/fed,2025-06-10T12:00:00+00:00\n"
        "Oil jumps 4%,https://example.com/oil?utm_source=x,2025-06-10T13:00:00+00:00\n"
    )
    settings = make_config(feeds=[{"name": "Headlines", "url": str(feed), "kind": "csv"}])
    with Database(settings.resolve(settings.store.path)) as db:
        report = ingest(settings, db, now)
        stories = new_stories(db, None, now)

    assert report.failed == ()
    assert sorted(s.title for s in stories) == ["Fed holds rates", "Oil jumps 4%"]
    assert "https://example.com/oil" in {s.url for s in stories}  # normalized by digest
