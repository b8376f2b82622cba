"""Review pages in Chromium (Debian's /usr/bin/chromium, driven by Playwright), on the project's own samples.

The database holds samples/syn_0002_scan.pdf (an image-only scan: OCR'd once for
the module, some seconds) and samples/syn_0005.txt. An auditor signs in, opens
the scan's finding and sees the page image with the cited values boxed, saves
a decision and sees it in the history, filters the list, and downloads the
export. Without Chromium these tests skip, and `.ci/run` fails when they do.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reviewkit import copy_db, load, query, serving

from pipeline.db.engine import open_engine
from pipeline.review.auth import add_user

CHROMIUM = Path("/usr/bin/chromium")
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
REVIEWER, PASSWORD = "周审计", "审计专用口令2031"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> Path:
    """A database of one scanned PDF and one text contract from samples/, with one reviewer."""
    folder = tmp_path_factory.mktemp("scanned")
    archive = folder / "archive"
    archive.mkdir()
    for name in ("syn_0002_scan.pdf", "syn_0005.txt"):
        shutil.copy(SAMPLES / name, archive / name)
    db = folder / "scanned.db"
    load(archive, f"sqlite:///{db}")
    engine = open_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        add_user(connection, REVIEWER, PASSWORD)
    engine.dispose()
    return db


@pytest.fixture
def db(scanned, tmp_path) -> Path:
    return copy_db(scanned, tmp_path / "review.db")


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
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, base: str, target: str = "/") -> None:
    from playwright.sync_api import expect

    page.goto(base + target)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("input[name=name]", REVIEWER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    expect(page.locator(".who-am-i")).to_contain_text(REVIEWER)


def scan_finding(db: Path) -> tuple[str, list[int]]:
    """The key of the scan's items_total finding, and the pages its cited values were read on."""
    key, contract_id, index = query(db, "SELECT f.finding_key, f.contract_id, f.list_index FROM findings f "
                                        "JOIN contracts c ON c.id = f.contract_id JOIN documents d "
                                        "ON d.id = c.document_id WHERE d.path LIKE '%_scan.pdf' "
                                        "AND f.check_code = 'items_total'")[0]
    pages = [p for (p,) in query(db, "SELECT DISTINCT page FROM evidence WHERE contract_id = ? AND path LIKE ? "
                                     "AND bbox_x0 IS NOT NULL ORDER BY page", contract_id, f"findings[{index}].%")]
    return key, pages


def test_a_wrong_password_keeps_the_auditor_out(page, db):
    from playwright.sync_api import expect

    with serving(f"sqlite:///{db}") as base:
        page.goto(base)
        page.fill("input[name=name]", REVIEWER)
        page.fill("input[name=password]", "not the password")
        page.click("button:has-text('登录')")
        expect(page.locator(".errors")).to_contain_text("用户名或密码不正确")
        assert page.goto(base).url.startswith(f"{base}/login")


def test_the_scanned_page_is_shown_with_the_cited_values_boxed(page, db):
    from playwright.sync_api import expect

    key, cited_pages = scan_finding(db)
    assert cited_pages
    with serving(f"sqlite:///{db}") as base:
        sign_in(page, base, f"/findings/{key}")
        expect(page).to_have_url(f"{base}/findings/{key}")
        expect(page.locator("h1")).to_contain_text("分项合计")
        images = page.locator("figure.page-image img")
        expect(images).to_have_count(len(cited_pages))
        image = images.first
        expect(image).to_have_attribute("src", f"/findings/{key}/page/{cited_pages[0]}.png")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        width = image.evaluate("img => img.naturalWidth")
        assert width > 500  # a page rendered for reading, not a thumbnail
        boxes = page.locator(f"figure.page-image[data-page='{cited_pages[0]}'] .highlight")
        assert boxes.count() >= 2  # the sum of the rows and the subtotal it is compared with
        box = boxes.first.bounding_box()
        frame = page.locator("figure.page-image .page-frame").first.bounding_box()
        assert box["width"] > 0 and box["height"] > 0
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
        expect(page.locator(".cited")).to_have_count(query(
            db, "SELECT count(*) FROM evidence e JOIN findings f ON f.contract_id = e.contract_id "
                "AND e.path LIKE 'findings[' || f.list_index || '].%' WHERE f.finding_key = ?", key)[0][0])


def test_a_decision_is_saved_and_shown_in_the_history(page, db):
    from playwright.sync_api import expect

    key, _ = scan_finding(db)
    with serving(f"sqlite:///{db}") as base:
        sign_in(page, base, f"/findings/{key}")
        expect(page.locator(".history")).to_contain_text("尚无审核记录")
        page.check("input[value=confirmed]")
        page.fill("textarea[name=review_note]", "小计与分项之和不符，已请供应商更正")
        page.click("text=保存并转到下一条待审核发现")
        expect(page.locator(".notice")).to_contain_text(key)
        assert not page.url.startswith(f"{base}/findings/{key}")
        page.goto(f"{base}/findings/{key}")
        rows = page.locator(".history tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(REVIEWER)
        expect(rows.first).to_contain_text("待审核 → 已确认")
        expect(rows.first).to_contain_text("小计与分项之和不符")
    assert query(db, "SELECT from_status, to_status, reviewer FROM review_decisions WHERE finding_key = ?",
                 key) == [("open", "confirmed", REVIEWER)]


def test_the_list_filters_and_the_export_downloads_the_reviewed_findings(page, db, tmp_path):
    from playwright.sync_api import expect

    key, _ = scan_finding(db)
    open_keys = [k for (k,) in query(db, "SELECT finding_key FROM findings ORDER BY id")]
    with serving(f"sqlite:///{db}") as base:
        sign_in(page, base)
        rows = page.locator("table.findings tbody tr")
        expect(rows).to_have_count(len(open_keys))
        assert rows.evaluate_all("rows => rows.map(r => r.dataset.finding)") == open_keys
        page.select_option("select[name=check]", "items_total")
        page.click("button:has-text('筛选')")
        expect(rows).to_have_count(1)
        page.click(f"tr[data-finding='{key}'] >> text=分项合计")
        page.check("input[value=dismissed]")
        page.fill("textarea[name=review_note]", "OCR 误读")
        page.click("text=保存并转到下一条待审核发现")
        expect(page.locator(".notice")).to_contain_text("待审核发现已全部处理")

        page.goto(base)
        with page.expect_download() as download:
            page.click("a.download:has-text('XLSX')")
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    cells = [str(c) for row in load_workbook(saved).active.iter_rows(values_only=True) for c in row if c]
    assert key in cells and any("OCR 误读" in c for c in cells)
