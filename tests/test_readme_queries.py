"""Every SQL block in README.md runs, on SQLite and on PostgreSQL, against a loaded database."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

import batchkit
from pipeline.batch.discover import Source
from pipeline.cli import app
from pipeline.db.engine import open_engine
from pipeline.db.load import Store
from pipeline.db.rows import record_rows
from schemas import ContractMeta, ContractRecord, LineItem, NormalizedQuantity, Party, Payment

README = Path(__file__).resolve().parent.parent / "README.md"
QUERIES = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def loaded(request, tmp_path, fake_extractor):
    url = f"sqlite:///{tmp_path / 'readme.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    batchkit.write_contracts(tmp_path / "archive", 6)
    result = CliRunner().invoke(app, ["run", str(tmp_path / "archive"), "--db", url, "--workers", "1"])
    assert result.exit_code == 0, result.output
    engine = open_engine(url)
    record = ContractRecord(  # one with dated installments and a storage price, which the fake has not
        document="dated.txt", contract=ContractMeta(contract_no="HT-D", total_amount=1000.0),
        parties=[Party(role="supplier", name=batchkit.SUPPLIERS[0])],
        line_items=[LineItem(seq=1, service="对象存储", unit_price=0.12, quantity=100, amount=144,
                             normalized=NormalizedQuantity(quantity=100, unit="GB", unit_price_month=0.12))],
        payments=[Payment(seq=1, percent=0.4, condition="2026年9月30日前支付"),
                  Payment(seq=2, percent=0.6, amount=600.0, condition="2027年3月31日前支付")])
    contract, children = record_rows(record.model_dump(mode="json"), {})
    store = Store(engine, batchkit.FAKE_VERSION)
    store.save(Source(str(tmp_path / "dated.txt"), sha256="d" * 64, size=1),
               {"status": "ok", "contract": contract, "children": children})
    store.commit()
    store.close()
    yield engine
    engine.dispose()


def test_the_readme_has_the_queries():
    assert len(QUERIES) >= 5


@pytest.mark.parametrize("number", range(len(QUERIES)))
def test_a_readme_query_runs(loaded, number):
    with loaded.connect() as connection:
        result = connection.execute(text(QUERIES[number]))
        rows = result.all()
    assert rows, f"README query {number + 1} returned nothing:\n{QUERIES[number]}"
