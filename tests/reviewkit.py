"""Test kit for the review pages: a loaded database, a signed-in client, a served app, small SQL reads.

The archive is five generated contracts with injected errors (text files: loads
in seconds); `load` runs the real `contracts run` in this process. Fixtures are
imported by the review test modules (pytest picks up imported fixtures).
"""
from __future__ import annotations

import re
import sqlite3
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator, Optional

import pytest
import uvicorn
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.db.engine import open_engine
from pipeline.review.app import create_app
from pipeline.synth.generate import write_batch

TOKEN = "test-sign-in-token"
LOCAL = "http://127.0.0.1"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def load(archive: Path, url: str, *options: str) -> None:
    """`contracts run` with the real extractor (in this process, to save a start-up)."""
    result = CliRunner().invoke(app, ["run", str(archive), "--db", url, "--workers", "1", *options])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Five generated contracts with injected errors: findings of several checks, each citing its evidence."""
    folder = tmp_path_factory.mktemp("review") / "archive"
    write_batch(folder, 5, seed=11, error_rate=0.5)
    return folder


@pytest.fixture(scope="module")
def loaded(archive) -> Path:
    db = archive.parent / "loaded.db"
    load(archive, f"sqlite:///{db}")
    return db


@pytest.fixture
def db(loaded, tmp_path) -> Path:
    """A copy of the loaded database, for one test to change."""
    return copy_db(loaded, tmp_path / "review.db")


def copy_db(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)
    return target


def client(url: str, token: Optional[str] = TOKEN, sign_in: bool = True, **options) -> TestClient:
    """A client of the pages over `url` (served as 127.0.0.1), signed in with the token unless told not to."""
    pages = TestClient(create_app(open_engine(url), token=token, **options), base_url=LOCAL)
    if sign_in:
        assert pages.get(f"/login?token={token}", follow_redirects=False).status_code == 303
    return pages


def csrf_of(html: str) -> str:
    return _CSRF.search(html)[1]


@contextmanager
def serving(url: str, **options) -> Iterator[str]:
    """The review pages on a free local port, in a thread of this process; yields the base URL."""
    engine = open_engine(url)
    server = uvicorn.Server(uvicorn.Config(create_app(engine, **options), host="127.0.0.1", port=0,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the review server did not start"
        time.sleep(0.01)
    try:
        yield f"{LOCAL}:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        engine.dispose()


def query(db: Path, sql: str, *args) -> list[tuple]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql, args).fetchall()


def review_of(db: Path, key: str) -> tuple:
    return query(db, "SELECT review_status, reviewer, review_note, reviewed_at FROM findings "
                     "WHERE finding_key = ?", key)[0]


def finding_of(db: Path, check: str) -> tuple[str, int, str]:
    """(key, contract id, found) of the first finding of `check`."""
    return query(db, "SELECT finding_key, contract_id, found FROM findings WHERE check_code = ? ORDER BY id",
                 check)[0]


def contract_key_of(db: Path, contract_id: int) -> str:
    return query(db, "SELECT substr(d.sha256, 1, 16) FROM contracts c JOIN documents d ON d.id = c.document_id "
                     "WHERE c.id = ?", contract_id)[0][0]
