"""Scanned pages and images: OCR engines, orientation, table rows, boxes.

The contract page of `tests/test_ingest_pdf.py` is rasterized with pypdfium2 at
200 dpi and made to look scanned (slight rotation, noise, JPEG compression).
Tests marked `ocr` run a real OCR engine.
"""
from __future__ import annotations

import io
import os
import socket
from pathlib import Path

import numpy as np
import pytest

from pipeline.ingest import IngestOptions, read_document
from pipeline.ingest.cer import cer, normalized
from pipeline.ingest.layout import Glyph, Token
from pipeline.ingest.cleanup import drop_specks, fix_confusions
from test_ingest_pdf import COLUMNS, EXPECTED_LINES, SHARED, TOTAL_LINE, contract_pdf

DPI = 200


def scanned(tmp_path: Path, angle: float = 0.8, turns: int = 0) -> np.ndarray:
    """The contract page as a 200-dpi grayscale scan, rotated by `angle` plus `turns` quarter turns."""
    import cv2
    import pypdfium2 as pdfium
    from PIL import Image
    pdf = pdfium.PdfDocument(contract_pdf(tmp_path / "source.pdf"))
    page = pdf[0]
    image = page.render(scale=DPI / 72, grayscale=True).to_numpy().copy()
    page.close()
    pdf.close()
    image = image.reshape(image.shape[0], image.shape[1])
    h, w = image.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle + 90 * turns, 1.0)
    image = cv2.warpAffine(image, matrix, (w, h), borderValue=250)
    noisy = image.astype(np.float32) * 0.92 + 12 + np.random.default_rng(7).normal(0, 6, image.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=70)
    return np.asarray(Image.open(buffer))


