"""Review pages over HTTP: the real pipeline loads generated contracts, the pages serve them.

Sign-in guards every route, forms need the session's CSRF token, a foreign Host
is refused; decisions are kept with their history; addresses are stable keys
that survive `run --force`; search ignores full/half width; the pages speak
Chinese. Against PostgreSQL the same handlers answer a served client. The
Chromium tests are in test_review_browser.py.
"""
from __future__ import annotations

import re
import sqlite3
from contextlib import closing

import httpx
import pytest
from reviewkit import (  # noqa: F401  (fixtures)
    TOKEN, archive, client, contract_key_of, csrf_of, db, finding_of, load, loaded, query,
    review_of, serving,
)
from sqlalchemy import select

from pipeline.db.engine import open_engine
from pipeline.db.models import FINDINGS, contracts
from pipeline.review.auth import add_user

FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def save(pages, key: str, status: str, note: str = "", **params) -> httpx.Response:
    """Post a decision from the finding page, as its form does."""
    form = pages.get(f"/findings/{key}", params=params)
    seen = re.search(r'name="seen" value="([^"]*)"', form.text)[1]
    return pages.post(f"/findings/{key}", params=params, follow_redirects=False,
                      data={"review_status": status, "review_note": note, "seen": seen, "csrf": csrf_of(form.text)})


def test_no_route_answers_without_a_session(db):
    key, contract_id, _ = finding_of(db, "line_amount")
    anonymous = client(f"sqlite:///{db}", sign_in=False)
    pages = ["/", f"/findings/{key}", f"/findings/{key}/page/1.png", f"/contracts/{contract_key_of(db, contract_id)}",
             "/export/findings.csv", "/export/findings.xlsx", "/findings/1", "/contracts/1", "/nowhere"]
    for path in pages:
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path
    with open_engine(f"sqlite:///{db}").begin() as connection:
        add_user(connection, "张审计", "correct horse")  # so that the sign-in page shows its form
    csrf = csrf_of(anonymous.get("/login").text)  # a session that is not signed in has a token too
    for path in (f"/findings/{key}", "/logout", f"/findings/{key}/page/1.png"):
        response = anonymous.post(path, data={"review_status": "confirmed", "csrf": csrf})
        assert response.status_code == 403, path
    assert review_of(db, key)[0] == "open"
    assert anonymous.get("/static/review.css").status_code == 200  # the sign-in page's stylesheet


def test_the_token_signs_in_and_a_wrong_one_does_not(db):
    anonymous = client(f"sqlite:///{db}", sign_in=False)
    refused = anonymous.get("/login?token=guessed", follow_redirects=False)
    assert refused.status_code == 403 and "登录链接无效" in refused.text
    assert anonymous.get("/", follow_redirects=False).status_code == 303
    no_token = client(f"sqlite:///{db}", token=None, sign_in=False)  # a server with users has no token
    assert no_token.get("/login?token=", follow_redirects=False).status_code == 403
    signed = anonymous.get(f"/login?token={TOKEN}&next=/contracts/1", follow_redirects=False)
    assert signed.status_code == 303 and signed.headers["location"] == "/contracts/1"
    assert anonymous.get("/").status_code == 200
    away = anonymous.get(f"/login?token={TOKEN}&next=//elsewhere.example/", follow_redirects=False)
    assert away.headers["location"] == "/"  # never sent to another site


def test_the_session_cookie_is_http_only_and_same_site(db):
    cookie = client(f"sqlite:///{db}", sign_in=False).get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_a_post_without_the_session_csrf_token_is_refused(db):
    key = finding_of(db, "line_amount")[0]
    pages = client(f"sqlite:///{db}")
    other = client(f"sqlite:///{db}")
    others_token = csrf_of(other.get(f"/findings/{key}").text)
    for csrf in (None, "", "wrong", others_token):
        data = {"review_status": "confirmed"} | ({"csrf": csrf} if csrf is not None else {})
        response = pages.post(f"/findings/{key}", data=data)
        assert response.status_code == 403 and "校验码" in response.text, csrf
    foreign = pages.post(f"/findings/{key}", headers={"Origin": "http://elsewhere.example"},
                         data={"review_status": "confirmed", "csrf": csrf_of(pages.get("/").text)})
    assert foreign.status_code == 403
    assert review_of(db, key)[0] == "open"
    assert pages.post("/logout", data={}).status_code == 403  # logging out needs the token too
    assert save(pages, key, "confirmed").status_code == 303


