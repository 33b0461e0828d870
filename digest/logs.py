"""Logging set-up for the command line: one handler on stderr, its level from -v and -q.

Modules log to `logging.getLogger("digest.<module>")` and never configure logging themselves.
"""

from __future__ import annotations

import logging
import re
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
# C0/C1 controls (but tab and newline), DEL, and the bidirectional overrides: a feed's title
# or a server's error text must not move the operator's cursor, retitle the terminal or hide text.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` without the terminal controls that came with it from a feed or a server."""
    return _UNPRINTABLE.sub("", text)


class _PrintableFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def log_level(verbose: int = 0, quiet: bool = False) -> int:
    """WARNING by default; -v INFO, -vv DEBUG; -q only errors (it wins over -v)."""
    if quiet:
        return logging.ERROR
    return {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)


def setup_logging(verbose: int = 0, quiet: bool = False) -> None:
    """Send digest's logs to stderr at the chosen level; libraries stay at WARNING below -vv."""
    level = log_level(verbose, quiet)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PrintableFormatter(FORMAT, DATE_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "digest_handler", False)]:
        root.removeHandler(old)
    handler.digest_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # APScheduler says "Running job ..." at INFO on every firing: only worth it when debugging.
    noisy = level if level <= logging.DEBUG else max(level, logging.WARNING)
    for name in ("apscheduler", "httpx", "httpcore", "mail.log"):
        logging.getLogger(name).setLevel(noisy)
