"""The task batch workers run: extract files and return small, picklable payloads.

Runs in a worker process (local pool or Dask worker). It never raises: bad
input becomes a "failed" payload with the error's code and message, a document
that runs past the time limit a "timeout" error, any other exception an
"error" payload naming the exception and where it was raised, so the main
process can record it and go on. A document whose time ran out is a timeout
whatever the extractor made of the interruption (an OCR engine that wraps it in
an error of its own). A successful payload carries the record
already split into table rows (`pipeline.db.rows`), never the document.
"""
from __future__ import annotations

import signal
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from pipeline.db.models import STATUS_ERROR, STATUS_FAILED, STATUS_OK
from pipeline.db.rows import record_rows, record_summary
from pipeline.document import ContractDoc
from pipeline.errors import InputError
from pipeline.ingest import IngestOptions

Extract = Callable[[Path, Optional[IngestOptions]], ContractDoc]
Payload = dict[str, Any]
TIMEOUT_CODE = "timeout"


class ExtractionTimeout(BaseException):
    """A document took longer than the run's --timeout (a BaseException, so `except Exception` in a
    library does not swallow it)."""


@dataclass
class _Deadline:
    expired: bool = False


@dataclass(frozen=True)
class ExtractTask:
    """`extract` with `options` over a few paths, each document within `timeout` seconds.

    The time limit is a SIGALRM timer, so it holds in the main thread of a
    worker process (the local executor); Dask runs tasks in threads, where
    the limit is not applied.
    """

    extract: Extract
    options: Optional[IngestOptions] = None
    timeout: Optional[float] = None

    def __call__(self, paths: list[str]) -> list[Payload]:
        """One payload per path: one task for several quick documents."""
        return [self.payload(path) for path in paths]

    def payload(self, path: str) -> Payload:
        """Extract `path`; see the module docstring for the payload's shape."""
        started = time.perf_counter()
        deadline = _Deadline()
        try:
            with _time_limit(self.timeout, deadline):
                doc = self.extract(Path(path), self.options)
                record = doc.record.model_dump(mode="json")
                contract, children = record_rows(record, {key: vars(ev) for key, ev in doc.evidence.items()})
        except (Exception, ExtractionTimeout) as err:
            if deadline.expired:
                return _failure(STATUS_ERROR, TIMEOUT_CODE,
                                f"extraction took longer than {self.timeout:g} s and was stopped; the next run "
                                "tries it again (raise --timeout for very long scans)", started)
            if isinstance(err, InputError):
                return _failure(STATUS_FAILED, err.code, err.message, started)
            # an extractor bug: record it, never stop the run
            return _failure(STATUS_ERROR, type(err).__name__, _describe_bug(err), started)
        return {
            "status": STATUS_OK,
            "pages": doc.page_count,
            "timings": {stage: round(seconds, 6) for stage, seconds in doc.timings.items()},
            "warnings": list(doc.warnings),
            "extract_seconds": time.perf_counter() - started,
            "contract": contract,
            "children": children,
            "summary": record_summary(record),
        }


@contextmanager
def _time_limit(seconds: Optional[float], deadline: _Deadline) -> Iterator[None]:
    """Raise `ExtractionTimeout` in the block after `seconds`, marking `deadline` expired;
    a timer set before is restored after."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        deadline.expired = True
        raise ExtractionTimeout()

    handler = signal.signal(signal.SIGALRM, expire)
    outer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, *outer)
        signal.signal(signal.SIGALRM, handler)


def failure_payload(status: str, code: str, message: str) -> Payload:
    """A payload for a document that never reached a worker (or whose worker died)."""
    return {"status": status, "error_code": code, "error": message,
            "timings": None, "extract_seconds": None}


def _failure(status: str, code: str, message: str, started: float) -> Payload:
    payload = failure_payload(status, code, message)
    payload["extract_seconds"] = time.perf_counter() - started
    return payload


def _describe_bug(err: Exception) -> str:
    """'ValueError: message (at pipeline/foo.py:12 in bar)' — enough to file a bug."""
    frames = traceback.extract_tb(err.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        where = f" (at {last.filename}:{last.lineno} in {last.name})"
    return f"{type(err).__name__}: {err}{where}"
