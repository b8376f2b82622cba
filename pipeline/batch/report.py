"""What a run did: counts kept while it runs, a summary table and the same as JSON.

Counts cover this run only: documents by outcome (ok, failed, error, skipped
and why skipped), why documents failed (by error code, with a count and one
example), every file that failed with its reason, the files skipped because
their type is not supported, contracts, line items and findings by check code loaded, documents
recorded under the archive's folder that it no longer holds (stale, or pruned),
and time. The JSON lists every failed and unsupported file; the table on the
terminal shows the first `SHOWN_FILES` of each and says where the rest are.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from pipeline.batch.work import Payload
from pipeline.db.models import STATUS_ERROR, STATUS_FAILED, STATUS_OK
from pipeline.ingest import readable_path

SKIPPED = "skipped"
#: Failed or unsupported files listed by name in the terminal summary (the JSON report has all).
SHOWN_FILES = 50
OUTCOMES = (STATUS_OK, STATUS_FAILED, STATUS_ERROR, SKIPPED)
SKIP_REASONS = {
    "done": "already loaded by this extractor version",
    "busy": "being loaded by another run",
    "duplicate": "same content as another file of this run",
}


@dataclass
class RunReport:
    archive: str
    database: str
    executor: str
    workers: int
    extractor_version: str
    force: bool
    documents: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed_files: list[dict[str, str]] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    #: paths the run writes itself (a SQLite database beside its -wal, -shm and lock files, the
    #: report): when they lie inside the archive they are no contracts, nor unsupported ones
    own_files: tuple[str, ...] = ()
    contracts: int = 0
    line_items: int = 0
    findings: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    stale: int = 0   # recorded under the archive's folder, no longer found there
    pruned: int = 0  # stale documents deleted (--prune)

    def add_skipped(self, reason: str, count: int = 1) -> None:
        self.documents[SKIPPED] += count
        self.skipped[reason] += count

    def add_unsupported(self, path: str) -> None:
        """Name a file skipped because its type is not supported (not one the run writes)."""
        if not os.path.abspath(path).startswith(self.own_files or ("\0",)):
            self.unsupported.append(readable_path(path))

    def add(self, payload: Payload, path: str) -> None:
        """Count a saved document, found at `path`."""
        status = payload["status"]
        self.documents[status] += 1
        if status == STATUS_OK:
            self.contracts += 1
            self.line_items += payload["summary"]["line_items"]
            self.findings.update(payload["summary"]["findings"])
            return
        code = payload["error_code"]
        entry = self.failures.setdefault(code, {"status": status, "count": 0, "example": payload["error"]})
        entry["count"] += 1
        self.failed_files.append({"path": path, "status": status, "error_code": code, "error": payload["error"]})

    @property
    def failed(self) -> int:
        return self.documents[STATUS_FAILED] + self.documents[STATUS_ERROR]

    def to_dict(self) -> dict[str, Any]:
        rate = self.documents[STATUS_OK] / self.seconds if self.seconds else None
        return {
            "archive": self.archive, "database": self.database, "executor": self.executor,
            "workers": self.workers, "extractor_version": self.extractor_version, "force": self.force,
            "documents": {k: self.documents[k] for k in OUTCOMES},
            "skipped": {k: self.skipped[k] for k in SKIP_REASONS},
            "failures": dict(sorted(self.failures.items(), key=lambda kv: -kv[1]["count"])),
            "failed_files": self.failed_files,
            "unsupported": {"count": len(self.unsupported), "files": self.unsupported},
            "contracts": self.contracts, "line_items": self.line_items,
            "findings": dict(sorted(self.findings.items())),
            "stale": self.stale, "pruned": self.pruned,
            "seconds": round(self.seconds, 3),
            "contracts_per_second": None if rate is None else round(rate, 2),
        }

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def render(self, console: Console) -> None:
        data = self.to_dict()
        table = Table(title=f"contracts run: {self.archive}", show_header=False, title_justify="left")
        table.add_column(style="bold")
        table.add_column(justify="right")
        for outcome in OUTCOMES:
            table.add_row(f"documents {outcome}", str(data["documents"][outcome]))
        for reason, count in data["skipped"].items():
            if count:
                table.add_row(f"  skipped: {SKIP_REASONS[reason]}", str(count))
        table.add_row("contracts loaded", str(self.contracts))
        table.add_row("line items loaded", str(self.line_items))
        for check, count in data["findings"].items():
            table.add_row(f"findings {check}", str(count))
        if self.stale:
            table.add_row("documents no longer in the archive (--prune deletes them)", str(self.stale))
        if self.pruned:
            table.add_row("documents no longer in the archive, deleted", str(self.pruned))
        rate = data["contracts_per_second"]
        table.add_row("time", f"{self.seconds:.1f} s" + (f" ({rate:.1f} contracts/s)" if rate else ""))
        console.print(table)
        if self.failures:
            why = Table(title=f"{self.failed} documents failed", title_justify="left")
            for column in ("status", "error", "count", "example"):
                why.add_column(column, overflow="fold")
            for code, entry in data["failures"].items():
                why.add_row(entry["status"], code, str(entry["count"]), entry["example"])
            console.print(why)
            files = Table(title="failed files" + _first(len(self.failed_files)), title_justify="left")
            for column in ("file", "error", "reason"):
                files.add_column(column, overflow="fold")
            for failed in self.failed_files[:SHOWN_FILES]:
                files.add_row(self._within(failed["path"]), failed["error_code"],
                              _reason(failed["error"], failed["path"]))
            console.print(files)
        if self.unsupported:
            console.print(f"skipped, type not supported: {len(self.unsupported)} (convert them to PDF or text to "
                          "include them)" + _first(len(self.unsupported)), highlight=False)
            skipped = Table()
            skipped.add_column("file", overflow="fold")
            for path in self.unsupported[:SHOWN_FILES]:
                skipped.add_row(self._within(path))
            console.print(skipped)

    def _within(self, path: str) -> str:
        """`path` relative to the archive's folder (named in the summary's title), as the tables show it."""
        folder = os.path.join(os.path.abspath(self.archive), "")
        return path[len(folder):] if path.startswith(folder) else path


def _first(count: int) -> str:
    return f" (the first {SHOWN_FILES}; --report FILE lists all)" if count > SHOWN_FILES else ""


def _reason(message: str, path: str) -> str:
    """The message without the path it starts with (the table names the file)."""
    return message[len(path) + 1:].strip() if message.startswith(path + ":") else message
