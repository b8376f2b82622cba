"""Typed columns: money NUMERIC (Decimal, exact sums on PostgreSQL), dates DATE, numeric findings,
columns derived at load, and migration 0003 converting a database written before it."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from sqlalchemy import inspect, select, text

from pipeline.batch.discover import Source
from pipeline.db.engine import open_engine
from pipeline.db.load import Store
from pipeline.db.migrate import head_revision, upgrade
from pipeline.db.models import FINDINGS, LINE_ITEMS, PAYMENTS, contracts
from pipeline.db.rows import record_rows
from schemas import ContractMeta, ContractRecord, Finding, LineItem, NormalizedQuantity, Party, Payment


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'types.db'}"
    return request.getfixturevalue("pg_url")


def save(engine, records: list[ContractRecord]) -> None:
    store = Store(engine, "v1")
    for i, record in enumerate(records):
        contract, children = record_rows(record.model_dump(mode="json"), {})
        store.save(Source(f"/archive/{i}.txt", sha256=f"{i:064x}", size=1),
                   {"status": "ok", "contract": contract, "children": children})
    store.commit()
    store.close()


def record(total: float, **meta) -> ContractRecord:
    return ContractRecord(document="a.txt", contract=ContractMeta(total_amount=total, **meta),
                          parties=[Party(role="supplier", name="乙")])


def test_money_is_decimal_and_dates_are_dates(db_url):
    engine = open_engine(db_url)
    upgrade(engine)
    contract = record(1234.5, signed_date="2025-01-02", amount_excl_tax=1164.62, tax_rate=0.06)
    contract.line_items = [LineItem(seq=1, service="对象存储", unit_price=0.12, quantity=100, amount=144,
                                    normalized=NormalizedQuantity(unit="GB", unit_price_month=0.791667))]
    contract.findings = [Finding(check="line_amount", subject="line_items[0]", expected=144.0, found="九千"),
                         Finding(check="term", subject="contract.term_months", expected=12, found=13)]
    save(engine, [contract])
    with engine.connect() as connection:
        row = connection.execute(select(contracts)).one()
        items = connection.execute(select(LINE_ITEMS.table)).one()
        findings = connection.execute(select(FINDINGS.table).order_by(FINDINGS.table.c.list_index)).all()
    assert (row.total_amount, row.amount_excl_tax, row.signed_date) == (
        Decimal("1234.50"), Decimal("1164.62"), datetime.date(2025, 1, 2))
    assert isinstance(row.tax_rate, float) and row.tax_rate == 0.06  # a fraction
    assert (items.unit_price, items.amount, items.normalized_unit_price_month) == (
        Decimal("0.12"), Decimal("144.00"), Decimal("0.791667"))
    assert [(f.expected, f.found, f.expected_value, f.found_value) for f in findings] == [
        ("144.0", "九千", Decimal("144"), None), ("12.0", "13.0", Decimal("12"), Decimal("13"))]
    engine.dispose()


def test_columns_derived_at_load_come_from_the_enrich_functions(db_url):
    from pipeline.enrich.payments import schedule
    from pipeline.enrich.services import describe_service

    engine = open_engine(db_url)
    upgrade(engine)
    contract = record(200000.0, signed_date="2025-03-01")
    services = ["普通存储（IOPS 不低于 1500）", "普通存储(IOPS不低于１５００)", "云主机 vCPU", None]
    contract.line_items = [LineItem(seq=i + 1, service=name, normalized=NormalizedQuantity(unit="GB"))
                           for i, name in enumerate(services)]
    contract.payments = [
        Payment(seq=1, percent=0.3, condition="合同签订后10个工作日内支付"),       # the percent only
        Payment(seq=2, percent=0.7, amount=140000.0, condition="2026年9月30日前支付"),
    ]
    save(engine, [contract])
    with engine.connect() as connection:
        items = connection.execute(select(LINE_ITEMS.table).order_by(LINE_ITEMS.table.c.list_index)).all()
        payments = connection.execute(select(PAYMENTS.table).order_by(PAYMENTS.table.c.list_index)).all()
    assert [(i.service_normalized, i.service_category) for i in items] == [
        describe_service(name, "GB") for name in services]
    assert all(i.service_category for i in items)
    for row, payment in zip(payments, contract.payments):
        expected = schedule(payment, contract)
        assert (row.due_date, row.due_period, row.amount_computed) == (
            expected.due_date, expected.due_period, expected.amount_computed)
    assert (payments[0].amount, payments[0].amount_computed) == (Decimal("60000.00"), True)
    assert (payments[1].amount, payments[1].amount_computed) == (Decimal("140000.00"), False)
    assert contract.payments[0].amount is None  # the record itself is unchanged
    engine.dispose()


@pytest.mark.postgres
def test_sums_of_amounts_are_exact_to_the_fen_on_postgresql(pg_url):
    amounts = ["1035934828.07", "0.1", "0.2"]
    assert repr(sum(float(a) for a in amounts)) == "1035934828.3700001"  # what DOUBLE PRECISION gave
    engine = open_engine(pg_url)
    upgrade(engine)
    save(engine, [record(float(a)) for a in amounts])
    with engine.connect() as connection:
        total = connection.execute(text("SELECT sum(total_amount) FROM contracts")).scalar_one()
        view_total = connection.execute(text("SELECT sum(total_amount) FROM v_contracts WHERE current")).scalar_one()
    assert total == view_total == Decimal("1035934828.37") and str(total) == "1035934828.37"
    engine.dispose()


def test_migration_0003_converts_a_database_loaded_before_it(db_url):
    engine = open_engine(db_url)
    assert upgrade(engine, "0002") == "0002"
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO documents (id, sha256, path, status, loaded_at) "
            "VALUES (1, 'ab', '/a.txt', 'ok', CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO contracts (id, document_id, schema_version, document_name, signed_date, total_amount) "
            "VALUES (1, 1, 1, 'a.txt', '2025-01-02', 1035934828.37)"))
        connection.execute(text(
            "INSERT INTO line_items (contract_id, list_index, seq, service, unit_price, amount) "
            "VALUES (1, 0, 1, '对象存储', 0.12, 144.5)"))
        connection.execute(text(
            "INSERT INTO payments (contract_id, list_index, seq, percent, amount) VALUES (1, 0, 1, 0.3, 10.5)"))
        connection.execute(text(
            "INSERT INTO findings (contract_id, list_index, check_code, subject, expected, found, severity, "
            "review_status) VALUES (1, 0, 'line_amount', 'line_items[0]', '144.5', '九千', 'error', 'confirmed')"))
        connection.execute(text(
            "INSERT INTO evidence (contract_id, path, page, span_start, span_end, snippet) "
            "VALUES (1, 'findings[0].evidence[0]', 3, 0, 5, '144.5')"))
    assert upgrade(engine) == head_revision()
    with engine.connect() as connection:
        row = connection.execute(select(contracts)).one()
        item = connection.execute(select(LINE_ITEMS.table)).one()
        payment = connection.execute(select(PAYMENTS.table)).one()
        finding = connection.execute(select(FINDINGS.table)).one()
        view = connection.execute(text("SELECT evidence_page, review_status, current FROM v_findings")).one()
        types = {c["name"]: c["type"] for c in inspect(connection).get_columns("contracts")}
    assert (row.signed_date, row.total_amount) == (datetime.date(2025, 1, 2), Decimal("1035934828.37"))
    assert "NUMERIC(18, 2)" in str(types["total_amount"]) and "DATE" in str(types["signed_date"])
    assert (item.unit_price, item.amount) == (Decimal("0.12"), Decimal("144.50"))  # rows kept (no cascade)
    assert (payment.amount, payment.amount_computed) == (Decimal("10.50"), False)
    assert (finding.expected_value, finding.found_value, finding.review_status) == (Decimal("144.5"), None,
                                                                                    "confirmed")
    assert (view[0], view[1], bool(view[2])) == (3, "confirmed", True)
    engine.dispose()
