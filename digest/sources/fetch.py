"""HTTP fetching for every feed: one shared httpx client, bounded concurrency, polite retries.

Timeouts (connect, read, total), a size cap on the decoded body (decode.py), redirects
(noting permanent ones), conditional GET and retries with backoff honoring Retry-After.
It returns bytes; it never parses.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from digest import __version__
from digest.config import Fetch
from digest.errors import SourceError
from digest.sources.addresses import Resolver, inward, is_public, resolve_host
from digest.sources.decode import (
    ACCEPT_ENCODING,
    BodyTooLargeError,
    BoundedBody,
    UnsupportedEncodingError,
    decode_errors,
)

USER_AGENT = f"digest/{__version__} (newsletter digest feed reader)"
_MAX_REDIRECTS = 5
_RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})


class FeedGoneError(SourceError):
    """410 Gone: the publisher says the feed will not come back; the feed is disabled."""


@dataclass(frozen=True)
class Fetched:
    """One successful fetch. `content` is None when the server said 304 Not Modified."""

    url: str
    content: bytes | None
    etag: str = ""
    last_modified: str = ""
    #: Where a chain of permanent redirects (301/308) from the requested URL led; "" if none.
    moved_to: str = ""
    content_type: str = ""


class Fetcher:
    """Async fetcher over one shared client; use `async with Fetcher(settings.fetch) as f`."""

    def __init__(
        self,
        config: Fetch,
        *,
        backoff: float = 1.0,
        max_retry_wait: float = 30.0,
        resolve: Resolver = resolve_host,
    ):
        self.config = config
        self.resolve = resolve
        self.backoff = backoff
        self.max_retry_wait = max_retry_wait
        self._all = asyncio.Semaphore(config.concurrency)
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(config.per_host)
        )
        timeout = httpx.Timeout(
            config.read_timeout, connect=config.connect_timeout, pool=config.timeout
        )
        # The semaphores bound requests in flight; the pool only keeps idle connections, enough
        # for several per host, so the next feed of a host reuses one instead of reconnecting.
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=128)
        self.client = httpx.AsyncClient(
            timeout=timeout,
            limits=limits,
            follow_redirects=False,
            headers={
                "User-Agent": config.user_agent or USER_AGENT,
                "Accept": _ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.client.aclose()

    async def fetch(self, url: str, etag: str = "", last_modified: str = "") -> Fetched:
        """Fetch `url`, retrying timeouts, 429 and 5xx; raise SourceError naming the URL."""
        host = urlsplit(url).hostname or ""
        async with self._all, self._hosts[host]:
            for attempt in range(self.config.retries + 1):
                try:
                    return await self._attempt(url, etag, last_modified)
                except _RetryableError as e:
                    if attempt == self.config.retries:
                        raise SourceError(url, e.reason) from None
                    await asyncio.sleep(self._wait(attempt, e.retry_after))
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_wait)
        return min(self.backoff * 2.0**attempt * (0.5 + random.random()), self.max_retry_wait)

    async def _attempt(self, url: str, etag: str, last_modified: str) -> Fetched:
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with asyncio.timeout(self.config.timeout):
                return await self._follow(url, headers)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as e:  # retrying cannot help
            raise SourceError(url, f"is not a URL digest can fetch: {e}") from None
        except (TimeoutError, httpx.TimeoutException):
            raise _RetryableError(f"timed out (limit {self.config.timeout:g} s)") from None
        except httpx.TransportError as e:
            raise _RetryableError(f"could not connect: {e or type(e).__name__}") from None

    async def _follow(self, url: str, headers: dict[str, str]) -> Fetched:
        current, moved_to, permanent_chain = url, "", True
        for _ in range(_MAX_REDIRECTS + 1):
            request = self.client.build_request("GET", current, headers=headers)
            response = await self.client.send(request, stream=True)
            try:
                if response.is_redirect or response.status_code == 304:
                    # Read the (empty or small) body, so the connection goes back to the pool
                    # instead of being closed unread.
                    await _drain(response, self.config.max_bytes)
                if response.is_redirect and "location" in response.headers:
                    permanent_chain = permanent_chain and response.status_code in (301, 308)
                    target = urljoin(current, response.headers["location"])
                    await self._refuse_inward(url, current, target)
                    current = target
                    moved_to = current if permanent_chain else moved_to
                    continue
                return await self._read(url, current, moved_to, response)
            finally:
                await response.aclose()
        raise SourceError(url, f"more than {_MAX_REDIRECTS} redirects")

    async def _refuse_inward(self, url: str, current: str, target: str) -> None:
        """A redirect from a public host to an internal address is refused (addresses.py)."""
        if not is_public(await self.resolve(urlsplit(current).hostname or "")):
            return
        address = inward(await self.resolve(urlsplit(target).hostname or ""))
        if address:
            reason = f"refused a redirect from a public address to {target} (internal: {address})"
            raise SourceError(url, reason)

    async def _read(self, url: str, final: str, moved_to: str, response: httpx.Response) -> Fetched:
        status = response.status_code
        if status == 410:
            raise FeedGoneError(url, "410 Gone: the publisher removed this feed; it is disabled")
        if status in _RETRYABLE:
            raise _RetryableError(f"HTTP {status} {response.reason_phrase}", _retry_after(response))
        if status >= 400:
            raise SourceError(url, f"HTTP {status} {response.reason_phrase}")
        content = None if status == 304 else await self._body(url, response)
        return Fetched(
            url=final,
            content=content,
            etag=response.headers.get("etag", ""),
            last_modified=response.headers.get("last-modified", ""),
            moved_to=moved_to,
            content_type=response.headers.get("content-type", ""),
        )

    async def _body(self, url: str, response: httpx.Response) -> bytes:
        cap = self.config.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise SourceError(
                url, f"response of {int(declared):,} bytes exceeds the {cap:,} byte cap"
            )
        try:
            body = BoundedBody(response.headers.get("content-encoding", ""), cap)
            # Raw bytes, decoded here in bounded steps: httpx would inflate a whole chunk first.
            async for chunk in response.aiter_raw():
                body.add(chunk)
        except (BodyTooLargeError, UnsupportedEncodingError) as e:
            raise SourceError(url, str(e)) from None
        except decode_errors() as e:
            raise SourceError(url, f"the compressed response is corrupt: {e}") from None
        return body.content()


_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1"
)


class _RetryableError(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


async def _drain(response: httpx.Response, cap: int) -> None:
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read > cap:
            return  # an odd server: let aclose drop this connection


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After as seconds (delta or HTTP date); None when absent or unreadable."""
    value = response.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
