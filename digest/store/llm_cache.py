"""Language-model answers kept by request key: the same thread asked of the same model with the
same prompt is answered from here. Stores what the model wrote; judging it is `summary.llm`'s."""

from __future__ import annotations

import datetime as dt

from digest.store.db import Database, iso


class LlmCache:
    """The `ResponseCache` the llm summarizer reads and fills, over the `llm_responses` table."""

    def __init__(self, db: Database, now: dt.datetime) -> None:
        self.db = db
        self.now = now

    def get(self, key: str) -> tuple[str, int] | None:
        """(content, tokens) of the answer stored under `key`, or None."""
        row = self.db.conn.execute(
            "SELECT content, tokens FROM llm_responses WHERE key = ?", (key,)
        ).fetchone()
        return (str(row["content"]), int(row["tokens"])) if row else None

    def put(self, key: str, model: str, content: str, tokens: int) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO llm_responses(key, model, content, tokens, created)"
                " VALUES (?, ?, ?, ?, ?)",
                (key, model, content, tokens, iso(self.now)),
            )
