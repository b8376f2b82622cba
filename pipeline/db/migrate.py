"""Schema migrations: run the Alembic revisions shipped in `pipeline/db/migrations`.

Alembic is driven from here with a configuration built in code, so it works
from any working directory and from an installed package. Upgrades take a lock
(a PostgreSQL advisory lock, or SQLite's write lock) so that two runs starting
at once against an empty database do not both create the tables.

Developers who change `pipeline.db.models` add a revision with
`python -m pipeline.db.migrate revision "what changed" --db sqlite:///scratch.db`
(the scratch database must be at the current head) and review the file it writes.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Optional

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from pipeline.db.engine import WRITE_OPTIONS, DatabaseUnavailable, open_engine

MIGRATIONS = Path(__file__).with_name("migrations")
_MIGRATION_LOCK_KEY = 0x636F6E7472616374  # "contract": one advisory lock for schema changes


def _config(connection: Optional[Connection] = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> Optional[str]:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> Optional[str]:
    """Bring the database up to `revision`; returns the revision it is at afterwards.

    On SQLite, foreign keys are off while the migrations run: a revision in batch
    mode rebuilds a table (copy, drop, rename), and dropping `contracts` with the
    keys on would delete every row that refers to it (ON DELETE CASCADE). The
    keys are checked once the revisions are through.
    """
    with engine.connect().execution_options(**WRITE_OPTIONS) as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # outside any transaction: SQLite ignores the pragma inside one
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
                try:
                    command.upgrade(_config(connection), revision)
                except CommandError as err:  # e.g. a revision this version of the product does not know
                    raise DatabaseUnavailable(
                        f"cannot bring the database schema to {revision!r}: {err}; a database written by a "
                        f"newer version of contracts needs that version") from None
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"the migration left rows without their parent: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
    return current_revision(engine)


def _main() -> None:
    parser = argparse.ArgumentParser(prog="python -m pipeline.db.migrate")
    sub = parser.add_subparsers(dest="action", required=True)
    rev = sub.add_parser("revision", help="autogenerate a revision from the models")
    rev.add_argument("message")
    rev.add_argument("--db", required=True, help="a scratch database at the current head")
    args = parser.parse_args()
    engine = open_engine(args.db)
    with engine.begin() as connection:
        command.revision(_config(connection), message=args.message, autogenerate=True)


if __name__ == "__main__":
    _main()
