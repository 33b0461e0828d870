"""Make feed strings safe to show: one-line plain text, and links only to http(s) or mailto.

Escaping for HTML is Jinja's job (autoescape); this removes what no part of the
email should carry at all: markup, control characters, placeholder tokens, odd URL schemes.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import SplitResult, urlsplit, urlunsplit

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
        return _real_host(url, parts)
    if scheme == "mailto" and "@" in parts.path:
        return url
    return ""


def _real_host(url: str, parts: SplitResult) -> str:
    """The URL as it goes where it says: no `user@` before the host (which makes
    `https://www.paypal.com@evil.test/` read as PayPal), and a host that mixes scripts, or
    looks Latin in another script, written as the punycode a browser would show."""
    host = parts.netloc.rpartition("@")[2]
    if not host.isascii() and _lookalike(host):
        name, colon, port = host.partition(":") if not host.startswith("[") else (host, "", "")
        try:
            host = name.encode("idna").decode("ascii") + colon + port
        except UnicodeError:
            return ""
    if host == parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=host))


def _lookalike(host: str) -> bool:
    """A label mixing scripts, or Cyrillic or Greek letters under an ASCII top-level domain."""
    labels = host.split(":")[0].split(".")
    for label in labels:
        scripts = {unicodedata.name(c, "?").split()[0] for c in label if c.isalpha()}
        if len(scripts) > 1:
            return True
    tld_ascii = labels[-1].isascii()
    return tld_ascii and any(
        unicodedata.name(c, "?").split()[0] in ("CYRILLIC", "GREEK") for c in host
    )
