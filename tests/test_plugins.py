"""Plug-ins of every group load the same way: a broken one is logged, named and skipped,
and `digest --version` lists what loaded and what did not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.distributions import install_distribution

PLUGIN = """
class Lines:
    kind, reads_location = "lines", False
    def sniff(self, location, content):
        return False
    def parse(self, location, content):
        raise NotImplementedError

class NoMethods:
    pass
"""


def install(site: Path) -> None:
    (site / "good_plugins.py").write_text(PLUGIN, encoding="utf-8")
    install_distribution(
        site,
        "good-plugins",
        "[digest.sources]\nlines = good_plugins:Lines\nmissing = no_such_module:Kind\n"
        "[digest.summarizers]\nhollow = good_plugins:NoMethods\n",
    )


def digest(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-m", "digest.cli", *args],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip


def test_version_lists_loaded_plugins_and_names_broken_ones(tmp_path: Path) -> None:
    install(tmp_path)

    shown = digest(tmp_path, "--version")

    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[1] == "source kinds: folder, jsonfeed, lines, rss"
    assert lines[2] == "summarizers: extractive, llm"
    assert "not loaded: source kind 'missing': ModuleNotFoundError: No module named" in lines[3]
    assert lines[4].startswith("not loaded: summarizer 'hollow': TypeError: it does not provide")
    assert "Traceback" not in shown.stderr


def test_choosing_a_broken_summarizer_is_one_line_naming_it(tmp_path: Path) -> None:
    install(tmp_path)
    (tmp_path / "digest.toml").write_text(
        f'[store]\npath = "{tmp_path / "d.db"}"\n[summary]\nsummarizer = "hollow"\n'
    )

    built = digest(tmp_path, "--config", str(tmp_path / "digest.toml"), "build",
                   "--out", str(tmp_path / "out"))  # fmt: skip

    assert built.returncode == 1
    assert built.stderr.strip().splitlines()[-1] == (
        "Error: summarizer 'hollow' could not be loaded: "
        "TypeError: it does not provide Summarizer's methods"
    )
