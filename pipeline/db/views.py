"""The views' documentation: what each view holds and each of its columns, with its type.

The views themselves are created by the migrations (their SQL is frozen in the
revision that creates them, e.g. 0003); this module is the one place their
columns are described. A column taken as it is from a table refers to it
(`_ref`) and shares its type and comment; the others say what they are. The
data dictionary (scripts/data_dictionary.py), PostgreSQL's COMMENT ON VIEW /
COLUMN (`pipeline.db.comments`) and the export's column types all read these,
and a test fails when a view has a column not described here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import Boolean, Column, Text
from sqlalchemy.types import TypeEngine

from pipeline.db.models import FINDINGS, LINE_ITEMS, VIEW_NAMES, contracts, documents, evidence


@dataclass(frozen=True)
class ViewColumn:
    name: str
    type: TypeEngine
    comment: str


@dataclass(frozen=True)
class View:
    name: str
    comment: str
    columns: tuple[ViewColumn, ...]

    def column(self, name: str) -> Optional[ViewColumn]:
        return next((c for c in self.columns if c.name == name), None)


def _ref(column: Column, name: Optional[str] = None, comment: Optional[str] = None) -> ViewColumn:
    """A view column holding `column` as it is (under `name`)."""
    return ViewColumn(name or column.name, column.type, comment or column.comment)


CURRENT = ViewColumn(
    "current", Boolean(),
    "True for the contract of a current document: the content a run last found at its path. False for "
    "the older version of an edited file, kept until `contracts run --prune`: filter on current for totals.")
_CLIENT = ViewColumn("client", Text(), "Name of the client (甲方), from parties.")
_SUPPLIER = ViewColumn("supplier", Text(), "Name of the supplier (乙方), from parties.")
_CONTRACT_ID = _ref(contracts.c.id, "contract_id", "The contract (contracts.id).")
_CONTRACT_NO = _ref(contracts.c.contract_no)
_TITLE = _ref(contracts.c.title, "contract_title")
_PATH = _ref(documents.c.path, "document_path", "Path of the source file (documents.path).")
_F = FINDINGS.table.c
_L = LINE_ITEMS.table.c

_FINDING_COLUMNS = (
    _ref(_F.id, "finding_id", "The finding (findings.id)."), _CONTRACT_ID, _CONTRACT_NO, _TITLE, _PATH,
    _CLIENT, _SUPPLIER, _ref(_F.check_code), _ref(_F.severity), _ref(_F.subject), _ref(_F.expected),
    _ref(_F.found),
)

VIEWS: dict[str, View] = {view.name: view for view in (
    View("v_contracts", "One row per contract, with its client, supplier and source file, and whether it "
         "is current (sum totals over current contracts).", (
             _CONTRACT_ID,
             _ref(documents.c.id, "document_id", "The source document (documents.id)."),
             _PATH,
             _CONTRACT_NO, _ref(contracts.c.title), _ref(contracts.c.project_name),
             _ref(contracts.c.signed_date), _ref(contracts.c.start_date), _ref(contracts.c.end_date),
             _ref(contracts.c.term_months), _ref(contracts.c.total_amount), _ref(contracts.c.amount_excl_tax),
             _ref(contracts.c.tax_rate), _CLIENT, _SUPPLIER, CURRENT,
         )),
    View("v_line_items", "One row per price-table row, with the contract's number, title, client and "
         "supplier.", (
             _ref(_L.id, "line_item_id", "The row (line_items.id)."), _CONTRACT_ID, _CONTRACT_NO, _TITLE,
             _ref(contracts.c.signed_date), _ref(contracts.c.term_months), _PATH, _CLIENT, _SUPPLIER,
             *(_ref(_L[name]) for name in (
                 "seq", "section", "service", "unit_price", "quantity", "billing_unit", "price_basis",
                 "periods", "amount", "normalized_quantity", "normalized_unit", "normalized_unit_price_month",
                 "service_normalized", "service_category")),
             CURRENT,
         )),
    View("v_findings", "One row per finding, whatever its review status, with the contract, client, "
         "supplier, source file and the first evidence the finding cites.", (
             *_FINDING_COLUMNS, _ref(_F.expected_value), _ref(_F.found_value),
             _ref(_F.review_status), _ref(_F.reviewer), _ref(_F.review_note), _ref(_F.created_at),
             _ref(_F.reviewed_at),
             _ref(evidence.c.page, "evidence_page",
                  "Page of the first value the finding cites (evidence findings[i].evidence[0])."),
             _ref(evidence.c.snippet, "evidence_snippet", "Source text around the first value the finding cites."),
             CURRENT,
         )),
    View("v_open_findings", "Findings not reviewed yet (review_status open), with contract, client, "
         "supplier and source file.", (
             *_FINDING_COLUMNS, _ref(_F.created_at), _ref(_F.expected_value), _ref(_F.found_value), CURRENT,
         )),
)}
assert tuple(VIEWS) == VIEW_NAMES, "document every view in VIEW_NAMES, in the same order"
