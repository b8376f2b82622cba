"""Export the database: every table and view for the data team, or the findings for the auditors.

`export_database` writes one Parquet, CSV or Excel file per table and view.

Rows are read in chunks (a server-side cursor on PostgreSQL) and appended to
the file, so memory stays flat however big the archive; Excel files are
limited to one sheet anyway. Columns keep their SQL types: each file's schema
comes from the table definitions (views: from `pipeline.db.views`), money is
decimal in Parquet (decimal128(18, 2)), dates are dates, times are UTC, JSON
columns (documents.timings, warnings) become JSON text. CSV files are UTF-8
with a byte-order mark, so that Excel shows the Chinese text. Each file is
written under a temporary name and renamed, so a reader never sees half a file.

`export_findings` writes the findings as an audit working paper (Excel or CSV,
headers in Chinese): one row per finding with its contract, the values it
compares, the evidence it cites (page and source text, the value in 【】), the
review decision and the whole decision history.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Optional

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import (
    JSON, Boolean, Connection, Date, DateTime, Engine, Float, Integer, Numeric, column, func, inspect, select,
    table,
)
from sqlalchemy.sql import Select

from pipeline.db.fields import base_type
from pipeline.db.models import (
    FINDINGS, PARTIES, REVIEW_STATUSES, VIEW_NAMES, contracts, documents, evidence, metadata, review_decisions,
)
from pipeline.review.snippets import mark

FORMATS = ("parquet", "csv", "xlsx")
FINDINGS_FORMATS = ("xlsx", "csv")
#: Findings exported unless asked otherwise: the reviewed ones.
REVIEWED = ("confirmed", "dismissed")
#: The working paper's columns: (key, header). Keys are the query's labels or computed below.
FINDING_COLUMNS = (
    ("finding_key", "发现编号"), ("document_path", "源文件"), ("contract_no", "合同编号"),
    ("contract_title", "合同名称"), ("client", "甲方"), ("supplier", "乙方"), ("total_amount", "合同总价（元）"),
    ("check_code", "检查项"), ("severity", "严重程度"), ("subject", "对象"), ("expected", "应为"),
    ("found", "实为"), ("evidence", "依据（页码：原文，【】内为所引数值）"), ("review_status", "审核结论"),
    ("reviewer", "审核人"), ("review_note", "审核意见"), ("reviewed_at", "审核时间（UTC）"),
    ("history", "审核记录（UTC）"),
)
FINDINGS_SHEET = "审核发现"
_JOINED = "；"
_LOOKUP_BATCH = 500  # ids per IN (...) list
EXCEL_MAX_ROWS = 1_048_575  # one row is the header
CHUNK_ROWS = 50_000


class ExportError(Exception):
    """The database cannot be exported as asked; the message says what to do."""


def export_database(engine: Engine, out: Path, fmt: str) -> list[tuple[str, Path, int]]:
    """Write every table and view to `out`; returns (name, file, rows) for each."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with engine.connect() as connection:
        for name, query in _queries(connection):
            target = out / f"{name}.{fmt}"
            partial = target.with_name(f".{target.name}.partial")
            rows = _WRITERS[fmt](connection, query, partial, name)
            partial.replace(target)
            written.append((name, target, rows))
    return written


def _queries(connection: Connection) -> list[tuple[str, Select]]:
    """A typed SELECT for every table (in key order) and view."""
    inspector = inspect(connection)
    present = set(inspector.get_table_names())
    missing = [t.name for t in metadata.sorted_tables if t.name not in present]
    if missing:
        raise ExportError(f"this database has no {', '.join(missing)} table(s); load an archive "
                          "with 'contracts run' or create the schema with 'contracts db upgrade'")
    queries = [(t.name, select(t).order_by(*t.primary_key.columns)) for t in metadata.sorted_tables]
    from pipeline.db.views import VIEWS

    for view in VIEW_NAMES:
        described = VIEWS[view]
        columns = []
        for reflected in inspector.get_columns(view):  # the database's columns, typed as documented
            known = described.column(reflected["name"])
            columns.append(column(reflected["name"], known.type if known is not None else reflected["type"]))
        queries.append((view, select(table(view, *columns))))
    return queries


def _chunks(connection: Connection, query: Select) -> Iterator[pd.DataFrame]:
    result = connection.execution_options(stream_results=True, yield_per=CHUNK_ROWS).execute(query)
    names = list(result.keys())
    types = {c.name: c.type for c in query.selected_columns}
    yielded = False
    for rows in result.partitions():
        yielded = True
        yield _portable(pd.DataFrame.from_records(rows, columns=names), types)
    if not yielded:
        yield _portable(pd.DataFrame({name: pd.Series(dtype=object) for name in names}), types)


