"""documents.seen_at: when a run last found the document's content in the archive.

A run compares it with its own start to tell which recorded documents are no
longer in the archive (changed or removed files), to report or prune them.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column(
        "seen_at", sa.DateTime(timezone=True), nullable=True,
        comment="when a run last found this content in the archive, at this path"))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("seen_at")
