"""Open a database from a `--db` URL, with settings that make per-document loading safe and fast.

SQLite gets write-ahead logging (a killed run leaves the file consistent and
commits need no fsync of the whole journal), foreign keys, a busy timeout and
real transactions around DDL too (pysqlite otherwise runs DDL outside them);
writers open theirs with BEGIN IMMEDIATE (`WRITE_OPTIONS`).

One archive run at a time loads into a SQLite file: `exclusive_run` holds a
lock on a file beside it (DATABASE.run-lock) for the run, and a second run
is refused at once with a message naming the first, rather than racing it for
the same documents. The operating system drops the lock when the run ends,
however it ends. PostgreSQL runs need no such lock: they share the work
through advisory locks (`pipeline.db.load`).
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

DEFAULT_URL = "sqlite:///contracts.db"
#: Execution option: the statement that opens a SQLite transaction. Writers pass
#: "BEGIN IMMEDIATE" so that two writers queue on the busy timeout instead of
#: failing when a read lock cannot be upgraded.
SQLITE_BEGIN = "sqlite_begin"
WRITE_OPTIONS = {SQLITE_BEGIN: "BEGIN IMMEDIATE"}
URL_HELP = "use e.g. sqlite:///contracts.db or postgresql+psycopg://user@host:5432/dbname"


class DatabaseUnavailable(Exception):
    """A --db URL that is unusable or a database that cannot be reached; the message says what to do."""


def display_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def open_engine(url: str) -> Engine:
    """An engine for `url`; raises `DatabaseUnavailable` with a hint when it is unusable."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(f"--db {url!r} is not a database URL; {URL_HELP}") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(url)
        return create_engine(url, pool_pre_ping=True)
    except NoSuchModuleError:
        raise DatabaseUnavailable(
            f"--db {display_url(url)}: no driver for {parsed.drivername!r}; {URL_HELP}") from None


@contextmanager
def reachable(engine: Engine) -> Iterator[None]:
    """Turn a failure to connect inside the block into `DatabaseUnavailable`."""
    try:
        yield
    except OperationalError as err:
        reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailable(f"cannot open the database {where}: {reason}; "
                                  "check that the server is running and the database exists") from None


@contextmanager
def exclusive_run(engine: Engine) -> Iterator[None]:
    """Hold the run lock of a SQLite file for the block; `DatabaseUnavailable` if another run holds it."""
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if database in (None, "", ":memory:"):
        yield
        return
    lock_path = os.path.abspath(database) + ".run-lock"
    with open(lock_path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise DatabaseUnavailable(
                f"another contracts run ({holder}) is loading into {database}; wait for it to finish and "
                "run this again (it continues where that one stopped), or load into PostgreSQL, where "
                "runs share the work") from None
        lock.truncate(0)
        lock.write(f"pid {os.getpid()}")
        lock.flush()
        yield


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA wal_autocheckpoint=16384")  # 64 MB: fewer, larger checkpoints
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-16384")  # 16 MB of pages, for the indexes' random inserts
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get(SQLITE_BEGIN, "BEGIN"))

    return engine