def test_a_foreign_host_header_is_refused(db):
    url = f"sqlite:///{db}"
    pages = client(url)
    assert pages.get("/", headers={"Host": "rebound.example"}).status_code == 400
    assert pages.get("/", headers={"Host": "localhost:8765"}).status_code == 200
    assert pages.get("/", headers={"Host": "[::1]:8765"}).status_code == 200
    named = client(url, sign_in=False, host="0.0.0.0", extra_hosts=("review.example",))
    assert named.get("/login", headers={"Host": "review.example"}).status_code == 200
    assert named.get("/login", headers={"Host": "rebound.example"}).status_code == 400


def test_logout_ends_the_session(db):
    pages = client(f"sqlite:///{db}")
    out = pages.post("/logout", data={"csrf": csrf_of(pages.get("/").text)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert pages.get("/", follow_redirects=False).status_code == 303


def test_every_decision_is_kept_in_the_history_and_shown_newest_first(db):
    key = finding_of(db, "line_amount")[0]
    pages = client(f"sqlite:///{db}", reviewer="张审计")
    assert save(pages, key, "confirmed", "金额不符").status_code == 303
    assert save(pages, key, "dismissed", "供应商已更正").status_code == 303
    rows = query(db, "SELECT from_status, to_status, reviewer, note FROM review_decisions WHERE finding_key = ? "
                     "ORDER BY id", key)
    assert rows == [("open", "confirmed", "张审计", "金额不符"), ("confirmed", "dismissed", "张审计", "供应商已更正")]
    assert review_of(db, key)[:3] == ("dismissed", "张审计", "供应商已更正")
    history = re.search(r'<section class="history">.*?</section>', pages.get(f"/findings/{key}").text, re.S)[0]
    assert "最新的在前" in history
    assert history.index("供应商已更正") < history.index("金额不符")
    assert "已确认</span> → <span class=\"status dismissed\">已排除" in history


def test_a_refused_save_writes_no_history(db):
    key = finding_of(db, "line_amount")[0]
    pages = client(f"sqlite:///{db}")
    form = pages.get(f"/findings/{key}").text
    response = pages.post(f"/findings/{key}", data={"review_status": "maybe", "csrf": csrf_of(form)})
    assert response.status_code == 422 and "请选择审核结论" in response.text
    assert query(db, "SELECT count(*) FROM review_decisions")[0][0] == 0


def test_addresses_are_keys_and_the_old_numbers_redirect(db):
    key, contract_id, _ = finding_of(db, "line_amount")
    finding_id = query(db, "SELECT id FROM findings WHERE finding_key = ?", key)[0][0]
    contract = contract_key_of(db, contract_id)
    pages = client(f"sqlite:///{db}")
    old = pages.get(f"/findings/{finding_id}?check=line_amount", follow_redirects=False)
    assert old.status_code == 301 and old.headers["location"] == f"/findings/{key}?check=line_amount"
    old = pages.get(f"/contracts/{contract_id}", follow_redirects=False)
    assert old.status_code == 301 and old.headers["location"] == f"/contracts/{contract}"
    assert f'href="/contracts/{contract}"' in pages.get(f"/findings/{key}").text
    assert f'data-finding="{key}"' in pages.get(f"/contracts/{contract}").text
    for path in ("/findings/999999", "/findings/0123456789abcdef", "/contracts/999999", "/contracts/abc",
                 "/findings/99999999999999", "/contracts/ffffffffffffffff", "/nowhere"):
        response = pages.get(path)
        assert response.status_code == 404 and "未找到" in response.text, path


def test_a_finding_keeps_its_address_and_history_across_run_force(archive, tmp_path):
    url = f"sqlite:///{tmp_path / 'forced.db'}"
    load(archive, url)
    db = tmp_path / "forced.db"
    key, contract_id, _ = finding_of(db, "line_amount")
    contract = contract_key_of(db, contract_id)
    row_before = query(db, "SELECT id FROM findings WHERE finding_key = ?", key)[0][0]
    assert save(client(url), key, "confirmed", "核实无误").status_code == 303

    load(archive, url, "--force")
    assert query(db, "SELECT id FROM findings WHERE finding_key = ?", key)[0][0] != row_before  # reloaded
    pages = client(url)
    page = pages.get(f"/findings/{key}")
    assert page.status_code == 200 and "核实无误" in page.text
    assert pages.get(f"/contracts/{contract}").status_code == 200


def test_search_ignores_full_and_half_width(db):
    key, contract_id, number = query(db, "SELECT f.finding_key, c.id, c.contract_no FROM findings f JOIN contracts c "
                                         "ON c.id = f.contract_id WHERE c.contract_no GLOB '*[A-Z]*-*' ORDER BY f.id")[0]
    assert number.isascii() and number != number.translate(FULL_WIDTH)
    pages = client(f"sqlite:///{db}")

    def listed(text: str) -> set[str]:
        return set(re.findall(r'data-finding="(\w+)"', pages.get("/", params={"q": text, "status": "all"}).text))

    assert key in listed(number) and key in listed(number.translate(FULL_WIDTH))
    assert key in listed(number.lower().translate(FULL_WIDTH))
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("UPDATE contracts SET contract_no = ? WHERE id = ?", (number.translate(FULL_WIDTH),
                                                                                 contract_id))
    assert key in listed(number)  # the stored form is full-width, the query half-width
    assert listed("没有这个供应商") == set()
    assert pages.get("/", params={"q": "50%_\\"}).status_code == 200  # LIKE wildcards are text


def test_the_pages_speak_chinese(db):
    key, contract_id, _ = finding_of(db, "line_amount")
    pages = client(f"sqlite:///{db}")
    listing = pages.get("/").text
    finding = pages.get(f"/findings/{key}").text
    contract = pages.get(f"/contracts/{contract_key_of(db, contract_id)}").text
    login = client(f"sqlite:///{db}", sign_in=False).get("/login").text
    for page in (listing, finding, contract, login):
        assert '<html lang="zh-CN">' in page
    for label in ("核对发现", "审核状态", "核对项", "筛选", "待审核", "分项金额", "下载 XLSX", "退出登录"):
        assert label in listing, label
    for label in ("审核结论", "已确认", "已排除", "备注", "保存并转到下一条待审核发现", "原文证据", "应为",
                  "单价 × 数量 × 期数", "审核记录"):
        assert label in finding, label
    for label in ("合同信息", "合同当事人", "价格明细", "合同编号"):
        assert label in contract, label
    assert "登录审核页面" in login
    visible = re.sub(r"<[^>]+>|<code>.*?</code>", " ", listing + finding + contract)
    for english in ("Findings", "Save", "Expected", "Reviewer", "Contract", "Decision", "Show"):
        assert english not in visible, english


def test_export_downloads_the_reviewed_findings(db):
    key = finding_of(db, "line_amount")[0]
    pages = client(f"sqlite:///{db}")
    assert save(pages, key, "confirmed", "已核实").status_code == 303
    csv = pages.get("/export/findings.csv")
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    text = csv.content.decode("utf-8-sig")
    assert key in text and "已核实" in text
    assert pages.get("/export/findings.xlsx").content[:2] == b"PK"
    assert pages.get("/export/findings.pdf").status_code == 404


def test_stored_text_is_escaped(db):
    key, contract_id, _ = finding_of(db, "line_amount")
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("UPDATE contracts SET title = '<script>alert(1)</script>' WHERE id = ?", (contract_id,))
        connection.execute("UPDATE findings SET review_note = '<b>x</b>' WHERE contract_id = ?", (contract_id,))
    pages = client(f"sqlite:///{db}")
    contract = f"/contracts/{contract_key_of(db, contract_id)}"
    for path in ("/", contract):
        text = pages.get(path).text
        assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text, path
    assert "<b>x</b>" not in pages.get(contract).text


def test_a_decision_saved_meanwhile_by_someone_else_is_not_overwritten_unseen(db):
    key = finding_of(db, "line_amount")[0]
    seen = re.compile(r'name="seen" value="([^"]*)"')
    mine, theirs = client(f"sqlite:///{db}", reviewer="王"), client(f"sqlite:///{db}", reviewer="李")
    my_form = mine.get(f"/findings/{key}").text
    assert save(theirs, key, "dismissed").status_code == 303
    late = mine.post(f"/findings/{key}", data={"review_status": "confirmed", "seen": seen.search(my_form)[1],
                                               "csrf": csrf_of(my_form)})
    assert late.status_code == 409 and "已有人保存" in late.text and "李" in late.text
    assert review_of(db, key)[:2] == ("dismissed", "李")
    again = mine.post(f"/findings/{key}", follow_redirects=False, data={
        "review_status": "confirmed", "seen": seen.search(late.text)[1], "csrf": csrf_of(late.text)})
    assert again.status_code == 303 and review_of(db, key)[:2] == ("confirmed", "王")
    assert query(db, "SELECT count(*) FROM review_decisions WHERE finding_key = ?", key)[0][0] == 2


@pytest.mark.postgres
def test_the_pages_read_and_save_reviews_on_postgresql(pg_url, archive):
    load(archive, pg_url)
    engine = open_engine(pg_url)
    findings = FINDINGS.table
    with engine.connect() as connection:
        rows = connection.execute(select(findings.c.finding_key, findings.c.check_code, contracts.c.contract_no)
                                  .join(contracts, contracts.c.id == findings.c.contract_id)
                                  .order_by(findings.c.id)).all()
    engine.dispose()
    line = next(r for r in rows if r.check_code == "line_amount")
    numbered = next(r for r in rows if r.contract_no and r.contract_no.isascii())

    def review(key: str) -> tuple:
        engine = open_engine(pg_url)
        with engine.connect() as connection:
            row = connection.execute(select(findings.c.review_status, findings.c.reviewer, findings.c.review_note)
                                     .where(findings.c.finding_key == key)).one()
        engine.dispose()
        return tuple(row)

    with serving(pg_url, token=TOKEN, reviewer="张审计") as base, httpx.Client(base_url=base) as pages:
        assert pages.get(f"/login?token={TOKEN}").status_code == 303
        listed = pages.get("/")
        assert re.findall(r'data-finding="(\w+)"', listed.text) == [r.finding_key for r in rows]
        wide = pages.get("/", params={"q": numbered.contract_no.translate(FULL_WIDTH)}).text
        assert f'data-finding="{numbered.finding_key}"' in wide
        assert pages.get("/", params={"q": "50%_\\"}).status_code == 200  # LIKE wildcards are text

        shown = pages.get(f"/findings/{line.finding_key}")
        assert shown.status_code == 200 and shown.text.count("<mark>") == 4  # unit price, quantity, periods, amount
        saved = save(pages, line.finding_key, "confirmed", "核实", check="line_amount")
        assert saved.status_code == 303
        assert saved.headers["location"] == f"/?status=open&check=line_amount&saved={line.finding_key}"
        assert review(line.finding_key) == ("confirmed", "张审计", "核实")
        assert "核实" in pages.get(f"/findings/{line.finding_key}").text
        assert pages.get("/findings/0123456789abcdef").status_code == 404
