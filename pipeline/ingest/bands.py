"""Ink bands: the rows of a page that hold ink, stacked without the blank space between.

Text detection costs time in proportion to the image's area, and about half the rows
of a contract page are blank (margins, gaps between paragraphs, line spacing).
`ink_bands` finds the runs of rows that hold ink, each grown by a margin in
proportion to the height of a line of text so the detector sees every line with
white around it; `stack` copies the bands one under the other, and
`StackedBands.page_y` maps a row of the stacked image back to the page. A page
without ink has no band, and needs no detection at all.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

BAND_MIN_INK_PX = 3          # a row with fewer ink pixels than this is blank (a speck or two)
BAND_MARGIN_EM = 0.8         # white kept above and below a band, in heights of a text line
BAND_MIN_MARGIN_PX = 12      # ... and at least this many rows
TEXT_LINE_MIN_PX = 8         # runs of ink rows shorter than this do not measure the text line


@dataclass(frozen=True)
class Band:
    """Rows `top`..`bottom` (exclusive) of the page, copied to row `stack_top` of the stack."""

    top: int
    bottom: int
    stack_top: int


@dataclass(frozen=True)
class StackedBands:
    image: np.ndarray
    bands: tuple[Band, ...]

    def band_at(self, stack_y: float) -> Band:
        """The band that holds row `stack_y` of the stacked image (the nearest one
        for a row past the first or last band)."""
        for band in self.bands:
            if stack_y < band.stack_top + band.bottom - band.top:
                return band
        return self.bands[-1]

    def page_y(self, stack_y: float, band: Band) -> float:
        """Row `stack_y` of the stacked image in page rows, counted from `band`."""
        return stack_y - band.stack_top + band.top


def ink_rows(gray: np.ndarray) -> np.ndarray:
    """For every row, whether it holds ink beyond a speck or two (Otsu threshold)."""
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink.sum(axis=1) >= BAND_MIN_INK_PX


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of every run of True in a 1-D boolean array, end exclusive."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist()))


def ink_bands(gray: np.ndarray) -> list[tuple[int, int]]:
    """(top, bottom) of every band of inked rows, grown by the margin; bands that the
    margins make touch are merged. Empty for a blank page."""
    ink_runs = runs(ink_rows(gray))
    if not ink_runs:
        return []
    line_heights = [end - start for start, end in ink_runs if end - start >= TEXT_LINE_MIN_PX]
    line_px = float(np.median(line_heights)) if line_heights else TEXT_LINE_MIN_PX
    margin = max(BAND_MIN_MARGIN_PX, math.ceil(BAND_MARGIN_EM * line_px))
    height = gray.shape[0]
    bands: list[tuple[int, int]] = []
    for start, end in ink_runs:
        top, bottom = max(0, start - margin), min(height, end + margin)
        if bands and top <= bands[-1][1]:
            bands[-1] = (bands[-1][0], bottom)
        else:
            bands.append((top, bottom))
    return bands


def stack(image: np.ndarray, rows: list[tuple[int, int]]) -> StackedBands:
    """The bands of `image` (rows of any channel count) one under the other."""
    bands, stack_top = [], 0
    for top, bottom in rows:
        bands.append(Band(top, bottom, stack_top))
        stack_top += bottom - top
    stacked = np.concatenate([image[top:bottom] for top, bottom in rows]) if rows else image[:0]
    return StackedBands(stacked, tuple(bands))
