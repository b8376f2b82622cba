"""Load documents into the database: claim them, then write each one atomically.

A `Store` holds the run's single connection. `claim` decides which identified
files this run must extract: not those already loaded (or rejected) by the same
extractor version, unless forced; not those another run is working on. On
PostgreSQL the claim is a session-level advisory lock per document, held until
the document is committed, so a second run skips what the first holds, and a
run that dies releases its locks with its connection. The state is read after
the lock is taken, so a document the other run saved meanwhile is skipped too.

`save` writes one document: its `documents` row (an upsert on the unique
sha256, so the row and its id are kept; on databases without ON CONFLICT, a
lookup under a row lock), the removal of the rows of its previous extraction,
and the new contract with all its parts. A document lies wholly inside one
transaction, in a savepoint of its own, so a record the database refuses rolls
back alone. Transactions are committed every `COMMIT_EVERY` documents or
`COMMIT_AFTER` seconds, whichever comes first (one commit per document costs
more than the inserts); claims are released once their documents are
committed. Killed at any moment, a run loses at most its open transaction:
documents not yet committed are simply extracted again by the next run.
Review decisions on findings survive a re-extraction when a finding with the
same key is found again (`pipeline.db.keys`: the same check on the same subject,
its n-th such finding); the decision history is never deleted.

Every document a run finds gets `seen_at` set (a document already loaded also
gets the path it was found at, so a moved file is not extracted again). After a
complete run, the documents recorded under the archive's folder that it did
not see are stale: their file changed or was removed. `count_stale` counts
them, `prune_stale` deletes them with their contracts.
"""
from __future__ import annotations

import hashlib
import os
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Optional, Sequence

