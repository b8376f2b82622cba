"""A run SIGKILLed part-way leaves no half-written contract, and the next run finishes the job."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import batchkit

TESTS = Path(__file__).parent
COUNT = 150
ITEMS = 200  # line items per contract: big transactions, so a kill likely lands inside one


def start_run(archive: Path, db: Path, report: Path, delay: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(TESTS), "FAKE_EXTRACT_DELAY": delay}
    return subprocess.Popen(
        [sys.executable, "-c", "import batchkit; batchkit.cli()", "run", str(archive),
         "--db", f"sqlite:///{db}", "--workers", "2", "--report", str(report)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def loaded(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def kill_after(process: subprocess.Popen, db: Path, documents: int) -> int:
    deadline = time.monotonic() + 60
    while loaded(db) < documents:
        assert process.poll() is None, process.stdout.read().decode()
        assert time.monotonic() < deadline, "the run loaded too slowly"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its workers, mid-flight
    process.wait()
    return loaded(db)


def assert_whole(db: Path) -> int:
    """Every contract complete, every loaded document with exactly one contract; returns how many."""
    with sqlite3.connect(db) as c:
        one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        ok = one("SELECT count(*) FROM documents WHERE status = 'ok'")
        assert one("SELECT count(*) FROM documents WHERE status != 'ok'") == 0
        assert one("SELECT count(*) FROM documents") == one("SELECT count(DISTINCT sha256) FROM documents")
        assert one("SELECT count(*) FROM contracts") == ok
        assert one("SELECT count(DISTINCT document_id) FROM contracts") == ok
        for table, per_contract in [("parties", 2), ("line_items", ITEMS), ("subtotals", 1), ("payments", 1),
                                    ("penalties", 1), ("service_levels", 1), ("evidence", ITEMS + 1)]:
            counts = c.execute(f"SELECT c.id, count(t.contract_id) FROM contracts c "
                               f"LEFT JOIN {table} t ON t.contract_id = c.id GROUP BY c.id").fetchall()
            assert {n for _, n in counts} <= {per_contract}, f"a contract with missing {table}"
            assert one(f"SELECT count(*) FROM {table} WHERE contract_id NOT IN (SELECT id FROM contracts)") == 0
        return ok


def test_sigkill_then_rerun_loads_every_document_exactly_once(tmp_path):
    archive, db = tmp_path / "archive", tmp_path / "c.db"
    batchkit.write_contracts(archive, COUNT, items=ITEMS)

    first = kill_after(start_run(archive, db, tmp_path / "r1.json", "0.01"), db, 20)
    assert 20 <= first < COUNT and assert_whole(db) == first

    second = kill_after(start_run(archive, db, tmp_path / "r2.json", "0.01"), db, first + 40)
    assert first + 40 <= second < COUNT and assert_whole(db) == second

    final = start_run(archive, db, tmp_path / "r3.json", "0")
    output = final.communicate(timeout=120)[0].decode()
    assert final.returncode == 0, output
    assert assert_whole(db) == COUNT
    report = json.loads((tmp_path / "r3.json").read_text())
    assert report["documents"]["ok"] == COUNT - second
    assert report["skipped"]["done"] == second
