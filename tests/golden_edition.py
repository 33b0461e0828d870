"""The golden files: the seeds' editions, made by the real pipeline with the demo config.

Three editions, each as HTML and text: `seeds` (both seeds on one day, what `make run`
sends), and the day-by-day pair `day1` (June 9, seed 000) and `day2` (June 10, seed 002
joins the thread, which is now developing). Every stage runs: the folder source, the
store, threading, summaries, rendering. `make golden` (python -m tests.golden_edition)
rewrites them; review the diff like any code change.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import tomllib
from pathlib import Path

import tomli_w

from digest.config import load_settings
from digest.models import RenderedEdition
from digest.pipeline import open_store, run
from digest.store.editions import get_edition

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
JUNE9 = dt.datetime(2025, 6, 9, 21, 0, tzinfo=dt.UTC)
JUNE10 = dt.datetime(2025, 6, 10, 21, 0, tzinfo=dt.UTC)
SEED_000 = "000_2d148068ed96eaa8"
SEED_002 = "002_8e69fedbf1708692"


def render_seeds() -> dict[str, RenderedEdition]:
    """Each golden edition by name, as the store keeps it (recipient tokens unfilled)."""
    together = _run_days([(JUNE10, [SEED_000, SEED_002])])
    day1, day2 = _run_days([(JUNE9, [SEED_000]), (JUNE10, [SEED_002])])
    return {"seeds": together[0], "day1": day1, "day2": day2}


def _run_days(days: list[tuple[dt.datetime, list[str]]]) -> list[RenderedEdition]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "seeds").mkdir()
        config = tomllib.loads((ROOT / "digest.toml").read_text(encoding="utf-8"))
        config["store"] = {"path": "digest.db"}
        config["delivery"] = {"outbox": "outbox", "recipients": ["reader@example.com"]}
        config["feeds"] = [{"name": "Seeds", "url": "seeds", "first_contact_days": "all"}]
        (root / "digest.toml").write_text(tomli_w.dumps(config), encoding="utf-8")
        settings = load_settings(root / "digest.toml")
        editions = []
        for now, seeds in days:
            for stem in seeds:
                for suffix in (".txt", ".toml"):
                    shutil.copy(ROOT / "seeds" / f"{stem}{suffix}", root / "seeds")
            report = run(settings, now)
            with open_store(settings) as db:
                stored = get_edition(db, report.edition_id or "")
            assert stored is not None, report.summary()
            editions.append(
                RenderedEdition(stored.subject, stored.preheader, stored.html, stored.text)
            )
        return editions


def golden_files() -> dict[str, str]:
    """File name -> content for every golden file."""
    files = {}
    for name, rendered in render_seeds().items():
        files[f"{name}.html"] = rendered.html
        files[f"{name}.txt"] = f"Subject: {rendered.subject}\nPreheader: {rendered.preheader}\n\n"
        files[f"{name}.txt"] += rendered.text
    return files


def write_golden() -> list[Path]:
    GOLDEN.mkdir(exist_ok=True)
    for stale in GOLDEN.glob("*"):
        stale.unlink()
    for name, content in golden_files().items():
        (GOLDEN / name).write_text(content, encoding="utf-8")
    return sorted(GOLDEN.iterdir())


if __name__ == "__main__":
    for path in write_golden():
        print(f"wrote {path.relative_to(ROOT)}")
