"""The SQL schema follows the pydantic record, the migrations build exactly the models,
and a record survives the database."""
from __future__ import annotations

import datetime
import typing
from decimal import Decimal

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from pydantic import BaseModel
from sqlalchemy import inspect, select, text
from typer.testing import CliRunner

from pipeline.batch.discover import Source
from pipeline.cli import app
from pipeline.db.engine import open_engine
from pipeline.db.load import Store
from pipeline.db.keys import finding_keys
from pipeline.db.migrate import MIGRATIONS, head_revision, upgrade
from pipeline.db.models import (
    CONTRACT_FIELDS, EVIDENCE_FIELDS, FINDINGS, LINE_ITEMS, PAYMENTS, RECORD_TABLES, VIEW_NAMES, contracts,
    documents, evidence, metadata,
)
from pipeline.db.rows import record_rows
from schemas import (
    ContractMeta, ContractRecord, Evidence, Finding, LineItem, NormalizedQuantity, Party, Payment, Penalty,
    ServiceLevels, Subtotal,
)

KEYS = {"id", "contract_id", "list_index"}
REVIEW = {"review_status", "reviewer", "review_note", "created_at", "reviewed_at", "finding_key"}
#: Columns derived at load (pipeline.db.rows), not fields of the record.
DERIVED = {"line_items": {"service_normalized", "service_category"},
           "payments": {"due_date", "due_period", "amount_computed"}}


def leaf_names(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Column names a model's fields should get, derived here independently of pipeline.db.fields."""
    names = set()
    for name, info in model.model_fields.items():
        args = [a for a in typing.get_args(info.annotation) if a is not type(None)] or [info.annotation]
        inner = args[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            names |= leaf_names(inner, f"{prefix}{name}_")
        elif typing.get_origin(inner) is tuple:
            names |= {f"{prefix}{name}_{e}" for e in ("x0", "y0", "x1", "y1")}
        elif set(args) == {float, str}:  # number or text: the text, and the number in a numeric twin
            names |= {prefix + name, f"{prefix}{name}_value"}
        else:
            names.add(prefix + name)
    return names


def columns(table) -> set[str]:
    return {c.name for c in table.columns}


def test_every_part_of_the_record_has_a_table():
    parts = set(ContractRecord.model_fields) - {"schema_version", "document", "contract"}
    assert parts == {spec.key for spec in RECORD_TABLES}


@pytest.mark.parametrize("spec, model, renames", [
    (RECORD_TABLES[0], Party, {}),
    (RECORD_TABLES[1], LineItem, {}),
    (RECORD_TABLES[2], Subtotal, {}),
    (RECORD_TABLES[3], Payment, {}),
    (RECORD_TABLES[4], Penalty, {}),
    (RECORD_TABLES[6], Finding, {"check": "check_code"}),
], ids=lambda v: getattr(getattr(v, "table", None), "name", None))
def test_list_tables_have_one_column_per_field(spec, model, renames):
    expected = {renames.get(n, n) for n in leaf_names(model)}
    extra = (REVIEW if model is Finding else set()) | DERIVED.get(spec.table.name, set())
    assert columns(spec.table) == expected | KEYS | extra
    assert set(spec.derived) == DERIVED.get(spec.table.name, set())


def test_one_to_one_tables_have_one_column_per_field():
    keys = {"id", "document_id", "schema_version", "document_name"}
    assert columns(contracts) == leaf_names(ContractMeta) | keys
    assert columns(RECORD_TABLES[5].table) == leaf_names(ServiceLevels) | {"contract_id"}
    renamed = {"span_start" if n == "start" else "span_end" if n == "end" else n for n in leaf_names(Evidence)}
    assert columns(evidence) == renamed | {"id", "contract_id", "path"}


def test_normalized_quantities_are_flattened_next_to_the_values_as_written():
    names = columns(RECORD_TABLES[1].table)
    assert {"unit_price", "quantity", "billing_unit"} <= names
    assert {"normalized_quantity", "normalized_unit", "normalized_unit_price_month"} <= names


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'schema.db'}"
    return request.getfixturevalue("pg_url")


def test_migrations_build_exactly_the_models(db_url):
    engine = open_engine(db_url)
    assert upgrade(engine) == head_revision()
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), metadata)
        assert diff == [], "the models changed without a migration: add one (see pipeline/db/migrate.py)"
        assert set(VIEW_NAMES) <= set(inspect(connection).get_view_names())
    assert upgrade(engine) == head_revision()  # idempotent


