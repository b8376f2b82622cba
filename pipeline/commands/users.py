"""`contracts users`: the reviewers who may sign in to the review pages (add, list, remove).

Exit codes: 0 done, 1 the user cannot be added or removed as asked (exists,
unknown, bad password), 2 the database cannot be used (unreachable, no file, no
users table yet).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer

from pipeline.db.engine import DEFAULT_URL

users_app = typer.Typer(help="Manage the reviewers who may sign in to the review pages.", no_args_is_help=True)
DB_OPTION = typer.Option(DEFAULT_URL, "--db", help="SQLAlchemy URL of the database.")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="The name the reviewer signs in with (recorded with each decision)."),
    db: str = DB_OPTION,
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from the first line of standard input "
                                             "instead of prompting for it twice."),
) -> None:
    """Add a reviewer with a password; the review pages then require signing in."""
    from pipeline.review.auth import UserError, add_user, password_problem

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password)
    if problem:
        _fail(f"{problem}; choose a longer one", code=1)
    engine = _engine(db)
    try:
        with engine.begin() as connection:
            add_user(connection, name, password)
    except UserError as err:
        _fail(str(err), code=1)
    finally:
        engine.dispose()
    typer.echo(f"added user {name.strip()}")


@users_app.command("list")
def list_(db: str = DB_OPTION) -> None:
    """List the reviewers, with when each was added."""
    from pipeline.review.auth import list_users
    from pipeline.review.formatting import show_time

    engine = _engine(db)
    with engine.connect() as connection:
        found = list_users(connection)
    engine.dispose()
    if not found:
        typer.echo("no users: 'contracts review' signs in with a one-time token printed at start; "
                   "add one with 'contracts users add NAME'")
    for user in found:
        typer.echo(f"{user.name}\tadded {show_time(user.created_at)}")


@users_app.command("remove")
def remove(
    name: str = typer.Argument(..., help="The reviewer to remove (their past decisions keep their name)."),
    db: str = DB_OPTION,
) -> None:
    """Remove a reviewer: they can no longer sign in."""
    from pipeline.review.auth import UserError, remove_user

    engine = _engine(db)
    try:
        with engine.begin() as connection:
            remove_user(connection, name)
    except UserError as err:
        _fail(str(err), code=1)
    finally:
        engine.dispose()
    typer.echo(f"removed user {name}")


def _engine(db: str):
    """The database, checked to be reachable and to have the users table."""
    from pipeline.db.engine import DatabaseUnavailable, display_url, open_engine, reachable
    from pipeline.review.auth import missing_auth_tables

    try:
        engine = open_engine(db)
        if engine.url.get_backend_name() == "sqlite" and not Path(engine.url.database or "").is_file():
            _fail(f"no database file at {engine.url.database}; check --db, or create it with "
                  f"'contracts db upgrade --db {display_url(db)}' (or load an archive with 'contracts run')")
        with reachable(engine):
            missing = missing_auth_tables(engine)
    except DatabaseUnavailable as err:
        _fail(str(err))
    if missing:
        engine.dispose()
        _fail(f"{display_url(db)} has no {', '.join(missing)} table(s) yet; bring its schema up to date with "
              f"'contracts db upgrade --db {display_url(db)}' first")
    return engine


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
