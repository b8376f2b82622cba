"""Alembic environment: runs the package's migrations on the connection `pipeline.db.migrate` hands over.

Never reads alembic.ini or the working directory; `contracts db upgrade` is the
entry point. Developers who change the models generate a new revision with
`python -m pipeline.db.migrate revision "message" --db sqlite:///scratch.db`.
"""
from __future__ import annotations

from alembic import context

from pipeline.db.models import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
