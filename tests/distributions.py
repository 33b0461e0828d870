"""Installing a third-party plug-in the way pip lays it out, for tests: a `*.dist-info`
folder whose entry_points.txt registers the plug-in's classes (the module is the caller's)."""

from __future__ import annotations

from pathlib import Path


def install_distribution(site: Path, name: str, entry_points: str) -> None:
    """`name`-1.0.dist-info in `site`, with METADATA and `entry_points` as entry_points.txt."""
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
