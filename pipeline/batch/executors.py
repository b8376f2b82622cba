"""Where extraction runs: a local process pool, or an existing Dask cluster.

Both hand out futures for an `ExtractTask` over a few paths and
wait for the first ones to finish; the runner bounds how many are in flight. A local pool
whose worker died (a crash in a native library, the OOM killer) is replaced,
and the futures it broke raise, so the runner can retry or record them. Dask
retries tasks of lost workers itself and raises `KilledWorker` when it gives up.

Local workers never outlive the run: `terminate` stops them at once (Ctrl-C
does not wait for a long scan), and a worker whose parent is gone (the run was
SIGKILLed) exits by itself: a watchdog thread checks every `PARENT_POLL`
seconds that the run's process and the fork server are still there, and on
Linux the kernel also kills it when the fork server ends (PR_SET_PDEATHSIG).
"""
from __future__ import annotations

import concurrent.futures as cf
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from typing import Any, Iterable, Protocol

from pipeline.batch.work import ExtractTask

#: Seconds between a worker's checks that its parent is still there.
PARENT_POLL = 1.0
_PR_SET_PDEATHSIG = 1


class Executor(Protocol):
    workers: int

    def submit(self, task: ExtractTask, paths: list[str]) -> Any: ...

    def wait(self, futures: Iterable[Any], timeout: float) -> set[Any]: ...

    def close(self) -> None: ...

    def terminate(self) -> None: ...


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
                                      initializer=_start_worker, initargs=(os.getpid(),))

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

    def terminate(self) -> None:
        """Stop the workers now, abandoning the work in flight."""
        # ProcessPoolExecutor has no public way to stop busy workers before Python 3.14
        processes = list((self._pool._processes or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


def _start_worker(run: int) -> None:
    """Ctrl-C is for the main process, which saves what is done and stops the pool;
    the worker ends when its parent (the fork server) or the run's process `run` does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the kernel was told to watch it
        os._exit(1)
    threading.Thread(target=_exit_when_orphaned, args=(parent, run), daemon=True, name="run-watchdog").start()


def _exit_when_orphaned(parent: int, run: int) -> None:
    while os.getppid() == parent and _alive(run):
        time.sleep(PARENT_POLL)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: the pid was reused, the run is gone
        return False
    return True


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

    def terminate(self) -> None:
        """Cancel this run's tasks on the cluster (its workers are not ours to stop)."""
        self._client.close()
