"""Ruled tables: the grid of rows and columns that the layout places text into.

A `Grid` is a table's row edges and column edges; `cell_at` says which cell holds a
point. Text-layer pages get their grids from pdfplumber's table finder
(`pipeline.ingest.textlayer`); scanned pages get them here, from the deskewed page
image: ink is binarized, horizontal and vertical rules are pulled out with
morphological openings, rules that touch each other form one table, and the rules'
positions (clustered) become the row and column edges. A seal's ring is no rule:
rings (circles of ink the size of a seal, found by a Hough transform and checked
along their whole round) are taken out of the rule masks first. The rules are also painted
out of the image the OCR reads. A cell that spans several rows or columns has no
rule inside it, so its text lands in the row and column of its centre; the other
cells it covers stay empty.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Sequence

import cv2
import numpy as np

from pipeline.document import Box

H_RULE_MIN_PT = 40.0      # a horizontal rule is at least this long (longer than "——" or a run of digits)
V_RULE_MIN_PT = 14.0      # a vertical rule is at least this long (longer than a stroke of body text)
RULE_BRIDGE_PT = 0.75     # gaps this short in a scanned rule are closed first
EDGE_MERGE_PT = 4.0       # rules closer than this are one edge
CROSSING_MARGIN = 0.2     # an edge within this share of a box's width from its side only touches it
BINARIZE_BLOCK_PT = 12.0  # neighbourhood of the adaptive threshold
BINARIZE_OFFSET = 15      # how much darker than its neighbourhood a pixel must be to be ink
PAPER_PERCENTILE = 90     # the paper's tone: this percentile of the page's gray levels
BROKEN_RULE_GAP_PT = 150.0  # pieces of one table whose rules a seal broke lie at most this far apart
RING_RADIUS_MM = (12.0, 26.0)  # radii of seal rings (seals are 38–45 mm across, some smaller)
RING_SEARCH_DPI = 50.0    # rings are looked for on a copy at this resolution
RING_MIN_COVERAGE = 0.75  # share of a candidate circle's round that must be ink
RING_ANGLES = np.linspace(0, 2 * np.pi, 240, endpoint=False)
RING_BAND_MM = 1.2        # a ring's stroke is within this of the circle
RING_VOTES = 18           # Hough accumulator threshold at the search resolution
RING_CANDIDATES = 8       # circles with the most votes checked (a page has a few seals)


@dataclass(frozen=True)
class Grid:
    """Row edges (top to bottom) and column edges (left to right) of one table."""

    rows: tuple[float, ...]
    cols: tuple[float, ...]

    @property
    def row_count(self) -> int:
        return len(self.rows) - 1

    @property
    def col_count(self) -> int:
        return len(self.cols) - 1

    def crosses_column(self, box: Box | None) -> bool:
        """Whether an inner column edge runs through the box (not just along its side)."""
        if box is None:
            return False
        margin = (box[2] - box[0]) * CROSSING_MARGIN
        return any(box[0] + margin < x < box[2] - margin for x in self.cols[1:-1])

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, column) of the cell holding the point, None outside the table."""
        if not (self.cols[0] <= x < self.cols[-1] and self.rows[0] <= y < self.rows[-1]):
            return None
        return bisect.bisect_right(self.rows, y) - 1, bisect.bisect_right(self.cols, x) - 1


