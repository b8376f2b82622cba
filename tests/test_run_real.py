"""`contracts run` end to end with the real extractor, on contracts from the project's generator."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from pipeline.language import extract_file
from pipeline.synth.generate import write_batch

CONTRACTS = Path(sys.executable).with_name("contracts")


def test_generated_contracts_load_with_the_real_extractor(tmp_path):
    archive, db, report = tmp_path / "archive", tmp_path / "c.db", tmp_path / "r.json"
    write_batch(archive, 6, seed=5, error_rate=0.5)
    (archive / "readme.txt").write_text("这是归档说明，不是合同。\n", encoding="utf-8")
    (archive / "empty.txt").write_bytes(b"")
    (archive / "scan.txt").write_bytes(bytes(range(256)) * 16)
    expected = {p.name: extract_file(p).record for p in archive.glob("syn_*.txt")}

    result = subprocess.run([str(CONTRACTS), "run", str(archive), "--db", f"sqlite:///{db}", "--workers", "2",
                             "--report", str(report)], capture_output=True, text=True, timeout=300)

    assert result.returncode == 1, result.stdout + result.stderr
    data = json.loads(report.read_text())
    assert data["documents"] == {"ok": 6, "failed": 3, "error": 0, "skipped": 0}
    assert set(data["failures"]) == {"not_a_contract", "empty_file", "binary_file"}
    with sqlite3.connect(db) as connection:
        per_contract = dict(connection.execute(  # what the extractor found, all of it loaded
            "SELECT c.document_name, count(li.id) FROM contracts c "
            "LEFT JOIN line_items li ON li.contract_id = c.id GROUP BY c.id"))
        evidence = connection.execute("SELECT count(*) FROM evidence").fetchone()[0]
        suppliers = connection.execute("SELECT count(*) FROM v_line_items WHERE supplier IS NOT NULL").fetchone()[0]
    assert per_contract == {name: len(record.line_items) for name, record in expected.items()}
    assert evidence > 6 * 10 and suppliers > 0
