"""Archives change between runs: moved, edited and removed files; and documents that hang."""
from __future__ import annotations

import time

import batchkit
from pipeline.batch.work import ExtractTask
from batchkit import query, run_cli


def test_moved_edited_and_removed_files_are_told_apart_and_prune_deletes_the_stale(tmp_path, fake_extractor):
    archive, db = tmp_path / "archive", tmp_path / "c.db"
    moved, edited, removed = batchkit.write_contracts(archive, 3)
    code, output, first = run_cli(archive, db)
    assert code == 0 and first["documents"]["ok"] == 3 and first["stale"] == 0, output
    moved_contract = query(db, f"SELECT c.id FROM contracts c JOIN documents d ON d.id = c.document_id "
                               f"WHERE d.path = '{moved}'")

    (archive / "2025").mkdir()
    moved.rename(archive / "2025" / moved.name)
    edited.write_text(batchkit.contract_text(99), encoding="utf-8")
    removed.unlink()
    code, output, second = run_cli(archive, db)
    assert code == 0, output
    assert second["documents"]["ok"] == 1 and second["skipped"]["done"] == 1  # the moved file is not re-read
    assert second["stale"] == 2 and "no longer in the archive" in output
    assert query(db, "SELECT count(*) FROM documents") == [(4,)]  # kept until pruned
    assert query(db, f"SELECT c.id FROM contracts c JOIN documents d ON d.id = c.document_id "
                     f"WHERE d.path = '{archive / '2025' / moved.name}'") == moved_contract

    code, output, third = run_cli(archive, db, "--prune")
    assert code == 0 and third["pruned"] == 2 and third["stale"] == 0, output
    assert sorted(p for (p,) in query(db, "SELECT path FROM documents")) == [
        str(archive / "2025" / moved.name), str(edited)]
    assert query(db, "SELECT contract_no FROM contracts ORDER BY contract_no") == [("HT-00000",), ("HT-00099",)]
    for table in ("line_items", "evidence", "findings", "parties"):  # nothing left of the pruned contracts
        assert query(db, f"SELECT count(*) FROM {table} WHERE contract_id NOT IN (SELECT id FROM contracts)") == [(0,)]


def test_prune_stays_inside_the_archive_it_ran_over(tmp_path, fake_extractor):
    db = tmp_path / "c.db"
    batchkit.write_contracts(tmp_path / "arch", 2)
    batchkit.write_contracts(tmp_path / "arch2", 2, start=10)  # shares a name prefix, not a folder
    run_cli(tmp_path / "arch", db)
    run_cli(tmp_path / "arch2", db)
    code, output, report = run_cli(tmp_path / "arch", db, "--prune")
    assert code == 0 and report["pruned"] == 0 and report["skipped"]["done"] == 2, output
    assert query(db, "SELECT count(*) FROM contracts") == [(4,)]


def test_a_document_that_hangs_is_stopped_and_recorded_and_the_run_goes_on(tmp_path, fake_extractor):
    archive, db = tmp_path / "archive", tmp_path / "c.db"
    batchkit.write_contracts(archive, 4)
    (archive / "hangs.txt").write_text("合同编号：H-1\nEXTRACTOR HANGS\n", encoding="utf-8")
    started = time.monotonic()
    code, output, report = run_cli(archive, db, "--timeout", "1")
    assert time.monotonic() - started < 60
    assert code == 1 and report["documents"]["ok"] == 4 and report["documents"]["error"] == 1, output
    assert list(report["failures"]) == ["timeout"]
    ((status, error),) = query(db, "SELECT status, error FROM documents WHERE path LIKE '%hangs.txt'")
    assert status == "error" and "longer than 1 s" in error


def test_the_time_limit_leaves_quick_documents_alone_and_an_outer_timer_running(tmp_path):
    import signal

    (quick,) = batchkit.write_contracts(tmp_path, 1)
    hangs = tmp_path / "hangs.txt"
    hangs.write_text("合同编号：H-1\nEXTRACTOR HANGS\n", encoding="utf-8")
    task = ExtractTask(batchkit.fake_extract, timeout=0.5)
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        assert task.payload(str(quick))["status"] == "ok"
        payload = task.payload(str(hangs))
        assert (payload["status"], payload["error_code"]) == ("error", "timeout")
        assert 0.4 < payload["extract_seconds"] < 5
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 90
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
