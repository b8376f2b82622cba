"""Initial schema: documents, the record tables, evidence, and the two views.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# A view's SQL is frozen here; a later change to a view is a new revision that
# drops and recreates it. Correlated subqueries pick one client and one
# supplier per contract, so a line never repeats.
_PARTY = "(SELECT MIN(p.name) FROM parties p WHERE p.contract_id = c.id AND p.role = '{role}')"
VIEWS = {
    "v_line_items": f"""
        SELECT li.id AS line_item_id, c.id AS contract_id, c.contract_no, c.title AS contract_title,
               c.signed_date, c.term_months, d.path AS document_path,
               {_PARTY.format(role="client")} AS client,
               {_PARTY.format(role="supplier")} AS supplier,
               li.seq, li.section, li.service, li.unit_price, li.quantity, li.billing_unit,
               li.price_basis, li.periods, li.amount,
               li.normalized_quantity, li.normalized_unit, li.normalized_unit_price_month
        FROM line_items li
        JOIN contracts c ON c.id = li.contract_id
        JOIN documents d ON d.id = c.document_id""",
    "v_open_findings": f"""
        SELECT f.id AS finding_id, c.id AS contract_id, c.contract_no, c.title AS contract_title,
               d.path AS document_path,
               {_PARTY.format(role="client")} AS client,
               {_PARTY.format(role="supplier")} AS supplier,
               f.check_code, f.severity, f.subject, f.expected, f.found, f.created_at
        FROM findings f
        JOIN contracts c ON c.id = f.contract_id
        JOIN documents d ON d.id = c.document_id
        WHERE f.review_status = 'open'""",
}
TABLES = ("documents", "contracts", "parties", "line_items", "subtotals", "payments", "penalties",
          "service_levels", "findings", "evidence")


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True, comment='content hash; null when the file could not be read'),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False, comment='ok | failed | error'),
    sa.Column('error_code', sa.String(length=64), nullable=True, comment='pipeline.errors code, or the exception class'),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('extractor_version', sa.String(length=32), nullable=True),
    sa.Column('extract_seconds', sa.Double(), nullable=True),
    sa.Column('timings', sa.JSON(), nullable=True, comment='seconds per pipeline stage'),
    sa.Column('warnings', sa.JSON(), nullable=True),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('sha256', name=op.f('uq_documents_sha256'))
    )
    op.create_index(op.f('ix_documents_path'), 'documents', ['path'])
    op.create_index(op.f('ix_documents_status'), 'documents', ['status'])

    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('document_name', sa.Text(), nullable=False),
    sa.Column('contract_no', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('project_name', sa.Text(), nullable=True),
    sa.Column('signed_date', sa.Text(), nullable=True),
    sa.Column('start_date', sa.Text(), nullable=True),
    sa.Column('end_date', sa.Text(), nullable=True),
    sa.Column('term_months', sa.Integer(), nullable=True),
    sa.Column('total_amount', sa.Double(), nullable=True),
    sa.Column('total_amount_in_words', sa.Text(), nullable=True),
    sa.Column('amount_excl_tax', sa.Double(), nullable=True),
    sa.Column('tax_rate', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_contracts_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('document_id', name=op.f('uq_contracts_document_id'))
    )
    op.create_index(op.f('ix_contracts_contract_no'), 'contracts', ['contract_no'])
    op.create_index(op.f('ix_contracts_signed_date'), 'contracts', ['signed_date'])

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False, comment='JSON path of the value in the record'),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('snippet', sa.Text(), nullable=False),
    sa.Column('bbox_x0', sa.Double(), nullable=True),
    sa.Column('bbox_y0', sa.Double(), nullable=True),
    sa.Column('bbox_x1', sa.Double(), nullable=True),
    sa.Column('bbox_y1', sa.Double(), nullable=True),
    sa.Column('confidence', sa.Double(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_evidence_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    op.create_index(op.f('ix_evidence_contract_id'), 'evidence', ['contract_id'])

    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('list_index', sa.Integer(), nullable=False),
    sa.Column('check_code', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('expected', sa.Text(), nullable=True),
    sa.Column('found', sa.Text(), nullable=True),
    sa.Column('severity', sa.String(length=32), nullable=False),
    sa.Column('review_status', sa.String(length=16), server_default='open', nullable=False, comment='open | confirmed | dismissed'),
    sa.Column('reviewer', sa.Text(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_findings_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    op.create_index(op.f('ix_findings_contract_id_list_index'), 'findings', ['contract_id', 'list_index'])
    op.create_index(op.f('ix_findings_review_status_check_code'), 'findings', ['review_status', 'check_code'])

    op.create_table('line_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('list_index', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('service', sa.Text(), nullable=True),
    sa.Column('unit_price', sa.Double(), nullable=True),
    sa.Column('quantity', sa.Double(), nullable=True),
    sa.Column('billing_unit', sa.Text(), nullable=True),
    sa.Column('price_basis', sa.String(length=32), nullable=True),
    sa.Column('periods', sa.Double(), nullable=True),
    sa.Column('amount', sa.Double(), nullable=True),
    sa.Column('normalized_quantity', sa.Double(), nullable=True),
    sa.Column('normalized_unit', sa.Text(), nullable=True),
    sa.Column('normalized_unit_price_month', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_line_items_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_items'))
    )
    op.create_index(op.f('ix_line_items_contract_id_list_index'), 'line_items', ['contract_id', 'list_index'])
    op.create_index(op.f('ix_line_items_normalized_unit'), 'line_items', ['normalized_unit'])

    op.create_table('parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('list_index', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('representative', sa.Text(), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('contact_person', sa.Text(), nullable=True),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('bank_name', sa.Text(), nullable=True),
    sa.Column('bank_account', sa.Text(), nullable=True),
    sa.Column('tax_id', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_parties_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parties'))
    )
    op.create_index(op.f('ix_parties_contract_id_list_index'), 'parties', ['contract_id', 'list_index'])
    op.create_index(op.f('ix_parties_name'), 'parties', ['name'])

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('list_index', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Double(), nullable=True),
    sa.Column('amount', sa.Double(), nullable=True),
    sa.Column('amount_in_words', sa.Text(), nullable=True),
    sa.Column('condition', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_payments_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments'))
    )
    op.create_index(op.f('ix_payments_contract_id_list_index'), 'payments', ['contract_id', 'list_index'])

    op.create_table('penalties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('list_index', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.Text(), nullable=True),
    sa.Column('rate', sa.Double(), nullable=True),
    sa.Column('base', sa.String(length=32), nullable=True),
    sa.Column('per_day', sa.Boolean(), nullable=False),
    sa.Column('cap_rate', sa.Double(), nullable=True),
    sa.Column('fixed_amount', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_penalties_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_penalties'))
    )
    op.create_index(op.f('ix_penalties_contract_id_list_index'), 'penalties', ['contract_id', 'list_index'])

    op.create_table('service_levels',
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('availability', sa.Double(), nullable=True),
    sa.Column('data_reliability', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_service_levels_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contract_id', name=op.f('pk_service_levels'))
    )
    op.create_table('subtotals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('list_index', sa.Integer(), nullable=False),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('amount', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_subtotals_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subtotals'))
    )
    op.create_index(op.f('ix_subtotals_contract_id_list_index'), 'subtotals', ['contract_id', 'list_index'])
    for name, sql in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")


def downgrade() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    for name in reversed(TABLES):
        op.drop_table(name)
