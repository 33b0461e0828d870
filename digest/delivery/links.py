"""Signed links for emails and the web app: unsubscribe and confirm tokens and their URLs.

A link token is `{kind}.{recipient token}.{signature}`, the signature an HMAC-SHA256 of the
kind and token with the web secret (DIGEST_WEB_SECRET, else one kept in the store), so a
forged link is refused before the store is asked. Whether a token is still valid is not
decided here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from urllib.parse import quote

from digest.config import WEB_SECRET_ENV, Settings
from digest.store.db import Database
from digest.store.recipient_states import stored_secret

UNSUBSCRIBE = "u"
CONFIRM = "c"


class LinkSigner:
    """Signs and checks link tokens with one secret."""

    def __init__(self, secret: str) -> None:
        self._key = secret.encode("utf-8")

    @classmethod
    def for_store(cls, db: Database) -> LinkSigner:
        return cls(os.environ.get(WEB_SECRET_ENV) or stored_secret(db, "web"))

    def sign(self, kind: str, token: str) -> str:
        return f"{kind}.{token}.{self._signature(kind, token)}"

    def verify(self, kind: str, signed: str) -> str | None:
        """The recipient token a link carries; None when the link was not signed by us."""
        parts = signed.split(".")
        if len(parts) != 3 or parts[0] != kind or not parts[1]:
            return None
        if not hmac.compare_digest(parts[2], self._signature(kind, parts[1])):
            return None
        return parts[1]

    def _signature(self, kind: str, token: str) -> str:
        mac = hmac.new(self._key, f"{kind}.{token}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac[:18]).decode("ascii")


def page_url(settings: Settings, signer: LinkSigner, kind: str, token: str) -> str:
    """`{base_url}/unsubscribe?t=...` or `/confirm?t=...`; '' without `[web] base_url`."""
    base = settings.web.base_url
    if not base:
        return ""
    path = "unsubscribe" if kind == UNSUBSCRIBE else "confirm"
    return f"{base}/{path}?t={quote(signer.sign(kind, token))}"
