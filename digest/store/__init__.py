"""SQLite store: stories, feed state, threads, editions, recipients, deliveries.

`Database` (in db.py) owns the connection and the schema; each sibling module
keeps one table family as plain functions over it.
"""

from digest.store.db import Database, from_iso, iso

__all__ = ["Database", "from_iso", "iso"]
