"""`contracts export`: the database as files for the data team, or the findings as an audit working paper."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.db.engine import DEFAULT_URL


def register(app: typer.Typer) -> None:
    app.command("export")(export)


def export(
    db: str = typer.Option(DEFAULT_URL, "--db", help="SQLAlchemy URL of the database to export."),
    format: Optional[str] = typer.Option(
        None, "--format", help="parquet, csv or xlsx (default: parquet; with --findings: xlsx or csv, default xlsx)."),
    out: Path = typer.Option(..., "--out", help="Folder to write <table>.<format> files into; with --findings, "
                                               "the file to write."),
    findings: bool = typer.Option(False, "--findings", help="Write one file of the findings for auditors: contract, "
                                                            "values compared, evidence, review decision and history."),
    status: Optional[str] = typer.Option(None, "--status",
                               help="With --findings: the review statuses to export, comma-separated, among "
                                    "open, confirmed, dismissed (default: the reviewed ones)."),
) -> None:
    """Write every table and view (v_contracts, v_line_items, v_findings, v_open_findings) to OUT,
    or, with --findings, the findings as one audit working paper (Chinese headers).

    CSV files are UTF-8 with a byte-order mark (Excel opens them with the Chinese text intact).
    """
    from pipeline.db.engine import DatabaseUnavailable, open_engine, reachable
    from pipeline.export import FINDINGS_FORMATS, FORMATS, REVIEWED, ExportError, export_database, export_findings

    chosen = format or ("xlsx" if findings else "parquet")
    allowed = FINDINGS_FORMATS if findings else FORMATS
    if chosen not in allowed:
        raise typer.BadParameter(f"choose one of {', '.join(allowed)}", param_hint="--format")
    statuses = REVIEWED if status is None else [s.strip() for s in status.split(",") if s.strip()]
    try:
        engine = open_engine(db)
        if engine.url.get_backend_name() == "sqlite" and not Path(engine.url.database or "").is_file():
            raise ExportError(f"no database file at {engine.url.database}; check --db, or load an "
                              "archive into it with 'contracts run' first")
        with reachable(engine):
            if findings:
                with engine.connect() as connection:
                    rows = export_findings(connection, chosen, out, statuses)
                written = [(out, rows)]
            else:
                written = [(path, rows) for _, path, rows in export_database(engine, out, chosen)]
    except (DatabaseUnavailable, ExportError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2)
    for path, rows in written:
        typer.echo(f"{path}  {rows} rows")
