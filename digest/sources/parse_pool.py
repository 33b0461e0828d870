"""Parsing in worker processes, where a worker that dies or hangs costs only its own feed.

A parse runs in a shared pool of processes. When a worker dies (a crash in a C parser,
out of memory, killed), every job in that pool fails with it and the culprit is unknown:
the pool is replaced and each of those jobs is tried once more in a process of its own,
where only the culprit fails again. A parse running past the timeout is stopped by
killing its process, the only way to stop one. No fetching or storing happens here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from digest.errors import SourceError

log = logging.getLogger("digest.sources.ingest")
T = TypeVar("T")


class ParsePool:
    """Runs parse jobs on `workers` processes; use as an async context manager."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.workers, self.timeout = workers, timeout
        self._pool: ProcessPoolExecutor | None = None
        # A job is handed to the pool only when a worker is free, so its timeout
        # measures its own parse, never the queue in front of it.
        self._slots = asyncio.Semaphore(workers)

    async def __aenter__(self) -> ParsePool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    async def run(self, job: Callable[[], T], location: str) -> T:
        """`job()` in a worker; SourceError naming `location` when its worker dies or hangs."""
        async with self._slots:
            pool = self._shared()
            try:
                return await self._in(pool, job, location)
            except BrokenProcessPool:
                self._discard(pool)
                log.info("%s: a parser process died; trying it again alone", location)
        async with self._slots:
            alone = ProcessPoolExecutor(max_workers=1)
            try:
                return await self._in(alone, job, location)
            except BrokenProcessPool:
                raise SourceError(location, "the parser process died reading it") from None
            finally:
                _stop(alone)

    async def _in(self, pool: ProcessPoolExecutor, job: Callable[[], T], location: str) -> T:
        future = asyncio.get_running_loop().run_in_executor(pool, job)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            self._discard(pool)
            reason = f"parsing took longer than {self.timeout:g} s and was stopped"
            raise SourceError(location, reason) from None

    def _shared(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Kill `pool`'s workers; the jobs still in it fail with BrokenProcessPool and retry."""
        if pool is self._pool:
            self._pool = None
        _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    # The executor has no public way to stop a running job: kill its processes.
    for process in list((pool._processes or {}).values()):
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