def _portable(frame: pd.DataFrame, types: dict[str, Any]) -> pd.DataFrame:
    """JSON values as text, times as UTC (SQLite returns them without a zone, PostgreSQL with)."""
    for name, sql_type in types.items():
        if isinstance(sql_type, JSON):
            frame[name] = frame[name].map(lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
        elif isinstance(sql_type, DateTime):
            stamps = pd.to_datetime(frame[name])
            frame[name] = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps.dt.tz_convert("UTC")
    return frame


def _arrow_type(sql_type: Any) -> pa.DataType:
    sql_type = base_type(sql_type)
    if isinstance(sql_type, Boolean):
        return pa.bool_()
    if isinstance(sql_type, Integer):
        return pa.int64()
    if isinstance(sql_type, Float):
        return pa.float64()
    if isinstance(sql_type, Numeric):
        if sql_type.precision is None or sql_type.scale is None:
            return pa.float64()
        return pa.decimal128(sql_type.precision, sql_type.scale)
    if isinstance(sql_type, DateTime):
        return pa.timestamp("us", tz="UTC")
    if isinstance(sql_type, Date):
        return pa.date32()
    return pa.string()


def _write_parquet(connection: Connection, query: Select, target: Path, name: str) -> int:
    schema = pa.schema([(c.name, _arrow_type(c.type)) for c in query.selected_columns])
    rows = 0
    with pq.ParquetWriter(target, schema) as writer:
        for frame in _chunks(connection, query):
            writer.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False))
            rows += len(frame)
    return rows


def _write_csv(connection: Connection, query: Select, target: Path, name: str) -> int:
    rows = 0
    with target.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM tells Excel it is UTF-8
        for frame in _chunks(connection, query):
            frame.to_csv(fh, header=rows == 0, index=False)
            rows += len(frame)
    return rows


def _write_xlsx(connection: Connection, query: Select, target: Path, name: str) -> int:
    frames, rows = [], 0
    for frame in _chunks(connection, query):
        rows += len(frame)
        if rows > EXCEL_MAX_ROWS:
            raise ExportError(f"{name} has more rows than an Excel sheet holds ({EXCEL_MAX_ROWS}); "
                              "export with --format parquet or csv")
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    for column_name in frame.columns:  # Excel has no time zones
        if isinstance(frame[column_name].dtype, pd.DatetimeTZDtype):
            frame[column_name] = frame[column_name].dt.tz_localize(None)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=name[:31], index=False)
    return rows


_WRITERS = {"parquet": _write_parquet, "csv": _write_csv, "xlsx": _write_xlsx}


def export_findings(connection: Connection, fmt: str, target: Path,
                    statuses: Sequence[str] = REVIEWED) -> int:
    """Write the findings whose review status is in `statuses` to `target` (xlsx or csv); returns the rows."""
    if fmt not in FINDINGS_FORMATS:
        raise ExportError(f"findings export to {fmt!r} is not offered; choose one of {', '.join(FINDINGS_FORMATS)}")
    unknown = sorted(set(statuses) - set(REVIEW_STATUSES))
    if unknown or not statuses:
        raise ExportError(f"unknown review status {', '.join(unknown) or '(none given)'}; "
                          f"choose among {', '.join(REVIEW_STATUSES)}")
    missing = {"findings", "review_decisions"} - set(inspect(connection).get_table_names())
    if missing:
        raise ExportError(f"this database has no {', '.join(sorted(missing))} table(s); bring it up to date "
                          "with 'contracts db upgrade', or load an archive with 'contracts run'")
    frame = _findings_frame(connection, list(statuses))
    if fmt == "xlsx" and len(frame) > EXCEL_MAX_ROWS:
        raise ExportError(f"{len(frame)} findings are more than an Excel sheet holds; export with --format csv")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    if fmt == "csv":
        frame.to_csv(partial, index=False, encoding="utf-8-sig")
    else:
        _write_working_paper(frame, partial)
    partial.replace(target)
    return len(frame)


