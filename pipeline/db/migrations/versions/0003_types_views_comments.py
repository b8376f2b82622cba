"""Typed money and dates, derived columns, four views with `current`, comments.

- Money becomes NUMERIC(18,2), unit prices NUMERIC(18,6), dates DATE (SQLite:
  the tables are rebuilt in batch mode; the values stay as they were stored).
- line_items.service_normalized / service_category and payments.due_date /
  due_period / amount_computed: filled at load (pipeline.db.rows); rows loaded
  before this revision keep them NULL (false) until re-extracted (`run --force`).
- findings.expected_value / found_value: the number of expected / found, filled
  here from the text for existing rows.
- Views v_contracts and v_findings, and `current` on every view (the content a
  run last found at its path; the older version of an edited file is not current).
- COMMENT ON every table, view and column in PostgreSQL (pipeline.db.comments).

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(18, 2)
PRICE = sa.Numeric(18, 6)
NUMBER = sa.Numeric(18, 6)

# (table, column, old type, new type)
RETYPED = [
    ("contracts", "signed_date", sa.Text(), sa.Date()),
    ("contracts", "start_date", sa.Text(), sa.Date()),
    ("contracts", "end_date", sa.Text(), sa.Date()),
    ("contracts", "total_amount", sa.Double(), MONEY),
    ("contracts", "amount_excl_tax", sa.Double(), MONEY),
    ("line_items", "unit_price", sa.Double(), PRICE),
    ("line_items", "amount", sa.Double(), MONEY),
    ("line_items", "normalized_unit_price_month", sa.Double(), PRICE),
    ("subtotals", "amount", sa.Double(), MONEY),
    ("payments", "amount", sa.Double(), MONEY),
    ("penalties", "fixed_amount", sa.Double(), MONEY),
]
def _added() -> dict[str, list[sa.Column]]:
    """The columns this revision adds (new objects on each call: a Column belongs to one table)."""
    return {
    "line_items": [sa.Column("service_normalized", sa.Text(), nullable=True),
                   sa.Column("service_category", sa.String(length=16), nullable=True)],
    "payments": [sa.Column("due_date", sa.Date(), nullable=True),
                 sa.Column("due_period", sa.Text(), nullable=True),
                 sa.Column("amount_computed", sa.Boolean(), server_default=sa.false(), nullable=False)],
    "findings": [sa.Column("expected_value", NUMBER, nullable=True),
                 sa.Column("found_value", NUMBER, nullable=True)],
    }

# The views' SQL, frozen here (a later change is a new revision). Correlated
# subqueries pick one client and one supplier per contract, so a row never repeats.
_PARTY = "(SELECT MIN(p.name) FROM parties p WHERE p.contract_id = c.id AND p.role = '{role}')"
_PARTIES = f"{_PARTY.format(role='client')} AS client, {_PARTY.format(role='supplier')} AS supplier"
# A document is current unless another document at its path was seen later: the
# older version of an edited file (kept until pruned) is not.
_CURRENT = """NOT EXISTS (SELECT 1 FROM documents newer
                   WHERE newer.path = d.path AND newer.id <> d.id
                     AND COALESCE(newer.seen_at, newer.loaded_at) > COALESCE(d.seen_at, d.loaded_at)) AS current"""
_FINDING = """f.id AS finding_id, c.id AS contract_id, c.contract_no, c.title AS contract_title,
               d.path AS document_path, {parties},
               f.check_code, f.severity, f.subject, f.expected, f.found""".format(parties=_PARTIES)
VIEWS = {
    "v_contracts": f"""
        SELECT c.id AS contract_id, d.id AS document_id, d.path AS document_path,
               c.contract_no, c.title, c.project_name, c.signed_date, c.start_date, c.end_date,
               c.term_months, c.total_amount, c.amount_excl_tax, c.tax_rate,
               {_PARTIES},
               {_CURRENT}
        FROM contracts c
        JOIN documents d ON d.id = c.document_id""",
    "v_line_items": f"""
        SELECT li.id AS line_item_id, c.id AS contract_id, c.contract_no, c.title AS contract_title,
               c.signed_date, c.term_months, d.path AS document_path,
               {_PARTIES},
               li.seq, li.section, li.service, li.unit_price, li.quantity, li.billing_unit,
               li.price_basis, li.periods, li.amount,
               li.normalized_quantity, li.normalized_unit, li.normalized_unit_price_month,
               li.service_normalized, li.service_category,
               {_CURRENT}
        FROM line_items li
        JOIN contracts c ON c.id = li.contract_id
        JOIN documents d ON d.id = c.document_id""",
    "v_findings": f"""
        SELECT {_FINDING}, f.expected_value, f.found_value,
               f.review_status, f.reviewer, f.review_note, f.created_at, f.reviewed_at,
               e.page AS evidence_page, e.snippet AS evidence_snippet,
               {_CURRENT}
        FROM findings f
        JOIN contracts c ON c.id = f.contract_id
        JOIN documents d ON d.id = c.document_id
        LEFT JOIN evidence e ON e.contract_id = f.contract_id
             AND e.path = 'findings[' || CAST(f.list_index AS VARCHAR(12)) || '].evidence[0]'""",
    "v_open_findings": f"""
        SELECT {_FINDING}, f.created_at, f.expected_value, f.found_value,
               {_CURRENT}
        FROM findings f
        JOIN contracts c ON c.id = f.contract_id
        JOIN documents d ON d.id = c.document_id
        WHERE f.review_status = 'open'""",
}
OLD_VIEWS = ("v_line_items", "v_open_findings")


def _number(text):
    """The number a finding's expected/found text holds, or None (as pipeline.db.fields.as_decimal)."""
    from decimal import Decimal, InvalidOperation

    if text is None:
        return None
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < Decimal(10) ** 12 else None


