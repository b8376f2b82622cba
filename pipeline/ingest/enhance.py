"""Worn scans made plain before OCR: shadows flattened, faded ink darkened.

A photocopied or badly lit page has paper that is not one tone (a binding shadow
down one edge, uneven illumination) and toner too faint for the recognizer to
tell strokes apart. The page's paper tone is estimated everywhere by closing the
ink away on a reduced copy (`BACKGROUND_KERNEL_MM`); the page is measured
(`PageTone`: how uneven the paper is, how dark its ink stands against it) and
only a page that needs it is changed:

- paper more uneven than `UNEVEN_PAPER` is divided by its tone, so the shadow
  becomes paper;
- ink fainter than `FAINT_INK` (its `INK_PERCENTILE` darkest tone as a share of
  the paper) is stretched until it is as dark as `TARGET_INK`.

A clean page is returned unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

BACKGROUND_KERNEL_MM = 4.0    # ink narrower than this is closed away when the paper tone is estimated
REDUCTION = 4                 # the paper tone is estimated on a copy this many times smaller
SHADOW_PERCENTILE = 2         # the page's darkest paper: this percentile of the paper tone
UNEVEN_PAPER = 0.05           # paper whose darkest part is this share darker than its median is flattened
INK_PERCENTILE = 10           # the ink's tone: this percentile of the ink pixels (its darkest tenth)
FAINT_INK = 0.70              # ink darker than the paper by less than this share is faint
TARGET_INK = 0.85             # faint ink is stretched until it is darker than the paper by this share
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class PageTone:
    """How a page's paper and ink look: what decides whether it is enhanced."""

    unevenness: float     # share by which the darkest paper is darker than the median paper
    ink_contrast: float   # share by which the ink is darker than the paper around it


def paper_tone(gray: np.ndarray, dpi: float) -> np.ndarray:
    """The paper's tone at every pixel: the page with its ink closed away, smoothed."""
    small = cv2.resize(gray, None, fx=1 / REDUCTION, fy=1 / REDUCTION, interpolation=cv2.INTER_AREA)
    size = max(3, int(BACKGROUND_KERNEL_MM * dpi / MM_PER_INCH / REDUCTION) | 1)
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    smooth = cv2.medianBlur(closed, size)
    return cv2.resize(smooth, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)


def flattened(gray: np.ndarray, tone: np.ndarray) -> np.ndarray:
    """The page as a share of its paper tone (0 black ink .. 1 paper), as floats."""
    return np.clip(gray.astype(np.float32) / np.maximum(tone, 1).astype(np.float32), 0.0, 1.0)


def measure(gray: np.ndarray, tone: np.ndarray) -> PageTone:
    median = float(np.median(tone))
    shadow = float(np.percentile(tone, SHADOW_PERCENTILE))
    flat = flattened(gray, tone)
    levels = (flat * 255).astype(np.uint8)
    _, ink = cv2.threshold(levels, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ink_levels = flat[ink > 0]
    contrast = 1.0 - float(np.percentile(ink_levels, INK_PERCENTILE)) if ink_levels.size else 1.0
    return PageTone(unevenness=(median - shadow) / max(median, 1.0), ink_contrast=contrast)


def enhance(gray: np.ndarray, dpi: float) -> np.ndarray:
    """The grayscale page with its shadows flattened and faint ink darkened where the
    page needs it; a page that needs neither is returned as it is."""
    tone = paper_tone(gray, dpi)
    page = measure(gray, tone)
    uneven = page.unevenness > UNEVEN_PAPER
    faint = page.ink_contrast < FAINT_INK
    if not uneven and not faint:
        return gray
    flat = flattened(gray, tone) if uneven else gray.astype(np.float32) / float(np.median(tone))
    if faint:
        gain = TARGET_INK / max(page.ink_contrast, 0.05)
        flat = 1.0 - (1.0 - flat) * gain
    return np.clip(flat * 255.0, 0, 255).astype(np.uint8)
