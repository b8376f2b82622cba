"""Review pages end to end: the real pipeline loads generated contracts, the pages serve them.

In Chromium (Debian's /usr/bin/chromium, driven by Playwright): the list of open
findings, a finding with its marked evidence, confirming and dismissing, the
contract page, 404s. Against PostgreSQL the same handlers answer a plain HTTP
client. Without Chromium the browser tests skip, and `.ci/run` fails when they do.
"""
from __future__ import annotations

import re
import sqlite3
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator, Optional

import httpx
import pytest
import uvicorn
from sqlalchemy import select
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.db.engine import open_engine
from pipeline.db.models import FINDINGS
from pipeline.review.app import create_app
from pipeline.synth.generate import write_batch

CHROMIUM = Path("/usr/bin/chromium")
SAVE = "text=Save and go to the next open finding"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Five generated contracts with injected errors: five findings, each citing its evidence."""
    folder = tmp_path_factory.mktemp("review") / "archive"
    write_batch(folder, 5, seed=11, error_rate=0.5)
    return folder


def load(archive: Path, url: str) -> None:
    """`contracts run` with the real extractor (in this process, to save a start-up)."""
    result = CliRunner().invoke(app, ["run", str(archive), "--db", url, "--workers", "1"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def loaded(archive) -> Path:
    db = archive.parent / "loaded.db"
    load(archive, f"sqlite:///{db}")
    return db


@pytest.fixture
def db(loaded, tmp_path) -> Path:
    """A copy of the loaded database, for one test to change."""
    copy = tmp_path / "review.db"
    with closing(sqlite3.connect(loaded)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    return copy


@contextmanager
def serving(url: str, reviewer: Optional[str] = None) -> Iterator[str]:
    """The review pages on a free local port, in a thread of this process; yields the base URL."""
    engine = open_engine(url)
    server = uvicorn.Server(uvicorn.Config(create_app(engine, reviewer), host="127.0.0.1", port=0,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the review server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        engine.dispose()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"chromium not installed ({CHROMIUM}): run make setup, which installs it "
                    "through scripts/setup-system.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def query(db: Path, sql: str, *args) -> list[tuple]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql, args).fetchall()


def review_of(db: Path, finding_id: int) -> tuple:
    return query(db, "SELECT review_status, reviewer, review_note, reviewed_at FROM findings WHERE id = ?",
                 finding_id)[0]


def finding_of(db: Path, check: str) -> tuple[int, int, str]:
    """(id, contract id, found) of the first finding of `check`."""
    return query(db, "SELECT id, contract_id, found FROM findings WHERE check_code = ? ORDER BY id", check)[0]


@pytest.mark.browser
def test_the_list_shows_the_open_findings_and_filters_them(page, db):
    from playwright.sync_api import expect

    open_ids = [r[0] for r in query(db, "SELECT id FROM findings WHERE review_status = 'open' ORDER BY id")]
    contract_no, supplier = query(db, "SELECT c.contract_no, p.name FROM findings f "
                                      "JOIN contracts c ON c.id = f.contract_id JOIN parties p "
                                      "ON p.contract_id = c.id AND p.role = 'supplier' "
                                      "WHERE c.contract_no IS NOT NULL ORDER BY f.id")[0]
    restated = query(db, "SELECT count(*) FROM findings WHERE check_code = 'restated_amount'")[0][0]
    assert len(open_ids) > restated > 0
    with serving(f"sqlite:///{db}") as base:
        page.goto(base)
        rows = page.locator("table.findings tbody tr")
        expect(rows).to_have_count(len(open_ids))
        assert [int(x) for x in rows.evaluate_all("rows => rows.map(r => r.dataset.finding)")] == open_ids
        expect(page.locator("table.findings")).to_contain_text(supplier)  # Chinese text as stored
        expect(page.locator("table.counts tfoot")).to_contain_text(str(len(open_ids)))

        page.select_option("select[name=check]", "restated_amount")
        page.click("text=Show")
        expect(rows).to_have_count(restated)
        page.select_option("select[name=check]", "")
        page.fill("input[name=q]", contract_no)
        page.click("text=Show")
        expect(rows.first).to_contain_text(contract_no)
        page.fill("input[name=q]", "没有这个供应商")
        page.click("text=Show")
        expect(rows).to_have_count(0)
        expect(page.locator(".summary")).to_contain_text("0 findings open")


@pytest.mark.browser
def test_an_auditor_confirms_a_finding_after_reading_its_evidence(page, db):
    from playwright.sync_api import expect

    finding_id, contract_id, found = finding_of(db, "line_amount")
    list_index = query(db, "SELECT list_index FROM findings WHERE id = ?", finding_id)[0][0]
    cited = query(db, "SELECT count(*) FROM evidence WHERE contract_id = ? AND path LIKE ?",
                  contract_id, f"findings[{list_index}].evidence[%")[0][0]
    assert cited  # unit price, quantity, amount
    open_count = query(db, "SELECT count(*) FROM findings WHERE review_status = 'open'")[0][0]
    with serving(f"sqlite:///{db}") as base:
        page.goto(base)
        page.click(f"tr[data-finding='{finding_id}'] >> text=#{finding_id}")
        expect(page).to_have_url(re.compile(rf"/findings/{finding_id}\b"))
        expect(page.locator("h1")).to_contain_text("Line amount")
        expect(page.locator(".cited")).to_have_count(cited)
        amount = page.locator(".cited", has_text=".amount").locator(".snippet mark")
        assert float(amount.inner_text().replace(",", "")) == float(found)  # the stated amount, marked

        page.check("input[value=confirmed]")
        page.fill("input[name=reviewer]", "张审计")
        page.fill("textarea[name=review_note]", "金额与单价×数量不符，已与供应商核实")
        page.click(SAVE)
        expect(page.locator(".notice")).to_contain_text(f"finding #{finding_id}")
        expect(page).to_have_url(re.compile(r"/findings/(\d+)\?"))
        assert int(re.search(r"/findings/(\d+)", page.url)[1]) != finding_id

        status, reviewer, note, reviewed_at = review_of(db, finding_id)
        assert (status, reviewer, note) == ("confirmed", "张审计", "金额与单价×数量不符，已与供应商核实")
        assert reviewed_at is not None

        page.goto(base)
        expect(page.locator("table.findings tbody tr")).to_have_count(open_count - 1)
        expect(page.locator(f"tr[data-finding='{finding_id}']")).to_have_count(0)
        page.goto(f"{base}/?status=confirmed")
        expect(page.locator(f"tr[data-finding='{finding_id}']")).to_contain_text("张审计")


@pytest.mark.browser
def test_dismissing_without_a_reviewer_shows_an_error_and_changes_nothing(page, db):
    from playwright.sync_api import expect

    finding_id = finding_of(db, "items_total")[0]
    before = review_of(db, finding_id)
    with serving(f"sqlite:///{db}") as base:
        page.goto(f"{base}/findings/{finding_id}")
        page.check("input[value=dismissed]")
        page.fill("textarea[name=review_note]", "OCR 误读")
        page.click(SAVE)
        expect(page.locator(".errors")).to_contain_text("Enter your name as reviewer")
        expect(page).to_have_url(re.compile(rf"/findings/{finding_id}\b"))
        expect(page.locator("input[value=dismissed]")).to_be_checked()  # what was typed stays
        expect(page.locator("textarea[name=review_note]")).to_have_value("OCR 误读")
    assert review_of(db, finding_id) == before == ("open", None, None, None)


@pytest.mark.browser
def test_the_last_open_finding_of_a_filter_leads_back_to_the_list(page, db):
    from playwright.sync_api import expect

    finding_id = finding_of(db, "term")[0]
    with serving(f"sqlite:///{db}", reviewer="王审计") as base:
        page.goto(f"{base}/?check=term")
        page.click(f"tr[data-finding='{finding_id}'] >> text=#{finding_id}")
        expect(page.locator("input[name=reviewer]")).to_have_value("王审计")  # from --reviewer
        page.check("input[value=dismissed]")
        page.click(SAVE)
        expect(page.locator(".notice")).to_contain_text("No open finding is left that matches the filters")
        expect(page).to_have_url(re.compile(r"/\?.*check=term"))
        expect(page.locator("table.findings tbody tr")).to_have_count(0)
    assert review_of(db, finding_id)[:2] == ("dismissed", "王审计")


@pytest.mark.browser
def test_the_contract_page_shows_parties_line_items_and_findings(page, db):
    from playwright.sync_api import expect

    finding_id, contract_id, _ = finding_of(db, "line_amount")
    items = query(db, "SELECT count(*) FROM line_items WHERE contract_id = ?", contract_id)[0][0]
    parties = [r[0] for r in query(db, "SELECT name FROM parties WHERE contract_id = ? ORDER BY list_index",
                                   contract_id)]
    with serving(f"sqlite:///{db}") as base:
        page.goto(f"{base}/findings/{finding_id}")
        page.click(f"a[href='/contracts/{contract_id}']")
        expect(page).to_have_url(f"{base}/contracts/{contract_id}")
        for name in parties:
            expect(page.locator("main")).to_contain_text(name)
        expect(page.locator("table.wide tbody tr")).to_have_count(items)
        expect(page.locator("table.wide tr.hit")).to_have_count(1)  # the line the finding is about
        expect(page.locator(f"tr[data-finding='{finding_id}']")).to_contain_text("open")


@pytest.mark.browser
def test_unknown_ids_get_a_not_found_page(page, db):
    from playwright.sync_api import expect

    with serving(f"sqlite:///{db}") as base:
        for path in ("/findings/999999", "/contracts/999999", "/findings/99999999999999", "/nowhere"):
            response = page.goto(base + path)
            assert response is not None and response.status == 404, path
            expect(page.locator("h1")).to_have_text("Not found")


def test_stored_text_is_escaped(db):
    contract_id = finding_of(db, "line_amount")[1]
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("UPDATE contracts SET title = '<script>alert(1)</script>' WHERE id = ?", (contract_id,))
        connection.execute("UPDATE findings SET review_note = '<b>x</b>' WHERE contract_id = ?", (contract_id,))
    with serving(f"sqlite:///{db}") as base, httpx.Client(base_url=base) as client:
        for path in ("/", f"/contracts/{contract_id}"):
            text = client.get(path).text
            assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text, path
        assert "<b>x</b>" not in client.get(f"/contracts/{contract_id}").text


def test_a_decision_saved_meanwhile_by_someone_else_is_not_overwritten_unseen(db):
    finding_id = finding_of(db, "line_amount")[0]
    seen = re.compile(r'name="seen" value="([^"]*)"')
    with serving(f"sqlite:///{db}") as base, httpx.Client(base_url=base) as client:
        mine = client.get(f"/findings/{finding_id}")
        theirs = client.get(f"/findings/{finding_id}")
        assert seen.search(mine.text)[1] == ""
        saved = client.post(f"/findings/{finding_id}", data={
            "review_status": "dismissed", "reviewer": "李", "seen": seen.search(theirs.text)[1]})
        assert saved.status_code == 303
        late = client.post(f"/findings/{finding_id}", data={
            "review_status": "confirmed", "reviewer": "王", "seen": seen.search(mine.text)[1]})
        assert late.status_code == 409 and "Someone saved a decision" in late.text and "李" in late.text
        assert review_of(db, finding_id)[:2] == ("dismissed", "李")
        again = client.post(f"/findings/{finding_id}", data={
            "review_status": "confirmed", "reviewer": "王", "seen": seen.search(late.text)[1]})
        assert again.status_code == 303 and review_of(db, finding_id)[:2] == ("confirmed", "王")


@pytest.mark.postgres
def test_the_pages_read_and_save_reviews_on_postgresql(pg_url, archive):
    load(archive, pg_url)
    engine = open_engine(pg_url)
    findings = FINDINGS.table
    with engine.connect() as connection:
        rows = connection.execute(select(findings.c.id, findings.c.check_code, findings.c.contract_id)
                                  .order_by(findings.c.id)).all()
    engine.dispose()
    line = next(r for r in rows if r.check_code == "line_amount")

    def review(finding_id: int) -> tuple:
        engine = open_engine(pg_url)
        with engine.connect() as connection:
            row = connection.execute(select(findings.c.review_status, findings.c.reviewer,
                                            findings.c.review_note, findings.c.reviewed_at)
                                     .where(findings.c.id == finding_id)).one()
        engine.dispose()
        return tuple(row)

    with serving(pg_url) as base, httpx.Client(base_url=base) as client:
        listed = client.get("/")
        assert listed.status_code == 200
        assert re.findall(r'data-finding="(\d+)"', listed.text) == [str(r.id) for r in rows]
        assert client.get("/", params={"q": "50%_\\"}).status_code == 200  # LIKE wildcards are text

        shown = client.get(f"/findings/{line.id}")
        assert shown.status_code == 200 and shown.text.count("<mark>") == 4  # unit price, quantity, periods, amount

        refused = client.post(f"/findings/{line.id}", data={"review_status": "dismissed", "reviewer": " "})
        assert refused.status_code == 422 and "Enter your name as reviewer" in refused.text
        assert review(line.id) == ("open", None, None, None)
        foreign = client.post(f"/findings/{line.id}", headers={"Origin": "http://elsewhere.example"},
                              data={"review_status": "confirmed", "reviewer": "x"})
        assert foreign.status_code == 403 and review(line.id)[0] == "open"

        saved = client.post(f"/findings/{line.id}?check=line_amount",
                            data={"review_status": "confirmed", "reviewer": "张审计", "review_note": "核实"})
        assert saved.status_code == 303
        assert saved.headers["location"] == f"/?status=open&check=line_amount&saved={line.id}"
        status, reviewer, note, reviewed_at = review(line.id)
        assert (status, reviewer, note) == ("confirmed", "张审计", "核实") and reviewed_at is not None

        assert f'data-finding="{line.id}"' not in client.get("/").text
        assert f'data-finding="{line.id}"' in client.get("/", params={"status": "confirmed"}).text
        assert client.get(f"/contracts/{line.contract_id}").status_code == 200
        assert client.get("/findings/999999").status_code == 404
        assert client.get("/contracts/99999999999999").status_code == 404
        seen = re.search(r'name="seen" value="([^"]+)"', client.get(f"/findings/{line.id}").text)[1]
        stale = client.post(f"/findings/{line.id}", data={"review_status": "dismissed", "reviewer": "李"})
        assert stale.status_code == 409 and review(line.id)[0] == "confirmed"  # opened before the save
        resaved = client.post(f"/findings/{line.id}", data={"review_status": "dismissed", "reviewer": "李",
                                                            "seen": seen})
        assert resaved.status_code == 303 and review(line.id)[:2] == ("dismissed", "李")
