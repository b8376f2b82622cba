"""The database schema: SQLAlchemy 2 tables and models that follow the pydantic record.

`documents` is the batch run's own ledger (one row per source file, keyed by the
content hash). Every other table holds one part of a `schemas.ContractRecord`;
its value columns come from the pydantic model through `pipeline.db.fields`, so
a field added to the record is a column here too (and the drift test fails until
a migration adds it). Each record table is described by a `RecordTable`, which
the batch workers also use to turn a record into rows.

Types for the data team: money is NUMERIC(18,2) (`MONEY`, read back as
`Decimal`), unit prices NUMERIC(18,6) (`PRICE`: 0.12 元/GB, 0.791667 元/GB-month),
dates DATE; rates and percentages stay fractions in DOUBLE columns whose comment
says so. Every table and column has a comment (a record field's comes from its
pydantic description): `scripts/data_dictionary.py` renders them to
docs/data-dictionary.md, and the migrations write them as COMMENT ON in
PostgreSQL. A few columns are derived at load, not read from the record
(`RecordTable.derived`: normalized service names, payment due dates).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import (
    JSON, BigInteger, Boolean, Column, Date, DateTime, Double, ForeignKey, Index, Integer, MetaData,
    Numeric, String, Table, Text, false, func,
)
from sqlalchemy.orm import DeclarativeBase

from pipeline.db.fields import FieldColumn, Price, field_columns
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
#: The views the migrations create, for export and the data team (`pipeline.db.views` documents them).
VIEW_NAMES = ("v_contracts", "v_line_items", "v_findings", "v_open_findings")
#: line_items.service_category values (pipeline.enrich.services).
SERVICE_CATEGORIES = ("compute", "memory", "storage", "bandwidth", "GPU", "security", "software",
                      "operations", "other")

#: Money: 元 to the 分.
MONEY = Numeric(18, 2)
#: Unit prices: 元 with room for fractions of a 分 (0.12 元/GB, 0.791667 元/GB-month).
PRICE = Price(18, 6)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, comment="Document id."),
    Column("sha256", String(64), unique=True,
           comment="SHA-256 of the file's content (hex); NULL when the file could not be read."),
    Column("path", Text, nullable=False,
           comment="Absolute path where a run last found this content."),
    Column("size", BigInteger, comment="File size. Unit: bytes."),
    Column("pages", Integer, comment="Number of pages (PDF, scan); NULL for text files."),
    Column("status", String(16), nullable=False, index=True,
           comment="Outcome of the extraction: ok = extracted and loaded; failed = bad input "
                   "(empty, binary, not a contract, unreadable; error_code says which); error = an "
                   "extractor bug, a crashed worker or a timeout (tried again by the next run)."),
    Column("error_code", String(64),
           comment="Why a document failed: a pipeline.errors code (e.g. timeout, load_error), or the "
                   "exception class."),
    Column("error", Text, comment="Error message of a failed document."),
    Column("extractor_version", String(32), comment="Version of the extractor that produced the row."),
    Column("extract_seconds", Double, comment="Time the extraction took. Unit: seconds."),
    Column("timings", JSON, comment="Seconds spent per pipeline stage (JSON object)."),
    Column("warnings", JSON, comment="Extraction warnings (JSON list of text)."),
    Column("loaded_at", DateTime(timezone=True), nullable=False, comment="When the row was written (UTC)."),
    Column("seen_at", DateTime(timezone=True),
           comment="When a run last found this content in the archive, at this path (UTC). A document "
                   "is current unless a document at the same path was seen later (an edited file)."),
    Index(None, "path"),
    comment="One row per source file: the batch run's ledger, keyed by content hash.",
)


def _contract_fk() -> Column:
    return Column("contract_id", ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False,
                  comment="The contract (contracts.id).")


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
    #: columns filled at load from the record (pipeline.db.rows), after the fields
    derived: tuple[str, ...] = ()


def _record_table(name: str, key: str, model, many: bool = True, *, extra=(), derived=(),
                  **options) -> RecordTable:
    fields = tuple(field_columns(model, path=() if many else (key,), **options))
    if many:
        keys = [Column("id", Integer, primary_key=True, comment="Row id."), _contract_fk(),
                Column("list_index", Integer, nullable=False,
                       comment=f"Position in the record's {key} list, from 0: {key}[3] is list_index 3.")]
    else:
        keys = [Column("contract_id", ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True,
                       comment="The contract (contracts.id).")]
    table = Table(name, metadata, *keys, *(f.column() for f in fields), *derived, *extra,
                  comment=ContractRecord.model_fields[key].description)
    if many:
        Index(None, table.c.contract_id, table.c.list_index)
    return RecordTable(table, key, fields, many, tuple(c.name for c in derived))


CONTRACT_FIELDS = tuple(
    field_columns(ContractRecord, only=("schema_version", "document"), rename={"document": "document_name"})
    + field_columns(ContractMeta, path=("contract",), types={
        "signed_date": Date(), "start_date": Date(), "end_date": Date(),
        "total_amount": MONEY, "amount_excl_tax": MONEY,
    })
)
contracts = Table(
    "contracts", metadata,
    Column("id", Integer, primary_key=True, comment="Contract id."),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, unique=True,
           comment="The source document (documents.id)."),
    *(f.column() for f in CONTRACT_FIELDS),
    Index(None, "contract_no"),
    Index(None, "signed_date"),
    comment="One row per extracted contract (one per document with status ok). Old versions of an "
            "edited file stay until pruned: count current ones only (v_contracts.current).",
)

PARTIES = _record_table("parties", "parties", Party, extra=[Index(None, "name")])
LINE_ITEMS = _record_table(
    "line_items", "line_items", LineItem, extra=[Index(None, "normalized_unit")],
    types={"unit_price": PRICE, "amount": MONEY, "normalized_unit_price_month": PRICE},
    derived=[
        Column("service_normalized", Text,
               comment="Service name normalized for grouping across contracts (OCR spaces, full-width "
                       "digits and punctuation unified); derived at load from service."),
        Column("service_category", String(16),
               comment="Kind of service, derived at load from service: " + ", ".join(SERVICE_CATEGORIES) + "."),
    ],
)
SUBTOTALS = _record_table("subtotals", "subtotals", Subtotal, types={"amount": MONEY})
PAYMENTS = _record_table(
    "payments", "payments", Payment, types={"amount": MONEY},
    comments={"amount": "Installment amount. Unit: 元. As written, or percent × the contract total when "
                        "only the percent is written (then amount_computed is true)."},
    derived=[
        Column("due_date", Date, comment="Date the installment is due by, when the condition states one "
                                         "(2026年9月30日前); derived at load."),
        Column("due_period", Text, comment="When the installment is due, when the condition states it "
                                           "relative to an event (验收合格后10个工作日, 2031年度预算批复后); "
                                           "derived at load."),
        Column("amount_computed", Boolean, nullable=False, server_default=false(),
               comment="True when amount was computed as percent × the contract total (the contract "
                       "writes only the percent); false when amount is as written."),
    ],
)
PENALTIES = _record_table("penalties", "penalties", Penalty, types={"fixed_amount": MONEY})
SERVICE_LEVELS = _record_table("service_levels", "service_levels", ServiceLevels, many=False)
FINDINGS = _record_table(
    "findings", "findings", Finding, rename={"check": "check_code"},
    extra=[
        Column("review_status", String(16), nullable=False, server_default=REVIEW_STATUSES[0],
               comment="Review decision: open = not reviewed yet; confirmed = a real discrepancy; "
                       "dismissed = not one (e.g. an extraction error). Kept over a re-extraction when "
                       "the same check reports on the same subject."),
        Column("reviewer", Text, comment="Who reviewed the finding."),
        Column("review_note", Text, comment="The reviewer's note."),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.current_timestamp(),
               comment="When the finding was loaded (UTC)."),
        Column("reviewed_at", DateTime(timezone=True), comment="When the review was recorded (UTC)."),
        Column("finding_key", String(16),
               comment="Stable id of the finding: the same across re-extractions of the same content "
                       "(derived from the document's SHA-256, the check, the subject and its occurrence; "
                       "pipeline.db.keys). The review pages' addresses and the decision history use it."),
        Index(None, "review_status", "check_code"),
        Index(None, "finding_key"),
    ],
)
RECORD_TABLES = (PARTIES, LINE_ITEMS, SUBTOTALS, PAYMENTS, PENALTIES, SERVICE_LEVELS, FINDINGS)

_BBOX = "Box of the value on the page image or PDF page (page coordinates); NULL for text files"
EVIDENCE_FIELDS = tuple(field_columns(
    Evidence, rename={"start": "span_start", "end": "span_end"},
    element_names={"bbox": ("x0", "y0", "x1", "y1")},
    comments={
        "page": "Page the value was read on, from 1.",
        "span_start": "Start of the value in the document's text (character offset, from 0).",
        "span_end": "End of the value in the document's text (character offset, exclusive).",
        "snippet": "The source text around the value.",
        "bbox_x0": f"{_BBOX}: left.", "bbox_y0": f"{_BBOX}: top.",
        "bbox_x1": f"{_BBOX}: right.", "bbox_y1": f"{_BBOX}: bottom.",
        "confidence": "OCR confidence of the value as a fraction (0–1); NULL when not read by OCR.",
        "note": "How the value was read (e.g. table), when noted.",
    },
))
evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True, comment="Row id."),
    _contract_fk(),
    Column("path", Text, nullable=False,
           comment="JSON path of the value in the record (line_items[3].amount); a finding's cited "
                   "values are findings[i].evidence[n]."),
    *(f.column() for f in EVIDENCE_FIELDS),
    Index(None, "contract_id"),  # a contract's evidence is ~100 rows: no need to index the path too
    comment="Where each extracted value was stated in the source: page, character span, snippet, box.",
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, comment="User id."),
    Column("name", String(64), nullable=False, unique=True, comment="Sign-in name of the reviewer."),
    Column("password_hash", Text, nullable=False,
           comment="Salted hash of the password (never the password itself); pipeline.review.auth."),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.current_timestamp(),
           comment="When the user was added (UTC)."),
    comment="Reviewers who may sign in to the review pages (added with 'contracts users add').",
)

review_decisions = Table(
    "review_decisions", metadata,
    Column("id", Integer, primary_key=True, comment="Decision id."),
    Column("finding_key", String(16), nullable=False,
           comment="The finding decided on (findings.finding_key: stable across re-extractions)."),
    Column("from_status", String(16), nullable=False, comment="Review status before the decision."),
    Column("to_status", String(16), nullable=False, comment="Review status the decision set."),
    Column("reviewer", Text, comment="Who decided (the signed-in user, or the name given)."),
    Column("note", Text, comment="The reviewer's note with the decision."),
    Column("decided_at", DateTime(timezone=True), nullable=False, server_default=func.current_timestamp(),
           comment="When the decision was saved (UTC)."),
    Index(None, "finding_key", "decided_at"),
    comment="Every review decision ever saved, oldest first: who changed a finding from what to what, "
            "when, and why. Kept across re-extractions (keyed by the stable finding_key).",
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


class User(Base):
    __table__ = users


class ReviewDecision(Base):
    __table__ = review_decisions
