"""SQLite store: stories, feed state, threads, editions, recipients, deliveries.

`Database` (in db.py) owns the connection and the schema; each sibling module
keeps one table family as plain functions over it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from digest.store.db import Database, from_iso, iso

if TYPE_CHECKING:
    from digest.config import Settings


def open_store(settings: Settings) -> Database:
    """The one way to open the configured store (created on first use)."""
    return Database(settings.resolve(settings.store.path))


__all__ = ["Database", "from_iso", "iso", "open_store"]
