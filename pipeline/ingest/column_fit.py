"""Glyphs across a table's column rule, fitted to their ink before they go to cells.

The recognizer places a character where its decoding step fell, so the last
character of a line read across two cells ("套 | 1", unit and quantity) gets a box
from the step before it to the line's end, and that box crosses the rule between
the cells: the "1" went with the unit. Such a glyph's box is narrowed to the ink
inside it (the largest run of inked pixel columns; rules were painted out), and the
cells take it by where its ink is. A glyph whose ink itself spans the rule (text
overflowing its cell) keeps its box.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from pipeline.ingest.grid import Grid
from pipeline.ingest.layout import Box, Glyph, Token

INK_SHARE = 0.7              # pixels darker than this share of the paper's tone are ink
PAPER_PERCENTILE = 90
MIN_INK_PER_COLUMN = 2       # a pixel column holding fewer ink pixels is blank
GAP_SHARE = 0.15             # blank columns this share of the glyph's height part two runs of ink
RULE_SHARE = 0.1             # ink this near a column rule (a share of the glyph's height) is the rule's remains


def crossing_grid(box: Box, grids: Sequence[Grid]) -> Grid | None:
    """The grid whose column rule runs through the box, within the grid's rows."""
    centre_y = (box[1] + box[3]) / 2
    for grid in grids:
        if grid.rows[0] <= centre_y < grid.rows[-1] and grid.crosses_column(box):
            return grid
    return None


def ink_runs(columns: np.ndarray, gap: int) -> list[tuple[int, int, int]]:
    """(start, end, ink) of the runs of inked columns parted by at least `gap` blank ones."""
    inked = np.flatnonzero(columns >= MIN_INK_PER_COLUMN)
    runs: list[tuple[int, int, int]] = []
    for x in inked:
        if runs and x - runs[-1][1] <= gap:
            start, _, ink = runs[-1]
            runs[-1] = (start, int(x) + 1, ink + int(columns[x]))
        else:
            runs.append((int(x), int(x) + 1, int(columns[x])))
    return runs


def overlaps(box: Box, other: Box) -> bool:
    """Whether two boxes share ink columns on half the lower one's height."""
    shared = min(box[3], other[3]) - max(box[1], other[1])
    lower = min(box[3] - box[1], other[3] - other[1])
    return box[0] < other[2] and other[0] < box[2] and shared >= 0.5 * lower


def fitted_box(box: Box, ink: np.ndarray, others: Sequence[Box], rules: Sequence[float]) -> Box:
    """The box narrowed to its largest run of ink that no other token's character
    covers and no column rule runs along, or as it was when it holds none."""
    height, width = ink.shape
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(width, int(np.ceil(box[2]))), min(height, int(np.ceil(box[3])))
    if x1 <= x0 or y1 <= y0:
        return box
    columns = ink[y0:y1, x0:x1].sum(axis=0)
    runs = [(float(x0 + start), box[1], float(x0 + end), box[3])
            for start, end, _ in sorted(ink_runs(columns, max(1, int(GAP_SHARE * (y1 - y0)))),
                                        key=lambda run: -run[2])]
    near = max(2.0, RULE_SHARE * (y1 - y0))
    free = [run for run in runs if not any(overlaps(run, other) for other in others)
            and not any(run[0] - near <= x <= run[2] + near for x in rules)]
    return free[0] if free else box


def fit_across_columns(tokens: Sequence[Token], grids: Sequence[Grid], gray: np.ndarray) -> list[Token]:
    """The tokens with each glyph that crosses a column rule narrowed to its ink."""
    if not grids:
        return list(tokens)
    ink: np.ndarray | None = None
    out = []
    for token in tokens:
        if not any(g.box is not None and crossing_grid(g.box, grids) for g in token.glyphs):
            out.append(token)
            continue
        if ink is None:
            paper = float(np.percentile(gray[::8, ::8], PAPER_PERCENTILE))
            ink = (gray < INK_SHARE * paper).astype(np.uint16)
        others = [g.box for t in tokens if t is not token and overlaps(t.box, token.box)
                  for g in t.glyphs if g.box is not None and not g.char.isspace()]
        glyphs = []
        for n, glyph in enumerate(token.glyphs):
            grid = None if glyph.box is None or glyph.char.isspace() else crossing_grid(glyph.box, grids)
            if grid is None:
                glyphs.append(glyph)
                continue
            own = [g.box for m, g in enumerate(token.glyphs) if m != n and g.box is not None and not g.char.isspace()]
            glyphs.append(Glyph(glyph.char, fitted_box(glyph.box, ink, others + own, grid.cols), glyph.conf))
        out.append(Token(glyphs))
    return out
