"""`contracts review`: local web pages where auditors review the findings stored in a database.

Who may sign in: the users of the database (`contracts users add`); on a
database without users, whoever opens the link with the random token printed
at start. Token sign-in is for this machine only: serving another --host needs
users, or --allow-token-remote.

Exit codes: 0 when stopped with Ctrl-C, 2 when the pages could not start (a
database that is unreachable or holds no loaded archive, a port in use, token
sign-in asked for on a non-local address).
"""
from __future__ import annotations

import secrets
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
    reviewer: Optional[str] = typer.Option(None, "--reviewer", help="The reviewer name decisions are recorded "
                                           "under when signed in with the token (default: token)."),
    allowed_host: list[str] = typer.Option([], "--allowed-host", help="Another name the pages may be reached "
                                           "by (the Host header), e.g. the machine's DNS name; repeatable. "
                                           "Always allowed: the --host value, localhost, 127.0.0.1, ::1."),
    allow_token_remote: bool = typer.Option(False, "--allow-token-remote", help="Allow sign-in with the printed "
                                            "token on a --host other than this machine (anyone who sees the "
                                            "link can review); without it, a non-local --host needs users."),
) -> None:
    """Serve the review pages of the findings in the database until Ctrl-C; reviewers must sign in."""
    import uvicorn

    from pipeline.db.engine import DatabaseUnavailable, display_url, open_engine, reachable
    from pipeline.review.access import LOCAL_HOSTS, is_local
    from pipeline.review.app import create_app
    from pipeline.review.auth import has_users, missing_auth_tables
    from pipeline.review.queries import missing_tables

    try:
        engine = open_engine(db)
        if engine.url.get_backend_name() == "sqlite" and not Path(engine.url.database or "").is_file():
            _fail(f"no database file at {engine.url.database}; check --db, or load an archive into it "
                  "with 'contracts run' first")
        with reachable(engine):
            missing = missing_tables(engine)
            missing_auth = missing_auth_tables(engine)
            if not missing and not missing_auth:
                with engine.connect() as connection:
                    password_only = has_users(connection)
    except DatabaseUnavailable as err:
        _fail(str(err))
    if missing:
        _fail(f"{display_url(db)} has no {', '.join(missing)} table(s); load an archive into it with "
              f"'contracts run ARCHIVE --db {display_url(db)}' first")
    if missing_auth:
        _fail(f"{display_url(db)} has no {', '.join(missing_auth)} table(s) yet; bring its schema up to date "
              f"with 'contracts db upgrade --db {display_url(db)}' first")
    if not password_only and not is_local(host) and not allow_token_remote:
        _fail(f"--host {host} serves other machines, and the database has no users to sign in: add one with "
              f"'contracts users add NAME --db {display_url(db)}', or serve {' / '.join(LOCAL_HOSTS)}, "
              "or pass --allow-token-remote to let anyone with the printed link sign in")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        listening = socket.create_server((host, port), family=family)
    except OSError as err:
        _fail(f"cannot serve on {host}:{port}: {err.strerror or err}; choose another --port or --host")
    bound = listening.getsockname()[1]
    base = f"http://{f'[{host}]' if family == socket.AF_INET6 else host}:{bound}"
    token = None if password_only else secrets.token_urlsafe(24)
    typer.echo(f"Review pages for {display_url(db)} at {base}/ (Ctrl-C to stop)")
    if token is None:
        typer.echo("Sign in with a reviewer's name and password ('contracts users list' shows them).")
    else:
        typer.echo(f"No users in this database: sign in by opening {base}/login?token={token}")
    app = create_app(engine, token=token, reviewer=reviewer, host=host, extra_hosts=tuple(allowed_host))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
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
