"""Empty table cells read again: a faint figure alone in a cell is found and read;
a speck or a cell the page's reading already covered is left alone."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.ingest.cells import reread_empty_cells, unread_cells
from pipeline.ingest.grid import Grid
from pipeline.ingest.layout import Token

DPI = 150
PAPER = 235
GRID = Grid(rows=(100.0, 180.0, 260.0), cols=(100.0, 300.0, 420.0))


def page(faint_digit: str | None = None, speck: bool = False) -> np.ndarray:
    """A grayscale page with a 2×2 table (rules already painted out); a faint digit in
    the right cell of the first row, or a speck there."""
    image = np.full((400, 600), PAPER, np.uint8)
    if faint_digit:
        cv2.putText(image, faint_digit, (350, 152), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 165, 2, cv2.LINE_AA)
    if speck:
        cv2.circle(image, (360, 140), 1, 120, -1)
    return image


def test_cells_without_a_token_are_the_unread_ones():
    tokens = [Token.spread("数量", (120.0, 120.0, 200.0, 150.0), 0.99)]
    assert unread_cells(GRID, tokens) == [(300.0, 100.0, 420.0, 180.0), (100.0, 180.0, 300.0, 260.0),
                                          (300.0, 180.0, 420.0, 260.0)]


@pytest.fixture(scope="module")
def rapidocr():
    from pipeline.ingest.ocr import OcrUnavailable, engine
    try:
        return engine("rapidocr")
    except OcrUnavailable as err:
        pytest.skip(str(err))


def test_a_faint_figure_alone_in_a_cell_is_read(rapidocr):
    found = reread_empty_cells(page("7"), [GRID], [], rapidocr, DPI)
    assert [t.text for t in found] == ["7"]
    x0, y0, x1, y1 = found[0].box
    assert 300 <= x0 < x1 <= 420 and 100 <= y0 < y1 <= 180


def test_a_speck_is_not_read(rapidocr):
    assert reread_empty_cells(page(speck=True), [GRID], [], rapidocr, DPI) == []


def test_a_cell_already_read_is_not_read_again():
    class Refusing:
        name = "refusing"

        def read(self, image):
            raise AssertionError("no page should be read")

        def read_line(self, image):
            raise AssertionError("no cell should be read again")

    tokens = [Token.spread("7", (345.0, 128.0, 372.0, 154.0), 0.99)]
    assert reread_empty_cells(page("7"), [GRID], tokens, Refusing(), DPI) == []


def test_a_lone_one_is_read_upright_not_turned_into_a_dash(rapidocr):
    image = np.full((200, 300), PAPER, np.uint8)
    cv2.putText(image, "1", (140, 120), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 20, 3, cv2.LINE_AA)
    assert [t.text for t in rapidocr.read(image)] == ["1"]
    assert [t.text for t in reread_empty_cells(page("1"), [GRID], [], rapidocr, DPI)] == ["1"]
