"""The data dictionary: every table, view and column described, the doc up to date, the same text
as COMMENT ON in PostgreSQL."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from pipeline.db.dictionary import CODES, render
from pipeline.db.engine import open_engine
from pipeline.db.migrate import upgrade
from pipeline.db.models import VIEW_NAMES, metadata
from pipeline.db.views import VIEWS

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "data-dictionary.md"


def test_every_table_and_column_has_a_description():
    missing = [t.name for t in metadata.sorted_tables if not (t.comment or "").strip()]
    missing += [f"{t.name}.{c.name}" for t in metadata.sorted_tables for c in t.columns
                if not (c.comment or "").strip()]
    assert missing == [], "describe these (a record field: Field(description=...) in schemas/record.py)"


def test_every_view_column_is_described(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'views.db'}")
    upgrade(engine)
    with engine.connect() as connection:
        inspector = inspect(connection)
        assert set(inspector.get_view_names()) == set(VIEW_NAMES) == set(VIEWS)
        for name, view in VIEWS.items():
            assert view.comment.strip()
            in_database = [c["name"] for c in inspector.get_columns(name)]
            assert in_database == [c.name for c in view.columns], f"describe {name}'s columns in pipeline/db/views.py"
            assert all(c.comment.strip() for c in view.columns)
    engine.dispose()


def test_every_code_is_explained_where_its_column_is_described():
    for column, codes in CODES.items():
        table, name = column.split(".")
        comment = metadata.tables[table].c[name].comment
        assert all(code in comment for code in codes), (column, [c for c in codes if c not in comment])


def test_the_document_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == render(), \
        "docs/data-dictionary.md is stale: run .venv/bin/python scripts/data_dictionary.py"
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "data_dictionary.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


@pytest.mark.postgres
def test_postgresql_holds_the_same_text_as_comments(pg_url):
    engine = open_engine(pg_url)
    upgrade(engine)
    with engine.connect() as connection:
        def comment_of(relation: str, column: str | None = None) -> str | None:
            if column is None:
                return connection.execute(text("SELECT obj_description(CAST(:r AS regclass), 'pg_class')"),
                                          {"r": relation}).scalar()
            return connection.execute(text(
                "SELECT col_description(CAST(:r AS regclass), a.attnum) FROM pg_attribute a "
                "WHERE a.attrelid = CAST(:r AS regclass) AND a.attname = :c"), {"r": relation, "c": column}).scalar()

        for table in metadata.sorted_tables:
            assert comment_of(table.name) == table.comment
            for column in table.columns:
                assert comment_of(table.name, column.name) == column.comment, f"{table.name}.{column.name}"
        for view in VIEWS.values():
            assert comment_of(view.name) == view.comment
            for column in view.columns:
                assert comment_of(view.name, column.name) == column.comment, f"{view.name}.{column.name}"
    engine.dispose()