class _DateText(sa.Text):
    """Declared DATE, copied as text: what SQLite's DATE columns hold (see `_retype`)."""

    __visit_name__ = "DATE"


def _retype(table: str, changes: list[tuple[str, sa.types.TypeEngine, sa.types.TypeEngine]],
            added: list[sa.Column], postgres: bool) -> None:
    with op.batch_alter_table(table) as batch:
        for column, old, new in changes:
            options = {}
            if postgres and isinstance(new, sa.Date):
                options["postgresql_using"] = f"CAST(NULLIF({column}, '') AS DATE)"
            if postgres and isinstance(old, sa.Date):
                options["postgresql_using"] = f"CAST({column} AS TEXT)"
            if not postgres and isinstance(new, sa.Date):
                # SQLite: the ISO text stays as it is. Batch mode copies a column whose type changes
                # kind with CAST(… AS DATE), which SQLite reads as a number ('2025-01-02' → 2025).
                new = _DateText()
            batch.alter_column(column, existing_type=old, type_=new, **options)
        for column in added:
            batch.add_column(column)


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    for name in OLD_VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    for table in ("contracts", "line_items", "subtotals", "payments", "penalties", "findings"):
        _retype(table, [(c, old, new) for t, c, old, new in RETYPED if t == table], _added().get(table, []), postgres)

    findings = sa.table("findings", sa.column("id", sa.Integer), sa.column("expected", sa.Text),
                        sa.column("found", sa.Text), sa.column("expected_value", NUMBER),
                        sa.column("found_value", NUMBER))
    values = [{"key": row.id, "e": _number(row.expected), "f": _number(row.found)}
              for row in bind.execute(sa.select(findings.c.id, findings.c.expected, findings.c.found))]
    values = [v for v in values if v["e"] is not None or v["f"] is not None]
    if values:
        bind.execute(findings.update().where(findings.c.id == sa.bindparam("key"))
                     .values(expected_value=sa.bindparam("e"), found_value=sa.bindparam("f")), values)

    for name, sql in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")

    from pipeline.db.comments import apply_comments
    apply_comments(bind)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    for table in ("contracts", "line_items", "subtotals", "payments", "penalties", "findings"):
        with op.batch_alter_table(table) as batch:
            for column in _added().get(table, []):
                batch.drop_column(column.name)
        _retype(table, [(c, new, old) for t, c, old, new in RETYPED if t == table], [], postgres)
    for name, sql in _initial_views().items():
        op.execute(f"CREATE VIEW {name} AS {sql}")


def _initial_views() -> dict[str, str]:
    """The views of revision 0001, loaded from its file (revision modules are not importable by name)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).with_name("0001_initial.py")
    spec = importlib.util.spec_from_file_location("_contracts_0001", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.VIEWS
