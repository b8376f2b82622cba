"""The review pages' reads and writes: SQLAlchemy Core over the tables of `pipeline.db.models`.

Every function takes an open `Connection` and leaves the transaction to the
caller, so the same statements run on SQLite and PostgreSQL. Pages address a
finding by its stable `finding_key` and a contract by the start of its
document's SHA-256 (`contract_key`): both survive `contracts run --force`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Mapping, Optional

from sqlalchemy import (
    Connection, ColumnElement, Engine, RowMapping, Select, Table, func, insert, inspect, or_, select, update,
)

from pipeline.db.models import (
    FINDINGS, LINE_ITEMS, PARTIES, REVIEW_STATUSES, contracts, documents, evidence, review_decisions,
)
from pipeline.review.record_paths import locate, value_columns
from pipeline.review.search import fold, folded
from pipeline.review.snippets import Marked, cited_text

PER_PAGE = 50
ALL_STATUSES = "all"
#: The tables the pages read; a database without them has nothing to review.
REQUIRED_TABLES = ("documents", "contracts", "parties", "line_items", "findings", "evidence")

findings = FINDINGS.table
parties = PARTIES.table
line_items = LINE_ITEMS.table
_HEX = re.compile(r"[0-9a-f]+")
_CITED = re.compile(r"findings\[(\d+)\]\.evidence\[(\d+)\]")
#: Hex characters of the document's SHA-256 that address its contract.
CONTRACT_KEY_LENGTH = 16
#: The contract's address: the start of its document's SHA-256.
contract_key = func.substr(documents.c.sha256, 1, CONTRACT_KEY_LENGTH).label("contract_key")


def missing_tables(engine: Engine) -> list[str]:
    present = set(inspect(engine).get_table_names())
    return [name for name in REQUIRED_TABLES if name not in present]


def _party(role: str) -> ColumnElement[Any]:
    """The contract's party name in `role` (the first by name, as the views take it)."""
    return (select(func.min(parties.c.name))
            .where(parties.c.contract_id == contracts.c.id, parties.c.role == role)
            .scalar_subquery().label(role))


_FINDINGS_OF_CONTRACTS = (findings.join(contracts, contracts.c.id == findings.c.contract_id)
                          .join(documents, documents.c.id == contracts.c.document_id))


@dataclass(frozen=True)
class FindingFilter:
    """The list's filters: a review status (or "all"), a check code, text in the contract or supplier."""

    status: str = REVIEW_STATUSES[0]
    check: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> FindingFilter:
        status = params.get("status", cls.status)
        return cls(status if status in (*REVIEW_STATUSES, ALL_STATUSES) else cls.status,
                   params.get("check", "").strip(), params.get("q", "").strip())

    def params(self) -> dict[str, str]:
        """The filters as query parameters, without the empty ones."""
        return {k: v for k, v in (("status", self.status), ("check", self.check), ("q", self.q)) if v}

    def clauses(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.status != ALL_STATUSES:
            where.append(findings.c.review_status == self.status)
        if self.check:
            where.append(findings.c.check_code == self.check)
        if self.q:
            where.append(findings.c.contract_id.in_(_contracts_matching(self.q)))
        return where


def _contracts_matching(text: str) -> Select:
    """Ids of the contracts whose number, title or supplier contains `text`, width and case aside."""
    wanted = fold(text) or ""
    by_contract = select(contracts.c.id).where(or_(
        folded(contracts.c.contract_no).contains(wanted, autoescape=True),
        folded(contracts.c.title).contains(wanted, autoescape=True)))
    by_supplier = select(parties.c.contract_id).where(
        parties.c.role == "supplier", folded(parties.c.name).contains(wanted, autoescape=True))
    return by_contract.union(by_supplier)


def counts(connection: Connection) -> dict[str, dict[str, int]]:
    """check code → review status → number of findings."""
    table: dict[str, dict[str, int]] = {}
    rows = connection.execute(select(findings.c.check_code, findings.c.review_status, func.count())
                              .group_by(findings.c.check_code, findings.c.review_status))
    for code, status, number in rows:
        table.setdefault(code, {})[status] = number
    return dict(sorted(table.items()))


@dataclass(frozen=True)
class Page:
    rows: list[RowMapping]
    total: int
    number: int
    pages: int


def list_findings(connection: Connection, where: FindingFilter, page: int) -> Page:
    """One page of the findings that pass the filter, in the order they were loaded."""
    clauses = where.clauses()
    total = connection.execute(
        select(func.count()).select_from(_FINDINGS_OF_CONTRACTS).where(*clauses)).scalar_one()
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(page, 1), pages)
    rows = connection.execute(
        select(findings.c.id, findings.c.finding_key, findings.c.check_code, findings.c.severity, findings.c.subject,
               findings.c.expected, findings.c.found, findings.c.review_status, findings.c.reviewer,
               contracts.c.id.label("contract_id"), contract_key, contracts.c.contract_no, contracts.c.title,
               _party("supplier"))
        .select_from(_FINDINGS_OF_CONTRACTS).where(*clauses)
        .order_by(findings.c.id).limit(PER_PAGE).offset((number - 1) * PER_PAGE)).mappings().all()
    return Page(list(rows), total, number, pages)