def image_pdf(tmp_path: Path, image: np.ndarray) -> Path:
    """An image-only PDF of one A4 page."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=(595.0, 842.0))
    c.drawImage(ImageReader(Image.fromarray(image)), 0, 0, width=595.0, height=842.0)
    c.showPage()
    c.save()
    return path


def assert_reads_the_contract(text: str, max_cer: float = 0.02) -> None:
    lines = text.split("\n")
    assert cer(text, "\n".join(EXPECTED_LINES)) <= max_cer
    assert normalized(TOTAL_LINE) in [normalized(line) for line in lines]   # the 大写 amount, exactly
    rows = [line for line in lines if "\t" in line]
    assert [line.count("\t") for line in rows] == [4, 4, 4, 4, 2, 2, 2]
    assert normalized(rows[2]) == normalized("2\t普通性能存储（单盘 IOPS 1000-3000）\t12\t849.6\t122342.4")


# -- cleanup of OCR tokens (no engine) ---------------------------------------------------
def glyphs(text: str, conf: float = 0.99) -> Token:
    return Token([Glyph(ch, (float(i), 0.0, i + 1.0, 1.0), conf) for i, ch in enumerate(text)])


@pytest.mark.parametrize("read, kept", [
    ("·3)服务期满后", "3)服务期满后"), (".(2) 运维服务", "(2) 运维服务"), ("安全责任边界.", "安全责任边界"),
    ("在合同有效期内，.任何一方", "在合同有效期内，任何一方"), ("1路..", "1路"), ("350.", "350"),
    ("849.6", "849.6"), ("1. 本项目总计", "1. 本项目总计"), ("Co.,Ltd", "Co.,Ltd"), ("O'Brien", "O'Brien"),
    ("1 路_", "1 路"), ("合同编号:____", "合同编号:____"), ("ID_2", "ID_2"), ("元/.套月", "元/套月"),
])
def test_speck_dots_are_dropped_where_no_dot_can_stand(read, kept):
    assert drop_specks(glyphs(read)).text == kept


def test_doubtful_marks_at_line_ends_are_dropped():
    token = Token([Glyph("-", None, 0.45), *glyphs("12个月").glyphs, Glyph("）", None, 0.40)])
    assert drop_specks(token).text == "12个月"
    assert drop_specks(glyphs("（乙方）", 0.7)).text == "（乙方）"


def test_look_alikes_are_fixed():
    assert fix_confusions(glyphs("单盘 I0PS1000-3000，0.15TFL0PS，2020年")).text == "单盘 IOPS1000-3000，0.15TFLOPS，2020年"
    token = Token([*glyphs("计算服务").glyphs, Glyph("一", None, 0.54), *glyphs("内存，统一").glyphs])
    assert fix_confusions(token).text == "计算服务—内存，统一"


# -- engines ----------------------------------------------------------------------------
@pytest.mark.ocr
def test_rapidocr_loads_only_bundled_models(monkeypatch):
    import rapidocr
    from pipeline.ingest.ocr import RapidOcrEngine

    def no_network(*args, **kwargs):
        raise AssertionError("the OCR engine tried to reach the network")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr("requests.get", no_network)
    models = Path(rapidocr.__file__).parent / "models"
    before = sorted(p.name for p in models.iterdir())
    engine = RapidOcrEngine()
    assert engine.read(np.full((200, 600), 255, np.uint8)) == []
    assert sorted(p.name for p in models.iterdir()) == before


@pytest.mark.ocr
def test_scanned_pdf_reads_like_the_text_layer(tmp_path):
    path = image_pdf(tmp_path, scanned(tmp_path))
    doc = read_document(path, IngestOptions())
    assert doc.sources == ["ocr:rapidocr"]
    assert_reads_the_contract(doc.raw)
    assert len(doc.boxes) == len(doc.confidences) == len(doc.raw)
    start = doc.raw.index("118080")
    x0, top, x1, bottom = doc.bbox(doc.span(start, start + 6))
    assert COLUMNS[4] - 6 < x0 < x1 < COLUMNS[5] + 6      # PDF points on the page as scanned
    assert 210 + 22 - 6 < top < bottom < 210 + 44 + 6
    assert 0.5 < doc.confidence(doc.span(start, start + 6)) <= 1.0


@pytest.mark.ocr
def test_upside_down_page_image_is_turned(tmp_path):
    from PIL import Image
    path = tmp_path / "upside-down.png"
    Image.fromarray(scanned(tmp_path, angle=-0.5, turns=2)).save(path, dpi=(DPI, DPI))
    doc = read_document(path, IngestOptions())
    assert_reads_the_contract(doc.raw)
    start = doc.raw.index("118080")
    x0, top, x1, bottom = doc.bbox(doc.span(start, start + 6))
    assert 595 - COLUMNS[5] - 6 < x0 < x1 < 595 - COLUMNS[4] + 6   # boxes on the page as scanned


@pytest.mark.ocr
def test_multipage_tiff_gives_one_page_per_frame(tmp_path):
    from PIL import Image
    page = Image.fromarray(scanned(tmp_path))
    path = tmp_path / "scan.tif"
    page.save(path, save_all=True, append_images=[page.rotate(0.5, fillcolor=250)], dpi=(DPI, DPI),
              compression="tiff_deflate")
    doc = read_document(path, IngestOptions())
    assert doc.page_count == 2
    for n in range(2):
        start, end = doc.page_starts[n], (doc.page_starts[n + 1] - 1 if n == 0 else len(doc.raw))
        assert_reads_the_contract(doc.raw[start:end])


@pytest.mark.ocr
def test_tesseract_engine_reads_the_page(tmp_path):
    from PIL import Image
    path = tmp_path / "page.png"
    Image.fromarray(scanned(tmp_path)).save(path, dpi=(DPI, DPI))
    doc = read_document(path, IngestOptions(ocr_engine="tesseract"))
    assert os.environ.get("OMP_THREAD_LIMIT") == "1"
    assert doc.sources == ["ocr:tesseract"]
    assert cer(doc.raw, "\n".join(EXPECTED_LINES)) < 0.15
    assert [line.count("\t") for line in doc.raw.split("\n") if "\t" in line][:4] == [4, 4, 4, 4]


@pytest.mark.ocr
def test_shared_scan_price_table_comes_out_as_rows():
    scan = SHARED / "scans" / "scan200" / "001_c38c306e4a5fec92.pdf"
    if not scan.exists():
        pytest.skip(f"{SHARED} not present: the shared scans are only beside the repository")
    import pypdfium2 as pdfium
    from pipeline.ingest.ocr import engine
    from pipeline.ingest.scan import read_scan
    pdf = pdfium.PdfDocument(scan)
    image = pdf[7].render(scale=DPI / 72, grayscale=True).to_numpy().copy()
    page = read_scan(image.reshape(image.shape[0], image.shape[1]), DPI, engine("rapidocr"))
    rows = [normalized(line) for line in page.text.split("\n") if "\t" in line]
    assert normalized("\tx86 平台云主机服务-vCPU (主频不低于 2.4GHz)\t10\t984\t118080\t单位: 1CPU/元/月, 服务期 12 个月") in rows
    assert normalized("\t主机漏洞扫描 (合同期内至少 2 次)\t800\t62\t99200\t单位: 1台/元/次, 共 62 台主机, "
                      "每台主机服务期内至少 2 次主机漏洞扫描, 服务期内共 124 次主机漏洞扫描") in rows
    assert sum(1 for line in page.text.split("\n") if line.count("\t") == 5) >= 28


# -- figure shapes --------------------------------------------------------------------
@pytest.mark.parametrize("figure, impossible", [
    ("204.739.20", True), ("27492.567.00", True), ("27,492.567.00", True), ("1,2345.00", True), ("276,48", True), ("1.234,56", True),
    ("3,65", True), ("1,234,56", True),
    ("58,210.50", False), ("3,600", False), ("1,2,3", False),
    ("2024.3.18", False), ("192.168.1.10", False), ("7.5", False), ("81200", False),
])
def test_impossible_digit_groupings_are_told(figure, impossible):
    from pipeline.ingest.figures import is_impossible
    assert is_impossible(figure) is impossible


def test_doubtful_figure_is_low_confidence_and_periods_read_for_commas_are_put_right():
    from pipeline.ingest.figures import DOUBTFUL_FIGURE_CONFIDENCE, check_figures
    from pipeline.resolve import LOW_CONFIDENCE
    token = check_figures(Token.spread("合计：307.915.40元", (0.0, 0.0, 300.0, 20.0), 0.97))
    assert token.text == "合计：307,915.40元"
    figure = token.glyphs[3:13]
    assert all(g.conf == DOUBTFUL_FIGURE_CONFIDENCE < LOW_CONFIDENCE for g in figure)
    assert token.glyphs[0].conf == 0.97 and token.glyphs[-1].conf == 0.97
    untouched = Token.spread("单价 4,250.00", (0.0, 0.0, 100.0, 20.0), 0.97)
    assert check_figures(untouched) is untouched


@pytest.mark.parametrize("read, put_right", [
    ("为人民币204.739.20元", "为人民币204,739.20元"),     # faded commas read as periods
    ("为人民币27492.567.00元", "为人民币27492567.00元"),  # ... and the comma before them lost
    ("为人民币27,492.567.00元", "为人民币27,492,567.00元"),  # one of two commas read as a period
    ("于2024.3.18签订", "于2024.3.18签订"),               # a date is no figure to put right
    ("单价 3,65 万元", "单价 3.65 万元"),                 # a faint decimal point read as a comma
    ("合计1,234,56元", "合计1,234.56元"),                 # ... after thousands groups
    ("第1,2,3项", "第1,2,3项"),                           # a list stays
])
def test_periods_read_for_commas_are_put_right(read, put_right):
    from pipeline.ingest import figures
    token = figures.check_figures(Token([Glyph(ch, None, 0.97) for ch in read]))
    assert token.text == put_right
    doubtful = [g.conf < 0.97 for g in token.glyphs if g.char.isdigit()]
    assert all(doubtful) == (read != put_right) and any(doubtful) == (read != put_right)


@pytest.mark.parametrize("read, put_right", [
    ("单盘10PS 3000-20000", "单盘IOPS 3000-20000"),       # 1 and 0 for I and O
    ("单盘10PS3000-20000", "单盘IOPS3000-20000"),         # ... with a figure right after it
    ("计算能力0.21FLOPS", "计算能力0.2TFLOPS"),           # 1 for T after a figure
    ("不少于2路14核2.4Gh2", "不少于2路14核2.4Ghz"),       # 2 for z
    ("算力12.6P，1P折算", "算力12.6P，1P折算"),          # too short to be a word put right
    ("CPU1128核、内存3268GB", "CPU1128核、内存3268GB"),   # known words stay
    ("算力256 TOPS", "算力256 TOPS"),                    # no single reading: left alone
    ("1VCPU", "1vCPU"),                                  # a capital drawn like its small letter
    ("DDOS防护", "DDOS防护"),                            # printed both ways: either stays
])
def test_technical_words_read_with_look_alikes_are_put_right(read, put_right):
    from pipeline.ingest.cleanup import clean
    assert clean(Token([Glyph(ch, None, 0.97) for ch in read])).text == put_right


@pytest.mark.ocr
@pytest.mark.parametrize("text, size", [("1000000000088", 17), ("A/C 20000004333000015114677", 19)])
def test_a_long_run_of_repeated_digits_keeps_every_digit(text, size):
    """Read in the narrowed page, a run of zeros had too few steps to be told apart
    and lost one; a line holding a long run of digits is read again at full width."""
    from PIL import Image, ImageDraw, ImageFont
    from pipeline.ingest.ocr import OcrUnavailable, engine
    font_path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf")
    if not font_path.exists():
        pytest.skip("DejaVu Sans Condensed is missing: run scripts/setup-system.sh")
    try:
        rapidocr = engine("rapidocr")
    except OcrUnavailable as err:
        pytest.skip(str(err))
    image = Image.new("L", (900, 80), 235)
    ImageDraw.Draw(image).text((20, 20), text, font=ImageFont.truetype(str(font_path), size), fill=30)
    assert [t.text for t in rapidocr.read(np.array(image))] == [text]
