"""Empty table cells read again: ink in a ruled cell that the page's OCR left unread.

A text detector tuned for lines of text misses a short faint figure standing alone
in a cell first (a quantity "1" or "7" on a faded photocopy). After the page is
read, every cell of a ruled grid (`pipeline.ingest.grid`) that no token falls in is
looked at: if it holds a patch of ink of a text line's height (`MIN_INK_MM`..
`MAX_INK_MM`) that no token already covers, the patch is cut out with a margin and
read as one line (the engine's `read_line`: no detection, and no quarter turn of a
tall narrow "1" into "一"). What the engine reads there with at least
`MIN_CONFIDENCE` is added to the page's tokens; so a cell that holds only a speck or
a rule's remains stays empty.
"""
from __future__ import annotations

from typing import Sequence

import cv2
import numpy as np

from pipeline.document import Box
from pipeline.ingest.grid import PAPER_PERCENTILE, Grid
from pipeline.ingest.layout import Token
from pipeline.ingest.ocr import OcrEngine, widened
from pipeline.ingest.seals import MM_PER_INCH

INK_SHARE = 0.85           # pixels darker than this share of the paper's tone are ink (faded toner too)
INSET_MM = 0.6             # a cell's border strip, where a rule's remains lie, is not looked at
MIN_INK_MM = 1.2           # a patch of ink lower than this is a speck
MAX_INK_MM = 8.0           # ... higher than this is not one line of text
MIN_INK_PX = 12            # ... a blot of fewer ink pixels than this is a speck
PAD_SHARE = 0.25           # margin cut out around the patch, in shares of its height
MIN_CONFIDENCE = 0.6       # what the engine reads there less surely is not kept
TOKEN_MARGIN_MM = 0.5      # ink this near a token's box is that token's


def unread_cells(grid: Grid, tokens: Sequence[Token]) -> list[Box]:
    """Boxes of the grid's cells that hold no token's centre."""
    taken = set()
    for token in tokens:
        x0, y0, x1, y1 = token.box
        cell = grid.cell_at((x0 + x1) / 2, (y0 + y1) / 2)
        if cell is not None:
            taken.add(cell)
    return [(grid.cols[c], grid.rows[r], grid.cols[c + 1], grid.rows[r + 1])
            for r in range(grid.row_count) for c in range(grid.col_count) if (r, c) not in taken]


def ink_patch(ink: np.ndarray, cell: Box, px_per_mm: float) -> Box | None:
    """The box around the blots of ink inside the cell (its border strip left out)
    that are of a text line's height and more than a speck, if there are any."""
    inset = INSET_MM * px_per_mm
    x0, y0 = int(cell[0] + inset), int(cell[1] + inset)
    x1, y1 = int(cell[2] - inset), int(cell[3] - inset)
    if x1 <= x0 or y1 <= y0 or np.count_nonzero(ink[y0:y1, x0:x1]) < MIN_INK_PX:
        return None
    count, _, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(ink[y0:y1, x0:x1]), connectivity=8)
    blots = [(x, y, x + w, y + h) for x, y, w, h, area in stats[1:count]
             if area >= MIN_INK_PX and MIN_INK_MM * px_per_mm <= h <= MAX_INK_MM * px_per_mm]
    if not blots:
        return None
    return (float(x0 + min(b[0] for b in blots)), float(y0 + min(b[1] for b in blots)),
            float(x0 + max(b[2] for b in blots)), float(y0 + max(b[3] for b in blots)))


def ink_mask(gray: np.ndarray, tokens: Sequence[Token], px_per_mm: float) -> np.ndarray:
    """Ink pixels of the page that no token's box (grown by a margin) covers."""
    paper = float(np.percentile(gray[::8, ::8], PAPER_PERCENTILE))
    ink = (gray < INK_SHARE * paper).astype(np.uint8)
    margin = TOKEN_MARGIN_MM * px_per_mm
    height, width = gray.shape
    for token in tokens:
        x0, y0, x1, y1 = token.box
        ink[max(0, int(y0 - margin)):min(height, int(y1 + margin) + 1),
            max(0, int(x0 - margin)):min(width, int(x1 + margin) + 1)] = 0
    return ink


def read_patch(gray: np.ndarray, patch: Box, engine: OcrEngine) -> Token | None:
    """What the engine reads as one line on the patch, cut out with a margin; its
    characters spread over the patch, in page pixels."""
    pad = PAD_SHARE * (patch[3] - patch[1])
    height, width = gray.shape
    x0, y0 = max(0, int(patch[0] - pad)), max(0, int(patch[1] - pad))
    x1, y1 = min(width, int(patch[2] + pad)), min(height, int(patch[3] + pad))
    read = engine.read_line(widened(gray[y0:y1, x0:x1]))
    if read is None or read[1] < MIN_CONFIDENCE:
        return None
    return Token.spread(read[0].strip(), patch, read[1])


def reread_empty_cells(gray: np.ndarray, grids: Sequence[Grid], tokens: Sequence[Token],
                       engine: OcrEngine, dpi: float) -> list[Token]:
    """Tokens read in the grids' cells that the page's reading left empty but that hold ink."""
    if not grids:
        return []
    px_per_mm = dpi / MM_PER_INCH
    ink = ink_mask(gray, tokens, px_per_mm)
    found: list[Token] = []
    for grid in grids:
        for cell in unread_cells(grid, tokens):
            patch = ink_patch(ink, cell, px_per_mm)
            token = read_patch(gray, patch, engine) if patch is not None else None
            if token is not None:
                found.append(token)
    return found
