"""Content-Encoding (gzip, deflate, br) undone in bounded steps, with a cap on the output.

httpx inflates a whole received chunk before anyone can count it, so a few KB of brotli
can become gigabytes in one call. Here the raw bytes are decompressed at most `_STEP`
bytes of output at a time and the total is checked after each step. No I/O here.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Protocol

import brotli

#: Encodings we ask for and can undo within a bound (zstd has no bounded decoder here).
ACCEPT_ENCODING = "gzip, deflate, br"
_STEP = 64 * 1024


class BodyTooLargeError(Exception):
    """The decoded body passed the cap; `str()` says so for the feed's error line."""


class UnsupportedEncodingError(Exception):
    """A Content-Encoding we did not ask for and cannot decode."""


class _Step(Protocol):
    def __call__(self, data: bytes) -> Iterator[bytes]: ...


class BoundedBody:
    """Feed raw chunks with `add`; `content()` is the decoded body, never more than `cap`."""

    def __init__(self, content_encoding: str, cap: int) -> None:
        self.cap = cap
        self.raw_size = 0
        self._parts: list[bytes] = []
        self._size = 0
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        # Applied in the order listed, so undone in reverse.
        self._steps = [_decoder(n) for n in reversed(names) if n != "identity"]

    def add(self, raw: bytes) -> None:
        self.raw_size += len(raw)
        if self.raw_size > self.cap:
            raise BodyTooLargeError(f"response exceeds the {self.cap:,} byte cap")
        for piece in self._through(raw, 0):
            self._size += len(piece)
            if self._size > self.cap:
                raise BodyTooLargeError(
                    f"response exceeds the {self.cap:,} byte cap once decompressed"
                )
            self._parts.append(piece)

    def _through(self, data: bytes, index: int) -> Iterator[bytes]:
        if index == len(self._steps):
            yield data
            return
        for piece in self._steps[index](data):
            yield from self._through(piece, index + 1)

    def content(self) -> bytes:
        return b"".join(self._parts)


def _decoder(name: str) -> _Step:
    if name in ("gzip", "x-gzip"):
        return _ZlibStep(zlib.MAX_WBITS | 16)
    if name == "deflate":
        return _ZlibStep(zlib.MAX_WBITS, fallback_raw=True)
    if name == "br":
        return _BrotliStep()
    raise UnsupportedEncodingError(f"unsupported Content-Encoding {name!r}")


class _ZlibStep:
    def __init__(self, wbits: int, *, fallback_raw: bool = False) -> None:
        self._zlib = zlib.decompressobj(wbits)
        self._fallback_raw, self._started = fallback_raw, False

    def __call__(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._zlib.decompress(data, _STEP)
        except zlib.error:
            if not self._fallback_raw or self._started:
                raise
            # "deflate" is often sent without its zlib header: read it as raw deflate.
            self._zlib, self._fallback_raw = zlib.decompressobj(-zlib.MAX_WBITS), False
            out = self._zlib.decompress(data, _STEP)
        self._started = True
        yield out
        while self._zlib.unconsumed_tail:
            yield self._zlib.decompress(self._zlib.unconsumed_tail, _STEP)


class _BrotliStep:
    def __init__(self) -> None:
        self._brotli = brotli.Decompressor()

    def __call__(self, data: bytes) -> Iterator[bytes]:
        yield self._brotli.process(data, output_buffer_limit=_STEP)
        while not self._brotli.can_accept_more_data():
            yield self._brotli.process(b"", output_buffer_limit=_STEP)


def decode_errors() -> tuple[type[Exception], ...]:
    """What a corrupt compressed body raises."""
    return (zlib.error, brotli.error)
