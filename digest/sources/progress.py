"""How ingest shows progress: a rich bar on a terminal, plain log lines otherwise.

When no feed has finished for a few seconds, the bar names the feeds it is waiting on
(the longest running first), so a slow feed is visible while it holds the run up.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

log = logging.getLogger("digest.sources.ingest")

#: After this many seconds without a finished feed, the bar names what is still running.
SLOW_SECONDS = 3.0
_NAMED = 3


class Reporter(Protocol):
    """Told when each feed starts and finishes (with its error, None on success)."""

    def started(self, name: str) -> None: ...

    def finished(self, name: str, error: str | None) -> None: ...


class _LogLines:
    """No terminal (cron, a pipe): one log line per failed feed, with its reason."""

    def started(self, name: str) -> None:
        pass

    def finished(self, name: str, error: str | None) -> None:
        if error:
            log.warning("%s failed: %s", name, error)


class _Running:
    """The feeds started and not finished, in start order, and when the last one finished."""

    def __init__(self) -> None:
        self.since: dict[str, float] = {}
        self.last_finish = time.monotonic()

    def waiting_on(self) -> str:
        now = time.monotonic()
        if not self.since or now - self.last_finish < SLOW_SECONDS:
            return ""
        oldest = list(self.since.items())[:_NAMED]
        named = ", ".join(f"{name} ({now - began:.0f} s)" for name, began in oldest)
        more = len(self.since) - len(oldest)
        return f"waiting on {named}" + (f" and {more} more" if more else "")


@contextmanager
def reporter(total: int, progress: bool) -> Iterator[Reporter]:
    """A progress bar when asked for and stderr is a terminal; else a log line per failure."""
    if not (progress and sys.stderr.isatty()):
        yield _LogLines()
        return
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn
    from rich.text import Text

    running = _Running()

    class _Waiting(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(running.waiting_on(), style="yellow", overflow="ellipsis", no_wrap=True)

    columns = (TextColumn("Fetching feeds"), BarColumn(), MofNCompleteColumn(), _Waiting())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("feeds", total=total)

        class _Bar:
            def started(self, name: str) -> None:
                running.since.setdefault(name, time.monotonic())

            def finished(self, name: str, error: str | None) -> None:
                running.since.pop(name, None)
                running.last_finish = time.monotonic()
                bar.advance(task)
                if error:
                    line = f"[red]✗[/red] {escape(name)}: {escape(error)}"
                    bar.console.print(line, highlight=False)

        yield _Bar()