def _findings_frame(connection: Connection, statuses: list[str]) -> pd.DataFrame:
    f = FINDINGS.table.c
    query = (select(
        f.finding_key, documents.c.path.label("document_path"), contracts.c.contract_no,
        contracts.c.title.label("contract_title"), _party("client"), _party("supplier"), contracts.c.total_amount,
        f.check_code, f.severity, f.subject, f.expected_value,
        f.expected, f.found_value, f.found, f.review_status, f.reviewer, f.review_note, f.reviewed_at,
        f.contract_id, f.list_index)
        .join(contracts, contracts.c.id == f.contract_id).join(documents, documents.c.id == contracts.c.document_id)
        .where(f.review_status.in_(statuses)).order_by(documents.c.path, f.contract_id, f.list_index))
    rows = connection.execute(query).mappings().all()
    cited = _cited_evidence(connection, sorted({row["contract_id"] for row in rows}))
    histories = _histories(connection, sorted({row["finding_key"] for row in rows if row["finding_key"]}))
    records = []
    for row in rows:
        record = {key: row.get(key) for key, _ in FINDING_COLUMNS}
        record["expected"] = _figure(row["expected_value"], row["expected"])
        record["found"] = _figure(row["found_value"], row["found"])
        record["evidence"] = _JOINED.join(cited.get((row["contract_id"], row["list_index"]), []))
        record["reviewed_at"] = _utc(row["reviewed_at"])
        record["history"] = _JOINED.join(histories.get(row["finding_key"], []))
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[key for key, _ in FINDING_COLUMNS])
    return frame.rename(columns=dict(FINDING_COLUMNS))


def _party(role: str) -> Any:
    """The contract's party in `role` (one per contract, as the views pick it)."""
    p = PARTIES.table.c
    return (select(func.min(p.name)).where(p.contract_id == contracts.c.id, p.role == role)
            .scalar_subquery().label(role))


def _figure(number: Any, text: Optional[str]) -> Any:
    """A finding's value as a number when it is one (Excel sums it), else as written."""
    return float(number) if number is not None else text


def _utc(value: Optional[datetime]) -> Optional[datetime]:
    """A time in UTC without a zone (Excel has none; SQLite returns UTC already without one)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def _cited_evidence(connection: Connection, contract_ids: list[int]) -> dict[tuple[int, int], list[str]]:
    """(contract id, finding index) → "第N页：text【value】text" for each value the finding cites, in order."""
    cited: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for start in range(0, len(contract_ids), _LOOKUP_BATCH):
        rows = connection.execute(
            select(evidence.c.contract_id, evidence.c.path, evidence.c.page, evidence.c.span_start,
                   evidence.c.span_end, evidence.c.snippet)
            .where(evidence.c.contract_id.in_(contract_ids[start:start + _LOOKUP_BATCH]),
                   evidence.c.path.startswith("findings[")))
        for row in rows:
            finding, _, cite = row.path.removeprefix("findings[").partition("].evidence[")
            if not (finding.isdigit() and cite.rstrip("]").isdigit()):
                continue
            cited.setdefault((row.contract_id, int(finding)), []).append(
                (int(cite.rstrip("]")), _cited_text(row.page, row.snippet, row.span_start, row.span_end)))
    return {key: [text for _, text in sorted(items)] for key, items in cited.items()}


def _cited_text(page: Optional[int], snippet: Optional[str], start: Optional[int], end: Optional[int]) -> str:
    text = snippet or ""
    if text and start is not None and end is not None:
        marked = mark(text, start, end)
        if marked is not None:
            text = f"{marked.before}【{marked.value}】{marked.after}"
    return f"第{page}页：{text}" if page is not None else text


def _histories(connection: Connection, keys: list[str]) -> dict[str, list[str]]:
    """finding key → its decisions, oldest first: "2031-05-06 09:12 name open→confirmed：note"."""
    d = review_decisions.c
    history: dict[str, list[str]] = {}
    for start in range(0, len(keys), _LOOKUP_BATCH):
        rows = connection.execute(
            select(d.finding_key, d.from_status, d.to_status, d.reviewer, d.note, d.decided_at)
            .where(d.finding_key.in_(keys[start:start + _LOOKUP_BATCH])).order_by(d.decided_at, d.id))
        for row in rows:
            when = _utc(row.decided_at)
            line = f"{when:%Y-%m-%d %H:%M} {row.reviewer or '—'} {row.from_status}→{row.to_status}"
            history.setdefault(row.finding_key, []).append(f"{line}：{row.note}" if row.note else line)
    return history


def _write_working_paper(frame: pd.DataFrame, target: Path) -> None:
    """The findings as one Excel sheet: header frozen, a filter on every column, readable widths."""
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=FINDINGS_SHEET, index=False)
        sheet = writer.sheets[FINDINGS_SHEET]
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for index, name in enumerate(frame.columns, start=1):
            longest = max([len(str(name))] + [len(str(v)) for v in frame[name].head(200) if v is not None])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))