def full_record() -> tuple[ContractRecord, dict[str, Evidence]]:
    """A record with every field set, so a dropped column shows."""
    record = ContractRecord(
        document="a.txt",
        contract=ContractMeta(contract_no="HT-1", title="政务云服务合同", project_name="项目", signed_date="2025-01-02",
                              start_date="2025-02-01", end_date="2026-01-31", term_months=12, total_amount=1234.5,
                              total_amount_in_words="壹仟贰佰叁拾肆元伍角", amount_excl_tax=1164.62, tax_rate=0.06),
        parties=[Party(role="client", name="甲", representative="张", address="北京", contact_person="李",
                       phone="123", bank_name="银行", bank_account="6222", tax_id="91110000")],
        line_items=[LineItem(seq=1, section="基础", service="对象存储", unit_price=12, quantity=65.82,
                             billing_unit="100GB", price_basis="month", periods=12, amount=9478.08,
                             normalized=NormalizedQuantity(quantity=6582, unit="GB", unit_price_month=0.12))],
        subtotals=[Subtotal(label="合计", amount=9478.08)],
        payments=[Payment(seq=1, percent=0.8, amount=987.6, amount_in_words="玖佰捌拾柒元陆角", condition="验收")],
        penalties=[Penalty(trigger="逾期", rate=0.001, base="overdue_amount", per_day=True, cap_rate=0.1,
                           fixed_amount=500)],
        service_levels=ServiceLevels(availability=0.9999, data_reliability=0.999999),
        findings=[Finding(check="line_amount", subject="line_items[0]", expected=9478.08, found="九千",
                          severity="warning")],
    )
    ev = {"line_items[0].amount": Evidence(page=2, start=10, end=17, snippet="9478.08", bbox=(1.0, 2.0, 3.0, 4.0),
                                           confidence=0.93, note="table")}
    return record, ev


def test_a_record_survives_the_database(db_url):
    record, ev = full_record()
    engine = open_engine(db_url)
    upgrade(engine)
    contract_row, children = record_rows(record.model_dump(mode="json"), {k: dict(v) for k, v in ev.items()})
    store = Store(engine, "v1")
    store.save(Source("/a.txt", sha256="0" * 64, size=1),
               {"status": "ok", "pages": 2, "timings": {"extract": 0.1}, "warnings": ["w"],
                "extract_seconds": 0.1, "contract": contract_row, "children": children})
    store.commit()
    store.close()

    rebuilt: dict = {}

    def put(target: dict, field, value) -> None:
        if field.name == f"{field.path[-1]}_value":  # the numeric twin of a number-or-text field
            return
        if isinstance(value, Decimal):  # money and prices come back as Decimal, dates as date
            value = float(value)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        *head, last = field.path
        for step in head:
            target = target.setdefault(step, {})
        target[last] = value

    with engine.connect() as connection:
        row = connection.execute(select(contracts)).one()._mapping
        for field in CONTRACT_FIELDS:
            put(rebuilt, field, row[field.name])
        for spec in RECORD_TABLES:
            rows = connection.execute(select(spec.table).order_by(*spec.table.primary_key.columns)).all()
            items = []
            for r in rows:
                item: dict = {}
                for field in spec.fields:
                    put(item if spec.many else rebuilt, field, r._mapping[field.name])
                items.append(item)
            if spec.many:
                rebuilt[spec.key] = items
        ev_row = connection.execute(select(evidence)).one()._mapping
        ev_back: dict = {}
        for field in EVIDENCE_FIELDS:
            if len(field.path) == 2:  # bbox element
                ev_back.setdefault(field.path[0], [None] * 4)[field.path[1]] = ev_row[field.name]
            else:
                ev_back[field.path[0]] = ev_row[field.name]
        doc = connection.execute(select(documents)).one()._mapping
        typed = connection.execute(select(
            contracts.c.total_amount, contracts.c.signed_date, FINDINGS.table.c.expected_value,
            FINDINGS.table.c.found_value, LINE_ITEMS.table.c.unit_price, LINE_ITEMS.table.c.amount,
            LINE_ITEMS.table.c.normalized_unit_price_month, PAYMENTS.table.c.amount_computed,
        ).join(FINDINGS.table).join(LINE_ITEMS.table).join(PAYMENTS.table)).one()
    assert tuple(typed) == (Decimal("1234.50"), datetime.date(2025, 1, 2), Decimal("9478.08"), None,
                            Decimal("12"), Decimal("9478.08"), Decimal("0.12"), False)
    finding = rebuilt["findings"][0]
    finding["expected"] = float(finding["expected"])  # a number-or-text value is stored as text
    assert ContractRecord.model_validate(rebuilt) == record
    assert Evidence.model_validate(ev_back) == ev["line_items[0].amount"]
    assert (doc["status"], doc["pages"], doc["timings"], doc["warnings"]) == ("ok", 2, {"extract": 0.1}, ["w"])


