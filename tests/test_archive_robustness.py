"""`contracts run` on archives as they come: odd names and entries recorded per file, failures retried
and listed, Ctrl-C and SIGKILL leaving no worker behind, one run per SQLite file, a lost PostgreSQL
connection ending in a message, not a traceback."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, make_url, text
from typer.testing import CliRunner

import batchkit
from batchkit import query, run_cli
from pipeline.batch import discover as discover_module
from pipeline.cli import app
from tests.helpers import MINI_CONTRACT

TESTS = Path(__file__).parent
QUICK = 5  # contracts loaded before the run is interrupted


@contextmanager
def running(archive: Path, db_url: str, report: Path, *args: str, delay: str = "0") -> Iterator[subprocess.Popen]:
    """`contracts run --workers 3` with the fake extractor, in a process group of its own (killed after)."""
    run = subprocess.Popen(
        [sys.executable, "-c", "import batchkit; batchkit.cli()", "run", str(archive), "--db", db_url,
         "--workers", "3", "--report", str(report), *args],
        env={**os.environ, "PYTHONPATH": str(TESTS), "FAKE_EXTRACT_DELAY": delay},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield run
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()


def children() -> dict[int, list[int]]:
    """Parent pid → child pids, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry))
    return tree


def descendants(pid: int) -> set[int]:
    tree, found, todo = children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """Those of `pids` still running (zombies count as gone)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running


def wait_for(condition, what: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, process.stdout.read().decode()
        assert time.monotonic() < deadline, f"waited too long for {what}"
        time.sleep(0.05)


def gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


def loaded(db: Path) -> int:
    try:
        return query(db, "SELECT count(*) FROM documents WHERE status = 'ok'")[0][0]
    except Exception:  # not created yet
        return 0


def hanging_archive(folder: Path) -> None:
    """QUICK contracts and two that keep their worker busy for two minutes (a third worker loads the rest)."""
    batchkit.write_contracts(folder, QUICK)
    for n in range(2):
        (folder / f"slow_{n}.txt").write_text(f"合同编号：SLOW-{n}\nEXTRACTOR HANGS\n", encoding="utf-8")


# -- point 5: names, links and folders that cannot be read ----------------------------------------

def test_odd_names_looping_links_and_unlistable_folders_are_recorded_and_the_run_goes_on(tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "合同甲.txt").write_text(MINI_CONTRACT, encoding="utf-8")
    gbk_name = os.path.join(os.fsencode(archive), "合同乙.txt".encode("gbk"))
    with open(os.open(gbk_name, os.O_WRONLY | os.O_CREAT, 0o644), "w", encoding="gbk") as fh:
        fh.write(MINI_CONTRACT.replace("TEST-2030-001", "TEST-2030-002"))
    (archive / "loop.txt").symlink_to(archive / "loop.txt")
    locked = archive / "locked"
    batchkit.write_contracts(locked, 1)
    (archive / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (archive / "sheet.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    os.chmod(locked, 0)  # not enough as root, hence also:
    real_scandir = os.scandir

    def scandir(path):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(discover_module.os, "scandir", scandir)
    db = tmp_path / "c.db"
    try:
        code, output, report = run_cli(archive, db)
    finally:
        os.chmod(locked, 0o755)

    assert code == 1, output
    shown_gbk = str(archive) + "/\\xba\\xcf\\xcd\\xac\\xd2\\xd2.txt"
    rows = {path: (status, code) for path, status, code in query(db, "SELECT path, status, error_code FROM documents")}
    assert rows == {
        str(archive / "合同甲.txt"): ("ok", None), os.fsdecode(gbk_name).encode("utf-8", "surrogateescape")
        .decode("utf-8", "backslashreplace"): ("ok", None),
        str(archive / "loop.txt"): ("failed", "unreadable"), str(locked): ("failed", "unreadable"),
    }
    assert "\\x" in shown_gbk and any("\\x" in path for path in rows)
    failed = {Path(f["path"]).name: f for f in report["failed_files"]}
    assert set(failed) == {"loop.txt", "locked"}
    assert "symbolic links" in failed["loop.txt"]["error"]
    assert "cannot be listed" in failed["locked"]["error"] and "permission" in failed["locked"]["error"].lower()
    assert sorted(Path(p).name for p in report["unsupported"]["files"]) == ["old.doc", "sheet.xls"]
    assert "old.doc" in output and "loop.txt" in output and "cannot be listed" in output


# -- point 9: which failures a rerun tries again ---------------------------------------------------

def test_transient_failures_are_retried_and_bad_input_only_with_retry_failed(tmp_path, fake_extractor):
    archive, db = tmp_path / "archive", tmp_path / "c.db"
    batchkit.write_contracts(archive, 3)
    (archive / "notes.txt").write_text("会议纪要：下周讨论预算。\n", encoding="utf-8")
    (archive / "scan.docx").write_bytes(b"PK\x03\x04")
    code, output, first = run_cli(archive, db)
    assert code == 1 and first["documents"]["ok"] == 3
    assert [f["path"] for f in first["failed_files"]] == [str(archive / "notes.txt")]
    assert first["failed_files"][0]["error_code"] == "not_a_contract"
    assert first["unsupported"] == {"count": 1, "files": [str(archive / "scan.docx")]}
    assert "notes.txt" in output and "scan.docx" in output
    vanished = str(archive / "contract_00001.txt")  # as if it had gone while the run read it
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE documents SET status = 'failed', error_code = 'unreadable' WHERE path = ?",
                           (vanished,))

    code, output, second = run_cli(archive, db)
    assert code == 0, output
    assert second["documents"] == {"ok": 1, "failed": 0, "error": 0, "skipped": 3}
    assert query(db, f"SELECT status FROM documents WHERE path = '{vanished}'") == [("ok",)]

    code, output, third = run_cli(archive, db, "--retry-failed")
    assert code == 1, output
    assert third["documents"] == {"ok": 0, "failed": 1, "error": 0, "skipped": 3}
    assert [Path(f["path"]).name for f in third["failed_files"]] == ["notes.txt"]


# -- point 10: Ctrl-C and SIGKILL ---------------------------------------------------------------

@pytest.mark.parametrize("interrupts", [1, 2])
def test_ctrl_c_stops_promptly_keeps_what_loaded_and_leaves_no_worker(tmp_path, interrupts):
    archive, db = tmp_path / "archive", tmp_path / "c.db"
    hanging_archive(archive)
    with running(archive, f"sqlite:///{db}", tmp_path / "r.json") as run:
        wait_for(lambda: loaded(db) == QUICK and len(descendants(run.pid)) >= 4, "the quick contracts", run)
        time.sleep(0.5)  # two workers are now inside a two-minute extraction
        workers = descendants(run.pid)

        second = CliRunner().invoke(app, ["run", str(archive), "--db", f"sqlite:///{db}"])
        assert second.exit_code == 2 and "another contracts run (pid" in second.output, second.output

        for _ in range(interrupts):
            os.killpg(run.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
            time.sleep(0.05)
        output = run.communicate(timeout=60)[0].decode()  # not the two minutes the extractions take
    # 130, or death by the second SIGINT when it lands as the run exits (a shell shows 130 too)
    assert run.returncode in (130, -signal.SIGINT), output
    assert "Traceback" not in output
    if interrupts == 1:
        assert f"the {QUICK} contracts loaded stay loaded" in output and "run the same command again" in output
    assert not gone_within(workers, 20), "workers outlived the run"
    assert query(db, "SELECT count(*) FROM documents WHERE status != 'ok'") == [(0,)]  # no false errors
    assert loaded(db) == QUICK


def test_sigkill_of_the_run_leaves_no_orphan_workers(tmp_path):
    archive, db = tmp_path / "archive", tmp_path / "c.db"
    hanging_archive(archive)
    with running(archive, f"sqlite:///{db}", tmp_path / "r.json") as run:
        wait_for(lambda: loaded(db) == QUICK and len(descendants(run.pid)) >= 4, "the quick contracts", run)
        workers = descendants(run.pid)
        run.kill()  # the main process only
        run.wait()
        assert not gone_within(workers, 20), "workers outlived a SIGKILLed run"


# -- point 11: a PostgreSQL connection lost mid-run ------------------------------------------------

def test_a_lost_postgresql_connection_ends_the_run_with_a_message_and_a_rerun_finishes(tmp_path, pg_url):
    archive, count = tmp_path / "archive", 300
    # numbers no other test writes: advisory locks are per database, and other tests' runs may share it
    batchkit.write_contracts(archive, count, start=70_000)
    name = f"contracts-run-{uuid.uuid4().hex[:8]}"
    url = make_url(pg_url).update_query_dict({"application_name": name}).render_as_string(hide_password=False)
    admin = create_engine(pg_url)

    def committed() -> int:
        with admin.connect() as connection:
            try:
                return connection.execute(text("SELECT count(*) FROM documents WHERE status = 'ok'")).scalar()
            except Exception:  # the table is not there yet
                return 0

    with running(archive, url, tmp_path / "r.json", delay="0.02") as run:
        wait_for(lambda: committed() >= 20, "the first commits", run)
        with admin.connect() as connection:
            killed = connection.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                             "WHERE application_name = :name"), {"name": name}).scalar()
        assert killed >= 1
        output = run.communicate(timeout=120)[0].decode()
        assert run.returncode == 2, output
        assert "Traceback" not in output and "run the same command again" in output, output
        kept = committed()
        assert 20 <= kept < count

    with running(archive, pg_url, tmp_path / "r2.json") as rerun:
        output = rerun.communicate(timeout=120)[0].decode()
    assert rerun.returncode == 0, output
    report = json.loads((tmp_path / "r2.json").read_text())
    assert report["skipped"]["done"] == kept and report["documents"]["ok"] == count - kept, report
    with admin.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM contracts")).scalar() == count
        assert connection.execute(text("SELECT count(*) FROM line_items")).scalar() == 3 * count
    admin.dispose()


def test_the_runs_own_database_and_report_inside_the_archive_are_not_listed_as_unsupported(tmp_path):
    archive = tmp_path / "archive"
    batchkit.write_contracts(archive, 1)
    (archive / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    db = archive / "contracts.db"  # run_cli writes its report beside the database
    for _ in range(2):  # the second run also meets the database's -wal and lock files
        for earlier in archive.glob("report-*.json"):
            earlier.unlink()
        code, output, report = run_cli(archive, db)
        assert code == 0, output
        assert report["unsupported"] == {"count": 1, "files": [str(archive / "old.doc")]}
