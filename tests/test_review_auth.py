"""Reviewers: `contracts users add/list/remove`, salted password hashes, signing in with a password."""
from __future__ import annotations

import re

from reviewkit import archive, client, csrf_of, db, finding_of, loaded, query  # noqa: F401  (fixtures)
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.db.engine import open_engine
from pipeline.db.migrate import upgrade
from pipeline.review.auth import hash_password, password_matches


def users(*args: str, input: str | None = None):
    return CliRunner().invoke(app, ["users", *args], input=input)


def sign_in(pages, name: str, password: str, next_page: str = "/"):
    form = pages.get("/login").text
    return pages.post("/login", follow_redirects=False,
                      data={"name": name, "password": password, "next": next_page, "csrf": csrf_of(form)})


def test_a_password_is_stored_salted_and_checked():
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$16384$8$1$") and "correct horse" not in stored
    assert stored != hash_password("correct horse")  # a new salt each time
    assert password_matches("correct horse", stored)
    assert not password_matches("correct horsE", stored)
    assert not password_matches("correct horse", "md5$x") and not password_matches("x", "garbage")


def test_users_are_added_listed_and_removed(db):
    url = f"sqlite:///{db}"
    added = users("add", "张审计", "--db", url, "--password-stdin", input="correct horse\n")
    assert added.exit_code == 0 and "added user 张审计" in added.output
    prompted = users("add", "李审计", "--db", url, input="battery staple\nbattery staple\n")
    assert prompted.exit_code == 0, prompted.output
    stored = dict(query(db, "SELECT name, password_hash FROM users"))
    assert set(stored) == {"张审计", "李审计"}
    assert password_matches("correct horse", stored["张审计"]) and password_matches("battery staple", stored["李审计"])
    listed = users("list", "--db", url)
    assert listed.exit_code == 0 and "张审计\tadded " in listed.output and "李审计\tadded " in listed.output

    again = users("add", "张审计", "--db", url, "--password-stdin", input="other password\n")
    assert again.exit_code == 1 and "already a user '张审计'" in again.output
    removed = users("remove", "张审计", "--db", url)
    assert removed.exit_code == 0 and [n for n, _ in query(db, "SELECT name, 1 FROM users")] == ["李审计"]
    unknown = users("remove", "张审计", "--db", url)
    assert unknown.exit_code == 1 and "no user '张审计'" in unknown.output


def test_bad_passwords_and_databases_are_refused_clearly(db, tmp_path):
    url = f"sqlite:///{db}"
    short = users("add", "王", "--db", url, "--password-stdin", input="short\n")
    assert short.exit_code == 1 and "at least 8 characters" in short.output
    mismatch = users("add", "王", "--db", url, input="long enough 1\nlong enough 2\n")
    assert mismatch.exit_code != 0 and query(db, "SELECT count(*) FROM users")[0][0] == 0
    missing = users("list", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert missing.exit_code == 2 and "no database file" in missing.output
    assert not (tmp_path / "none.db").exists()
    old = tmp_path / "old.db"
    upgrade(open_engine(f"sqlite:///{old}"), "0003")
    before = users("add", "王", "--db", f"sqlite:///{old}", "--password-stdin", input="long enough\n")
    assert before.exit_code == 2 and "contracts db upgrade" in before.output


def test_signing_in_with_a_password(db):
    url = f"sqlite:///{db}"
    assert users("add", "张审计", "--db", url, "--password-stdin", input="correct horse\n").exit_code == 0
    key = finding_of(db, "line_amount")[0]
    pages = client(url, token=None, sign_in=False)
    wrong = sign_in(pages, "张审计", "wrong horse")
    assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
    assert sign_in(pages, "nobody", "correct horse").status_code == 401
    assert pages.get("/", follow_redirects=False).status_code == 303
    no_csrf = pages.post("/login", data={"name": "张审计", "password": "correct horse"})
    assert no_csrf.status_code == 403

    right = sign_in(pages, "张审计", "correct horse", f"/findings/{key}")
    assert right.status_code == 303 and right.headers["location"] == f"/findings/{key}"
    page = pages.get(f"/findings/{key}")
    assert "审核人：张审计" in page.text
    seen = re.search(r'name="seen" value="([^"]*)"', page.text)[1]
    saved = pages.post(f"/findings/{key}", follow_redirects=False,
                       data={"review_status": "confirmed", "seen": seen, "csrf": csrf_of(page.text)})
    assert saved.status_code == 303
    assert query(db, "SELECT reviewer FROM review_decisions")[0][0] == "张审计"  # the signed-in user decides

    assert users("remove", "张审计", "--db", url).exit_code == 0
    assert pages.get("/", follow_redirects=False).status_code == 303  # a removed user is signed out
