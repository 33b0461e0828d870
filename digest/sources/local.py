"""Local feed files: a path (or file:// URL) resolved and read whole, within the size cap.

Used by ingest for configured local feeds and by `digest feeds add PATH`. No parsing here.
"""

from __future__ import annotations

from pathlib import Path

from digest.errors import SourceError


def is_http(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def local_path(url: str) -> Path:
    """The path a local feed's configured `url` names ("file://" prefix optional)."""
    return Path(url.removeprefix("file://")).expanduser()


def read_local_feed(path: Path, cap: int, location: str) -> bytes:
    """The file's bytes; SourceError naming `location` when unreadable or over `cap`."""
    try:
        with path.open("rb") as handle:
            content = handle.read(cap + 1)
    except OSError as e:
        raise SourceError(location, f"cannot read: {e.strerror or e}") from e
    if len(content) > cap:
        raise SourceError(location, f"file exceeds the {cap:,} byte cap")
    return content
