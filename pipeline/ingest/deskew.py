"""Deskew and turn a scanned page so that its text lines and rules are horizontal.

OCR line grouping and the ruled-grid finder both assume an upright page. The skew
is the angle at which the ink's horizontal projection is sharpest (text lines and
table rules pile up into narrow peaks), searched coarse then fine on a reduced
copy. `straighten` turns the page by any number of quarter turns (an upside-down
page gets two), then rotates it by the skew onto a canvas large enough to keep
every corner, and keeps the transform so that boxes found on the upright image
map back to the page as scanned.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import cv2
import numpy as np

from pipeline.document import Box

MAX_SKEW_DEG = 5.0       # skew searched within ± this
COARSE_STEP_DEG = 0.25
FINE_STEP_DEG = 0.02
MIN_SKEW_DEG = 0.05      # smaller skews are left alone
WORK_WIDTH_PX = 1000     # the projection is computed on a copy this wide
MIN_INK_PIXELS = 200     # pages with less ink than this are not deskewed
BACKGROUND = 255


@dataclass
class Upright:
    """A page image made upright, and the affine map from scanned to upright pixels."""

    image: np.ndarray
    matrix: np.ndarray   # 2×3, scanned (x, y, 1) → upright (x, y)

    def to_scanned(self, boxes: list[Optional[Box]], scale: float = 1.0) -> list[Optional[Box]]:
        """Axis-aligned boxes, in scanned-page pixels times `scale`, around upright boxes."""
        found = [i for i, b in enumerate(boxes) if b is not None]
        out: list[Optional[Box]] = [None] * len(boxes)
        if not found:
            return out
        b = np.array([boxes[i] for i in found], dtype=np.float64)
        xs = np.stack([b[:, 0], b[:, 2], b[:, 2], b[:, 0]], axis=1)
        ys = np.stack([b[:, 1], b[:, 1], b[:, 3], b[:, 3]], axis=1)
        inverse = cv2.invertAffineTransform(self.matrix)
        mx = (inverse[0, 0] * xs + inverse[0, 1] * ys + inverse[0, 2]) * scale
        my = (inverse[1, 0] * xs + inverse[1, 1] * ys + inverse[1, 2]) * scale
        for row, i in enumerate(found):
            out[i] = (round(float(mx[row].min()), 2), round(float(my[row].min()), 2),
                      round(float(mx[row].max()), 2), round(float(my[row].max()), 2))
        return out

    def to_upright(self, box: Box) -> Box:
        """The axis-aligned box, in upright pixels, around a box of the scanned page."""
        corners = np.array([[box[0], box[1], 1.0], [box[2], box[1], 1.0],
                            [box[2], box[3], 1.0], [box[0], box[3], 1.0]]) @ self.matrix.T
        return (float(corners[:, 0].min()), float(corners[:, 1].min()),
                float(corners[:, 0].max()), float(corners[:, 1].max()))

    def warp(self, image: np.ndarray) -> np.ndarray:
        """Another image of the scanned page (a colour channel), made upright the same way."""
        height, width = self.image.shape[:2]
        return cv2.warpAffine(image, self.matrix, (width, height), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=BACKGROUND)


def ink_points(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of the ink pixels of a reduced copy of the page."""
    scale = min(1.0, WORK_WIDTH_PX / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    return xs.astype(np.float64), ys.astype(np.float64)


def sharpness(xs: np.ndarray, ys: np.ndarray, angle: float) -> float:
    """How peaked the row profile is when read along lines tilted by `angle`."""
    t = np.deg2rad(angle)
    rows = ys * np.cos(t) + xs * np.sin(t)
    profile = np.bincount((rows - rows.min()).astype(np.int64))
    return float(np.dot(profile, profile))


def best_angle(xs: np.ndarray, ys: np.ndarray, centre: float, span: float, step: float) -> float:
    angles = np.arange(centre - span, centre + span + step / 2, step)
    return float(max(angles, key=lambda a: sharpness(xs, ys, a)))


def estimate_skew(gray: np.ndarray) -> float:
    """Counter-clockwise rotation of the page content, in degrees."""
    xs, ys = ink_points(gray)
    if len(xs) < MIN_INK_PIXELS:
        return 0.0
    coarse = best_angle(xs, ys, 0.0, MAX_SKEW_DEG, COARSE_STEP_DEG)
    return best_angle(xs, ys, coarse, COARSE_STEP_DEG, FINE_STEP_DEG)


def rotate(gray: np.ndarray, angle: float) -> Upright:
    """The page turned counter-clockwise by `angle` degrees on an enlarged canvas."""
    h, w = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(round(h * sin + w * cos)), int(round(h * cos + w * sin))
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    image = cv2.warpAffine(gray, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_CONSTANT, borderValue=BACKGROUND)
    return Upright(image=image, matrix=matrix)


def then(first: Upright, second: Upright) -> Upright:
    """`second` applied to the image of `first`, as one map from the scanned page."""
    a = np.vstack([first.matrix, [0, 0, 1]])
    b = np.vstack([second.matrix, [0, 0, 1]])
    return Upright(image=second.image, matrix=(b @ a)[:2])


def straighten(gray: np.ndarray, quarter_turns: int = 0) -> Upright:
    """The page turned by `quarter_turns` × 90° counter-clockwise, then deskewed."""
    page = Upright(image=gray, matrix=np.array([[1.0, 0, 0], [0, 1.0, 0]]))
    if quarter_turns % 4:
        page = rotate(gray, 90.0 * (quarter_turns % 4))
    skew = estimate_skew(page.image)
    if abs(skew) < MIN_SKEW_DEG:
        return page
    return then(page, rotate(page.image, -skew))
