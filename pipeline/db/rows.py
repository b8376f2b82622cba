"""Turn an extracted record into table rows, ready to insert.

Runs in the batch workers, so that the main process only executes inserts.
Rows are tuples in the order of `ROW_COLUMNS[table]`: compact to send between
processes and bound by position. They carry no keys: the loader puts
`document_id` (contracts) or `contract_id` (child tables) in front.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from pipeline.db.fields import row_getter
from pipeline.db.models import CONTRACT_FIELDS, EVIDENCE_FIELDS, FINDINGS, LINE_ITEMS, RECORD_TABLES

Row = tuple[Any, ...]

ROW_COLUMNS: dict[str, tuple[str, ...]] = {
    "contracts": tuple(f.name for f in CONTRACT_FIELDS),
    **{spec.table.name: (("list_index",) if spec.many else ()) + tuple(f.name for f in spec.fields)
       for spec in RECORD_TABLES},
    "evidence": ("path",) + tuple(f.name for f in EVIDENCE_FIELDS),
}


_CONTRACT = row_getter(CONTRACT_FIELDS)
_CHILDREN = [(spec, row_getter(spec.fields)) for spec in RECORD_TABLES]
_EVIDENCE = row_getter(EVIDENCE_FIELDS)


def record_rows(record: dict, evidence: dict[str, dict]) -> tuple[Row, dict[str, list[Row]]]:
    """(the contracts row, {child table name: rows}) for a record's JSON dump.

    `evidence` maps a JSON path to an `Evidence`'s fields (`vars(evidence)` or its JSON dump).
    """
    children: dict[str, list[Row]] = {}
    for spec, get in _CHILDREN:
        if spec.many:
            children[spec.table.name] = [(i, *get(item)) for i, item in enumerate(record.get(spec.key) or [])]
        else:
            children[spec.table.name] = [get(record)]
    children["evidence"] = [(path, *_EVIDENCE(ev)) for path, ev in evidence.items()]
    return _CONTRACT(record), children


def record_summary(record: dict) -> dict[str, Any]:
    """What the run report counts for a record: line items, and findings by check code."""
    return {
        LINE_ITEMS.key: len(record.get(LINE_ITEMS.key) or []),
        FINDINGS.key: dict(Counter(f["check"] for f in record.get(FINDINGS.key) or [])),
    }
