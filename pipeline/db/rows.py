"""Turn an extracted record into table rows, ready to insert.

Runs in the batch workers, so that the main process only executes inserts.
Rows are tuples in the order of `ROW_COLUMNS[table]`: compact to send between
processes and bound by position. They carry no keys: the loader puts
`document_id` (contracts) or `contract_id` (child tables) in front.

A child table's rows travel as `Group`s: rows with values in the same columns,
their NULLs left out (the columns default to NULL). Most evidence and many line
items leave half their columns empty, and the SQLite driver binds a None
several times slower than a value, so leaving them out here, in the workers,
takes a good part of the loading work off the main process.

A finding's stable key (`findings.finding_key`, `pipeline.db.keys`) needs the
document's SHA-256, which the loader knows: it adds the key with
`with_finding_keys`.

Some columns are derived here, not read from the record (`RecordTable.derived`):
a line item's normalized service name and category (`pipeline.enrich.services`),
an installment's due date or period and, when only its percent is written, its
amount computed from the contract total (`pipeline.enrich.payments`). Money
values become `Decimal` and dates `datetime.date` (`pipeline.db.fields`).
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from pipeline.db.fields import as_date, as_decimal, row_getter
from pipeline.db.keys import finding_keys
from pipeline.db.models import (
    CONTRACT_FIELDS, EVIDENCE_FIELDS, FINDINGS, LINE_ITEMS, PAYMENTS, RECORD_TABLES,
)

Row = tuple[Any, ...]
#: (the columns holding a value, the rows of those values in that order)
Group = tuple[tuple[str, ...], list[Row]]

ROW_COLUMNS: dict[str, tuple[str, ...]] = {
    "contracts": tuple(f.name for f in CONTRACT_FIELDS),
    **{spec.table.name: (("list_index",) if spec.many else ()) + tuple(f.name for f in spec.fields)
       + spec.derived for spec in RECORD_TABLES},
    "evidence": ("path",) + tuple(f.name for f in EVIDENCE_FIELDS),
}


_CONTRACT = row_getter(CONTRACT_FIELDS)
_CHILDREN = [(spec, row_getter(spec.fields)) for spec in RECORD_TABLES]
_EVIDENCE = row_getter(EVIDENCE_FIELDS)
_PAYMENT_AMOUNT = 1 + [f.name for f in PAYMENTS.fields].index("amount")  # in a payments row


def _line_item_rows(items: list[dict], get) -> list[Row]:
    from pipeline.enrich.services import describe_service

    rows = []
    for i, item in enumerate(items):
        normalized = item.get("normalized") or {}
        name, category = describe_service(item.get("service"), normalized.get("unit"))
        rows.append((i, *get(item), name, category))
    return rows


def _payment_rows(record: dict, items: list[dict], get) -> list[Row]:
    if not items:
        return []
    from pipeline.enrich.payments import schedule
    from schemas import ContractRecord

    model = ContractRecord.model_validate(record)
    rows = []
    for i, (item, payment) in enumerate(zip(items, model.payments)):
        row = [i, *get(item)]
        due = schedule(payment, model)
        if due.amount_computed and due.amount is not None:
            row[_PAYMENT_AMOUNT] = as_decimal(due.amount)
        rows.append((*row, as_date(due.due_date), due.due_period, bool(due.amount_computed)))
    return rows


def record_rows(record: dict, evidence: dict[str, dict]) -> tuple[Row, dict[str, list[Group]]]:
    """(the contracts row, {child table name: groups of rows}) for a record's JSON dump.

    `evidence` maps a JSON path to an `Evidence`'s fields (`vars(evidence)` or its JSON dump).
    """
    rows: dict[str, list[Row]] = {}
    for spec, get in _CHILDREN:
        if spec is LINE_ITEMS:
            rows[spec.table.name] = _line_item_rows(record.get(spec.key) or [], get)
        elif spec is PAYMENTS:
            rows[spec.table.name] = _payment_rows(record, record.get(spec.key) or [], get)
        elif spec.many:
            rows[spec.table.name] = [(i, *get(item)) for i, item in enumerate(record.get(spec.key) or [])]
        else:
            rows[spec.table.name] = [get(record)]
    rows["evidence"] = [(path, *_EVIDENCE(ev)) for path, ev in evidence.items()]
    return _CONTRACT(record), {name: group_rows(ROW_COLUMNS[name], table) for name, table in rows.items()}


def group_rows(columns: tuple[str, ...], rows: list[Row]) -> list[Group]:
    """`rows` (values in `columns` order) grouped by the columns they fill, NULLs left out."""
    groups: dict[tuple[int, ...], list[Row]] = {}
    for row in rows:
        filled = tuple(i for i, value in enumerate(row) if value is not None)
        groups.setdefault(filled, []).append(tuple(row[i] for i in filled))
    return [(tuple(columns[i] for i in filled), values) for filled, values in groups.items()]


def ungroup_rows(columns: tuple[str, ...], groups: list[Group]) -> list[dict[str, Any]]:
    """The rows of `groups` as {column: value} over all of `columns` (NULLs back as None)."""
    return [dict.fromkeys(columns) | dict(zip(filled, row)) for filled, rows in groups for row in rows]


def with_finding_keys(document_sha256: str, groups: list[Group]) -> list[Group]:
    """The findings' row groups with each finding's stable key in a `finding_key` column."""
    columns = ROW_COLUMNS[FINDINGS.table.name]
    rows = sorted(ungroup_rows(columns, groups), key=lambda row: row["list_index"])
    keys = finding_keys(document_sha256, [(row["check_code"], row["subject"]) for row in rows])
    keyed = [tuple(row[c] for c in columns) + (key,) for row, key in zip(rows, keys)]
    return group_rows(columns + ("finding_key",), keyed)


def record_summary(record: dict) -> dict[str, Any]:
    """What the run report counts for a record: line items, and findings by check code."""
    return {
        LINE_ITEMS.key: len(record.get(LINE_ITEMS.key) or []),
        FINDINGS.key: dict(Counter(f["check"] for f in record.get(FINDINGS.key) or [])),
    }
