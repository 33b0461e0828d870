"""The golden files: the seeds' edition rendered with the demo settings.

`make golden` (python -m tests.golden_edition) rewrites them; review the diff
like any code change. test_render_golden.py compares a fresh render with them.
"""

from __future__ import annotations

from pathlib import Path

from digest.models import RenderedEdition
from digest.render import render_edition
from tests.editions import seeds_edition, settings

GOLDEN = Path(__file__).resolve().parent / "golden"


def render_seeds() -> RenderedEdition:
    return render_edition(seeds_edition(), settings())


def write_golden() -> list[Path]:
    rendered = render_seeds()
    GOLDEN.mkdir(exist_ok=True)
    files = {"seeds.html": rendered.html, "seeds.txt": rendered.text}
    for name, content in files.items():
        (GOLDEN / name).write_text(content, encoding="utf-8")
    return [GOLDEN / name for name in files]


if __name__ == "__main__":
    for path in write_golden():
        print(f"wrote {path}")