from sqlalchemy import (
    JSON, Column, ColumnElement, Date, DateTime, Dialect, Engine, Float, Numeric, Table, Transaction, bindparam,
    delete, func, insert, select, text, update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.dialects import postgresql, sqlite

from pipeline.batch.discover import Source
from pipeline.batch.work import Payload
from pipeline.db.engine import WRITE_OPTIONS, DatabaseUnavailable
from pipeline.db.fields import base_type
from pipeline.db.models import (
    CONTRACT_CHILDREN, FINDINGS, STATUS_FAILED, STATUS_OK, contracts, documents,
)
from pipeline.db.rows import ROW_COLUMNS, Group, with_finding_keys
from pipeline.errors import Unreadable
from pipeline.ingest import storable_text

COMMIT_EVERY = 64
COMMIT_AFTER = 0.25  # seconds

#: A document is done, for a run with the same extractor version, in these states;
#: "error" (an extractor bug, a crashed worker, a timeout) is tried again, and so
#: is "failed" for the codes in `TRANSIENT_CODES`, or for any code with `retry_failed`.
DONE_STATUSES = (STATUS_OK, STATUS_FAILED)
#: Failures that may pass by themselves (a file removed, moved or locked while the run read it).
TRANSIENT_CODES = frozenset({Unreadable.code})
_OPEN_REVIEW = {"review_status": "open", "reviewer": None, "review_note": None, "reviewed_at": None}
#: column types whose values the driver may not take as they are (SQLite: Decimal, date)
_CONVERTED = (JSON, DateTime, Date, Numeric)
_DOCUMENT_COLUMNS = tuple(c.name for c in documents.columns if c.name != "id")

_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_TRY_LOCKS = text("SELECT k, pg_try_advisory_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS k")
_UNLOCKS = text("SELECT pg_advisory_unlock(k) FROM unnest(CAST(:keys AS bigint[])) AS k")
_SEEN = (update(documents).where(documents.c.sha256 == bindparam("sha"))
         .values(path=bindparam("found_at"), seen_at=bindparam("seen")))


def lock_key(document_key: str) -> int:
    """A signed 64-bit advisory-lock key for a document key."""
    return int.from_bytes(hashlib.sha256(document_key.encode()).digest()[:8], "big", signed=True)


class RecordRefused(Exception):
    """The database rejected a document's record (a constraint, a value it cannot store)."""


class Claim:
    """The outcome of `Store.claim` for a batch of sources."""

    def __init__(self) -> None:
        self.todo: list[Source] = []
        self.done: list[Source] = []       # loaded already by this extractor version
        self.busy: list[Source] = []       # another run is on it
        self.duplicate: list[Source] = []  # same content as a file this run is on


class Store:
    def __init__(self, engine: Engine, extractor_version: str):
        self.extractor_version = extractor_version
        self.started = datetime.now(timezone.utc)
        self.connection = engine.connect().execution_options(**WRITE_OPTIONS)
        dialect = self.connection.dialect
        self._advisory = dialect.name == "postgresql"
        self._held: set[str] = set()
        self._existing: set[str] = set()  # held keys that already have a documents row
        self._upsert_document = _upsert_document(dialect)
        self._insert_contract = _FastInsert(
            contracts, ("document_id",) + ROW_COLUMNS["contracts"], dialect, returning=contracts.c.id)
        self._insert_child = {t.name: _ChildInsert(t, dialect) for t in CONTRACT_CHILDREN}
        # the driver's own cursor on this connection, for the statements every document runs
        self._cursor = self.connection.connection.dbapi_connection.cursor()
        self._driver_error = dialect.loaded_dbapi.Error
        self._transaction: Optional[Transaction] = None
        self._opened = 0.0
        self._uncommitted: list[Source] = []

    def close(self) -> None:
        """End the run's connection, dropping any claims still held (the pool would keep them).

        Documents saved but not committed are lost (call `commit` first to keep them).
        """
        try:
            self._cursor.close()
            if self._transaction is not None:
                self._transaction.rollback()
            if self._advisory and self._held:
                self.connection.execute(text("SELECT pg_advisory_unlock_all()"))
                self.connection.commit()
        except Exception:  # a broken connection: dropping it drops its locks on the server too
            self.connection.invalidate()
        finally:
            self.connection.close()

    # -- transactions -------------------------------------------------------
    def _begin(self) -> None:
        if self._transaction is None:
            self._transaction = self.connection.begin()
            self._opened = time.monotonic()

    def commit(self) -> None:
        """Commit what was saved, then release the claims on those documents."""
        if self._transaction is not None:
            self._transaction.commit()
            self._transaction = None
        saved, self._uncommitted = self._uncommitted, []
        self.release(saved)

    def commit_if_due(self) -> None:
        if self._transaction is not None and (
                len(self._uncommitted) >= COMMIT_EVERY or time.monotonic() - self._opened >= COMMIT_AFTER):
            self.commit()

    # -- claiming -----------------------------------------------------------
    def claim(self, sources: Iterable[Source], force: bool, retry_failed: bool = False) -> Claim:
        """Sort `sources` into those to extract, done, busy and duplicate (see the module docstring);
        `retry_failed` extracts again the documents that failed for bad input too."""
        claim = Claim()
        fresh: list[Source] = []
        for source in sources:
            if source.key in self._held:
                claim.duplicate.append(source)
            else:
                self._held.add(source.key)
                fresh.append(source)
        self._begin()
        locked = self._try_locks(fresh)
        state = self._states([s.sha256 for s in locked if s.sha256])
        readable = [s.name for s in locked if s.sha256]
        if readable:  # files that were unreadable in an earlier run
            self.connection.execute(delete(documents).where(
                documents.c.sha256.is_(None), documents.c.path.in_(readable)))
        locked_keys = {s.key for s in locked}
        for source in fresh:
            if source.key not in locked_keys:
                claim.busy.append(source)
            elif not force and self._is_done(state.get(source.sha256), retry_failed):
                claim.done.append(source)
            else:
                claim.todo.append(source)
                if source.sha256 in state:
                    self._existing.add(source.key)
        if claim.done:
            seen = datetime.now(timezone.utc)
            self.connection.execute(_SEEN, [{"sha": s.sha256, "found_at": s.name, "seen": seen}
                                            for s in claim.done])
        self.release(claim.done)
        return claim

    def release(self, sources: list[Source]) -> None:
        """Give up the claim on `sources` (skipped, or saved and committed)."""
        if not sources:
            return
        if self._advisory:
            held = [lock_key(s.key) for s in sources if s.key in self._held]
            if held:  # session-level locks: released at once, whatever the transaction
                self._begin()
                self.connection.execute(_UNLOCKS, {"keys": held})
        for source in sources:
            self._held.discard(source.key)
            self._existing.discard(source.key)

    def _try_locks(self, sources: list[Source]) -> list[Source]:
        if not self._advisory or not sources:
            return sources
        keys = {lock_key(s.key): s for s in sources}
        got = self.connection.execute(_TRY_LOCKS, {"keys": list(keys)}).all()
        locked = {k for k, ok in got if ok}
        for k, source in keys.items():
            if k not in locked:
                self._held.discard(source.key)
        return [s for k, s in keys.items() if k in locked]

    # -- documents no longer in the archive ------------------------------------
    def _stale(self, root: str | os.PathLike[str]) -> ColumnElement[bool]:
        """Documents under `root` that this run has not seen (call once the whole archive is through)."""
        folder = os.path.join(os.path.abspath(root), "")
        return documents.c.path.startswith(folder, autoescape=True) & (
            documents.c.seen_at.is_(None) | (documents.c.seen_at < self.started))

    def count_stale(self, root: str | os.PathLike[str]) -> int:
        self._begin()
        return self.connection.execute(select(func.count()).where(self._stale(root))).scalar_one()

    def prune_stale(self, root: str | os.PathLike[str]) -> int:
        """Delete the stale documents under `root` with their contracts; returns how many.

        Their review decision history (`review_decisions`, keyed by finding key) stays.
        """
        self._begin()
        pruned = self.connection.execute(delete(documents).where(self._stale(root))).rowcount
        self.commit()
        return pruned

    def _states(self, hashes: list[str]) -> dict[str, tuple[str, Optional[str], str]]:
        """sha256 → (status, error code, extractor version) of the documents already recorded."""
        if not hashes:
            return {}
        rows = self.connection.execute(
            select(documents.c.sha256, documents.c.status, documents.c.error_code, documents.c.extractor_version)
            .where(documents.c.sha256.in_(hashes)))
        return {sha: (status, code, version) for sha, status, code, version in rows}

    def _is_done(self, state: Optional[tuple[str, Optional[str], str]], retry_failed: bool) -> bool:
        """Whether a document in `state` needs no extraction by this run (see `DONE_STATUSES`)."""
        if state is None:
            return False
        status, code, version = state
        if version != self.extractor_version or status not in DONE_STATUSES:
            return False
        return status == STATUS_OK or not (retry_failed or code in TRANSIENT_CODES)

    # -- saving -------------------------------------------------------------
    def save(self, source: Source, payload: Payload) -> None:
        """Write the document and, when extracted, its contract, all or nothing.

        Committed by a later `commit` (see the module docstring); its claim is
        held until then. Raises `RecordRefused` when the database rejects the
        record (nothing of it is kept), `DatabaseUnavailable` when the connection
        is lost.
        """
        self._begin()
        cursor = self._cursor
        try:
            cursor.execute("SAVEPOINT document")
        except self._driver_error as err:
            if self._disconnected(err):
                raise DatabaseUnavailable(f"lost the connection to the database ({err})") from err
            raise
        try:
            document_id = self._save_document(source, payload)
            reviews = self._remove_contract(document_id) if source.key in self._existing else {}
            if payload["status"] == STATUS_OK:
                self._save_contract(document_id, source.sha256, payload, reviews)
        except BaseException as err:
            cause = err.orig if isinstance(err, DBAPIError) else err
            if self._disconnected(cause):
                raise DatabaseUnavailable(f"lost the connection to the database ({cause})") from err
            cursor.execute("ROLLBACK TO SAVEPOINT document")
            cursor.execute("RELEASE SAVEPOINT document")
            if isinstance(cause, self._driver_error):
                raise RecordRefused(str(cause).strip()) from err
            raise
        cursor.execute("RELEASE SAVEPOINT document")
        self._uncommitted.append(source)

    def _disconnected(self, err: BaseException) -> bool:
        return isinstance(err, self._driver_error) and self.connection.dialect.is_disconnect(
            err, self._cursor.connection, self._cursor)

    def _save_document(self, source: Source, payload: Payload) -> int:
        now = datetime.now(timezone.utc)
        values: dict[str, Any] = {
            "sha256": source.sha256, "path": source.name, "size": source.size, "pages": payload.get("pages"),
            "status": payload["status"], "error_code": _storable(payload.get("error_code")),
            "error": _storable(payload.get("error")), "extractor_version": self.extractor_version,
            "extract_seconds": payload.get("extract_seconds"), "timings": payload.get("timings"),
            "warnings": _storable_list(payload.get("warnings")),
            "loaded_at": now, "seen_at": now,
        }
        if source.sha256 and self._upsert_document is not None:
            return self._upsert_document.one(self._cursor, tuple(values[c] for c in _DOCUMENT_COLUMNS))
        if source.sha256:
            where = documents.c.sha256 == source.sha256
        else:
            where = (documents.c.path == source.name) & documents.c.sha256.is_(None)
        found = self.connection.execute(select(documents.c.id).where(where).with_for_update()).scalar()
        if found is not None:
            self.connection.execute(update(documents).where(documents.c.id == found).values(values))
            return found
        return self.connection.execute(insert(documents).values(values)).inserted_primary_key[0]

    def _remove_contract(self, document_id: int) -> dict[str, dict]:
        """Delete the document's previous contract; returns its review decisions by finding key.

        The decision history (`review_decisions`) is keyed by finding key, not by
        row, and stays.
        """
        contract_id = self.connection.execute(
            select(contracts.c.id).where(contracts.c.document_id == document_id)).scalar()
        if contract_id is None:
            return {}
        f = FINDINGS.table.c
        reviews = {
            row.finding_key: {k: row._mapping[k] for k in _OPEN_REVIEW}
            for row in self.connection.execute(
                select(f.finding_key, *(f[k] for k in _OPEN_REVIEW))
                .where(f.contract_id == contract_id, f.review_status != "open", f.finding_key.is_not(None)))
        }
        for table in CONTRACT_CHILDREN:
            self.connection.execute(delete(table).where(table.c.contract_id == contract_id))
        self.connection.execute(delete(contracts).where(contracts.c.id == contract_id))
        return reviews

    def _save_contract(self, document_id: int, document_sha256: str, payload: Payload,
                       reviews: dict[str, dict]) -> None:
        contract_id = self._insert_contract.one(self._cursor, (document_id, *payload["contract"]))
        for name, groups in payload["children"].items():
            if groups and name == FINDINGS.table.name:
                groups = with_finding_keys(document_sha256, groups)
            self._insert_child[name].many(self._cursor, contract_id, groups)
        if reviews:
            self._carry_reviews(contract_id, reviews)

    def _carry_reviews(self, contract_id: int, reviews: dict[str, dict]) -> None:
        """The previous extraction's review decisions, on the new findings with the same key."""
        f = FINDINGS.table.c
        self.connection.execute(
            update(FINDINGS.table).where(f.contract_id == contract_id, f.finding_key == bindparam("key")),
            [{"key": key, **review} for key, review in reviews.items()])


def _storable(value: Optional[str]) -> Optional[str]:
    return None if value is None else storable_text(value)


def _storable_list(values: Optional[list[str]]) -> Optional[list[str]]:
    return None if values is None else [storable_text(value) for value in values]


class _FastInsert:
    """An INSERT compiled once, for rows given as tuples in `columns` order.

    Rows go straight to the driver's cursor (executemany), inside the
    transaction SQLAlchemy opened on the same connection. Numbers, text and
    booleans pass as they are; JSON, date-time, date and decimal values go
    through their type's conversion for this database (none for most on PostgreSQL). Without SQLAlchemy's per-statement and
    per-row handling, loading runs several times faster.
    """

    def __init__(self, table: Table, columns: Sequence[str], dialect: Dialect, *,
                 returning: Optional[Column] = None, statement: Any = None):
        statement = statement if statement is not None else insert(table)
        if returning is not None:
            statement = statement.returning(returning)
        compiled = statement.compile(dialect=dialect, column_keys=list(columns))
        self.sql = str(compiled)
        self.columns = tuple(columns)
        order = tuple(compiled.positiontup) if compiled.positional else self.columns
        self._order = None if order == self.columns else [self.columns.index(name) for name in order]
        self._named = not compiled.positional
        self._convert: list[tuple[int, Callable]] = [
            (i, processor) for i, name in enumerate(self.columns)
            if isinstance(base_type(table.c[name].type), _CONVERTED)
            and not isinstance(base_type(table.c[name].type), Float)
            and (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None
        ]

    def _params(self, row: tuple) -> Any:
        if self._convert:
            values = list(row)
            for i, convert in self._convert:
                values[i] = convert(values[i])
            row = tuple(values)
        if self._named:
            return dict(zip(self.columns, row))
        return row if self._order is None else tuple(row[i] for i in self._order)

    def one(self, cursor: Any, row: tuple) -> Any:
        """Insert one row; returns the RETURNING value."""
        cursor.execute(self.sql, self._params(row))
        return cursor.fetchone()[0]

    def many(self, cursor: Any, rows: list[tuple]) -> None:
        if self._convert or self._named or self._order is not None:
            rows = [self._params(row) for row in rows]
        cursor.executemany(self.sql, rows)


class _ChildInsert:
    """The INSERTs of a child table's row groups (`pipeline.db.rows.Group`) under one contract.

    One statement per set of columns a group fills, compiled the first time it is seen.
    """

    def __init__(self, table: Table, dialect: Dialect):
        self._table, self._dialect = table, dialect
        self._compiled: dict[tuple[str, ...], _FastInsert] = {}

    def many(self, cursor: Any, contract_id: int, groups: list[Group]) -> None:
        for columns, rows in groups:
            statement = self._compiled.get(columns)
            if statement is None:
                statement = self._compiled[columns] = _FastInsert(
                    self._table, ("contract_id",) + columns, self._dialect)
            statement.many(cursor, [(contract_id, *row) for row in rows])


def _upsert_document(dialect: Dialect) -> Optional[_FastInsert]:
    """INSERT … ON CONFLICT (sha256) DO UPDATE … RETURNING id, where the database has it."""
    upsert = _UPSERTS.get(dialect.name)
    if upsert is None:
        return None
    statement = upsert(documents)
    statement = statement.on_conflict_do_update(
        index_elements=[documents.c.sha256],
        set_={name: statement.excluded[name] for name in _DOCUMENT_COLUMNS if name != "sha256"})
    return _FastInsert(documents, _DOCUMENT_COLUMNS, dialect, returning=documents.c.id, statement=statement)
