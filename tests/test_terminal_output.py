"""What a feed sends never drives the operator's terminal: controls are removed when printing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

EVIL = "Markets\u001b]0;pwned\u0007 rally\u0000 on \u009b31mrates\u202e"


def digest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIGEST_NOW": "2025-06-10T12:00:00Z"}
    command = [sys.executable, "-m", "digest.cli", "--config", str(tmp_path / "digest.toml")]
    return subprocess.run(
        [*command, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_titles_with_terminal_escapes_and_nuls_print_inert(tmp_path: Path) -> None:
    item = {
        "id": "1",
        "url": "https://evil.test/a",
        "title": EVIL,
        "content_text": "Markets rallied on rates today. Traders cheered the news.",
        "date_published": "2025-06-10T09:00:00Z",
    }
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Evil", "items": [item]}
    (tmp_path / "feed.json").write_text(json.dumps(feed), encoding="utf-8")
    (tmp_path / "digest.toml").write_text(
        f'[store]\npath = "{tmp_path / "d.db"}"\n'
        f'[[feeds]]\nname = "Evil"\nurl = "{tmp_path / "feed.json"}"\nfirst_contact_days = "all"\n'
        f'[[feeds]]\nname = "Gone\\u001b]0;x\\u0007"\nurl = "{tmp_path / "gone.xml"}"\n',
        encoding="utf-8",
    )
    ingest = digest(tmp_path, "-v", "ingest")  # the failing feed's name reaches the log
    assert ingest.returncode == 0 and "Gone]0;x" in ingest.stderr
    assert "\u001b" not in ingest.stderr and "\u0007" not in ingest.stderr

    for args in (["threads"], ["threads", "--json"], ["feeds", "check"], ["status"]):
        done = digest(tmp_path, *args)
        assert done.returncode == 0, done.stderr
        printed = done.stdout + done.stderr
        for control in ("\u001b", "\u0007", "\u0000", "\u009b", "\u202e"):
            assert control not in printed, (args, control)
    assert "Markets]0;pwned rally" in digest(tmp_path, "threads").stdout  # the rest, as printed
