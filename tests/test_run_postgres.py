"""`contracts run` against a real PostgreSQL server: a run, a re-run, and two runs at once."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

import batchkit
import pipeline.language
from pipeline.cli import app

TESTS = Path(__file__).parent


def scalar(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def assert_whole(url: str, count: int, items: int = 3) -> None:
    assert scalar(url, "SELECT count(*) FROM documents WHERE status = 'ok'") == count
    assert scalar(url, "SELECT count(*) - count(DISTINCT sha256) FROM documents") == 0
    assert scalar(url, "SELECT count(*) FROM contracts") == count
    assert scalar(url, "SELECT count(DISTINCT document_id) FROM contracts") == count
    assert scalar(url, f"SELECT count(*) FROM (SELECT contract_id FROM line_items GROUP BY contract_id "
                       f"HAVING count(*) = {items}) t") == count
    assert scalar(url, "SELECT count(*) FROM line_items") == count * items


def test_run_into_postgresql_and_rerun(tmp_path, pg_url, monkeypatch):
    monkeypatch.setattr(pipeline.language, "extract_file", batchkit.fake_extract)
    monkeypatch.setattr(pipeline.language, "EXTRACTOR_VERSION", batchkit.FAKE_VERSION)
    archive = tmp_path / "archive"
    batchkit.write_contracts(archive, 12)
    (archive / "empty.txt").write_bytes(b"")
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(archive), "--db", pg_url, "--workers", "2"])
    assert result.exit_code == 1, result.output
    assert_whole(pg_url, 12)
    assert scalar(pg_url, "SELECT error_code FROM documents WHERE status = 'failed'") == "empty_file"
    assert scalar(pg_url, "SELECT count(*) FROM v_line_items WHERE supplier IS NOT NULL") == 36
    assert scalar(pg_url, "SELECT count(*) FROM v_open_findings") == 3

    result = runner.invoke(app, ["run", str(archive), "--db", pg_url, "--report", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "r.json").read_text())["skipped"]["done"] == 13
    assert_whole(pg_url, 12)


def test_two_runs_at_once_neither_duplicate_nor_lose_a_document(tmp_path, pg_url):
    archive, count = tmp_path / "archive", 200
    batchkit.write_contracts(archive, count)
    env = {**os.environ, "PYTHONPATH": str(TESTS), "FAKE_EXTRACT_DELAY": "0.02"}
    runs = [
        subprocess.Popen([sys.executable, "-c", "import batchkit; batchkit.cli()", "run", str(archive),
                          "--db", pg_url, "--workers", "2", "--report", str(tmp_path / f"r{i}.json")],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for i in range(2)
    ]
    for run in runs:
        output = run.communicate(timeout=120)[0].decode()
        assert run.returncode == 0, output
    reports = [json.loads((tmp_path / f"r{i}.json").read_text()) for i in range(2)]
    assert_whole(pg_url, count)
    loaded = [r["documents"]["ok"] for r in reports]
    assert sum(loaded) == count, reports  # each document extracted by exactly one of the runs
    assert all(loaded), f"the runs did not overlap: {loaded}"
    for report in reports:
        assert report["documents"]["ok"] + report["documents"]["skipped"] == count