def get_finding(connection: Connection, key: str) -> Optional[RowMapping]:
    """The finding with stable key `key`, with its contract's number, title, parties and source file."""
    return connection.execute(
        select(findings, contract_key, contracts.c.contract_no, contracts.c.title,
               documents.c.path.label("document_path"), documents.c.pages.label("document_pages"),
               documents.c.sha256.label("document_sha256"), _party("client"), _party("supplier"))
        .select_from(_FINDINGS_OF_CONTRACTS)
        .where(findings.c.finding_key == key).order_by(findings.c.id.desc()).limit(1)).mappings().first()


def finding_key_of(connection: Connection, finding_id: int) -> Optional[str]:
    """The stable key of the finding with row id `finding_id` (an old-style address)."""
    return connection.execute(select(findings.c.finding_key).where(findings.c.id == finding_id)).scalar()


def contract_key_of(connection: Connection, contract_id: int) -> Optional[str]:
    """The address of the contract with row id `contract_id` (an old-style address)."""
    return connection.execute(select(contract_key).select_from(
        contracts.join(documents, documents.c.id == contracts.c.document_id))
        .where(contracts.c.id == contract_id)).scalar()


def next_open(connection: Connection, after: int, where: FindingFilter) -> Optional[str]:
    """The key of the open finding passing `where` that follows row `after` (wrapping round), if any."""
    base = (select(findings.c.finding_key).select_from(_FINDINGS_OF_CONTRACTS)
            .where(*replace(where, status="open").clauses(), findings.c.id != after).limit(1))
    following = connection.execute(base.where(findings.c.id > after).order_by(findings.c.id)).scalar()
    return following if following is not None else connection.execute(base.order_by(findings.c.id)).scalar()


SAVED, CHANGED, MISSING = "saved", "changed", "missing"


def review_token(reviewed_at: Optional[datetime]) -> str:
    """What a review form carries of the decision it was opened on: when that was saved."""
    return reviewed_at.isoformat() if reviewed_at is not None else ""


def save_review(connection: Connection, finding_id: int, status: str, reviewer: Optional[str],
                note: Optional[str], seen: str) -> str:
    """Record the decision on a finding and in its history, unless another was saved since the form was opened.

    `seen` is the `review_token` the form was opened with. Returns SAVED,
    CHANGED (someone saved meanwhile: nothing written) or MISSING (no such finding).
    The history row is written in the caller's transaction, with the update.
    """
    try:
        opened_on = findings.c.reviewed_at.is_(None) if not seen else (
            findings.c.reviewed_at == datetime.fromisoformat(seen))
    except ValueError:
        return CHANGED
    before = connection.execute(
        select(findings.c.review_status, findings.c.finding_key)
        .where(findings.c.id == finding_id, opened_on).with_for_update()).first()
    now = datetime.now(timezone.utc)
    if before is not None:
        result = connection.execute(
            update(findings).where(findings.c.id == finding_id, opened_on)
            .values(review_status=status, reviewer=reviewer, review_note=note, reviewed_at=now))
        if result.rowcount == 1:
            connection.execute(insert(review_decisions).values(
                finding_key=before.finding_key, from_status=before.review_status, to_status=status,
                reviewer=reviewer, note=note, decided_at=now))
            return SAVED
    found = connection.execute(select(findings.c.id).where(findings.c.id == finding_id)).first()
    return CHANGED if found is not None else MISSING


def history(connection: Connection, key: str) -> list[RowMapping]:
    """Every decision saved on the finding with stable key `key`, newest first."""
    return list(connection.execute(
        select(review_decisions).where(review_decisions.c.finding_key == key)
        .order_by(review_decisions.c.decided_at.desc(), review_decisions.c.id.desc())).mappings().all())


@dataclass(frozen=True)
class Cited:
    """One evidence row a finding cites, with the value it is the evidence of."""

    row: RowMapping
    value_path: Optional[str]
    value: Any
    marked: Optional[Marked]


