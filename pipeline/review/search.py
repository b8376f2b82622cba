"""Search text that ignores full-width/half-width forms and case: `ＪＨ－２０２６` finds `JH-2026`.

Both sides are folded the same way, Unicode NFKC then lower case: the query in
Python (`fold`), the column in SQL (`folded`). PostgreSQL has NFKC built in
(`normalize(x, NFKC)`, a UTF-8 database); SQLite gets the same Python function
registered on each connection (`install`). The list page applies the fold to
the contracts' columns in a subquery (contract ids whose number, title or
supplier matches), so SQLite calls the function once per contract and party
row, not once per finding.
"""
from __future__ import annotations

import unicodedata
from typing import Any, Optional

from sqlalchemy import Engine, String, event
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

#: The SQLite function's name (PostgreSQL spells it out in SQL).
SQLITE_FUNCTION = "review_fold"


def fold(text: Optional[str]) -> Optional[str]:
    """`text` in NFKC, lower case: the form searches compare."""
    return None if text is None else unicodedata.normalize("NFKC", text).lower()


class folded(GenericFunction):  # noqa: N801 (a SQL function reads as one)
    """SQL: the folded form of a text column, as `fold` computes it."""

    type = String()
    inherit_cache = True


@compiles(folded)
def _folded_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"lower(normalize({compiler.process(element.clauses, **kw)}, NFKC))"


def install(engine: Engine) -> None:
    """Make `folded` work on a SQLite engine's connections (a no-op on other databases)."""
    if engine.url.get_backend_name() != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _register(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)

    engine.dispose()  # connections pooled before the listener lack the function
