"""`contracts export`: one Parquet, CSV or Excel file per table and view, from SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import batchkit
import pipeline.language
from pipeline.cli import app
from pipeline.db.models import VIEW_NAMES, metadata

NAMES = sorted([t.name for t in metadata.sorted_tables] + list(VIEW_NAMES))
READ = {"parquet": pd.read_parquet, "csv": pd.read_csv, "xlsx": pd.read_excel}


def load(db_url: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(pipeline.language, "extract_file", batchkit.fake_extract)
    monkeypatch.setattr(pipeline.language, "EXTRACTOR_VERSION", batchkit.FAKE_VERSION)
    batchkit.write_contracts(tmp_path / "archive", 8)
    result = CliRunner().invoke(app, ["run", str(tmp_path / "archive"), "--db", db_url, "--workers", "1"])
    assert result.exit_code == 0, result.output


def export(db_url: str, fmt: str, out) -> None:
    result = CliRunner().invoke(app, ["export", "--db", db_url, "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", ["parquet", "csv", "xlsx"])
def test_export_sqlite(tmp_path, monkeypatch, fmt):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    load(url, tmp_path, monkeypatch)
    export(url, fmt, tmp_path / "out")
    assert sorted(p.stem for p in (tmp_path / "out").iterdir()) == NAMES
    frames = {name: READ[fmt](tmp_path / "out" / f"{name}.{fmt}") for name in NAMES}
    assert len(frames["contracts"]) == 8 and len(frames["line_items"]) == 24
    lines = frames["v_line_items"]
    assert len(lines) == 24 and set(lines["supplier"]) <= set(batchkit.SUPPLIERS)
    assert lines.loc[lines["service"] == "对象存储", "normalized_unit_price_month"].notna().all()
    assert len(frames["v_open_findings"]) == 2
    timings = frames["documents"]["timings"].iloc[0]
    assert json.loads(timings)["extract"] > 0  # JSON columns as JSON text
    assert len(frames["v_contracts"]) == 8 and frames["v_contracts"]["current"].astype(bool).all()
    assert len(frames["v_findings"]) == 2
    if fmt == "parquet":  # typed columns, whatever the database returned
        assert str(frames["documents"]["loaded_at"].dtype) == "datetime64[us, UTC]"
        assert str(frames["line_items"]["seq"].dtype) == "int64"
        schema = pq.read_schema(tmp_path / "out" / "contracts.parquet")
        assert schema.field("total_amount").type == pa.decimal128(18, 2)
        assert pq.read_schema(tmp_path / "out" / "v_contracts.parquet").field("current").type == pa.bool_()
    if fmt == "csv":  # UTF-8 with a byte-order mark, so that Excel shows the Chinese text
        raw = (tmp_path / "out" / "v_line_items.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and "对象存储".encode() in raw
        assert list(frames["v_line_items"].columns)[0] == "line_item_id"  # the BOM is not part of the header


def test_export_postgresql_to_excel(tmp_path, monkeypatch, pg_url):
    load(pg_url, tmp_path, monkeypatch)
    export(pg_url, "xlsx", tmp_path / "out")  # time-zone-aware timestamps included
    findings = pd.read_excel(tmp_path / "out" / "findings.xlsx")
    assert len(findings) == 2 and findings["created_at"].notna().all()
    assert len(pd.read_excel(tmp_path / "out" / "v_line_items.xlsx")) == 24


def test_export_explains_an_empty_database(tmp_path):
    result = CliRunner().invoke(app, ["export", "--db", f"sqlite:///{tmp_path / 'none.db'}", "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 2 and "contracts run" in result.output
