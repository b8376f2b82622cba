"""`contracts run`: extract a whole archive into a database, in parallel, resumably.

Exit codes: 0 when every document loaded (or was skipped), 1 when some failed
(the summary lists them and why), 2 when the run could not start (bad
arguments, database unreachable, another run loading into the same SQLite
file) or lost its database part-way, 130 when interrupted (Ctrl-C).

A rerun extracts what is not loaded yet: new and changed files, documents
that ended in error (a bug, a crash, a timeout) or failed for a reason that may
pass (a file unreadable or gone while the run read it); with --retry-failed
also those that failed for bad input. The first Ctrl-C stops the workers at
once (work in flight is abandoned, not awaited), keeps what was saved and
prints the summary; a second one exits immediately.
"""
from __future__ import annotations

import os
import signal
from enum import Enum
from pathlib import Path
from contextlib import ExitStack
from typing import TYPE_CHECKING, NoReturn, Optional

import typer

from pipeline.db.engine import DEFAULT_URL

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: Seconds per document before it is stopped: room for a few hundred scanned pages.
DEFAULT_TIMEOUT = 1800.0


class ExecutorKind(str, Enum):
    local = "local"
    dask = "dask"


def register(app: typer.Typer) -> None:
    app.command("run")(run)


def run(
    archive: Path = typer.Argument(..., help="Folder holding the contracts; searched recursively."),
    db: str = typer.Option(DEFAULT_URL, "--db", help="SQLAlchemy URL of the database, e.g. "
                           "sqlite:///contracts.db or postgresql+psycopg://user@host/dbname."),
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", min=1,
                                help="Worker processes for --executor local."),
    executor: ExecutorKind = typer.Option(ExecutorKind.local, "--executor",
                                          help="local: a process pool here; dask: an existing cluster."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Dask scheduler address, e.g. tcp://HOST:8786."),
    force: bool = typer.Option(False, "--force", help="Re-extract documents already loaded."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Also extract again the documents that "
                                      "failed for bad input (errors and unreadable files are always retried)."),
    prune: bool = typer.Option(False, "--prune", help="Delete documents recorded under ARCHIVE whose file "
                               "changed or is gone (the summary counts them without this)."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0,
                                  help="Seconds one document may take before it is stopped and recorded "
                                  "as an error (0: no limit; not applied with --executor dask)."),
    report: Optional[Path] = typer.Option(None, "--report", help="Also write the summary as JSON here."),
    ocr: str = typer.Option("rapidocr", "--ocr", help="OCR engine for scans and images: rapidocr or tesseract."),
    password: Optional[str] = typer.Option(None, "--password", help="Password of encrypted PDFs."),
) -> None:
    """Extract every contract under ARCHIVE into the database (skips what is already loaded)."""
    from rich.console import Console

    from pipeline.batch.executors import DaskExecutor, LocalExecutor
    from pipeline.batch.progress import make_progress
    from pipeline.batch.report import RunReport
    from pipeline.batch.runner import run_archive
    from pipeline.batch.work import ExtractTask
    from pipeline.db.engine import DatabaseUnavailable, display_url, exclusive_run, open_engine, reachable
    from pipeline.db.load import Store
    from pipeline.db.migrate import upgrade
    from pipeline.ingest import SUPPORTED_SUFFIXES, IngestOptions
    from pipeline.language import EXTRACTOR_VERSION, extract_file

    if not archive.is_dir():
        _fail(f"{archive} is not a folder; pass the folder that holds the contracts")
    if executor is ExecutorKind.dask and not scheduler:
        raise typer.BadParameter("--executor dask needs the address of a running scheduler, "
                                 "e.g. --scheduler tcp://HOST:8786", param_hint="--scheduler")
    if executor is ExecutorKind.local and scheduler:
        raise typer.BadParameter("--scheduler only applies with --executor dask", param_hint="--scheduler")
    if ocr not in ("rapidocr", "tesseract"):
        raise typer.BadParameter("choose rapidocr or tesseract", param_hint="--ocr")

    with ExitStack() as held:
        try:
            engine = open_engine(db)
            held.enter_context(exclusive_run(engine))
            with reachable(engine):
                upgrade(engine)
        except DatabaseUnavailable as err:
            _fail(str(err))

        if executor is ExecutorKind.dask:
            try:
                pool = DaskExecutor(scheduler)
            except (OSError, ValueError) as err:
                _fail(f"cannot reach the Dask scheduler at {scheduler}: {err}")
        else:
            pool = LocalExecutor(workers, preload=[extract_file.__module__])

        out, err_console = Console(), Console(stderr=True)
        summary = RunReport(archive=str(archive), database=display_url(db), executor=executor.value,
                            workers=pool.workers, extractor_version=EXTRACTOR_VERSION, force=force,
                            own_files=_written_by_the_run(engine, report))
        store = Store(engine, EXTRACTOR_VERSION)
        stopped = False
        try:
            with reachable(engine):
                task = ExtractTask(extract_file, IngestOptions(ocr_engine=ocr, password=password), timeout or None)
                run_archive(archive, store, pool, task, summary, lambda total: make_progress(total, err_console),
                            force=force, prune=prune, retry_failed=retry_failed)
        except DatabaseUnavailable as err:
            stopped = True
            pool.terminate()
            _fail(f"{err}; what was committed stays: run the same command again to finish")
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, _exit_at_once)
            stopped = True
            pool.terminate()
            summary.render(out)
            if report is not None:
                summary.write_json(report)
            err_console.print(f"interrupted: the {summary.contracts} contracts loaded stay loaded; run the same "
                              "command again to continue where this run stopped", highlight=False)
            raise typer.Exit(130)
        finally:
            if not stopped:
                pool.close()
            store.close()
    summary.render(out)
    if not sum(summary.documents.values()):
        err_console.print(f"warning: no contract files under {archive} (looked for "
                          f"{', '.join(sorted(s for s in SUPPORTED_SUFFIXES if s))} and files without a suffix)",
                          highlight=False)
    if report is not None:
        summary.write_json(report)
    if summary.failed:
        err_console.print(f"{summary.failed} documents failed; the tables above list them and why, and the "
                          "documents table holds each one's status and error", highlight=False)
        raise typer.Exit(1)


def _exit_at_once(signum: int, frame: object) -> None:
    """A second Ctrl-C: leave now (the database keeps what was committed)."""
    os.write(2, b"interrupted again: exiting now\n")
    os._exit(130)


def _written_by_the_run(engine: Engine, report: Optional[Path]) -> tuple[str, ...]:
    """Absolute paths of what the run writes: the SQLite file (its -wal, -shm and lock files
    share its name as a prefix) and the JSON report."""
    own = [str(report.resolve())] if report is not None else []
    if engine.url.get_backend_name() == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        own.append(os.path.abspath(engine.url.database))
    return tuple(own)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)
