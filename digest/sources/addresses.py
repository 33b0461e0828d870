"""Which hosts are public: the rule that keeps a public feed from redirecting us inward.

A redirect from a public address to a loopback, private, link-local or otherwise non-global
one is refused (a feed must not make us fetch, and mail out, an internal service). Feeds
configured on internal addresses may redirect among them. Resolution is injectable so
tests can pretend a 127.0.0.x host is public; nothing here connects anywhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

#: host -> its IP addresses as strings ([] when it does not resolve).
Resolver = Callable[[str], Awaitable[list[str]]]


async def resolve_host(host: str) -> list[str]:
    """The addresses the system resolver gives for `host` (an IP literal gives itself)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return [str(info[4][0]) for info in infos]


def is_public(addresses: list[str]) -> bool:
    """Every address is global (not loopback, private, link-local, reserved...)."""
    return bool(addresses) and all(_address(a).is_global for a in addresses)


def inward(addresses: list[str]) -> str:
    """The first non-global address among `addresses`, "" when there is none."""
    return next((a for a in addresses if not _address(a).is_global), "")


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    return ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
