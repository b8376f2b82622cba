"""The archive run: find files, claim them, extract in workers, save each in the main process.

Paths stream from `discover`; at most `in_flight_limit` documents are out
with the workers at a time (quick ones in tasks of a few) and results are
saved as they complete, in any order, so the main process's memory does not
grow with the archive. Every file ends as one
`documents` row: loaded, failed (bad input, or an entry that cannot be read or
examined: no permission, a looping link, a folder that cannot be listed),
error (extractor bug, dead worker, timeout, or a record the database
refused), or skipped; files of unsupported types are named in the report. Nothing a single file
does stops the run: when a worker dies, every document it may have taken down
with its pool is tried again alone, so only the one that kills a worker by
itself is recorded as an error.

A run that went through the whole archive then counts the documents recorded
under the archive's folder that it did not find there (a file changed or
removed since an earlier run) and, with `prune`, deletes them.
"""
from __future__ import annotations

import os
import time
from collections import deque
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from pipeline.batch.discover import Source, discover, identify
from pipeline.batch.executors import Executor
from pipeline.batch.progress import RunProgress
from pipeline.batch.report import RunReport
from pipeline.batch.work import ExtractTask, Payload, failure_payload
from pipeline.db.load import RecordRefused, Store
from pipeline.db.models import STATUS_ERROR, STATUS_FAILED, STATUS_OK
from pipeline.errors import Unreadable
from pipeline.ingest import storable_text

#: How long to wait for a result before committing what is saved (seconds).
_POLL = 0.2
#: Quick documents go to workers in tasks of up to MAX_CHUNK, about CHUNK_SECONDS of work each.
MAX_CHUNK = 4
CHUNK_SECONDS = 0.05


def count_files(root: Path) -> int:
    """Files and unexaminable entries `discover` finds under `root`, for the progress bar."""
    return sum(1 for _ in discover(root))


class ArchiveRun:
    def __init__(self, root: Path, store: Store, executor: Executor, task: ExtractTask,
                 report: RunReport, progress: RunProgress, *, force: bool = False, prune: bool = False,
                 retry_failed: bool = False):
        self.root, self.store, self.executor, self.task = root, store, executor, task
        self.report, self.progress, self.force, self.prune = report, progress, force, prune
        self.retry_failed = retry_failed
        self.in_flight_limit = max(16, 4 * MAX_CHUNK * executor.workers)  # documents
        self._in_flight: dict[Any, tuple[list[Source], bool]] = {}  # future → (sources, running alone)
        self._pending = 0  # documents in flight
        self._suspects: deque[Source] = deque()
        self._seconds_per_document: Optional[float] = None

    def run(self) -> RunReport:
        started = time.monotonic()
        paths: Iterator[str | Source] = discover(self.root, self.report.add_unsupported)
        exhausted = False
        try:
            while True:
                self.store.commit_if_due()
                if self._suspects:
                    if not self._in_flight:
                        self._submit([self._suspects.popleft()], alone=True)
                elif not exhausted and self._pending <= self.in_flight_limit // 2:
                    batch = list(islice(paths, self.in_flight_limit - self._pending))
                    exhausted = not batch
                    self._admit(batch)
                if not self._in_flight:
                    if exhausted and not self._suspects:
                        break
                    continue
                for future in self.executor.wait(self._in_flight, timeout=_POLL):
                    self._collect(future)
            self.store.commit()
            self._settle_stale()
        except KeyboardInterrupt:
            self.store.commit()  # every saved document is whole: keep them
            raise
        finally:
            self.report.seconds = time.monotonic() - started
        return self.report

    def _settle_stale(self) -> None:
        """Count, or with `prune` delete, the documents under the archive this run did not find."""
        if self.prune:
            self.report.pruned = self.store.prune_stale(self.root)
        else:
            self.report.stale = self.store.count_stale(self.root)

    def _admit(self, paths: list[str | Source]) -> None:
        claim = self.store.claim([identify(p) for p in paths], self.force, self.retry_failed)
        for reason in ("done", "busy", "duplicate"):
            skipped = len(getattr(claim, reason))
            if skipped:
                self.report.add_skipped(reason, skipped)
                self.progress.advance(skipped)
        readable = []
        for source in claim.todo:
            if source.unreadable:
                self._save(source, failure_payload(STATUS_FAILED, Unreadable.code, source.unreadable))
            else:
                readable.append(source)
        size = self._chunk_size()
        for i in range(0, len(readable), size):
            self._submit(readable[i:i + size], alone=False)

    def _chunk_size(self) -> int:
        """Documents per task: several when they are quick, so per-task overhead stays small."""
        if self._seconds_per_document is None:
            return 1
        return max(1, min(MAX_CHUNK, int(CHUNK_SECONDS / max(self._seconds_per_document, 1e-6))))

    def _submit(self, sources: list[Source], alone: bool) -> None:
        future = self.executor.submit(self.task, [s.path for s in sources])
        self._in_flight[future] = (sources, alone)
        self._pending += len(sources)

    def _collect(self, future: Any) -> None:
        sources, alone = self._in_flight.pop(future)
        self._pending -= len(sources)
        try:
            payloads = future.result()
        except Exception as err:  # the worker died (taking its pool along) or the cluster lost the task
            if not alone:
                self._suspects.extend(sources)
                return
            payloads = [failure_payload(
                STATUS_ERROR, "worker_lost",
                f"the worker extracting it died, also when it ran alone ({type(err).__name__}: {err}); "
                "the next run tries it again")]
        for source, payload in zip(sources, payloads):
            seconds = payload["extract_seconds"]
            if seconds is not None:
                previous = self._seconds_per_document
                self._seconds_per_document = seconds if previous is None else 0.9 * previous + 0.1 * seconds
            self._save(source, payload)

    def _save(self, source: Source, payload: Payload) -> None:
        if payload["status"] != STATUS_OK:
            payload["error"] = _with_path(storable_text(payload["error"]), source.name)
        try:
            self.store.save(source, payload)
        except RecordRefused as err:
            payload = failure_payload(
                STATUS_ERROR, "load_error",
                f"{source.name}: the database refused the record ({err}); please report this")
            self.store.save(source, payload)
        self.report.add(payload, source.name)
        self.progress.advance()
        if payload["status"] != STATUS_OK:
            self.progress.note(f"{payload['status']} [{payload['error_code']}] {payload['error']}")


def _with_path(message: str, path: str) -> str:
    """The message, naming the file by its full path (once)."""
    if message.startswith(path):
        return message
    name = os.path.basename(path)
    if message.startswith(name + ":"):
        return path + message[len(name):]
    return f"{path}: {message}"


def run_archive(root: Path, store: Store, executor: Executor, task: ExtractTask, report: RunReport,
                make_progress: Callable[[int], RunProgress], *, force: bool = False,
                prune: bool = False, retry_failed: bool = False) -> RunReport:
    """Run over the archive at `root`; see the module docstring."""
    progress = make_progress(count_files(root))
    try:
        return ArchiveRun(root, store, executor, task, report, progress, force=force, prune=prune,
                          retry_failed=retry_failed).run()
    finally:
        progress.close()
