"""Where a finding's cited values sit on the pages of a PDF: the boxes, page by page, for the page images.

Evidence boxes are in PDF points from the page's top-left corner. The finding
page shows each cited page's image (`pipeline.review.source.page_image` draws
the boxes in) and lays the same boxes over it as outlined rectangles, placed in
percent of the page's size, so the marks stay on the values at any zoom.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from pipeline.review.queries import Cited

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Overlay:
    """One mark on a page image: a box in percent of the page, and what it marks."""

    left: float
    top: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class PageBoxes:
    page: int
    boxes: list[Box]
    overlays: list[Overlay]


def boxes_of(cited: Iterable[Cited]) -> dict[int, list[tuple[Box, str]]]:
    """page → the boxes of the cited values read on it, each with the value's path."""
    pages: dict[int, list[tuple[Box, str]]] = {}
    for c in cited:
        row = c.row
        if row["bbox_x0"] is None or row["page"] is None:
            continue
        box = (float(row["bbox_x0"]), float(row["bbox_y0"]), float(row["bbox_x1"]), float(row["bbox_y1"]))
        if all(box != seen for seen, _ in pages.get(row["page"], [])):  # two citations of one value: one mark
            pages.setdefault(row["page"], []).append((box, c.value_path or row["path"]))
    return pages


def page_boxes(document_path: str, cited: Iterable[Cited]) -> list[PageBoxes]:
    """The pages of `document_path` the cited values were read on, in page order, with their boxes."""
    out = []
    for page, marked in sorted(boxes_of(cited).items()):
        size = page_size(document_path, page)
        overlays = [] if size is None else [_overlay(box, label, size) for box, label in marked]
        out.append(PageBoxes(page, [box for box, _ in marked], overlays))
    return out


def page_size(document_path: str, page: int) -> Optional[tuple[float, float]]:
    """(width, height) of a PDF's page in points; None for other files or a page that cannot be read."""
    if Path(document_path).suffix.lower() != ".pdf":
        return None
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(document_path)
    except (OSError, pypdfium2.PdfiumError):
        return None
    try:
        return document[page - 1].get_size() if 1 <= page <= len(document) else None
    finally:
        document.close()


def _overlay(box: Box, label: str, size: tuple[float, float]) -> Overlay:
    width, height = size
    x0, y0, x1, y1 = box
    return Overlay(round(100 * x0 / width, 3), round(100 * y0 / height, 3),
                   round(100 * (x1 - x0) / width, 3), round(100 * (y1 - y0) / height, 3), label)
