"""`contracts run --executor dask` on a LocalCluster: extraction on the cluster, loading here."""
from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

import batchkit
import pipeline.language
from pipeline.cli import app


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_run_on_a_dask_cluster(tmp_path, scheduler, monkeypatch):
    monkeypatch.setattr(pipeline.language, "extract_file", batchkit.fake_extract)
    monkeypatch.setattr(pipeline.language, "EXTRACTOR_VERSION", batchkit.FAKE_VERSION)
    archive, db, report = tmp_path / "archive", tmp_path / "c.db", tmp_path / "r.json"
    batchkit.write_contracts(archive, 30)
    (archive / "notes.txt").write_text("不是合同\n", encoding="utf-8")
    args = ["run", str(archive), "--db", f"sqlite:///{db}", "--executor", "dask", "--scheduler", scheduler,
            "--report", str(report)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, (result.output, result.exception)
    data = json.loads(report.read_text())
    assert data["executor"] == "dask" and data["workers"] == 2
    assert data["documents"] == {"ok": 30, "failed": 1, "error": 0, "skipped": 0}
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM contracts").fetchone() == (30,)
        assert connection.execute("SELECT count(*) FROM line_items").fetchone() == (90,)
        assert connection.execute("SELECT error_code FROM documents WHERE status = 'failed'").fetchone() == (
            "not_a_contract",)

    result = CliRunner().invoke(app, args)
    assert json.loads(report.read_text())["skipped"]["done"] == 31


def test_an_unreachable_scheduler_is_explained(tmp_path, monkeypatch):
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "1s")
    import dask

    dask.config.refresh()
    result = CliRunner().invoke(app, ["run", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'c.db'}",
                                      "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"])
    dask.config.refresh()
    assert result.exit_code == 2 and "cannot reach the Dask scheduler" in result.output
