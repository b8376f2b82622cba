"""`contracts export`: the database as files for the data team, one per table and view."""
from __future__ import annotations

from pathlib import Path

import typer

from pipeline.db.engine import DEFAULT_URL


def register(app: typer.Typer) -> None:
    app.command("export")(export)


def export(
    db: str = typer.Option(DEFAULT_URL, "--db", help="SQLAlchemy URL of the database to export."),
    format: str = typer.Option("parquet", "--format", help="parquet, csv or xlsx."),
    out: Path = typer.Option(..., "--out", help="Folder to write <table>.<format> files into."),
) -> None:
    """Write every table and view (v_contracts, v_line_items, v_findings, v_open_findings) to OUT.

    CSV files are UTF-8 with a byte-order mark (Excel opens them with the Chinese text intact).
    """
    from pipeline.db.engine import DatabaseUnavailable, open_engine, reachable
    from pipeline.export import FORMATS, ExportError, export_database

    if format not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        engine = open_engine(db)
        if engine.url.get_backend_name() == "sqlite" and not Path(engine.url.database or "").is_file():
            raise ExportError(f"no database file at {engine.url.database}; check --db, or load an "
                              "archive into it with 'contracts run' first")
        with reachable(engine):
            written = export_database(engine, out, format)
    except (DatabaseUnavailable, ExportError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2)
    for _, path, rows in written:
        typer.echo(f"{path}  {rows} rows")
