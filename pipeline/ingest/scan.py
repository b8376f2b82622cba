"""Scanned pages: one page image → `PageText`, for scanned PDF pages and image files.

The page is brought to a working resolution; on a colour page the seals are found
and their ink lifted off (`pipeline.ingest.seals`), each noted on the page; then
the page, in grayscale, is deskewed; its ruled tables are found and their rules
painted out; the printed area is OCR'd, the cells of those tables left empty that
hold ink are read again on their own (`pipeline.ingest.cells`), what lies under a
seal is read again on the seal colour's palest channel
(`pipeline.ingest.under_seals`), and the tokens are
cleaned (`pipeline.ingest.cleanup`) and their figures checked
(`pipeline.ingest.figures`). When the recognizer is unsure of most of what
it read, the page is tried again turned upside down and sideways, keeping the
reading it is surest of. The layout writes the page text, and every character box
is mapped back from the upright image to page coordinates in PDF points (top-left
origin).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Sequence

import cv2
import numpy as np

from pipeline.document import PageText
from pipeline.ingest.cells import reread_empty_cells
from pipeline.ingest.deskew import Upright, straighten
from pipeline.ingest.grid import Grid, erase_rules, find_tables
from pipeline.ingest.cleanup import clean
from pipeline.ingest.column_fit import fit_across_columns
from pipeline.ingest.figures import check_figures
from pipeline.ingest.layout import Glyph, Token, assemble, cell_runs
from pipeline.ingest.ocr import OcrEngine
from pipeline.ingest.seals import Seal, find_seals, lift_seals
from pipeline.ingest.under_seals import SealView, reread_under_seals, seal_channels

MIN_OCR_DPI = 150            # smaller scans are enlarged to this before OCR
MAX_OCR_DPI = 300            # larger scans are reduced to this before OCR
UPRIGHT_CONFIDENCE = 0.80    # below this mean character confidence, other orientations are tried
TURNS_TO_TRY = (2, 1, 3)     # quarter turns tried, in order: upside down, then sideways
POINTS_PER_INCH = 72.0
CONTENT_MIN_INK_PX = 8       # a row or column with less ink than this holds only specks
CONTENT_MARGIN_PT = 12.0     # margin kept around the printed area for OCR


def working_copy(image: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    """The image (gray or RGB) at a resolution the OCR reads well, and that resolution."""
    target = min(max(dpi, MIN_OCR_DPI), MAX_OCR_DPI)
    if abs(target - dpi) < 1:
        return image, dpi
    factor = target / dpi
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=interpolation), target


def mean_confidence(tokens: Sequence[Token]) -> float:
    confs = [g.conf for t in tokens for g in t.glyphs if g.conf is not None]
    return statistics.fmean(confs) if confs else 0.0


def content_box(gray: np.ndarray, dpi: float) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) around the page's printed area: rows and columns holding more
    ink than a few specks, with a margin."""
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    rows = np.flatnonzero(ink.sum(axis=1) >= CONTENT_MIN_INK_PX)
    cols = np.flatnonzero(ink.sum(axis=0) >= CONTENT_MIN_INK_PX)
    h, w = gray.shape
    if not len(rows) or not len(cols):
        return 0, 0, w, h
    pad = int(CONTENT_MARGIN_PT * dpi / POINTS_PER_INCH)
    return (max(0, int(cols[0]) - pad), max(0, int(rows[0]) - pad),
            min(w, int(cols[-1]) + 1 + pad), min(h, int(rows[-1]) + 1 + pad))


def shifted(token: Token, dx: float, dy: float) -> Token:
    return Token([Glyph(g.char, None if g.box is None else (g.box[0] + dx, g.box[1] + dy, g.box[2] + dx, g.box[3] + dy),
                        g.conf) for g in token.glyphs])


@dataclass(frozen=True)
class SealedPage:
    """The seals found on a colour page, and the page in each seal colour's palest channel."""

    seals: list[Seal]
    channels: dict[str, np.ndarray]

    def views(self, page: Upright, rules: np.ndarray) -> list[SealView]:
        """The seals on the upright page, each with its channel made upright and its
        rules painted out as on the page."""
        upright = {colour: erase_rules(page.warp(channel), rules) for colour, channel in self.channels.items()}
        return [SealView(page.to_upright(seal.box), upright[seal.colour]) for seal in self.seals]


NO_SEALS = SealedPage([], {})


def read_upright(gray: np.ndarray, dpi: float, engine: OcrEngine, quarter_turns: int = 0,
                 sealed: SealedPage = NO_SEALS) -> tuple[Upright, list[Grid], list[Token]]:
    """The page turned and straightened, its ruled grids, and what the engine reads
    on it with the rules painted out (under seals, also on the seals' channels)."""
    page = straighten(gray, quarter_turns)
    tables = find_tables(page.image, dpi)
    x0, y0, x1, y1 = content_box(page.image, dpi)
    ruleless = erase_rules(page.image, tables.rules)
    tokens = [shifted(t, x0, y0) for t in engine.read(ruleless[y0:y1, x0:x1])]
    tokens += reread_empty_cells(ruleless, tables.grids, tokens, engine, dpi)
    if sealed.seals:
        views = sealed.views(page, tables.rules)
        tokens = reread_under_seals(ruleless, tokens, views, tables.grids, engine, dpi)
    tokens = fit_across_columns(tokens, tables.grids, ruleless)
    return page, tables.grids, [check_figures(piece) for t in tokens for _, piece in cell_runs(clean(t), tables.grids)]


def read_best_orientation(gray: np.ndarray, dpi: float, engine: OcrEngine, sealed: SealedPage = NO_SEALS
                          ) -> tuple[Upright, list[Grid], list[Token]]:
    """The reading as scanned, or, if the engine is unsure of it, the surest of the
    other orientations."""
    best = read_upright(gray, dpi, engine, 0, sealed)
    confidence = mean_confidence(best[2])
    if not best[2] or confidence >= UPRIGHT_CONFIDENCE:
        return best
    for turns in TURNS_TO_TRY:
        turned = read_upright(gray, dpi, engine, turns, sealed)
        turned_confidence = mean_confidence(turned[2])
        if turned_confidence > confidence:
            best, confidence = turned, turned_confidence
        if confidence >= UPRIGHT_CONFIDENCE:
            break
    return best


def read_scan(image: np.ndarray, dpi: float, engine: OcrEngine) -> PageText:
    """OCR one page image (grayscale, or RGB when it may carry seals) scanned at `dpi`."""
    work, work_dpi = working_copy(image, dpi)
    seals = find_seals(work, work_dpi) if work.ndim == 3 else []
    gray = lift_seals(work, seals, work_dpi) if work.ndim == 3 else work
    sealed = SealedPage(seals, seal_channels(work, seals)) if seals else NO_SEALS
    page, grids, tokens = read_best_orientation(gray, work_dpi, engine, sealed)
    text = assemble(tokens, grids, float(page.image.shape[1]), source=f"ocr:{engine.name}")
    text.boxes = page.to_scanned(text.boxes or [], POINTS_PER_INCH / work_dpi)
    text.notes = [seal.describe(POINTS_PER_INCH / work_dpi) for seal in seals]
    return text
