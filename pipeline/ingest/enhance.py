"""Worn scans made plain before OCR: shadows flattened, faded ink darkened.

A photocopied or badly lit page has paper that is not one tone (a binding shadow
down one edge, uneven illumination) and toner too faint for the recognizer to
tell strokes apart. The page's paper tone is estimated everywhere by closing the
ink away on a reduced copy (`BACKGROUND_KERNEL_MM`); the page is measured and
only a page that needs it is changed:

- `flatten_paper`: paper more uneven than `UNEVEN_PAPER` is divided by its tone,
  so the shadow becomes paper (before seals are lifted: colour is kept);
- `darken_faint_ink`: ink fainter than `FAINT_INK` (its `INK_PERCENTILE` darkest
  tone as a share of the paper) is stretched until it is as dark as `TARGET_INK`
  (after seals are lifted: the seal model assumes the scan's own shading).

A clean page is returned unchanged.
"""
from __future__ import annotations

import cv2
import numpy as np

BACKGROUND_KERNEL_MM = 4.0    # ink narrower than this is closed away when the paper tone is estimated
REDUCTION = 4                 # the paper tone is estimated on a copy this many times smaller
SHADOW_PERCENTILE = 2         # the page's darkest paper: this percentile of the paper tone
UNEVEN_PAPER = 0.05           # paper whose darkest part is this share darker than its median is flattened
INK_PERCENTILE = 10           # the ink's tone: this percentile of the ink pixels (its darkest tenth)
FAINT_INK = 0.70              # ink darker than the paper by less than this share is faint
TARGET_INK = 0.85             # faint ink is stretched until it is darker than the paper by this share
MIN_INK_CONTRAST = 0.35       # ink is never stretched by more than TARGET_INK / this (blank paper's noise)
MM_PER_INCH = 25.4


def paper_tone(gray: np.ndarray, dpi: float) -> np.ndarray:
    """The paper's tone at every pixel: the page with its ink closed away, smoothed."""
    small = cv2.resize(gray, None, fx=1 / REDUCTION, fy=1 / REDUCTION, interpolation=cv2.INTER_AREA)
    size = max(3, int(BACKGROUND_KERNEL_MM * dpi / MM_PER_INCH / REDUCTION) | 1)
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    smooth = cv2.medianBlur(closed, size)
    return cv2.resize(smooth, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)


def unevenness(tone: np.ndarray) -> float:
    """Share by which the page's darkest paper is darker than its median paper."""
    median = float(np.median(tone))
    return (median - float(np.percentile(tone, SHADOW_PERCENTILE))) / max(median, 1.0)


def ink_contrast(flat: np.ndarray) -> float:
    """Share by which the ink (its `INK_PERCENTILE` darkest tone) is darker than the
    paper, on a page given as shares of its paper tone."""
    _, ink = cv2.threshold((flat * 255).astype(np.uint8), 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    levels = flat[ink > 0]
    return 1.0 - float(np.percentile(levels, INK_PERCENTILE)) if levels.size else 1.0


def flatten_paper(image: np.ndarray, dpi: float) -> np.ndarray:
    """The page (grayscale or RGB) divided by its paper tone when the paper is more
    uneven than `UNEVEN_PAPER` (a binding shadow, uneven light), else as it is. Every
    channel is divided alike, so a seal keeps its colour and the seal finder's model
    of its ink still holds."""
    value = image if image.ndim == 2 else image.max(axis=2)
    tone = paper_tone(value, dpi)
    if unevenness(tone) <= UNEVEN_PAPER:
        return image
    gain = 255.0 / np.maximum(tone.astype(np.float32), 1.0)
    out = image.astype(np.float32) * (gain if image.ndim == 2 else gain[..., None])
    return np.clip(out, 0, 255).astype(np.uint8)


def darken_faint_ink(gray: np.ndarray, dpi: float) -> np.ndarray:
    """The grayscale page, as shares of its paper tone, with its ink stretched until it
    is `TARGET_INK` darker than the paper, when the page's ink is fainter than
    `FAINT_INK` (faded toner, a light photocopy); else as it is."""
    tone = paper_tone(gray, dpi)
    flat = np.clip(gray.astype(np.float32) / np.maximum(tone.astype(np.float32), 1.0), 0.0, 1.0)
    contrast = ink_contrast(flat)
    if contrast >= FAINT_INK:
        return gray
    darker = 1.0 - (1.0 - flat) * TARGET_INK / max(contrast, MIN_INK_CONTRAST)
    return np.clip(darker * 255.0, 0, 255).astype(np.uint8)
