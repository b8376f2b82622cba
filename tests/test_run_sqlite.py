"""`contracts run` into SQLite: loading, error isolation, re-runs, duplicates, crashed workers, progress."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

import batchkit
from batchkit import query, run_cli
import pipeline.language
from pipeline.batch.discover import discover
from pipeline.batch.executors import LocalExecutor
from pipeline.batch.progress import BarProgress, LogProgress, make_progress
from pipeline.batch.report import RunReport
from pipeline.batch.runner import run_archive
from pipeline.batch.work import ExtractTask
from pipeline.cli import app
from pipeline.db.engine import open_engine
from pipeline.db.load import Store
from pipeline.db.migrate import upgrade


def test_good_contracts_load_and_each_bad_file_is_recorded_with_its_error(tmp_path, fake_extractor):
    archive = tmp_path / "archive"
    batchkit.write_contracts(archive, 6)
    batchkit.write_contracts(archive / "2025" / "q1", 2, start=50)
    (archive / "empty.txt").write_bytes(b"")
    (archive / "scan.txt").write_bytes(bytes(range(256)) * 8)
    (archive / "notes.txt").write_text("会议纪要：下周讨论预算。\n", encoding="utf-8")
    (archive / "bug.txt").write_text("合同编号：X\nEXTRACTOR BUG\n", encoding="utf-8")
    (archive / "moved.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(archive / "pipe.txt")
    (archive / "record.json").write_text("{}")  # not a supported type: ignored
    db = tmp_path / "c.db"

    code, output, report = run_cli(archive, db)

    assert code == 1, output
    rows = dict(((Path(p).name, (s, e)) for p, s, e in query(db, "SELECT path, status, error_code FROM documents")))
    assert rows.pop("empty.txt") == ("failed", "empty_file")
    assert rows.pop("scan.txt") == ("failed", "binary_file")
    assert rows.pop("notes.txt") == ("failed", "not_a_contract")
    assert rows.pop("moved.txt") == ("failed", "unreadable")
    assert rows.pop("pipe.txt") == ("failed", "unreadable")
    assert rows.pop("bug.txt") == ("error", "ZeroDivisionError")
    assert sorted(rows) == [f"contract_{n:05d}.txt" for n in (0, 1, 2, 3, 4, 5, 50, 51)]
    assert set(rows.values()) == {("ok", None)}
    errors = dict(query(db, "SELECT path, error FROM documents WHERE status != 'ok'"))
    assert errors[str(archive / "moved.txt")].endswith("broken symbolic link")
    assert "FIFO" in errors[str(archive / "pipe.txt")]
    assert "ZeroDivisionError: division by zero (at " in errors[str(archive / "bug.txt")]
    assert query(db, "SELECT count(*) FROM contracts") == [(8,)]
    assert query(db, "SELECT count(*) FROM line_items") == [(24,)]
    assert report["documents"] == {"ok": 8, "failed": 5, "error": 1, "skipped": 0}
    assert {k: v["count"] for k, v in report["failures"].items()} == {
        "empty_file": 1, "binary_file": 1, "not_a_contract": 1, "unreadable": 2, "ZeroDivisionError": 1}
    assert report["findings"] == {"line_amount": 2}  # contracts 0 and 4 state a wrong amount
    assert "6 documents failed" in output and "not_a_contract" in output


def test_rerun_skips_version_bump_reextracts_and_force_reextracts_all(tmp_path, fake_extractor):
    archive = tmp_path / "archive"
    batchkit.write_contracts(archive, 5)
    (archive / "notes.txt").write_text("不是合同\n", encoding="utf-8")
    db = tmp_path / "c.db"
    code, output, first = run_cli(archive, db)
    assert code == 1 and first["documents"]["ok"] == 5
    ids = query(db, "SELECT id, sha256 FROM documents ORDER BY id")
    contract_ids = query(db, "SELECT id FROM contracts ORDER BY id")
    with sqlite3.connect(db) as connection:  # an auditor confirms a finding
        connection.execute("UPDATE findings SET review_status='confirmed', reviewer='王', review_note='已核实'")

    code, output, again = run_cli(archive, db)
    assert code == 0, output  # nothing failed in this run: the bad file was skipped too
    assert again["documents"] == {"ok": 0, "failed": 0, "error": 0, "skipped": 6}
    assert again["skipped"]["done"] == 6
    assert query(db, "SELECT id, sha256 FROM documents ORDER BY id") == ids
    assert query(db, "SELECT id FROM contracts ORDER BY id") == contract_ids

    fake_extractor.setattr(pipeline.language, "EXTRACTOR_VERSION", "fake-2")
    code, output, bumped = run_cli(archive, db)
    assert bumped["documents"] == {"ok": 5, "failed": 1, "error": 0, "skipped": 0}
    assert query(db, "SELECT DISTINCT extractor_version FROM documents") == [("fake-2",)]
    assert query(db, "SELECT id, sha256 FROM documents ORDER BY id") == ids
    assert query(db, "SELECT count(*) FROM contracts") == [(5,)]
    assert query(db, "SELECT count(*) FROM line_items") == [(15,)]
    assert query(db, "SELECT max(id) FROM contracts") > contract_ids[-1:]  # replaced, not kept (SQLite may reuse one id)
    assert query(db, "SELECT review_status, reviewer, review_note FROM findings") == [("confirmed", "王", "已核实")] * 2

    code, output, forced = run_cli(archive, db, "--force")
    assert forced["documents"] == {"ok": 5, "failed": 1, "error": 0, "skipped": 0}
    assert query(db, "SELECT count(*) FROM documents") == [(6,)]
    assert query(db, "SELECT count(*) FROM contracts") == [(5,)]
    assert query(db, "SELECT count(*) FROM evidence") == [(20,)]


def test_same_content_twice_is_one_document(tmp_path, fake_extractor):
    archive = tmp_path / "archive"
    (path,) = batchkit.write_contracts(archive, 1)
    (archive / "copy").mkdir()
    (archive / "copy" / path.name).write_bytes(path.read_bytes())
    code, output, report = run_cli(archive, tmp_path / "c.db")
    assert code == 0, output
    assert report["documents"]["ok"] == 1 and report["skipped"]["duplicate"] + report["skipped"]["done"] == 1
    assert query(tmp_path / "c.db", "SELECT count(*) FROM documents") == [(1,)]


def crash_on_marker(path: Path, options=None):
    """Kills its worker process for files that say so (a segfault in a native library)."""
    if b"CRASH" in Path(path).read_bytes():
        os._exit(1)
    return batchkit.fake_extract(path, options)


def test_a_crashed_worker_costs_only_its_document(tmp_path):
    archive = tmp_path / "archive"
    batchkit.write_contracts(archive, 12)
    (archive / "crash.txt").write_text("合同编号：CRASH\n", encoding="utf-8")
    engine = open_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade(engine)
    store, pool = Store(engine, "v1"), LocalExecutor(2, preload=["batchkit"])
    report = RunReport(str(archive), "sqlite", "local", 2, "v1", False)
    try:
        run_archive(archive, store, pool, ExtractTask(crash_on_marker), report, lambda n: make_progress(n, Console(quiet=True)))
    finally:
        pool.close()
        store.close()
    assert report.documents["ok"] == 12
    assert list(report.failures) == ["worker_lost"] and report.failures["worker_lost"]["count"] == 1
    assert "crash.txt" in report.failures["worker_lost"]["example"]


def test_discovery_streams_supported_files_recursively(tmp_path):
    batchkit.write_contracts(tmp_path / "a" / "b", 2)
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "scan.PDF").write_bytes(b"%PDF")
    (tmp_path / "data.json").write_text("{}")
    (tmp_path / "loop").symlink_to(tmp_path)  # a symlinked folder is not followed
    found = sorted(Path(p).relative_to(tmp_path).as_posix() for p in discover(tmp_path))
    assert found == ["a/b/contract_00000.txt", "a/b/contract_00001.txt", "scan.PDF"]


def test_progress_is_a_bar_on_a_terminal_and_log_lines_otherwise():
    bar = make_progress(10, Console(force_terminal=True, quiet=True))
    bar.close()
    assert isinstance(bar, BarProgress)
    log_console = Console(force_terminal=False, record=True, width=200)
    log = make_progress(10, log_console)
    assert isinstance(log, LogProgress)
    log.advance(4)
    log.note("failed [empty_file] x.txt: the file is empty")
    log.close()
    text = log_console.export_text()
    assert "[run] found 10 files" in text and "4/10 documents" in text and "docs/s, ETA" in text


def test_run_explains_bad_arguments(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "is not a folder" in result.output
    result = runner.invoke(app, ["run", str(tmp_path), "--executor", "dask"])
    assert result.exit_code == 2 and "--scheduler" in result.output
    result = runner.invoke(app, ["run", str(tmp_path), "--db", "mysql+nodriver://x/y"])
    assert result.exit_code == 2 and "no driver" in result.output
