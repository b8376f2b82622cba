"""PDF and image ingest without OCR: text layers, tables, boxes, bad input, long files.

The contract page is drawn here with reportlab and the WenQuanYi Zen Hei TrueType
font (reportlab cannot embed the Noto CFF fonts); `tests/test_ocr.py` rasterizes
the same page to test the scanned path.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from pipeline.document import PageText
from pipeline.errors import CorruptFile, EmptyFile, EncryptedPdf, TooLarge, UnsupportedType
from pipeline.ingest import IngestOptions, read_document
from pipeline.ingest.layout import Token
from pipeline.ingest.textlayer import has_usable_text, readable_share

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT = "WQYZenHei"
PAGE_W, PAGE_H = 595.0, 842.0

TITLE = "云服务采购合同"
PARAGRAPH = ("乙方应按照本合同约定向甲方提供政务云服务，包括计算、存储、网络和安全服务，"
             "并保证服务可用性不低于 99.95%，服务期自合同签订之日起 12 个月。")
TOTAL_LINE = "合同总金额：人民币 123456.78 元（大写：壹拾贰万叁仟肆佰伍拾陆元柒角捌分）"
COLUMNS = [60.0, 110.0, 290.0, 370.0, 440.0, 535.0]
HEADER = ["序号", "服务名称", "单价(元)", "数量", "合价(元)"]
ROWS = [  # cells; a list of strings is a cell wrapped over several lines
    ["1", "云主机 vCPU", "10", "984", "118080"],
    ["2", ["普通性能存储（单盘", "IOPS 1000-3000）"], "12", "849.6", "122342.4"],
    ["3", "互联网带宽", "0.8", "1330", "12768"],
]
ROW_HEIGHTS = [22.0, 22.0, 36.0, 22.0]
ALIGNED = [("项目", 60.0), ("负责人", 250.0), ("电话", 420.0)]
ALIGNED_ROWS = [["迁移", "王一", "13900000001"], ["运维", "李二", "13900000002"]]
FOOTER = "第 1 页"

EXPECTED_LINES = [
    TITLE,
    PARAGRAPH,
    TOTAL_LINE,
    "\t".join(HEADER),
    "1\t云主机 vCPU\t10\t984\t118080",
    "2\t普通性能存储（单盘 IOPS 1000-3000）\t12\t849.6\t122342.4",
    "3\t互联网带宽\t0.8\t1330\t12768",
    "项目\t负责人\t电话",
    "迁移\t王一\t13900000001",
    "运维\t李二\t13900000002",
    FOOTER,
]


def register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    if not FONT_FILE.exists():
        pytest.skip(f"{FONT_FILE} not present: run scripts/setup-system.sh")
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))


def draw_contract_page(c) -> None:
    """One contract page: title, a paragraph wrapped at the margin, a ruled table with a
    wrapped cell, a table without rules, a page footer (y from the page top)."""
    def text(x: float, top: float, s: str, size: float = 10.5) -> None:
        c.setFont(FONT, size)
        c.drawString(x, PAGE_H - top - size, s)

    text(230, 60, TITLE, 18)
    wrap = 44
    for i in range(0, len(PARAGRAPH), wrap):
        text(60, 110 + 18 * (i // wrap), PARAGRAPH[i:i + wrap])
    text(60, 175, TOTAL_LINE)
    top = 210.0
    edges = [top]
    for h in ROW_HEIGHTS:
        edges.append(edges[-1] + h)
    c.setLineWidth(0.8)
    for y in edges:
        c.line(COLUMNS[0], PAGE_H - y, COLUMNS[-1], PAGE_H - y)
    for x in COLUMNS:
        c.line(x, PAGE_H - edges[0], x, PAGE_H - edges[-1])
    for r, cells in enumerate([HEADER, *ROWS]):
        for col, cell in enumerate(cells):
            lines = cell if isinstance(cell, list) else [cell]
            for n, line in enumerate(lines):
                text(COLUMNS[col] + 4, edges[r] + 5 + 14 * n, line, 9)
    for r, row in enumerate([[name for name, _ in ALIGNED], *ALIGNED_ROWS]):
        for (_, x), cell in zip(ALIGNED, row):
            text(x, 380 + 20 * r, cell)
    text(280, 800, FOOTER, 9)


def contract_pdf(path: Path, pages: int = 1, **canvas_args) -> Path:
    from reportlab.pdfgen import canvas
    register_font()
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), **canvas_args)
    for _ in range(pages):
        draw_contract_page(c)
        c.showPage()
    c.save()
    return path


# -- text layer ----------------------------------------------------------------------
def test_text_layer_page_has_the_pipeline_shape(tmp_path):
    doc = read_document(contract_pdf(tmp_path / "c.pdf"), IngestOptions())
    assert doc.sources == ["pdf-text"]
    assert doc.raw.split("\n") == EXPECTED_LINES


def test_text_layer_boxes_are_page_points_top_left(tmp_path):
    doc = read_document(contract_pdf(tmp_path / "c.pdf"), IngestOptions())
    assert len(doc.boxes) == len(doc.raw)
    assert doc.confidences is None
    for ch, box in zip(doc.raw, doc.boxes):
        assert (box is None) == (ch in "\t\n" or ch == " " and box is None)
    start = doc.raw.index("118080")
    x0, top, x1, bottom = doc.bbox(doc.span(start, start + 6))
    assert COLUMNS[4] < x0 < x1 < COLUMNS[5]
    assert 210 + 22 < top < bottom < 210 + 44
    title = doc.bbox(doc.span(0, len(TITLE)))
    assert 55 < title[1] < 85 and title[0] > 200


def test_text_layer_extraction_is_fast(tmp_path):
    import time
    path = contract_pdf(tmp_path / "c.pdf", pages=20)
    started = time.perf_counter()
    doc = read_document(path, IngestOptions())
    per_page = (time.perf_counter() - started) / 20
    assert doc.page_count == 20
    assert per_page < 0.25  # the bench measures the real figure (target 0.1 s/page)


def test_page_without_text_layer_is_ocrd_beside_a_text_page(tmp_path, monkeypatch):
    from reportlab.pdfgen import canvas
    import pipeline.ingest.pdf as pdf_module

    class FakeEngine:
        """Reads "扫描页文字" over the dark area of whatever image it is given."""
        name = "fake"

        def read(self, image):
            ys, xs = np.nonzero(image < 128)
            box = (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1))
            return [Token.spread("扫描页文字", box, 0.99)]

    monkeypatch.setattr(pdf_module, "engine", lambda name: FakeEngine())
    register_font()
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    draw_contract_page(c)
    c.showPage()
    c.rect(100, PAGE_H - 340, 300, 40, fill=1)          # x 100–400 pt, 300–340 pt from the top
    c.showPage()
    c.save()
    doc = read_document(path, IngestOptions(dpi=200))
    assert doc.sources == ["pdf-text", "ocr:fake"]
    start = doc.page_starts[1]
    assert doc.raw[start:] == "扫描页文字"
    assert doc.page_of(start) == 2
    assert doc.bbox(doc.span(start, start + 5)) == pytest.approx((100.0, 300.0, 400.0, 340.0), abs=2.0)


def test_readable_share_tells_text_from_mojibake():
    assert readable_share("甲方：北京市政务服务中心 (2025) No.1 “双活”——×2") == 1.0
    assert readable_share("ç\u0094²æ\u0096¹ï¼\u009aå\u008c\u0097äº¬") < 0.5


def test_cid_codes_or_a_stamp_over_a_scan_are_not_a_text_layer():
    from types import SimpleNamespace

    def page(text: str, image_share: float = 0.0) -> SimpleNamespace:
        images = [{"x0": 0, "x1": PAGE_W, "top": 0, "bottom": PAGE_H * image_share}] if image_share else []
        return SimpleNamespace(chars=[{"text": ch} for ch in text], images=images, width=PAGE_W, height=PAGE_H)

    assert has_usable_text(page("甲方：北京市政务服务中心，乙方：中国电信股份有限公司北京分公司"))
    assert not has_usable_text(page("(cid:12)(cid:873)(cid:44)"))
    assert not has_usable_text(page("第 1 页", image_share=1.0))
    assert has_usable_text(page("本合同由甲乙双方签订，" * 10, image_share=1.0))   # a searchable scan


def test_blank_page_gives_empty_text(tmp_path):
    from reportlab.pdfgen import canvas
    path = tmp_path / "blank.pdf"
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    c.showPage()
    c.save()
    from pipeline.ingest.pdf import read_pdf
    assert read_pdf(path, IngestOptions()) == [PageText(text="", source="pdf-text")]


# -- bad input -----------------------------------------------------------------------
def test_encrypted_pdf_needs_its_password(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    path = contract_pdf(tmp_path / "locked.pdf", encrypt=StandardEncryption("s3cret", ownerPassword="owner"))
    with pytest.raises(EncryptedPdf, match="--password"):
        read_document(path, IngestOptions())
    with pytest.raises(EncryptedPdf, match="does not open"):
        read_document(path, IngestOptions(password="wrong"))
    assert read_document(path, IngestOptions(password="s3cret")).raw.split("\n") == EXPECTED_LINES


@pytest.mark.parametrize("keep", [0.0, 0.3, 0.9])
def test_truncated_or_garbage_pdf_is_corrupt(tmp_path, keep):
    data = contract_pdf(tmp_path / "c.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[:int(len(data) * keep)] if keep else b"%PDF-1.7\nnot really a PDF\n")
    with pytest.raises(CorruptFile, match="damaged or truncated"):
        read_document(path, IngestOptions())


def test_pdf_without_pages_is_empty(tmp_path):
    import pypdfium2 as pdfium
    path = tmp_path / "nopages.pdf"
    pdfium.PdfDocument.new().save(path)
    with pytest.raises(EmptyFile, match="no pages"):
        read_document(path, IngestOptions())


def test_oversized_image_is_refused_before_decoding(tmp_path):
    from PIL import Image
    for size in [(11_000, 10_000), (16_000, 16_000)]:  # over the limit, and over twice the limit
        path = tmp_path / f"big{size[0]}.png"
        Image.new("1", size, 1).save(path)
        with pytest.raises(TooLarge, match="megapixels"):
            read_document(path, IngestOptions())


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_unreadable_and_truncated_images(tmp_path):
    from PIL import Image
    bad = tmp_path / "scan.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises((UnsupportedType, CorruptFile)):
        read_document(bad, IngestOptions())
    notimage = tmp_path / "page.tif"
    notimage.write_bytes(b"II*\x00" + b"garbage" * 20)
    with pytest.raises((UnsupportedType, CorruptFile)):
        read_document(notimage, IngestOptions())
    good = tmp_path / "page.jpg"
    Image.new("L", (400, 300), 255).save(good, quality=90)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(good.read_bytes()[:200])
    with pytest.raises(CorruptFile, match="damaged or truncated"):
        read_document(cut, IngestOptions())


# -- long documents -----------------------------------------------------------------
PEAK_SCRIPT = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from pipeline.ingest import IngestOptions
    from pipeline.ingest.pdf import read_pdf
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pages = read_pdf(Path(sys.argv[1]), IngestOptions())
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"pages": len(pages), "growth_kb": after - before}))
""")


def peak_growth(path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(path)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.mark.slow
def test_500_page_pdf_is_read_page_by_page(tmp_path):
    small = peak_growth(contract_pdf(tmp_path / "p50.pdf", pages=50))
    large = peak_growth(contract_pdf(tmp_path / "p500.pdf", pages=500))
    assert small["pages"] == 50 and large["pages"] == 500
    # the page texts themselves grow with the page count; the parser's state must not
    assert large["growth_kb"] < 3 * max(small["growth_kb"], 20_000)
