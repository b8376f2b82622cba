"""Where extraction runs: a local process pool, or an existing Dask cluster.

Both hand out futures for an `ExtractTask` over a few paths and
wait for the first ones to finish; the runner bounds how many are in flight. A local pool
whose worker died (a crash in a native library, the OOM killer) is replaced,
and the futures it broke raise, so the runner can retry or record them. Dask
retries tasks of lost workers itself and raises `KilledWorker` when it gives up.
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import signal
from typing import Any, Iterable, Protocol

from pipeline.batch.work import ExtractTask


class Executor(Protocol):
    workers: int

    def submit(self, task: ExtractTask, paths: list[str]) -> Any: ...

    def wait(self, futures: Iterable[Any], timeout: float) -> set[Any]: ...

    def close(self) -> None: ...


class LocalExecutor:
    """A pool of worker processes on this machine (forkserver: no inherited threads or connections)."""

    def __init__(self, workers: int, preload: Iterable[str] = ()):
        self.workers = workers
        self._context = multiprocessing.get_context("forkserver")
        # imported once in the fork server, so each worker starts warm
        self._context.set_forkserver_preload(["pipeline.batch.work", *preload])
        self._pool = self._new_pool()

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context,
                                      initializer=_ignore_interrupts)

    def submit(self, task: ExtractTask, paths: list[str]) -> cf.Future:
        try:
            return self._pool.submit(task, paths)
        except cf.process.BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(task, paths)

    def wait(self, futures: Iterable[cf.Future], timeout: float) -> set[cf.Future]:
        return cf.wait(futures, timeout=timeout, return_when=cf.FIRST_COMPLETED).done

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """Ctrl-C is for the main process, which saves what is done and stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class DaskExecutor:
    """Tasks on an existing dask.distributed cluster; the archive must be readable from its workers."""

    def __init__(self, scheduler: str):
        from distributed import Client

        self._client = Client(scheduler, set_as_default=False)
        self.workers = max(1, sum(self._client.nthreads().values()))

    def submit(self, task: ExtractTask, paths: list[str]) -> Any:
        return self._client.submit(task, paths, pure=False)

    def wait(self, futures: Iterable[Any], timeout: float) -> set[Any]:
        from distributed import wait

        futures = list(futures)
        try:
            with self._client.as_current():
                return set(wait(futures, timeout=timeout, return_when="FIRST_COMPLETED").done)
        except TimeoutError:
            return {f for f in futures if f.done()}

    def close(self) -> None:
        self._client.close()
