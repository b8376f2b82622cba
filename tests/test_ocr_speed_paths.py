"""The fast OCR paths: ink bands stacked for detection, recognizer inputs in width
steps, and lines the quick (bf16) recognizer is unsure of read again exactly.

Synthetic pages are drawn with OpenCV's built-in Latin font (invented words and
figures). Tests marked `ocr` load the real RapidOCR models.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.ingest.bands import ink_bands, stack

LINES = [("ORDER 4471 BLUE HARBOUR", 160), ("TOTAL 905", 700), ("SIGNED AT KESTREL VALE 2031", 1240)]


def page_with_lines(lines=LINES, width: int = 1300, height: int = 1500) -> np.ndarray:
    """A white grayscale page with each text drawn with its baseline at the given row."""
    page = np.full((height, width), 255, np.uint8)
    for text, baseline in lines:
        cv2.putText(page, text, (60, baseline), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 3, cv2.LINE_AA)
    return page


# -- ink bands --------------------------------------------------------------------------
def test_blank_page_has_no_band():
    assert ink_bands(np.full((400, 300), 255, np.uint8)) == []


def test_blank_space_between_lines_is_left_out():
    page = page_with_lines()
    bands = ink_bands(page)
    assert len(bands) == len(LINES)
    for (top, bottom), (_, baseline) in zip(bands, LINES):
        assert top < baseline - 25 and baseline < bottom      # each line whole, with a margin
    assert sum(bottom - top for top, bottom in bands) < page.shape[0] / 3


def test_stacked_rows_map_back_to_the_page():
    page = page_with_lines()
    stacked = stack(page, ink_bands(page))
    assert stacked.image.shape[0] == sum(b.bottom - b.top for b in stacked.bands)
    for band in stacked.bands:
        for stack_y in (band.stack_top, band.stack_top + (band.bottom - band.top) // 2):
            assert band is stacked.band_at(stack_y)
            page_y = int(stacked.page_y(stack_y, band))
            assert np.array_equal(stacked.image[stack_y], page[page_y])


# -- recognizer input -------------------------------------------------------------------
@pytest.mark.parametrize("crop_width", [20, 95, 300, 1013])
def test_recognizer_input_comes_in_width_steps(crop_width):
    from pipeline.ingest.ocr import REC_HEIGHT_PX, REC_MIN_WIDTH_PX, REC_WIDTH_STEP_PX, recognizer_input
    crop = np.full((40, crop_width, 3), 255, np.uint8)
    batch, aspect, padded_aspect = recognizer_input(crop)
    _, channels, height, width = batch.shape
    assert (channels, height) == (3, REC_HEIGHT_PX)
    assert width >= REC_MIN_WIDTH_PX and (width == REC_MIN_WIDTH_PX or width % REC_WIDTH_STEP_PX == 0)
    assert width == round(padded_aspect * REC_HEIGHT_PX)
    assert crop_width * REC_HEIGHT_PX / 40 <= aspect * REC_HEIGHT_PX <= width
    assert batch.min() >= -1.0 and batch.max() <= 1.0


# -- the engine -------------------------------------------------------------------------
class Refuses:
    """A model that must not be called."""

    def __call__(self, batch):
        raise AssertionError("a model ran on a page without ink")


class Counts:
    """A model wrapper that counts its calls."""

    def __init__(self, model):
        self.model, self.calls = model, 0

    def __call__(self, batch):
        self.calls += 1
        return self.model(batch)


@pytest.fixture(scope="module")
def rapid():
    from pipeline.ingest.ocr import RapidOcrEngine
    return RapidOcrEngine()


@pytest.mark.ocr
def test_blank_page_runs_no_model(rapid, monkeypatch):
    monkeypatch.setattr(rapid._detector, "session", Refuses())
    monkeypatch.setattr(rapid, "_quick_recognizer", Refuses())
    monkeypatch.setattr(rapid, "_exact_recognizer", Refuses())
    assert rapid.read(np.full((1400, 1000), 255, np.uint8)) == []


@pytest.mark.ocr
def test_lines_far_apart_read_in_page_order_at_their_place(rapid):
    tokens = rapid.read(page_with_lines())
    texts = [t.text.replace(" ", "") for t in tokens]
    assert texts == [text.replace(" ", "") for text, _ in LINES]
    for token, (_, baseline) in zip(tokens, LINES):
        x0, top, x1, bottom = token.box
        assert top < baseline < bottom + 5 and x0 < 80


@pytest.mark.ocr
def test_quick_reading_matches_the_exact_one(rapid, monkeypatch):
    quick = [t.text for t in rapid.read(page_with_lines())]
    monkeypatch.setattr(rapid, "_quick_recognizer", rapid._exact_recognizer)
    assert [t.text for t in rapid.read(page_with_lines())] == quick


@pytest.mark.ocr
def test_unsure_lines_are_read_again_exactly(rapid, monkeypatch):
    exact = Counts(rapid._exact_recognizer)
    monkeypatch.setattr(rapid, "_exact_recognizer", exact)
    rapid.read(page_with_lines())
    assert exact.calls == 0                                      # crisp print: the quick reading holds

    quick = rapid._quick_recognizer

    def unsure(batch):
        scores = quick(batch)
        return np.full_like(scores, 1.0 / scores.shape[2])     # no step sure of anything
    monkeypatch.setattr(rapid, "_quick_recognizer", unsure)
    tokens = rapid.read(page_with_lines())
    assert exact.calls == len(LINES)
    assert [t.text.replace(" ", "") for t in tokens] == [text.replace(" ", "") for text, _ in LINES]


# -- when the quick reading is read again -------------------------------------------------
SYMBOLS = ["blank", ",", "，", "1", "7"]


def steps(*rows: list[float]) -> np.ndarray:
    return np.array(rows, dtype=np.float32)


@pytest.mark.parametrize("rows, unsure", [
    ([[0.97, 0.01, 0.01, 0.01, 0.0], [0.02, 0.0, 0.0, 0.96, 0.02]], False),   # every step clear
    ([[0.97, 0.01, 0.01, 0.01, 0.0], [0.02, 0.0, 0.0, 0.52, 0.46]], True),    # 1 or 7: read again
    ([[0.02, 0.5, 0.47, 0.01, 0.0]], False),        # "," or "，": one mark either way
])
def test_a_reading_is_unsure_where_two_different_symbols_come_close(rows, unsure):
    from pipeline.ingest.ocr import REC_SURE_MARGIN, min_margin, same_symbols
    assert (min_margin(steps(*rows), same_symbols(SYMBOLS)) < REC_SURE_MARGIN) is unsure
