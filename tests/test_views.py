"""The views: v_contracts, v_findings, and `current`, which keeps an edited file's old contract out of
totals until it is pruned; on SQLite and PostgreSQL."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text, update
from typer.testing import CliRunner

import batchkit
from pipeline.batch.discover import Source
from pipeline.cli import app
from pipeline.db.engine import open_engine
from pipeline.db.load import Store
from pipeline.db.migrate import upgrade
from pipeline.db.models import FINDINGS
from pipeline.db.rows import record_rows
from schemas import ContractMeta, ContractRecord, Evidence, Finding, Party


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'views.db'}"
    return request.getfixturevalue("pg_url")


def run(archive, db_url, *args) -> None:
    result = CliRunner().invoke(app, ["run", str(archive), "--db", db_url, "--workers", "1", *args])
    assert result.exit_code == 0, result.output


def rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


def total(path) -> Decimal:
    return Decimal(path.read_text(encoding="utf-8").rsplit("合同总价：", 1)[1].strip())


def test_an_edited_files_old_contract_is_not_current_until_pruned(tmp_path, db_url, fake_extractor):
    archive = tmp_path / "archive"
    files = batchkit.write_contracts(archive, 3)
    run(archive, db_url)
    engine = open_engine(db_url)
    assert rows(engine, "SELECT count(*) FROM v_contracts WHERE current") == [(3,)]

    files[1].write_text(batchkit.contract_text(99), encoding="utf-8")
    run(archive, db_url)
    contracts = rows(engine, "SELECT contract_no, document_path, client, supplier, current FROM v_contracts "
                             "ORDER BY contract_no")
    assert [(no, bool(current)) for no, _, _, _, current in contracts] == [
        ("HT-00000", True), ("HT-00001", False), ("HT-00002", True), ("HT-00099", True)]
    assert contracts[1][1] == contracts[3][1] == str(files[1])  # the same file, two versions
    assert all(client and supplier in batchkit.SUPPLIERS for _, _, client, supplier, _ in contracts)
    (current_total,) = rows(engine, "SELECT sum(total_amount) FROM v_contracts WHERE current")[0]
    assert Decimal(str(current_total)).quantize(Decimal("0.01")) == sum(total(f) for f in files)
    assert rows(engine, "SELECT count(*) FROM v_line_items WHERE NOT current") == [(3,)]
    assert rows(engine, "SELECT count(DISTINCT contract_id) FROM v_open_findings WHERE current") == \
        rows(engine, "SELECT count(DISTINCT f.contract_id) FROM v_findings f WHERE current "
                     "AND review_status = 'open'")

    run(archive, db_url, "--prune")
    assert rows(engine, "SELECT count(*), sum(CASE WHEN current THEN 1 ELSE 0 END) FROM v_contracts") == [(3, 3)]
    engine.dispose()


def test_v_findings_lists_every_status_with_its_first_evidence(db_url):
    engine = open_engine(db_url)
    upgrade(engine)
    record = ContractRecord(document="a.txt", contract=ContractMeta(contract_no="HT-1"),
                            parties=[Party(role="client", name="甲方局"), Party(role="supplier", name="乙方公司")],
                            findings=[Finding(check="line_amount", subject="line_items[0]", expected=10.0, found=12.5),
                                      Finding(check="term", subject="contract.term_months", expected=12, found=13)])
    evidence = {"findings[0].evidence[0]": Evidence(page=2, start=5, end=9, snippet="金额 12.5 元"),
                "findings[0].evidence[1]": Evidence(page=3, start=1, end=2, snippet="other")}
    contract, children = record_rows(record.model_dump(mode="json"), {k: dict(v) for k, v in evidence.items()})
    store = Store(engine, "v1")
    store.save(Source("/a.txt", sha256="a" * 64, size=1), {"status": "ok", "contract": contract, "children": children})
    store.commit()
    store.close()
    with engine.begin() as connection:
        connection.execute(update(FINDINGS.table).where(FINDINGS.table.c.check_code == "term")
                           .values(review_status="dismissed", reviewer="王"))
    found = rows(engine, "SELECT check_code, review_status, reviewer, client, supplier, document_path, "
                         "evidence_page, evidence_snippet, found_value - expected_value, current "
                         "FROM v_findings ORDER BY check_code")
    assert [r[:8] for r in found] == [
        ("line_amount", "open", None, "甲方局", "乙方公司", "/a.txt", 2, "金额 12.5 元"),
        ("term", "dismissed", "王", "甲方局", "乙方公司", "/a.txt", None, None)]
    assert [Decimal(str(r[8])) for r in found] == [Decimal("2.5"), Decimal("1")]
    assert all(bool(r[9]) for r in found)
    assert rows(engine, "SELECT check_code FROM v_open_findings") == [("line_amount",)]
    engine.dispose()
