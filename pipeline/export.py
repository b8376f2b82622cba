"""Export the database for the data team: one Parquet, CSV or Excel file per table and view.

Rows are read in chunks (a server-side cursor on PostgreSQL) and appended to
the file, so memory stays flat however big the archive; Excel files are
limited to one sheet anyway. Columns keep their SQL types: each file's schema
comes from the table definitions (views: from `pipeline.db.views`), money is
decimal in Parquet (decimal128(18, 2)), dates are dates, times are UTC, JSON
columns (documents.timings, warnings) become JSON text. CSV files are UTF-8
with a byte-order mark, so that Excel shows the Chinese text. Each file is written under a temporary name and renamed, so a reader
never sees half a file.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import (
    JSON, Boolean, Connection, Date, DateTime, Engine, Float, Integer, Numeric, column, inspect, select, table,
)
from sqlalchemy.sql import Select

from pipeline.db.fields import base_type
from pipeline.db.models import VIEW_NAMES, metadata

FORMATS = ("parquet", "csv", "xlsx")
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
