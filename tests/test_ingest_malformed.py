"""A malformed feed counts as failing, with its location and the parser's reason."""

from __future__ import annotations

from pathlib import Path

import tomli_w

from tests.clirun import run_cli

BROKEN = '<?xml version="1.0"?><rss><channel><title>Half</title><foo></bar></channel></rss>'
EMPTY = '<?xml version="1.0"?><rss><channel><title>Quiet</title></channel></rss>'


def test_broken_xml_with_no_items_fails_while_an_empty_feed_does_not(tmp_path: Path) -> None:
    (tmp_path / "broken.xml").write_text(BROKEN)
    (tmp_path / "empty.xml").write_text(EMPTY)
    feeds = [
        {"name": "Broken", "url": str(tmp_path / "broken.xml")},
        {"name": "Empty", "url": str(tmp_path / "empty.xml")},
    ]
    config = tmp_path / "digest.toml"
    config.write_text(tomli_w.dumps({"store": {"path": str(tmp_path / "d.db")}, "feeds": feeds}))

    run = run_cli(config, "ingest")

    assert run.code == 0
    assert f"{(tmp_path / 'broken.xml').as_uri()}: is not a readable feed: " in run.stderr
    assert "mismatched tag" in run.stderr
    rows = run_cli(config, "feeds", "check").stdout.splitlines()
    broken = next(r for r in rows if r.startswith("Broken"))
    empty = next(r for r in rows if r.startswith("Empty"))
    assert broken.split()[1:4] == ["never", "1", "0"]
    assert empty.split()[1:6] == ["0", "h", "ago", "0", "0"]
