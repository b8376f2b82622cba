"""Official seals on a colour page: found by the colour of their ink, then lifted off.

A red (or blue) seal stamped over a signature block or a price table would give
the grid finder a ring to take for column rules and the OCR a line of seal text.
Seal ink is found by hue and saturation (`RED_HUES`, `BLUE_HUES`, `MIN_SATURATION`,
`MIN_VALUE`, OpenCV's 0..179 hue scale); ink patches large enough to be a seal
or half a seal (`MIN_SEAL_MM`) are recorded as `Seal`s. The page handed on is
grayscale, and in each seal's area every pixel's brightness is divided by the
shade the seal's ink gives it, estimated from how red (or blue) the pixel is; what
is left lighter than `GHOST_SHARE` of the paper becomes paper. Black text under a
seal stays black, the seal goes.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.document import Box

RED_HUES = ((0, 12), (160, 179))   # OpenCV hue ranges of red stamp ink
BLUE_HUES = ((95, 135),)           # ... of blue stamp ink
MIN_SATURATION = 60                # greyer pixels are not coloured ink
MIN_VALUE = 70                     # darker pixels are black ink (text under the seal is kept)
MIN_SEAL_MM = 12.0                 # a coloured patch at least this tall and wide is a seal (or half of one)
MAX_SEAL_ASPECT = 3.0              # ... and no longer than this in one direction (a red header line is)
JOIN_MM = 2.0                      # coloured pieces this close belong to one seal
PIECE_SHARE = 0.3                  # pieces this share of a seal's least size, overlapping, join into one
MARGIN_MM = 1.0                    # a seal's area is widened by this to take its blurred edge
PAPER_PERCENTILE = 90              # the paper's tone: this percentile of the page's gray levels
GHOST_SHARE = 0.75                 # lifted pixels lighter than this share of the paper's tone are paper
                                   # (the seal's edges, smeared by JPEG's coarse colour)
MM_PER_INCH = 25.4
COLOURS = {"red": RED_HUES, "blue": BLUE_HUES}
CHROMA_CHANNEL = {"red": 1, "blue": 2}     # YCrCb channel that measures the ink (Cr, Cb)
EDGE_PX = 5                        # a pixel is shaded by the strongest ink this near (JPEG blurs colour)
FULL_INK_PERCENTILE = 90           # the ink at full strength: this percentile of its colour over the seal


@dataclass(frozen=True)
class Seal:
    """One seal: its colour and its box in the page image's pixels."""

    colour: str
    box: Box

    def describe(self, points_per_pixel: float) -> str:
        """The seal as a page note: colour and box in points."""
        x0, y0, x1, y1 = (round(v * points_per_pixel) for v in self.box)
        return f"{self.colour} seal at ({x0}, {y0}, {x1}, {y1}) pt, lifted off before OCR"


def ink_of(hsv: np.ndarray, hues: tuple[tuple[int, int], ...]) -> np.ndarray:
    """255 where a pixel has the given hue, enough colour, and is not dark."""
    mask = np.zeros(hsv.shape[:2], np.uint8)
    for low, high in hues:
        mask |= cv2.inRange(hsv, (low, MIN_SATURATION, MIN_VALUE), (high, 255, 255))
    return mask


def merged(boxes: list[Box], smallest: float, reach: float) -> list[Box]:
    """Boxes of pieces at least `smallest` across, those that overlap or come within
    `reach` joined into one (a seal whose ink is broken, or crossed by a black rule,
    falls apart into a few pieces)."""
    out = [b for b in boxes if max(b[2] - b[0], b[3] - b[1]) >= smallest]
    joined = True
    while joined:
        joined = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                a, b = out[i], out[j]
                if (a[0] <= b[2] + reach and b[0] <= a[2] + reach
                        and a[1] <= b[3] + reach and b[1] <= a[3] + reach):
                    out[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del out[j]
                    joined = True
                    break
            if joined:
                break
    return out


def find_seals(rgb: np.ndarray, dpi: float) -> list[Seal]:
    """Seals on an RGB page scanned at `dpi`, largest first."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    px_per_mm = dpi / MM_PER_INCH
    join = np.ones((max(1, int(JOIN_MM * px_per_mm)),) * 2, np.uint8)
    minimum = MIN_SEAL_MM * px_per_mm
    seals = []
    for colour, hues in COLOURS.items():
        mask = cv2.morphologyEx(ink_of(hsv, hues), cv2.MORPH_CLOSE, join)
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        pieces = [(float(x), float(y), float(x + w), float(y + h)) for x, y, w, h, _ in stats[1:count]]
        for x0, y0, x1, y1 in merged(pieces, minimum * PIECE_SHARE, 2 * join.shape[0]):
            w, h = x1 - x0, y1 - y0
            if min(w, h) >= minimum and max(w, h) <= MAX_SEAL_ASPECT * min(w, h):
                seals.append(Seal(colour, (x0, y0, x1, y1)))
    return sorted(seals, key=lambda s: -(s.box[2] - s.box[0]) * (s.box[3] - s.box[1]))


def lift_seals(rgb: np.ndarray, seals: list[Seal], dpi: float) -> np.ndarray:
    """The page in grayscale with the seals' ink turned to paper and the text under
    them kept: each pixel's brightness is divided by the shade the seal's ink gives
    it, estimated from the pixel's colour (JPEG keeps colour at half resolution, so
    a thin black stroke under a seal takes the seal's colour from its neighbours)."""
    original = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    gray = original.copy()
    if not seals:
        return gray
    paper = float(np.percentile(gray[::8, ::8], PAPER_PERCENTILE))
    ycrcb = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    margin = int(MARGIN_MM * dpi / MM_PER_INCH)
    h, w = gray.shape
    for seal in seals:
        x0, y0 = max(0, int(seal.box[0]) - margin), max(0, int(seal.box[1]) - margin)
        x1, y1 = min(w, int(seal.box[2]) + margin), min(h, int(seal.box[3]) + margin)
        ink = ink_of(hsv[y0:y1, x0:x1], COLOURS[seal.colour]) > 0
        if not ink.any():
            continue
        chroma = np.abs(cv2.blur(ycrcb[y0:y1, x0:x1, CHROMA_CHANNEL[seal.colour]], (3, 3)).astype(np.float32) - 128)
        luma = original[y0:y1, x0:x1].astype(np.float32)
        full_chroma = max(1.0, float(np.percentile(chroma[ink], FULL_INK_PERCENTILE)))
        full_shade = float(np.median(luma[ink & (chroma >= full_chroma)])) / paper if (ink & (chroma >= full_chroma)).any() else 1.0
        coverage = cv2.dilate(np.clip(chroma / full_chroma, 0.0, 1.0), np.ones((EDGE_PX, EDGE_PX), np.uint8))
        shade = 1.0 - coverage * (1.0 - min(full_shade, 1.0))
        lifted = np.minimum(luma / np.maximum(shade, 0.05), paper)
        lifted[lifted > GHOST_SHARE * paper] = paper
        gray[y0:y1, x0:x1] = np.maximum(gray[y0:y1, x0:x1], lifted.astype(np.uint8))
    return gray
