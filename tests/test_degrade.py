"""The degradation generator: scans with seals, skew, low resolution, photocopy wear."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.ingest.seals import find_seals
from pipeline.synth.degrade import DEGRADATIONS, anchors, degrade_pdf, parse_degradations

FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PAGE_W, PAGE_H = 595.0, 842.0
SIGNATURE_TOP = 600.0


def sealable_pdf(path: Path) -> Path:
    """One page: a ruled price table ending in a total row, and a signature line."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    if not FONT_FILE.exists():
        pytest.skip(f"{FONT_FILE} not present: run scripts/setup-system.sh")
    if "TestCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestCJK", str(FONT_FILE), subfontIndex=0))
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    c.setFont("TestCJK", 11)
    c.drawString(200, PAGE_H - 80, "云端存储服务合同")
    rows = [("序号", "服务", "金额（元）"), ("1", "对象存储", "48,600.00"), ("合计", "", "48,600.00")]
    for r, row in enumerate(rows):
        top = 150 + 24 * r
        for x, cell in zip((80, 160, 380), row):
            c.drawString(x + 4, PAGE_H - top - 17, cell)
    for r in range(len(rows) + 1):
        c.line(80, PAGE_H - 150 - 24 * r, 520, PAGE_H - 150 - 24 * r)
    for x in (80, 160, 380, 520):
        c.line(x, PAGE_H - 150, x, PAGE_H - 150 - 24 * len(rows))
    c.drawString(80, PAGE_H - SIGNATURE_TOP, "甲方（盖章）：")
    c.showPage()
    c.save()
    return path


def pages(path: Path) -> list[Image.Image]:
    with Image.open(path) as pdf_image:   # Pillow reads back the JPEG pages it wrote
        return [pdf_image.copy()]


def test_degradation_names_are_checked():
    assert parse_degradations("all") == DEGRADATIONS
    assert parse_degradations("clean") == ()
    assert parse_degradations("skew,seals") == ("seals", "skew")
    with pytest.raises(ValueError, match="unknown degradation"):
        parse_degradations("coffee")


def test_seals_go_over_the_signature_line_and_the_total(tmp_path):
    found = anchors(sealable_pdf(tmp_path / "c.pdf"))
    kinds = {a.kind for a in found}
    assert kinds == {"signature", "total"}
    signature = next(a for a in found if a.kind == "signature")
    assert abs(signature.y - (SIGNATURE_TOP - 5)) < 12


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    source = sealable_pdf(tmp_path / "c.pdf")
    for name, seed in (("a", 4), ("b", 4), ("c", 5)):
        degrade_pdf(source, tmp_path / f"{name}.pdf", DEGRADATIONS, seed)
    a, b, c = ((tmp_path / f"{n}.pdf").read_bytes() for n in "abc")
    assert a == b
    assert a != c


def test_sealed_scan_is_in_colour_with_red_or_blue_seals(tmp_path):
    import pypdfium2 as pdfium
    source = sealable_pdf(tmp_path / "c.pdf")
    degrade_pdf(source, tmp_path / "sealed.pdf", ("seals",), 1)
    degrade_pdf(source, tmp_path / "plain.pdf", ("skew", "jpeg150"), 1)
    pdf = pdfium.PdfDocument(str(tmp_path / "sealed.pdf"))
    image = pdf[0].render(scale=150 / 72, rev_byteorder=True).to_numpy()[:, :, :3].copy()
    pdf.close()
    seals = find_seals(image, 150)
    assert len(seals) == 3                      # signature, total, and the half seal at the edge
    assert any(s.box[2] >= image.shape[1] - 2 for s in seals)
    plain = pdfium.PdfDocument(str(tmp_path / "plain.pdf"))
    width, _ = plain[0].get_size()
    gray = plain[0].render(scale=150 / 72, rev_byteorder=True).to_numpy()[:, :, :3]
    plain.close()
    assert np.ptp(gray.astype(int), axis=2).max() <= 2   # no colour without seals
    assert abs(width - PAGE_W) < 2
