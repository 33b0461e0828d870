"""Make feed strings safe to show: one-line plain text, and links only to http(s) or mailto.

Escaping for HTML is Jinja's job (autoescape); this removes what no part of the
email should carry at all: markup, control characters, placeholder tokens, odd URL schemes.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from digest.edition import placeholders

# Script and style bodies are code, not text: they go with their tags.
_CODE = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<!--.*?-->|<[/!?]?[A-Za-z][^<>]*>", re.DOTALL)
# C0/C1 controls and the bidirectional overrides that can disguise text; tab/newline become spaces.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
_SCHEMES = ("http", "https")


def clean(untrusted: str) -> str:
    """One line of plain text: tags dropped, controls removed, spaces collapsed, tokens broken."""
    text = _TAG.sub("", _CODE.sub("", untrusted))
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return placeholders.neutralize(text)


def safe_url(untrusted: str) -> str:
    """The URL if it is absolute http(s) with a host, or mailto with an address; else ''.

    Anything else (javascript:, data:, file:, relative paths, the seeds' local files)
    gives no link at all.
    """
    url = untrusted.strip()
    if not url or _CONTROL.search(url) or any(c.isspace() for c in url) or "[[" in url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme in _SCHEMES and parts.hostname:
        return url
    if scheme == "mailto" and "@" in parts.path:
        return url
    return ""
