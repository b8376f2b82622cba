"""`contracts review`: starts on a loaded database, stops on Ctrl-C, refuses clearly what it cannot serve."""
from __future__ import annotations

import signal
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import httpx
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.db.engine import open_engine
from pipeline.db.migrate import upgrade

CONTRACTS = Path(sys.executable).with_name("contracts")


def review(*args: str):
    return CliRunner().invoke(app, ["review", *args])


def test_serves_until_ctrl_c(tmp_path):
    db = tmp_path / "c.db"
    upgrade(open_engine(f"sqlite:///{db}"))  # the schema, no archive loaded yet
    server = subprocess.Popen([str(CONTRACTS), "review", "--db", f"sqlite:///{db}", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert line.startswith(f"Review pages for sqlite:///{db} at http://127.0.0.1:"), line
        url = line.split(" at ")[1].split()[0]
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200 and "There are no findings in this database." in page.text
        assert 'charset="utf-8"' in page.text
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=10)
    finally:
        server.kill()
    assert server.returncode == 0, err
    assert "stopped" in out


def test_a_missing_database_file_is_an_error_and_is_not_created(tmp_path):
    result = review("--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert result.exit_code == 2
    assert "error: no database file at" in result.output and "contracts run" in result.output
    assert not (tmp_path / "none.db").exists()


def test_a_database_without_the_tables_is_an_error(tmp_path):
    db = tmp_path / "empty.db"
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")  # a SQLite file, but not ours
    result = review("--db", f"sqlite:///{db}")
    assert result.exit_code == 2
    assert "has no documents, contracts, parties, line_items, findings, evidence table(s)" in result.output


def test_an_unreachable_server_is_an_error():
    result = review("--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    assert result.exit_code == 2
    assert "error: cannot open the database" in result.output and "secret" not in result.output


def test_a_port_in_use_is_an_error(tmp_path):
    db = tmp_path / "c.db"
    upgrade(open_engine(f"sqlite:///{db}"))
    with socket.create_server(("127.0.0.1", 0)) as taken:
        result = review("--db", f"sqlite:///{db}", "--port", str(taken.getsockname()[1]))
    assert result.exit_code == 2
    assert "error: cannot serve on 127.0.0.1:" in result.output and "choose another --port" in result.output
