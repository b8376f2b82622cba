"""`contracts review`: local web pages where auditors review the findings stored in a database.

Exit codes: 0 when stopped with Ctrl-C, 2 when the pages could not start (a
database that is unreachable or holds no loaded archive, a port in use).
"""
from __future__ import annotations

import socket
from pathlib import Path
from typing import NoReturn, Optional

import typer

from pipeline.db.engine import DEFAULT_URL

DEFAULT_PORT = 8765


def register(app: typer.Typer) -> None:
    app.command("review")(review)


def review(
    db: str = typer.Option(DEFAULT_URL, "--db", help="SQLAlchemy URL of the database, e.g. "
                           "sqlite:///contracts.db or postgresql+psycopg://user@host/dbname."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to serve on (the default: this machine only)."),
    port: int = typer.Option(DEFAULT_PORT, "--port", min=0, max=65535, help="Port to serve on (0: any free one)."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", help="Your name, pre-filled in the review forms."),
) -> None:
    """Serve the review pages of the findings in the database until Ctrl-C."""
    import uvicorn

    from pipeline.db.engine import DatabaseUnavailable, display_url, open_engine, reachable
    from pipeline.review.app import create_app
    from pipeline.review.queries import missing_tables

    try:
        engine = open_engine(db)
        if engine.url.get_backend_name() == "sqlite" and not Path(engine.url.database or "").is_file():
            _fail(f"no database file at {engine.url.database}; check --db, or load an archive into it "
                  "with 'contracts run' first")
        with reachable(engine):
            missing = missing_tables(engine)
    except DatabaseUnavailable as err:
        _fail(str(err))
    if missing:
        _fail(f"{display_url(db)} has no {', '.join(missing)} table(s); load an archive into it with "
              f"'contracts run ARCHIVE --db {display_url(db)}' first")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        listening = socket.create_server((host, port), family=family)
    except OSError as err:
        _fail(f"cannot serve on {host}:{port}: {err.strerror or err}; choose another --port or --host")
    bound = listening.getsockname()[1]
    typer.echo(f"Review pages for {display_url(db)} at http://{f'[{host}]' if family == socket.AF_INET6 else host}"
               f":{bound}/ (Ctrl-C to stop)")
    server = uvicorn.Server(uvicorn.Config(create_app(engine, reviewer), log_level="warning"))
    try:
        server.run(sockets=[listening])
    except KeyboardInterrupt:  # uvicorn stops gracefully, then hands the Ctrl-C on
        pass
    finally:
        engine.dispose()
    typer.echo("stopped")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)