def cited_evidence(connection: Connection, contract_id: int, list_index: int,
                   text: Optional[str] = None) -> list[Cited]:
    """The evidence finding `list_index` of the contract cites, in the order the check gave it.

    With the document's `text` (a text file), each value is marked in the lines
    around it; otherwise in its evidence snippet.

    The check cites a value's evidence by copying it, so the value itself is
    the one whose own evidence row has the same page and span.
    """
    rows = connection.execute(select(evidence).where(evidence.c.contract_id == contract_id)).mappings().all()
    cited: list[tuple[int, RowMapping]] = []
    value_paths: dict[tuple[int, int, int], str] = {}
    for row in rows:
        match = _CITED.fullmatch(row["path"])
        if match and int(match[1]) == list_index:
            cited.append((int(match[2]), row))
        elif not row["path"].startswith("findings["):
            value_paths.setdefault((row["page"], row["span_start"], row["span_end"]), row["path"])
    out = []
    for _, row in sorted(cited, key=lambda pair: pair[0]):
        path = value_paths.get((row["page"], row["span_start"], row["span_end"]))
        value = value_at(connection, contract_id, path) if path else None
        out.append(Cited(row, path, value,
                         cited_text(text, row["snippet"], row["span_start"], row["span_end"], value)))
    return out


def value_at(connection: Connection, contract_id: int, path: str) -> Any:
    """The record's value at `path` (a path to one value), or None."""
    place = locate(path)
    if place is None or place.column is None:
        return None
    rows = _rows(connection, contract_id, place.table, place.index, [place.table.c[place.column]])
    return rows[0][place.column] if len(rows) == 1 else None


@dataclass(frozen=True)
class SubjectValues:
    """The stored rows a finding's subject names, and the column it points at, if one."""

    columns: list[str]
    rows: list[RowMapping]
    column: Optional[str]


def subject_values(connection: Connection, contract_id: int, subject: str) -> Optional[SubjectValues]:
    place = locate(subject)
    if place is None:
        return None
    columns = value_columns(place.table)
    rows = _rows(connection, contract_id, place.table, place.index, [place.table.c[name] for name in columns])
    return SubjectValues(columns, rows, place.column)


def _rows(connection: Connection, contract_id: int, table: Table, index: Optional[int],
          columns: list[Any]) -> list[RowMapping]:
    """Rows of a record table for the contract: the one at `index`, or all in list order."""
    query: Select = select(*columns)
    if table is contracts:
        query = query.where(contracts.c.id == contract_id)
    else:
        query = query.where(table.c.contract_id == contract_id)
        if index is not None:
            query = query.where(table.c.list_index == index)
        if "list_index" in table.c:
            query = query.order_by(table.c.list_index)
    return list(connection.execute(query).mappings().all())


@dataclass(frozen=True)
class ContractView:
    contract: RowMapping
    contract_columns: list[str]
    parties: list[RowMapping]
    party_columns: list[str]
    line_items: list[RowMapping]
    line_item_columns: list[str]
    findings: list[RowMapping]

    def flagged_line_items(self) -> set[int]:
        """The list_index of each line item a finding is about."""
        places = (locate(f["subject"]) for f in self.findings)
        return {p.index for p in places if p is not None and p.table is LINE_ITEMS.table and p.index is not None}


def contract_view(connection: Connection, key: str) -> Optional[ContractView]:
    """The contract at address `key`: metadata and source file, parties, line items and findings; None when unknown.

    `key` is the start of the document's SHA-256 (at least `CONTRACT_KEY_LENGTH`
    hex characters); it is looked up as a range of the unique sha256 index.
    """
    key = key.lower()
    if len(key) < CONTRACT_KEY_LENGTH or not _HEX.fullmatch(key):
        return None
    contract = connection.execute(
        select(contracts, contract_key, documents.c.path.label("document_path"),
               documents.c.pages.label("document_pages"), documents.c.extractor_version, documents.c.loaded_at)
        .select_from(contracts.join(documents, documents.c.id == contracts.c.document_id))
        .where(documents.c.sha256 >= key, documents.c.sha256 < key + "g")
        .order_by(documents.c.id.desc()).limit(1)).mappings().first()
    if contract is None:
        return None
    contract_id = contract["id"]
    found = connection.execute(
        select(findings).where(findings.c.contract_id == contract_id).order_by(findings.c.list_index)).mappings()
    return ContractView(
        contract, value_columns(contracts),
        _rows(connection, contract_id, parties, None, [parties]), value_columns(parties),
        _rows(connection, contract_id, line_items, None, [line_items]), value_columns(line_items),
        list(found.all()))
