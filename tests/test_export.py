"""`contracts export`: one Parquet, CSV or Excel file per table and view, from SQLite and PostgreSQL;
with --findings, the findings as an audit working paper."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import insert, select, update
from typer.testing import CliRunner

import batchkit
import pipeline.language
from pipeline.batch.discover import Source
from pipeline.cli import app
from pipeline.db.engine import open_engine
from pipeline.db.load import Store
from pipeline.db.migrate import upgrade
from pipeline.db.models import FINDINGS, VIEW_NAMES, metadata, review_decisions
from pipeline.db.rows import record_rows
from pipeline.document import ContractDoc
from pipeline.export import FINDING_COLUMNS, export_findings
from schemas import ContractMeta, ContractRecord, Finding, LineItem, Party

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


def audited_contract(number: str, amount: str, findings: list[Finding]) -> dict:
    """A payload whose first finding cites the row's amount, read on page 1 of an invented text."""
    raw = f"测试云平台服务合同 编号{number} 第一行 计算节点 单价 12.00 数量 1 金额 {amount} 元 以下为其他条款内容，双方另行约定，未尽事宜协商解决。"
    doc = ContractDoc(name=f"{number}.txt", raw=raw)
    start = raw.index(amount)
    doc.cite("line_items[0].amount", doc.span(start, start + len(amount)))
    doc.cite("contract.total_amount", doc.span(start, start + len(amount)))
    doc.evidence["findings[0].evidence[0]"] = doc.evidence["line_items[0].amount"]
    quantity = raw.index("数量 1") + 3
    doc.cite("findings[0].evidence[1]", doc.span(quantity, quantity + 1))
    record = ContractRecord(
        document=f"{number}.txt", contract=ContractMeta(contract_no=number, title="测试云平台服务合同",
                                                        total_amount=float(amount)),
        parties=[Party(role="client", name="示例区档案馆"), Party(role="supplier", name="样例算力有限公司")],
        line_items=[LineItem(seq=1, service="计算节点", unit_price=12, quantity=1, amount=float(amount))],
        findings=findings)
    contract, children = record_rows(record.model_dump(mode="json"), {k: vars(v) for k, v in doc.evidence.items()})
    return {"status": "ok", "contract": contract, "children": children}


def decide(connection, key: str, before: str, after: str, note: str, at: datetime) -> None:
    """A decision as the review pages save it."""
    connection.execute(update(FINDINGS.table).where(FINDINGS.table.c.finding_key == key).values(
        review_status=after, reviewer="审核员乙", review_note=note, reviewed_at=at))
    connection.execute(insert(review_decisions).values(
        finding_key=key, from_status=before, to_status=after, reviewer="审核员乙", note=note, decided_at=at))


def audited_database(url: str) -> list[str]:
    """Two contracts, three findings: the first confirmed after a dismissal, one dismissed, one open."""
    engine = open_engine(url)
    upgrade(engine)
    store = Store(engine, "v1")
    store.save(Source("/archive/a.txt", sha256="a1" * 32, size=1), audited_contract("KT-31", "3127.50", [
        Finding(check="line_amount", subject="line_items[0]", expected=12, found=3127.5),
        Finding(check="term", subject="contract.term_months", expected=12, found=10)]))
    store.save(Source("/archive/b.txt", sha256="b2" * 32, size=1), audited_contract("KT-32", "88.00", [
        Finding(check="tax", subject="contract.amount_excl_tax", expected=80, found="八十")]))
    store.commit()
    store.close()
    f = FINDINGS.table.c
    with engine.begin() as connection:
        keys = connection.execute(select(f.finding_key).order_by(f.contract_id, f.list_index)).scalars().all()
        decide(connection, keys[0], "open", "dismissed", "", datetime(2031, 3, 4, 9, 5, tzinfo=timezone.utc))
        decide(connection, keys[0], "dismissed", "confirmed", "复核属实", datetime(2031, 3, 5, 10, 31, tzinfo=timezone.utc))
        decide(connection, keys[2], "open", "dismissed", "识别有误", datetime(2031, 3, 6, 8, 0, tzinfo=timezone.utc))
    engine.dispose()
    return keys