def cluster(values: Sequence[float], tolerance: float) -> list[float]:
    """Sorted values, runs closer than `tolerance` replaced by their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(run) / len(run) for run in out]


def grid_from_edges(rows: Sequence[float], cols: Sequence[float], tolerance: float) -> Grid | None:
    """A grid from raw edge positions, or None if they do not make a table (a box
    around text has one column: it is a frame)."""
    r, c = cluster(rows, tolerance), cluster(cols, tolerance)
    if len(r) < 2 or len(c) < 3:
        return None
    return Grid(tuple(float(v) for v in r), tuple(float(v) for v in c))


# -- scanned pages ------------------------------------------------------------------
def ink_mask(gray: np.ndarray, dpi: float) -> np.ndarray:
    """255 where there is ink, tolerant of uneven lighting."""
    block = max(3, int(BINARIZE_BLOCK_PT * dpi / 72) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                 block, BINARIZE_OFFSET)


@dataclass
class RuledTables:
    """The grids of a page's ruled tables, and a mask (255) of their rules' pixels."""

    grids: list[Grid]
    rules: np.ndarray


def round_coverage(reach: np.ndarray, cx: float, cy: float, r: float) -> float:
    """Share of the circle's round (the part on the page) that lies on ink."""
    h, w = reach.shape
    xs = cx + r * np.cos(RING_ANGLES)
    ys = cy + r * np.sin(RING_ANGLES)
    inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    if inside.sum() < len(RING_ANGLES) // 3:
        return 0.0
    return float((reach[ys[inside].astype(int), xs[inside].astype(int)] > 0).mean())


