"""Worn scans made plain: a shadow is flattened, faint ink darkened, a clean page left alone."""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.ingest.enhance import darken_faint_ink, flatten_paper

DPI = 200


def printed_page(ink_level: int, paper_level: int = 240) -> np.ndarray:
    """A small page of text-like strokes: rows of short bars on even paper."""
    page = np.full((800, 600), paper_level, np.uint8)
    for y in range(60, 740, 40):
        for x in range(40, 560, 24):
            cv2.rectangle(page, (x, y), (x + 14, y + 3), ink_level, -1)
            cv2.rectangle(page, (x + 6, y - 10), (x + 8, y + 12), ink_level, -1)
    return page


def with_shadow(page: np.ndarray) -> np.ndarray:
    """The page darkened towards its left edge, as by a binding shadow."""
    shade = np.ones(page.shape[1], np.float32)
    width = page.shape[1] // 6
    shade[:width] = 0.55 + 0.45 * np.linspace(0, 1, width)
    return (page.astype(np.float32) * shade[None, :]).astype(np.uint8)


def test_clean_page_is_left_unchanged():
    page = printed_page(ink_level=20)
    assert flatten_paper(page, DPI) is page
    assert darken_faint_ink(page, DPI) is page


def test_binding_shadow_becomes_paper():
    shadowed = with_shadow(printed_page(ink_level=20))
    flat = flatten_paper(shadowed, DPI)
    blank_in_shadow = flat[10:40, 5:60]
    blank_in_light = flat[10:40, 400:500]
    assert shadowed[10:40, 5:60].mean() < 0.8 * shadowed[10:40, 400:500].mean()
    assert abs(float(blank_in_shadow.mean()) - float(blank_in_light.mean())) < 12


def test_shadow_on_colour_page_keeps_the_colour():
    rgb = cv2.cvtColor(with_shadow(printed_page(ink_level=20)), cv2.COLOR_GRAY2RGB)
    rgb[300:340, 20:60] = (150, 30, 30)            # a red mark inside the shadow
    flat = flatten_paper(rgb, DPI)
    red, green, _ = flat[320, 40].astype(int)
    assert red > 2 * green


def test_faint_ink_is_darkened():
    faint = printed_page(ink_level=150)
    darker = darken_faint_ink(faint, DPI)
    strokes = faint < 200
    assert darker[strokes].mean() < 80
    assert darker[~strokes].mean() > 230