HEADERS = dict(FINDING_COLUMNS)


def test_findings_working_paper_lists_the_reviewed_findings_with_evidence_and_history(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    keys = audited_database(url)
    engine = open_engine(url)
    with engine.connect() as connection:
        assert export_findings(connection, "xlsx", tmp_path / "paper.xlsx") == 2
        assert export_findings(connection, "xlsx", tmp_path / "open.xlsx", ("open",)) == 1
    engine.dispose()
    paper = pd.read_excel(tmp_path / "paper.xlsx", dtype={HEADERS["finding_key"]: str})
    assert list(paper.columns) == [header for _, header in FINDING_COLUMNS]
    first, second = paper.to_dict("records")
    assert first[HEADERS["finding_key"]] == keys[0] and second[HEADERS["finding_key"]] == keys[2]
    assert (first[HEADERS["contract_no"]], first[HEADERS["client"]], first[HEADERS["supplier"]]) == (
        "KT-31", "示例区档案馆", "样例算力有限公司")
    assert (first[HEADERS["total_amount"]], first[HEADERS["expected"]], first[HEADERS["found"]]) == (3127.5, 12, 3127.5)
    assert second[HEADERS["found"]] == "八十"
    evidence = first[HEADERS["evidence"]]
    assert evidence.count("第1页：") == 2 and "金额 【3127.50】 元" in evidence and "数量 【1】 金额" in evidence
    assert first[HEADERS["history"]] == ("2031-03-04 09:05 审核员乙 open→dismissed；"
                                         "2031-03-05 10:31 审核员乙 dismissed→confirmed：复核属实")
    assert (first[HEADERS["review_status"]], first[HEADERS["review_note"]]) == ("confirmed", "复核属实")
    assert str(first[HEADERS["reviewed_at"]]) == "2031-03-05 10:31:00"
    opened = pd.read_excel(tmp_path / "open.xlsx")
    assert list(opened[HEADERS["check_code"]]) == ["term"] and opened[HEADERS["history"]].isna().all()


def test_findings_export_command_writes_csv_and_explains_a_bad_status(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    audited_database(url)
    target = tmp_path / "out" / "findings.csv"
    result = CliRunner().invoke(app, ["export", "--findings", "--db", url, "--format", "csv", "--out", str(target),
                                      "--status", "open,confirmed,dismissed"])
    assert result.exit_code == 0, result.output
    assert f"{target}  3 rows" in result.output
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and HEADERS["evidence"].encode() in raw
    assert len(pd.read_csv(target)) == 3
    result = CliRunner().invoke(app, ["export", "--findings", "--db", url, "--out", str(target), "--status", "closed"])
    assert result.exit_code == 2 and "unknown review status closed" in result.output
    result = CliRunner().invoke(app, ["export", "--findings", "--db", url, "--format", "parquet", "--out", str(target)])
    assert result.exit_code == 2 and "xlsx, csv" in result.output


def test_findings_working_paper_from_postgresql(tmp_path, pg_url):
    keys = audited_database(pg_url)
    engine = open_engine(pg_url)
    with engine.connect() as connection:
        assert export_findings(connection, "xlsx", tmp_path / "paper.xlsx") == 2
    engine.dispose()
    paper = pd.read_excel(tmp_path / "paper.xlsx", dtype={HEADERS["finding_key"]: str})
    assert list(paper[HEADERS["finding_key"]]) == [keys[0], keys[2]]
    assert str(paper[HEADERS["reviewed_at"]].iloc[0]) == "2031-03-05 10:31:00"  # UTC, without a zone
    assert paper[HEADERS["history"]].iloc[0].endswith("dismissed→confirmed：复核属实")