def ring_mask(ink: np.ndarray, dpi: float) -> np.ndarray:
    """255 on the rings of seals in an ink mask: Hough circles of a seal's size,
    placed exactly at full resolution, whose round is mostly ink (the corners of a
    table or a paragraph are not): centre first, then radius."""
    mask = np.zeros_like(ink)
    scale = RING_SEARCH_DPI / dpi
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    px_per_mm = RING_SEARCH_DPI / 25.4
    low, high = (int(r * px_per_mm) for r in RING_RADIUS_MM)
    circles = cv2.HoughCircles(cv2.GaussianBlur(small, (3, 3), 0), cv2.HOUGH_GRADIENT, dp=1, minDist=low,
                               param1=100, param2=RING_VOTES, minRadius=low, maxRadius=high)
    if circles is None:
        return mask
    band = max(1, int(RING_BAND_MM * dpi / 25.4))
    reach = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    step = max(1, int(1 / scale) // 2)
    offsets = range(-2 * step * 2, 2 * step * 2 + 1, step)
    for cx, cy, r in circles[0][:RING_CANDIDATES] / scale:
        _, cx, cy = max((round_coverage(reach, cx + dx, cy + dy, r), cx + dx, cy + dy)
                        for dx in offsets for dy in offsets)
        coverage, r = max((round_coverage(reach, cx, cy, r + dr), r + dr) for dr in offsets)
        if coverage >= RING_MIN_COVERAGE:
            cv2.circle(mask, (int(cx), int(cy)), int(r), 255, thickness=2 * band + 1)
    return mask


def rule_masks(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rules (and long strokes) of a deskewed grayscale page,
    seal rings left out."""
    ink = ink_mask(gray, dpi)
    ink[ring_mask(ink, dpi) > 0] = 0
    px = dpi / 72
    bridge = max(1, round(RULE_BRIDGE_PT * px))
    h_len, v_len = max(2, round(H_RULE_MIN_PT * px)), max(2, round(V_RULE_MIN_PT * px))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, bridge), np.uint8))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_OPEN, np.ones((1, h_len), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((bridge, 1), np.uint8))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_OPEN, np.ones((v_len, 1), np.uint8))
    return horizontal, vertical


def segments(mask: np.ndarray) -> np.ndarray:
    """Bounding boxes (x, y, w, h) of the mask's connected pieces."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return stats[1:count, :4]


def find_tables(gray: np.ndarray, dpi: float) -> RuledTables:
    """Ruled tables of a deskewed page: rules that touch each other, at least two of
    each direction (a long stroke of a large character touches no other rule)."""
    horizontal, vertical = rule_masks(gray, dpi)
    joined = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    _, labels = cv2.connectedComponents(joined, connectivity=8)
    tables: dict[int, tuple[list[np.ndarray], list[np.ndarray]]] = {}
    for kind, mask in ((0, horizontal), (1, vertical)):
        for seg in segments(mask):
            x, y, w, h = (int(v) for v in seg)
            label = int(labels[y + h // 2, x + w // 2])
            if label:
                tables.setdefault(label, ([], []))[kind].append(seg)
    tolerance = EDGE_MERGE_PT * dpi / 72
    grids, rules = [], np.zeros_like(horizontal)
    for h_segs, v_segs in join_broken_pieces(list(tables.values()), tolerance, BROKEN_RULE_GAP_PT * dpi / 72):
        if len(h_segs) < 2 or len(v_segs) < 2:
            continue
        grid = grid_from_segments(h_segs, v_segs, tolerance)
        if grid is None:
            continue
        grids.append(grid)
        for segs, mask in ((h_segs, horizontal), (v_segs, vertical)):
            for x, y, w, h in segs:
                rules[y:y + h, x:x + w] |= mask[y:y + h, x:x + w]
    return RuledTables(sorted(grids, key=lambda g: g.rows[0]), rules)


Piece = tuple[list[np.ndarray], list[np.ndarray]]


def join_broken_pieces(pieces: list[Piece], tolerance: float, max_gap: float) -> list[Piece]:
    """Pieces of rules (horizontal, vertical segments) joined where they are one table
    broken apart: side by side, at most `max_gap` apart, with at least two horizontal
    rules at the same heights (a seal lifted off a table takes the rules under its ink)."""
    def outline(piece: Piece) -> tuple[float, float, list[float]]:
        h_segs = piece[0]
        return (min(x for x, y, w, h in h_segs), max(x + w for x, y, w, h in h_segs),
                cluster([y + h / 2 for x, y, w, h in h_segs], tolerance))

    def one_table(a: tuple[float, float, list[float]], b: tuple[float, float, list[float]]) -> bool:
        gap = max(a[0], b[0]) - min(a[1], b[1])
        shared = sum(any(abs(y - z) <= tolerance for z in b[2]) for y in a[2])
        return 0 < gap <= max_gap and shared >= 2

    joined: list[tuple[Piece, tuple[float, float, list[float]]]] = []
    alone: list[Piece] = [piece for piece in pieces if not piece[0]]
    for piece, shape in sorted(((p, outline(p)) for p in pieces if p[0]), key=lambda pair: pair[1][0]):
        into = next((j for j, (_, seen) in enumerate(joined) if one_table(seen, shape)), None)
        if into is None:
            joined.append(((list(piece[0]), list(piece[1])), shape))
        else:
            (h_segs, v_segs), seen = joined[into]
            h_segs.extend(piece[0])
            v_segs.extend(piece[1])
            joined[into] = ((h_segs, v_segs), outline((h_segs, v_segs)))
    return [piece for piece, _ in joined] + alone


def erase_rules(gray: np.ndarray, rules: np.ndarray) -> np.ndarray:
    """A copy of the page with the rules painted over in the paper's tone, so that
    OCR does not read a rule as "|", ")" or "一" beside a cell's text."""
    mask = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    paper = int(np.percentile(gray[::8, ::8], PAPER_PERCENTILE))
    clean = gray.copy()
    clean[mask > 0] = paper
    return clean


def grid_from_segments(h_segs: list[np.ndarray], v_segs: list[np.ndarray], tolerance: float) -> Grid | None:
    """Row edges from the horizontal rules, column edges from the vertical ones; the
    table's outer extent closes a side that has no rule (a table cut by a page break)."""
    rows = [y + h / 2 for x, y, w, h in h_segs]
    cols = [x + w / 2 for x, y, w, h in v_segs]
    rows += [min(y for x, y, w, h in v_segs), max(y + h for x, y, w, h in v_segs)]
    cols += [min(x for x, y, w, h in h_segs), max(x + w for x, y, w, h in h_segs)]
    return grid_from_edges(rows, cols, tolerance)
