"""`contracts review`: starts on a loaded database, stops on Ctrl-C, refuses clearly what it cannot serve.

Without users it prints a sign-in link with a token, and serves this machine
only unless told; with users it asks for their passwords.
"""
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
from pipeline.review.auth import add_user

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
        sign_in = server.stdout.readline()
        assert sign_in.startswith(f"No users in this database: sign in by opening {url}login?token="), sign_in
        with httpx.Client(timeout=10, follow_redirects=True) as browser:
            assert "登录审核页面" in browser.get(url).text  # sent to sign in
            page = browser.get(sign_in.split()[-1])
        assert page.status_code == 200 and "本数据库中没有核对发现。" in page.text
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


def test_a_database_with_users_asks_for_their_passwords(tmp_path):
    db = tmp_path / "c.db"
    engine = open_engine(f"sqlite:///{db}")
    upgrade(engine)
    with engine.begin() as connection:
        add_user(connection, "审核员甲", "long enough")
    engine.dispose()
    server = subprocess.Popen([str(CONTRACTS), "review", "--db", f"sqlite:///{db}", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().split(" at ")[1].split()[0]
        assert server.stdout.readline().startswith("Sign in with a reviewer's name and password")
        with httpx.Client(timeout=10) as browser:
            assert browser.get(f"{url}login?token=anything").status_code == 403  # no token on this server
        server.send_signal(signal.SIGINT)
        out, _ = server.communicate(timeout=10)
    finally:
        server.kill()
    assert "token=" not in out


def test_a_non_local_host_without_users_is_refused(tmp_path):
    db = tmp_path / "c.db"
    upgrade(open_engine(f"sqlite:///{db}"))
    result = review("--db", f"sqlite:///{db}", "--host", "0.0.0.0", "--port", "0")
    assert result.exit_code == 2
    assert "has no users" in result.output and "contracts users add NAME" in result.output
    assert "--allow-token-remote" in result.output


def test_a_database_before_the_users_table_is_told_to_upgrade(tmp_path):
    db = tmp_path / "old.db"
    upgrade(open_engine(f"sqlite:///{db}"), "0003")
    result = review("--db", f"sqlite:///{db}")
    assert result.exit_code == 2
    assert "has no users, review_decisions table(s) yet" in result.output and "contracts db upgrade" in result.output
