"""Text-layer pages: a pdfplumber page → `PageText`, when its text layer is usable.

A text layer is usable when it holds readable characters: no `(cid:…)` codes and
mostly CJK, CJK punctuation or printable ASCII (a font without a Unicode map gives
cid codes or mojibake), and it is not just a few words over a page-sized image
(a scan with a stamped header). A usable page is read as words with their
character boxes; its ruled tables come from pdfplumber's table finder, as grids
whose cells the layout fills by character position.
"""
from __future__ import annotations

from typing import Optional

from pdfplumber.page import Page

from pipeline.document import PageText
from pipeline.ingest.grid import Grid, grid_from_edges
from pipeline.ingest.layout import Glyph, Token, assemble, is_wide

MIN_READABLE_SHARE = 0.9      # share of readable characters in a usable text layer
IMAGE_COVER_SHARE = 0.5       # a page this much covered by images ...
MIN_CHARS_OVER_IMAGE = 50     # ... needs this many characters to be read as text
TABLE_EDGE_MERGE_PT = 1.0     # table cell edges closer than this are one edge
WORD_X_TOLERANCE = 3.0        # pdfplumber: characters closer than this form one word
WORD_Y_TOLERANCE = 3.0
EXTRA_READABLE = set("·×÷±°№※√∶→←↑↓")  # besides general punctuation (U+2000–U+206F)


def is_readable(ch: str) -> bool:
    return " " <= ch <= "~" or is_wide(ch) or ch in EXTRA_READABLE or 0x2000 <= ord(ch) <= 0x206F


def readable_share(text: str) -> float:
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return 0.0
    return sum(1 for ch in chars if is_readable(ch)) / len(chars)


def image_cover(page: Page) -> float:
    """Share of the page area under images (overlaps counted twice, capped at 1)."""
    area = float(page.width * page.height) or 1.0
    covered = 0.0
    for image in page.images:
        x0, x1 = max(image["x0"], 0), min(image["x1"], page.width)
        top, bottom = max(image["top"], 0), min(image["bottom"], page.height)
        covered += max(0.0, x1 - x0) * max(0.0, bottom - top)
    return min(1.0, covered / area)


def is_blank(page: Page) -> bool:
    """Nothing on the page at all: no text, no image, no drawing."""
    return not (page.chars or page.images or page.curves or page.rects or page.lines)


def has_usable_text(page: Page) -> bool:
    text = "".join(c["text"] for c in page.chars)
    if not text.strip() or "(cid:" in text:
        return False
    if readable_share(text) < MIN_READABLE_SHARE:
        return False
    return image_cover(page) < IMAGE_COVER_SHARE or len(text.strip()) >= MIN_CHARS_OVER_IMAGE


def has_overprint(page: Page) -> bool:
    """Whether some character is drawn twice in the same place (fake bold)."""
    seen = {(c["text"], round(c["x0"]), round(c["top"])) for c in page.chars}
    return len(seen) < len(page.chars)


def tokens(page: Page) -> list[Token]:
    words = page.extract_words(x_tolerance=WORD_X_TOLERANCE, y_tolerance=WORD_Y_TOLERANCE,
                               keep_blank_chars=False, use_text_flow=False, return_chars=True)
    return [Token([Glyph(c["text"], (round(c["x0"], 2), round(c["top"], 2), round(c["x1"], 2),
                                     round(c["bottom"], 2)))
                   for c in word["chars"]])
            for word in words]


def grids(page: Page) -> list[Grid]:
    found = []
    for table in page.find_tables():
        rows = [v for cell in table.cells for v in (cell[1], cell[3])]
        cols = [v for cell in table.cells for v in (cell[0], cell[2])]
        grid = grid_from_edges(rows, cols, TABLE_EDGE_MERGE_PT)
        if grid is not None:
            found.append(grid)
    return found


def read_text_page(page: Page) -> Optional[PageText]:
    """The page's text from its text layer, or None when the page needs OCR."""
    if is_blank(page):
        return PageText(text="", source="pdf-text")
    if not has_usable_text(page):
        return None
    if has_overprint(page):
        page = page.dedupe_chars()
    text = assemble(tokens(page), grids(page), float(page.width), source="pdf-text")
    text.confidences = None
    return text
