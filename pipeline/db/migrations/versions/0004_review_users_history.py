"""Reviewers and the decision history: users, review_decisions, findings.finding_key.

- users: who may sign in to the review pages (`contracts users add`).
- review_decisions: every decision saved, not only the last; existing reviewed
  findings get one decision row each, from open to their status.
- findings.finding_key: a stable id (pipeline.db.keys), filled here for the
  findings already loaded.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.current_timestamp(),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("finding_key", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("reviewer", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), server_default=sa.func.current_timestamp(),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_decisions"),
    )
    op.create_index("ix_review_decisions_finding_key_decided_at", "review_decisions",
                    ["finding_key", "decided_at"])
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("finding_key", sa.String(length=16), nullable=True))
        batch.create_index("ix_findings_finding_key", ["finding_key"])
    _fill_keys(bind)

    from pipeline.db.comments import apply_comments
    apply_comments(bind)


def _fill_keys(bind: sa.Connection) -> None:
    """finding_key for the findings already loaded, and a decision row for each one reviewed."""
    from datetime import datetime, timezone

    from pipeline.db.keys import finding_keys

    rows = bind.execute(sa.text(
        "SELECT f.id, f.contract_id, f.check_code, f.subject, f.review_status, f.reviewer, f.review_note, "
        "f.reviewed_at, d.sha256 FROM findings f JOIN contracts c ON c.id = f.contract_id "
        "JOIN documents d ON d.id = c.document_id ORDER BY f.contract_id, f.list_index")).all()
    by_contract: dict[int, list] = {}
    for row in rows:
        by_contract.setdefault(row.contract_id, []).append(row)
    updates, decisions = [], []
    for found in by_contract.values():
        keys = finding_keys(found[0].sha256 or "", [(r.check_code, r.subject) for r in found])
        for row, key in zip(found, keys):
            updates.append({"row_id": row.id, "key": key})
            if row.review_status != "open":
                decisions.append({"key": key, "to": row.review_status, "who": row.reviewer,
                                  "note": row.review_note,
                                  "at": row.reviewed_at or datetime.now(timezone.utc)})
    if updates:
        bind.execute(sa.text("UPDATE findings SET finding_key = :key WHERE id = :row_id"), updates)
    if decisions:
        bind.execute(sa.text(
            "INSERT INTO review_decisions (finding_key, from_status, to_status, reviewer, note, decided_at) "
            "VALUES (:key, 'open', :to, :who, :note, :at)"), decisions)


def downgrade() -> None:
    op.drop_index("ix_findings_finding_key", table_name="findings")
    # in place (SQLite 3.35+ drops a column): a batch copy of the table breaks the views that read it
    op.drop_column("findings", "finding_key")
    op.drop_index("ix_review_decisions_finding_key_decided_at", table_name="review_decisions")
    op.drop_table("review_decisions")
    op.drop_table("users")
