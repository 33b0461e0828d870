"""How ingest shows progress: a rich bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger("digest.sources.ingest")

#: Called once per finished feed with its name and error (None on success).
Reporter = Callable[[str, "str | None"], None]


@contextmanager
def reporter(total: int, progress: bool) -> Iterator[Reporter]:
    """A progress bar when asked for and stderr is a terminal; else a log line per failure."""
    if not (progress and sys.stderr.isatty()):
        yield _log_line
        return
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("Fetching feeds"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("feeds", total=total)

        def advance(name: str, error: str | None) -> None:
            bar.advance(task)
            if error:
                bar.console.print(f"[red]✗[/red] {escape(name)}: {escape(error)}", highlight=False)

        yield advance


def _log_line(name: str, error: str | None) -> None:
    if error:
        log.warning("%s failed: %s", name, error)
