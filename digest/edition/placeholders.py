"""Per-recipient placeholders: rendered once per edition, filled in once per recipient.

Rendering MJML per recipient would cost tens of milliseconds each; instead the
renderer writes these tokens and delivery substitutes them. Untrusted feed text
is neutralized so it can never produce a token.
"""

from __future__ import annotations

from html import escape

NAME = "[[digest:name]]"
EMAIL = "[[digest:email]]"
UNSUBSCRIBE_URL = "[[digest:unsubscribe_url]]"
PREFERENCES_URL = "[[digest:preferences_url]]"

_MARK = "[[digest:"

#: What the web page of an edition shows where an email has a reader's own values
#: (the keys of the templates' `tokens`); the built-in templates hide those parts there.
WEB_VALUES = {"name": "there", "email": "you", "unsubscribe_url": "", "preferences_url": ""}


def neutralize(untrusted: str) -> str:
    """Break any token-looking sequence in text that came from a feed."""
    return untrusted.replace(_MARK, "[ [digest:")


def personalize(content: str, values: dict[str, str]) -> str:
    """Replace each token (a key of `values`, e.g. `UNSUBSCRIBE_URL`) with its value.

    Values must already be escaped for the content they go into (HTML or text).
    """
    for token, value in values.items():
        content = content.replace(token, value)
    return content


def personalize_parts(html: str, text: str, values: dict[str, str]) -> tuple[str, str]:
    """Both parts of an email filled in with plain `values`, HTML-escaped for the HTML part."""
    escaped = {token: escape(value) for token, value in values.items()}
    return personalize(html, escaped), personalize(text, values)


def has_tokens(content: str) -> bool:
    """True when a placeholder (or anything looking like one) is left in `content`."""
    return _MARK in content
