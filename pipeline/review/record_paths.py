"""JSON paths of the record (`line_items[3].amount`, `contract.total_amount`) as places in the tables.

A finding's subject and an evidence row's path name a part of the record; the
part lives in the table of its record key (`contract` in `contracts`), in the row
whose `list_index` is the path's index, and in the column named by the rest of
the path (`normalized.unit` → `normalized_unit`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import Table

from pipeline.db.models import RECORD_TABLES, contracts

_PATH = re.compile(r"(?P<key>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<field>\w+(?:\.\w+)*))?")
_TABLES: dict[str, Table] = {"contract": contracts, **{t.key: t.table for t in RECORD_TABLES if t.key}}
#: Columns that link rows rather than hold record values.
KEY_COLUMNS = frozenset({"id", "contract_id", "document_id", "list_index"})


@dataclass(frozen=True)
class RecordPlace:
    """Where a path's value is: a table, one row of it (`index`) or all, and one column or all."""

    table: Table
    index: Optional[int]
    column: Optional[str]


def value_columns(table: Table) -> list[str]:
    """The columns of `table` that hold record values, in table order."""
    return [c.name for c in table.columns if c.name not in KEY_COLUMNS]


def locate(path: str) -> Optional[RecordPlace]:
    """The place of `path` in the tables; None when the path names nothing stored there."""
    match = _PATH.fullmatch(path)
    if match is None or match["key"] not in _TABLES:
        return None
    table = _TABLES[match["key"]]
    index = int(match["index"]) if match["index"] is not None else None
    column = match["field"].replace(".", "_") if match["field"] else None
    if (column is not None and column not in table.c) or (index is not None and "list_index" not in table.c):
        return None
    return RecordPlace(table, index, column)
