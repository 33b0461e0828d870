"""DKIM signing of outgoing messages (dkimpy), when `delivery.dkim.key_file` is set.

The signature covers the headers receivers check for bulk mail, the one-click
unsubscribe headers included. Publishing the DNS record is the operator's job.
"""

from __future__ import annotations

import dkim

from digest.config import Settings
from digest.errors import ConfigError

SIGNED_HEADERS = (
    b"From",
    b"To",
    b"Subject",
    b"Date",
    b"Message-ID",
    b"List-Id",
    b"List-Unsubscribe",
    b"List-Unsubscribe-Post",
    b"MIME-Version",
    b"Content-Type",
)


class DkimSigner:
    """Prepends a DKIM-Signature header (rsa-sha256, relaxed/relaxed)."""

    def __init__(self, private_key: bytes, selector: str, domain: str) -> None:
        self.private_key = private_key
        self.selector = selector.encode("ascii")
        self.domain = domain.encode("ascii")

    @classmethod
    def from_settings(cls, settings: Settings) -> DkimSigner | None:
        """None when DKIM is not configured; ConfigError naming the key when it is unusable."""
        config = settings.delivery.dkim
        if not config.key_file:
            return None
        if not config.selector:
            raise ConfigError(["Config value 'delivery.dkim.selector': required with key_file"])
        path = settings.resolve(config.key_file)
        try:
            key = path.read_bytes()
            dkim.crypto.parse_pem_private_key(key)
        except (OSError, dkim.KeyFormatError, ValueError) as e:
            raise ConfigError(
                [f"Config value 'delivery.dkim.key_file': cannot use {path} as a private key: {e}"]
            ) from e
        domain = config.domain or settings.newsletter.sender.rpartition("@")[2]
        return cls(key, config.selector, domain.lower())

    def sign(self, message: bytes) -> bytes:
        signature: bytes = dkim.sign(
            message,
            self.selector,
            self.domain,
            self.private_key,
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=list(SIGNED_HEADERS),
        )
        return signature + message
