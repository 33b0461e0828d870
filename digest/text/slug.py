"""One slug for every name that becomes part of a file name, an id or a header."""

from __future__ import annotations

import re

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, *, limit: int = 60, empty: str = "") -> str:
    """Lower-case ASCII letters and digits joined by hyphens: "Fed's Call" -> "fed-s-call"."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:limit].rstrip("-") or empty
