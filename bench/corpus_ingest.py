"""`digest ingest` of a config listing every file of ../shared/data/feeds (3,496 files).

Prints the wall time of the command, how many feeds failed and how many stories it stored,
and its peak memory. The corpus mixes real feeds with parser conformance cases, HTML pages,
OPML and expected-output JSON, so many files fail, each named with its reason.

    .venv/bin/python bench/corpus_ingest.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "feeds"


def corpus_config(folder: Path, limit: int = 0) -> Path:
    """A digest.toml in `folder` with one feed per file of the corpus manifest."""
    lines = (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    paths = [json.loads(line).get("local_path") for line in lines]
    feeds = [
        {"name": path, "url": str(CORPUS / path), "first_contact_days": "all"}
        for path in paths
        if path
    ]
    config = {
        "store": {"path": str(folder / "digest.db")},
        "feeds": feeds[:limit] if limit else feeds,
    }
    (folder / "digest.toml").write_text(tomli_w.dumps(config), encoding="utf-8")
    return folder / "digest.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = corpus_config(Path(tmp), args.limit)
        command = [sys.executable, "-m", "digest.cli", "--config", str(config), "ingest"]
        output = Path(tmp) / "output.txt"
        started = time.perf_counter()
        with output.open("wb") as sink:
            process = subprocess.Popen(command, stdout=sink, stderr=sink)
            _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        stories = sqlite3.connect(Path(tmp) / "digest.db").execute("SELECT count(*) FROM stories")
        print(
            f"exit {os.waitstatus_to_exitcode(status)} in {elapsed:.1f} s, "
            f"peak {usage.ru_maxrss / 1024:.0f} MB, {stories.fetchone()[0]:,} stories stored"
        )
        print(output.read_text("utf-8", "replace").strip().splitlines()[-1])


if __name__ == "__main__":
    main()
