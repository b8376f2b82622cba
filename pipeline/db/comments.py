"""COMMENT ON TABLE / VIEW / COLUMN in PostgreSQL, from the models' comments and `pipeline.db.views`.

The text is written once, as column comments in `pipeline.db.models` (a record
field's comment is its pydantic description) and in `pipeline.db.views`; the
migrations call `apply_comments` so that psql's `\\d+` and any client show the
same descriptions as docs/data-dictionary.md. Only tables, views and columns the
database has are commented, so an old revision can call it. When a comment
changes, add a revision that calls it again (on PostgreSQL the schema test
fails until then). Other databases keep no comments: nothing is done there.
"""
from __future__ import annotations

from sqlalchemy import Connection, inspect

from pipeline.db.models import metadata


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def apply_comments(connection: Connection) -> int:
    """Write every table, view and column comment the database can hold; returns how many."""
    if connection.dialect.name != "postgresql":
        return 0
    from pipeline.db.views import VIEWS

    quote = connection.dialect.identifier_preparer.quote
    inspector = inspect(connection)
    statements: list[str] = []
    tables = set(inspector.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in tables:
            continue
        present = {c["name"] for c in inspector.get_columns(table.name)}
        if table.comment:
            statements.append(f"COMMENT ON TABLE {quote(table.name)} IS {_literal(table.comment)}")
        statements += [f"COMMENT ON COLUMN {quote(table.name)}.{quote(c.name)} IS {_literal(c.comment)}"
                       for c in table.columns if c.comment and c.name in present]
    views = set(inspector.get_view_names())
    for view in VIEWS.values():
        if view.name not in views:
            continue
        present = {c["name"] for c in inspector.get_columns(view.name)}
        statements.append(f"COMMENT ON VIEW {quote(view.name)} IS {_literal(view.comment)}")
        statements += [f"COMMENT ON COLUMN {quote(view.name)}.{quote(c.name)} IS {_literal(c.comment)}"
                       for c in view.columns if c.name in present]
    cursor = connection.connection.dbapi_connection.cursor()  # no parameters: a % in a text stays as it is
    try:
        for statement in statements:
            cursor.execute(statement)
    finally:
        cursor.close()
    return len(statements)
