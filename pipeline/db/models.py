"""The database schema: SQLAlchemy 2 tables and models that follow the pydantic record.

`documents` is the batch run's own ledger (one row per source file, keyed by the
content hash). Every other table holds one part of a `schemas.ContractRecord`;
its value columns come from the pydantic model through `pipeline.db.fields`, so
a field added to the record is a column here too (and the drift test fails until
a migration adds it). Each record table is described by a `RecordTable`, which
the batch workers also use to turn a record into rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import (
    JSON, BigInteger, Column, DateTime, Double, ForeignKey, Index, Integer, MetaData, String,
    Table, Text, func,
)
from sqlalchemy.orm import DeclarativeBase

from pipeline.db.fields import FieldColumn, field_columns
from schemas import (
    ContractMeta, ContractRecord, Evidence, Finding, LineItem, Party, Payment, Penalty,
    ServiceLevels, Subtotal,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
})

#: documents.status values.
STATUS_OK = "ok"            # extracted and loaded
STATUS_FAILED = "failed"    # bad input (pipeline.errors.InputError): error_code says which
STATUS_ERROR = "error"      # a bug or a crash in the extractor: error holds the exception
#: findings.review_status values.
REVIEW_STATUSES = ("open", "confirmed", "dismissed")
#: The views the migrations create, for export and the data team.
VIEW_NAMES = ("v_line_items", "v_open_findings")

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), unique=True, comment="content hash; null when the file could not be read"),
    Column("path", Text, nullable=False),
    Column("size", BigInteger),
    Column("pages", Integer),
    Column("status", String(16), nullable=False, index=True, comment="ok | failed | error"),
    Column("error_code", String(64), comment="pipeline.errors code, or the exception class"),
    Column("error", Text),
    Column("extractor_version", String(32)),
    Column("extract_seconds", Double),
    Column("timings", JSON, comment="seconds per pipeline stage"),
    Column("warnings", JSON),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True),
           comment="when a run last found this content in the archive, at this path"),
    Index(None, "path"),
)


def _contract_fk() -> Column:
    return Column("contract_id", ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False)


@dataclass(frozen=True)
class RecordTable:
    """A table fed by one part of the record.

    `key` is the record key (`"line_items"`); list parts get one row per element
    with `list_index` = its position, so `line_items[3]` in a finding's subject or
    an evidence path is the row with list_index 3.
    """

    table: Table
    key: Optional[str]
    fields: tuple[FieldColumn, ...]
    many: bool


def _record_table(name: str, key: str, model, many: bool = True, *, extra=(), **options) -> RecordTable:
    fields = tuple(field_columns(model, path=() if many else (key,), **options))
    if many:
        keys = [Column("id", Integer, primary_key=True), _contract_fk(),
                Column("list_index", Integer, nullable=False)]
    else:
        keys = [Column("contract_id", ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True)]
    table = Table(name, metadata, *keys, *(f.column() for f in fields), *extra)
    if many:
        Index(None, table.c.contract_id, table.c.list_index)
    return RecordTable(table, key, fields, many)


CONTRACT_FIELDS = tuple(
    field_columns(ContractRecord, only=("schema_version", "document"), rename={"document": "document_name"})
    + field_columns(ContractMeta, path=("contract",))
)
contracts = Table(
    "contracts", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, unique=True),
    *(f.column() for f in CONTRACT_FIELDS),
    Index(None, "contract_no"),
    Index(None, "signed_date"),
)

PARTIES = _record_table("parties", "parties", Party, extra=[Index(None, "name")])
LINE_ITEMS = _record_table("line_items", "line_items", LineItem, extra=[Index(None, "normalized_unit")])
SUBTOTALS = _record_table("subtotals", "subtotals", Subtotal)
PAYMENTS = _record_table("payments", "payments", Payment)
PENALTIES = _record_table("penalties", "penalties", Penalty)
SERVICE_LEVELS = _record_table("service_levels", "service_levels", ServiceLevels, many=False)
FINDINGS = _record_table(
    "findings", "findings", Finding, rename={"check": "check_code"},
    extra=[
        Column("review_status", String(16), nullable=False, server_default=REVIEW_STATUSES[0],
               comment=" | ".join(REVIEW_STATUSES)),
        Column("reviewer", Text),
        Column("review_note", Text),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.current_timestamp()),
        Column("reviewed_at", DateTime(timezone=True)),
        Index(None, "review_status", "check_code"),
    ],
)
RECORD_TABLES = (PARTIES, LINE_ITEMS, SUBTOTALS, PAYMENTS, PENALTIES, SERVICE_LEVELS, FINDINGS)

EVIDENCE_FIELDS = tuple(field_columns(
    Evidence, rename={"start": "span_start", "end": "span_end"},
    element_names={"bbox": ("x0", "y0", "x1", "y1")},
))
evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True),
    _contract_fk(),
    Column("path", Text, nullable=False, comment="JSON path of the value in the record"),
    *(f.column() for f in EVIDENCE_FIELDS),
    Index(None, "contract_id"),  # a contract's evidence is ~100 rows: no need to index the path too
)

#: Child tables of a contract, in the order rows are deleted.
CONTRACT_CHILDREN = tuple(t.table for t in RECORD_TABLES) + (evidence,)


class Base(DeclarativeBase):
    metadata = metadata


class Document(Base):
    __table__ = documents


class Contract(Base):
    __table__ = contracts


class PartyRow(Base):
    __table__ = PARTIES.table


class LineItemRow(Base):
    __table__ = LINE_ITEMS.table


class SubtotalRow(Base):
    __table__ = SUBTOTALS.table


class PaymentRow(Base):
    __table__ = PAYMENTS.table


class PenaltyRow(Base):
    __table__ = PENALTIES.table


class ServiceLevelsRow(Base):
    __table__ = SERVICE_LEVELS.table


class FindingRow(Base):
    __table__ = FINDINGS.table


class EvidenceRow(Base):
    __table__ = evidence
