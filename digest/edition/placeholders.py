"""Per-recipient placeholders: rendered once per edition, filled in once per recipient.

Rendering MJML per recipient would cost tens of milliseconds each; instead the
renderer writes these tokens and delivery substitutes them. Untrusted feed text
is neutralized so it can never produce a token.
"""

from __future__ import annotations

NAME = "[[digest:name]]"
EMAIL = "[[digest:email]]"
UNSUBSCRIBE_URL = "[[digest:unsubscribe_url]]"
PREFERENCES_URL = "[[digest:preferences_url]]"

_MARK = "[[digest:"


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
