"""The task a batch worker runs: extract one file and return a small, picklable payload.

Runs in a worker process (local pool or Dask worker). It never raises: bad
input becomes a "failed" payload with the error's code and message, any other
exception an "error" payload naming the exception and where it was raised, so
the main process can record it and go on. A successful payload carries the
record already split into table rows (`pipeline.db.rows`), never the document.
"""
from __future__ import annotations

import time
import traceback
from pathlib import Path
from typing import Any, Callable, Optional

from pipeline.db.models import STATUS_ERROR, STATUS_FAILED, STATUS_OK
from pipeline.db.rows import record_rows, record_summary
from pipeline.document import ContractDoc
from pipeline.errors import InputError
from pipeline.ingest import IngestOptions

Extract = Callable[[Path, Optional[IngestOptions]], ContractDoc]
Payload = dict[str, Any]


def extract_payload(path: str, extract: Extract, options: Optional[IngestOptions]) -> Payload:
    """Run `extract` on `path`; see the module docstring for the payload's shape."""
    started = time.perf_counter()
    try:
        doc = extract(Path(path), options)
        record = doc.record.model_dump(mode="json")
        contract, children = record_rows(record, {key: vars(ev) for key, ev in doc.evidence.items()})
    except InputError as err:
        return _failure(STATUS_FAILED, err.code, err.message, started)
    except Exception as err:  # an extractor bug: record it, never stop the run
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


def extract_payloads(paths: list[str], extract: Extract, options: Optional[IngestOptions]) -> list[Payload]:
    """`extract_payload` for each path: one task for several quick documents."""
    return [extract_payload(path, extract, options) for path in paths]


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