def test_db_upgrade_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(app, ["db", "upgrade", "--db", url])
        assert result.exit_code == 0, result.output
        assert f"schema at revision {head_revision()}" in result.output


def test_db_upgrade_explains_a_bad_url_and_an_unreachable_server():
    runner = CliRunner()
    result = runner.invoke(app, ["db", "upgrade", "--db", "not a url"])
    assert result.exit_code == 2 and "is not a database URL" in result.output
    result = runner.invoke(app, ["db", "upgrade", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 2 and "check that the server is running" in result.output


def downgrade(engine, revision: str) -> None:
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_migration_0004_keys_the_findings_and_records_each_decision_then_goes_back(db_url):
    engine = open_engine(db_url)
    assert upgrade(engine, "0003") == "0003"
    sha = "7c" * 32
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO documents (id, sha256, path, status, loaded_at) "
                                "VALUES (1, :sha, '/b.txt', 'ok', CURRENT_TIMESTAMP)"), {"sha": sha})
        connection.execute(text("INSERT INTO contracts (id, document_id, schema_version, document_name) "
                                "VALUES (1, 1, 1, 'b.txt')"))
        connection.execute(text(
            "INSERT INTO findings (contract_id, list_index, check_code, subject, severity, review_status, reviewer, "
            "review_note) VALUES (1, 0, 'line_amount', 'line_items[2]', 'error', 'confirmed', '审核员丁', '属实'), "
            "(1, 1, 'line_amount', 'line_items[2]', 'error', 'dismissed', '审核员丁', '误读'), "
            "(1, 2, 'tax', 'contract.tax_rate', 'error', 'open', NULL, NULL)"))
    assert upgrade(engine) == head_revision()
    with engine.connect() as connection:
        keys = connection.execute(text("SELECT finding_key FROM findings ORDER BY list_index")).scalars().all()
        decisions = connection.execute(text(
            "SELECT finding_key, from_status, to_status, reviewer, note FROM review_decisions ORDER BY id")).all()
    assert keys == finding_keys(sha, [("line_amount", "line_items[2]")] * 2 + [("tax", "contract.tax_rate")])
    assert [tuple(d) for d in decisions] == [(keys[0], "open", "confirmed", "审核员丁", "属实"),
                                             (keys[1], "open", "dismissed", "审核员丁", "误读")]

    downgrade(engine, "0003")
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        finding_columns = {c["name"] for c in inspect(connection).get_columns("findings")}
        statuses = connection.execute(text("SELECT review_status FROM findings ORDER BY list_index")).scalars().all()
    assert not {"users", "review_decisions"} & tables and "finding_key" not in finding_columns
    assert statuses == ["confirmed", "dismissed", "open"]
    engine.dispose()
