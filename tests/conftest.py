"""Shared fixtures: a fixed clock, a project folder with a config, the seeds."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from digest.config import Settings, load_settings
from digest.store import Database

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def now() -> dt.datetime:
    """The clock every test uses: the morning of the London talks' second day."""
    return dt.datetime(2025, 6, 10, 11, 0, tzinfo=dt.UTC)


ConfigFactory = Callable[..., Settings]


@pytest.fixture
def make_config(tmp_path: Path) -> ConfigFactory:
    """Write `tmp_path/digest.toml` from keyword sections and load it.

    `make_config(feeds=[{...}], delivery={...})`; the store and outbox live in tmp_path.
    """

    def factory(**sections: Any) -> Settings:
        data: dict[str, Any] = {
            "store": {"path": str(tmp_path / "digest.db")},
            "delivery": {"outbox": str(tmp_path / "outbox"), "recipients": ["reader@example.com"]},
        }
        for key, value in sections.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        (tmp_path / "digest.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
        return load_settings(tmp_path / "digest.toml")

    return factory


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A copy of the bundled seeds (articles and their metadata)."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "store.db")
    yield database
    database.close()
