"""The loader: all-or-nothing per document, claims that make a second run skip, refused records isolated,
stable finding keys and review decisions kept over re-extraction and pruning."""
from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest
from rich.console import Console
from sqlalchemy import func, insert, select, update

import batchkit
from pipeline.batch.discover import Source, identify
from pipeline.batch.report import RunReport
from pipeline.batch.runner import ArchiveRun
from pipeline.batch.progress import make_progress
from pipeline.batch.work import ExtractTask
from pipeline.db.engine import open_engine
from pipeline.db.load import Store
from pipeline.db.migrate import upgrade
from pipeline.db.keys import finding_keys
from pipeline.db.models import FINDINGS, contracts, documents, review_decisions
from pipeline.db.rows import ROW_COLUMNS, group_rows, record_rows, ungroup_rows
from schemas import ContractMeta, ContractRecord, Finding, LineItem


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = open_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


def set_value(payload: dict, table: str, index: int, column: str, value) -> None:
    columns = ROW_COLUMNS[table]
    rows = ungroup_rows(columns, payload["children"][table])
    next(row for row in rows if row["list_index"] == index)[column] = value
    payload["children"][table] = group_rows(columns, [tuple(row[c] for c in columns) for row in rows])


def count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar()


def test_a_document_that_fails_half_way_leaves_nothing(tmp_path, engine):
    (path,) = batchkit.write_contracts(tmp_path / "a", 1)
    payload = ExtractTask(batchkit.fake_extract).payload(str(path))
    broken = copy.deepcopy(payload)
    set_value(broken, "line_items", 2, "seq", None)  # NOT NULL: fails after the contract and parties
    store = Store(engine, "v1")
    with pytest.raises(Exception):
        store.save(identify(str(path)), broken)
    store.commit()
    assert count(engine, documents) == 0 and count(engine, contracts) == 0
    store.save(identify(str(path)), payload)
    store.commit()
    store.close()
    assert count(engine, documents) == 1 and count(engine, contracts) == 1


def test_a_record_the_database_refuses_is_recorded_and_the_run_goes_on(tmp_path, engine):
    batchkit.write_contracts(tmp_path / "a", 3)

    class OneBadPayload:
        """An executor running in this process that corrupts one payload."""
        workers = 1

        def submit(self, task, paths):
            payloads = task(paths)
            for path, payload in zip(paths, payloads):
                if path.endswith("00001.txt"):
                    set_value(payload, "parties", 0, "role", None)
            return _Done(payloads)

        def wait(self, futures, timeout):
            return set(futures)

    report = RunReport("a", "db", "test", 1, "v1", False)
    store = Store(engine, "v1")
    ArchiveRun(tmp_path / "a", store, OneBadPayload(), ExtractTask(batchkit.fake_extract), report,
               make_progress(3, Console(quiet=True))).run()
    store.close()
    assert report.documents["ok"] == 2 and list(report.failures) == ["load_error"]
    assert count(engine, contracts) == 2 and count(engine, documents) == 3


class _Done:
    def __init__(self, payloads):
        self._payloads = payloads

    def result(self):
        return self._payloads


def test_a_second_run_skips_what_the_first_holds_then_what_it_loaded(tmp_path, pg_url):
    engine = open_engine(pg_url)
    upgrade(engine)
    (path,) = batchkit.write_contracts(tmp_path / "a", 1)
    source = identify(str(path))
    first, second = Store(engine, "v1"), Store(engine, "v1")
    assert first.claim([source], force=False).todo == [source]
    assert second.claim([source], force=False).busy == [source]
    assert first.claim([Source(str(path) + ".copy", source.sha256, source.size)], force=False).duplicate
    first.save(source, ExtractTask(batchkit.fake_extract).payload(str(path)))
    assert second.claim([source], force=False).busy == [source]  # held until committed
    first.commit()
    assert second.claim([source], force=False).done == [source]
    assert second.claim([source], force=True).todo == [source]
    first.close()
    second.close()  # still holding its forced claim: closing drops it
    third = Store(engine, "v1")
    assert third.claim([source], force=True).todo == [source]
    third.close()
    engine.dispose()


def test_rows_travel_without_their_nulls_and_come_back_whole():
    columns = ("list_index", "name", "amount")
    rows = [(0, "a", None), (1, None, 2.5), (2, "c", None)]
    groups = group_rows(columns, rows)
    assert groups == [(("list_index", "name"), [(0, "a"), (2, "c")]), (("list_index", "amount"), [(1, 2.5)])]
    assert sorted(ungroup_rows(columns, groups), key=lambda r: r["list_index"]) == [
        dict(zip(columns, row)) for row in rows]


SHA = "5e" * 32


def twin_findings_payload() -> dict:
    """A contract with two findings of the same check on the same subject, and a third."""
    record = ContractRecord(
        document="k.txt", contract=ContractMeta(contract_no="KX-7", total_amount=480),
        line_items=[LineItem(seq=1, service="归档存储", unit_price=20, quantity=2, amount=480)],
        findings=[Finding(check="line_amount", subject="line_items[0]", expected=40, found=480),
                  Finding(check="line_amount", subject="line_items[0]", expected=440, found=480),
                  Finding(check="term", subject="contract.term_months", expected=12, found=11)])
    contract, children = record_rows(record.model_dump(mode="json"), {})
    return {"status": "ok", "contract": contract, "children": children}


def save_twins(engine, source: Source) -> None:
    store = Store(engine, "v1")
    assert store.claim([source], force=True).todo == [source]
    store.save(source, twin_findings_payload())
    store.commit()
    store.close()


def decide(engine, key: str, status: str, note: str) -> None:
    """What the review pages write for a decision."""
    with engine.begin() as connection:
        connection.execute(update(FINDINGS.table).where(FINDINGS.table.c.finding_key == key).values(
            review_status=status, reviewer="审核员丙", review_note=note, reviewed_at=datetime.now(timezone.utc)))
        connection.execute(insert(review_decisions).values(
            finding_key=key, from_status="open", to_status=status, reviewer="审核员丙", note=note))


def findings_by_index(engine) -> list[tuple]:
    f = FINDINGS.table.c
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(f.finding_key, f.review_status, f.review_note).order_by(f.list_index))]


def test_findings_keep_their_keys_and_decisions_over_re_extraction_and_pruning(engine):
    source = Source("/archive/k.txt", sha256=SHA, size=1)
    save_twins(engine, source)
    first = findings_by_index(engine)
    keys = [key for key, _, _ in first]
    assert keys == finding_keys(SHA, [("line_amount", "line_items[0]")] * 2 + [("term", "contract.term_months")])
    assert len(set(keys)) == 3
    decide(engine, keys[0], "confirmed", "少计一期")
    decide(engine, keys[1], "dismissed", "识别错误")

    save_twins(engine, source)  # run --force
    assert findings_by_index(engine) == [(keys[0], "confirmed", "少计一期"), (keys[1], "dismissed", "识别错误"),
                                         (keys[2], "open", None)]
    assert count(engine, review_decisions) == 2

    store = Store(engine, "v1")  # a later run that no longer finds the file
    assert store.prune_stale("/archive") == 1
    store.close()
    assert count(engine, FINDINGS.table) == 0 and count(engine, review_decisions) == 2
