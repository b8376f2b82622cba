"""`contracts db`: manage the database schema (Alembic migrations shipped in the package)."""
from __future__ import annotations

import typer

from pipeline.db.engine import DEFAULT_URL

db_app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(
    db: str = typer.Option(DEFAULT_URL, "--db", help="SQLAlchemy URL of the database."),
    revision: str = typer.Option("head", "--revision", help="Target revision (default: the latest)."),
) -> None:
    """Create the tables and views, or bring them up to date; safe to run any time."""
    from pipeline.db.engine import DatabaseUnavailable, display_url, open_engine, reachable
    from pipeline.db.migrate import upgrade as run_upgrade

    try:
        engine = open_engine(db)
        with reachable(engine):
            at = run_upgrade(engine, revision)
    except DatabaseUnavailable as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2)
    typer.echo(f"{display_url(db)}: schema at revision {at}")
