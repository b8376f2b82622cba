"""The source view: a page of a scanned PDF or an image file as PNG with the cited boxes highlighted,
None for what cannot be shown, and a text file's text as the extraction read it."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.ingest import IngestOptions, read_document
from pipeline.review.source import MAX_WIDTH_PX, document_text, page_image

SCAN = Path(__file__).parent.parent / "samples" / "syn_0001_scan.pdf"
BOX = (100.0, 120.0, 300.0, 160.0)  # points from the page's top-left corner


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def inside(image: np.ndarray, box: tuple[float, ...], pixels_per_point: float) -> np.ndarray:
    x0, y0, x1, y1 = (round(v * pixels_per_point) for v in box)
    return image[y0 + 4:y1 - 4, x0 + 4:x1 - 4]


def test_a_scanned_page_is_rendered_with_the_box_tinted():
    plain, marked = pixels(page_image(str(SCAN), 1, [])), pixels(page_image(str(SCAN), 1, [BOX]))
    height, width, _ = marked.shape
    assert width <= MAX_WIDTH_PX and plain.shape == marked.shape
    scale = width / 595.0  # an A4 page is 595 points wide
    box_before, box_after = inside(plain, BOX, scale), inside(marked, BOX, scale)
    assert (box_after[..., 2] < box_before[..., 2] - 20).mean() > 0.9  # blue taken out: amber
    assert (box_after[..., 0] >= box_before[..., 0] - 5).all()
    away = (300.0, 600.0, 400.0, 700.0)
    assert (inside(marked, away, scale) == inside(plain, away, scale)).all()


def test_nothing_for_a_missing_file_a_page_out_of_range_or_a_text_file(tmp_path):
    assert page_image(str(tmp_path / "gone.pdf"), 1, [BOX]) is None
    assert page_image(str(SCAN), 99, [BOX]) is None and page_image(str(SCAN), 0, []) is None
    text = tmp_path / "a.txt"
    text.write_text("合同编号：KX-1\n", encoding="utf-8")
    assert page_image(str(text), 1, []) is None
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\0" * 100)
    assert page_image(str(broken), 1, []) is None


def test_an_image_file_takes_boxes_in_points_at_its_resolution(tmp_path):
    scan = tmp_path / "page.png"
    Image.new("L", (1700, 2200), 255).save(scan, dpi=(200, 200))  # 8.5 × 11 inches
    image = pixels(page_image(str(scan), 1, [BOX]))
    assert image.shape[1] <= MAX_WIDTH_PX
    scale = image.shape[1] / (8.5 * 72)
    assert (inside(image, BOX, scale)[..., 2] < 230).all()
    assert (image[5:40, 5:40] == 255).all()  # outside: still white
    assert page_image(str(scan), 2, []) is None


def test_a_text_file_gives_its_text_while_its_content_is_unchanged(tmp_path):
    path = tmp_path / "c.txt"
    path.write_bytes("甲方：示例档案馆\r\n数量 1 套\n".encode("gb18030"))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert document_text(str(path), sha) == read_document(path, IngestOptions()).raw  # evidence offsets index it
    path.write_text("已修改\n", encoding="utf-8")
    assert document_text(str(path), sha) is None
    assert document_text(str(SCAN)) is None and document_text(str(tmp_path / "gone.txt")) is None
