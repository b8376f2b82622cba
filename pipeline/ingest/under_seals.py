"""Lines under a seal read again from the colour channel in which the seal is palest.

Lifting a seal (`pipeline.ingest.seals`) keeps the text under it only where the
text is darker than the shade the seal gives it, so faded text under dense seal
ink comes out broken ("1vCPU" read "1:CP", half a line left unread). In the
channel of the seal's own colour (red ink is pale in the red channel, blue ink in
the blue) the text under the seal is whole, but the seal is there too, as a light
grey with its own characters. So the channel is used only where the lifted page
shows text:

- each token that crosses a seal is read again as one line on the channel, cut
  out across its table cell (up to its neighbours on the line; outside a table,
  around its box; a token lower than the page's lines, what is left of a figure,
  as high as they are); the reading replaces the token when the recognizer is
  surer of it by `SURER_BY`, sure of it (`MIN_CONFIDENCE`), and it keeps half the
  token's characters in order (`KEEP_SHARE`): a correction, not the seal's own
  lettering, which the channel shows as clearly as the text;
- ink the lifted page keeps in a table cell under a seal that no token covers
  (a line the detector missed) is read on the channel, and kept when the
  recognizer is sure of it and it is more than one character (a seal ring's
  remains beside a figure read as a lone "1").

A seal's own lettering is lifted off the page, so it leaves no token to re-read
and little ink to find.
"""
from __future__ import annotations

import difflib
import statistics
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from pipeline.document import Box
from pipeline.ingest.cells import ink_mask, ink_patch, unread_cells
from pipeline.ingest.grid import Grid
from pipeline.ingest.layout import Token
from pipeline.ingest.ocr import OcrEngine, widened
from pipeline.ingest.seals import MM_PER_INCH, Seal

SEAL_CHANNEL = {"red": 0, "blue": 2}   # RGB channel in which each seal colour is palest
SEAL_MARGIN_MM = 1.0       # a token this near a seal's box crosses it
PAD_SHARE = 0.25           # margin cut out around a line, in shares of its height
SURER_BY = 0.10            # a new reading replaces a token when its confidence is this much higher
MIN_CONFIDENCE = 0.8       # ... and at least this; a line the detector missed needs as much
KEEP_SHARE = 0.5           # ... and keeps this share of the token's characters, in order
CELL_INSET_MM = 0.6        # a cell's border strip, where a rule's remains lie, is left out
NEIGHBOUR_OVERLAP = 0.5    # tokens overlapping this share of the lower one's height share its line
MIN_MISSED_CHARS = 2       # ... and this many characters (a seal ring's remains read as a lone "1")


@dataclass(frozen=True)
class SealView:
    """One seal on the upright page: its box, and the page in its palest channel
    (upright, rules painted out)."""

    box: Box
    channel: np.ndarray


def seal_channels(rgb: np.ndarray, seals: Sequence[Seal]) -> dict[str, np.ndarray]:
    """For each seal colour on the page, the channel in which that ink is palest."""
    return {seal.colour: np.ascontiguousarray(rgb[:, :, SEAL_CHANNEL[seal.colour]]) for seal in seals}


def crosses(box: Box, seal: Box, margin: float) -> bool:
    return (box[2] > seal[0] - margin and box[0] < seal[2] + margin
            and box[3] > seal[1] - margin and box[1] < seal[3] + margin)


def mean_confidence(token: Token) -> float:
    confs = [g.conf for g in token.glyphs if g.conf is not None]
    return statistics.fmean(confs) if confs else 0.0


def same_line(a: Box, b: Box) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap >= NEIGHBOUR_OVERLAP * min(a[3] - a[1], b[3] - b[1])


def line_span(token: Token, tokens: Sequence[Token], grids: Sequence[Grid], inset: float) -> tuple[float, float]:
    """Left and right edge of the strip to read the token on: its table cell's
    inside, up to the tokens beside it on its line; outside a table, its own box
    with a margin."""
    x0, y0, x1, y1 = token.box
    pad = PAD_SHARE * (y1 - y0)
    left, right = x0 - pad, x1 + pad
    for grid in grids:
        cell = grid.cell_at((x0 + x1) / 2, (y0 + y1) / 2)
        if cell is not None:
            left, right = grid.cols[cell[1]] + inset, grid.cols[cell[1] + 1] - inset
            break
    for other in tokens:
        if other is token or not same_line(token.box, other.box):
            continue
        if other.box[2] <= x0:
            left = max(left, other.box[2])
        elif other.box[0] >= x1:
            right = min(right, other.box[0])
    return min(left, x0), max(right, x1)


def read_strip(channel: np.ndarray, box: Box, engine: OcrEngine) -> tuple[str, float] | None:
    """What the engine reads as one line on the box of the channel, padded above and below."""
    pad = PAD_SHARE * (box[3] - box[1])
    height, width = channel.shape
    x0, y0 = max(0, int(box[0])), max(0, int(box[1] - pad))
    x1, y1 = min(width, int(box[2]) + 1), min(height, int(box[3] + pad) + 1)
    if x1 <= x0 or y1 <= y0:
        return None
    return engine.read_line(widened(channel[y0:y1, x0:x1]))


def seal_of(box: Box, views: Sequence[SealView], margin: float) -> SealView | None:
    return next((view for view in views if crosses(box, view.box, margin)), None)


def agrees(old: str, new: str) -> bool:
    """Whether the new reading keeps, in order, at least `KEEP_SHARE` of the old
    reading's characters (spaces aside): a correction of what the lifted page
    shows, not the seal's own lettering read in its place."""
    old, new = old.replace(" ", ""), new.replace(" ", "")
    kept = sum(block.size for block in difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks())
    return kept >= KEEP_SHARE * len(old)


def reread_crossing_tokens(tokens: list[Token], views: Sequence[SealView], grids: Sequence[Grid],
                           engine: OcrEngine, px_per_mm: float) -> list[Token]:
    """The tokens, each one crossing a seal replaced by its reading on the seal's
    channel where the recognizer is surer of that."""
    line_height = statistics.median(t.box[3] - t.box[1] for t in tokens) if tokens else 0.0
    out = []
    for token in tokens:
        view = seal_of(token.box, views, SEAL_MARGIN_MM * px_per_mm)
        if view is None:
            out.append(token)
            continue
        left, right = line_span(token, tokens, grids, CELL_INSET_MM * px_per_mm)
        middle, half = (token.box[1] + token.box[3]) / 2, max(token.box[3] - token.box[1], line_height) / 2
        box = (left, middle - half, right, middle + half)
        read = read_strip(view.channel, box, engine)
        was = mean_confidence(token)
        if read is not None and read[1] >= max(MIN_CONFIDENCE, was + SURER_BY) and agrees(token.text, read[0]):
            out.append(Token.spread(read[0].strip(), box, read[1]))
        else:
            out.append(token)
    return out


def read_missed_lines(lifted: np.ndarray, tokens: Sequence[Token], views: Sequence[SealView],
                      grids: Sequence[Grid], engine: OcrEngine, px_per_mm: float) -> list[Token]:
    """Tokens for the ink that the lifted page keeps in table cells under a seal and
    that no token covers, read on the seal's channel where the recognizer is sure."""
    ink = ink_mask(lifted, tokens, px_per_mm)
    found = []
    for grid in grids:
        for cell in all_cells(grid):
            view = seal_of(cell, views, 0.0)
            patch = ink_patch(ink, cell, px_per_mm) if view is not None else None
            read = read_strip(view.channel, patch, engine) if patch is not None else None
            text = read[0].strip() if read is not None else ""
            if len(text.replace(" ", "")) >= MIN_MISSED_CHARS and read[1] >= MIN_CONFIDENCE:
                found.append(Token.spread(read[0].strip(), patch, read[1]))
    return found


def all_cells(grid: Grid) -> list[Box]:
    return unread_cells(grid, ())


def reread_under_seals(lifted: np.ndarray, tokens: list[Token], views: Sequence[SealView],
                       grids: Sequence[Grid], engine: OcrEngine, dpi: float) -> list[Token]:
    """The page's tokens with what lies under its seals read again on the seals' channels."""
    if not views:
        return tokens
    px_per_mm = dpi / MM_PER_INCH
    tokens = reread_crossing_tokens(tokens, views, grids, engine, px_per_mm)
    return tokens + read_missed_lines(lifted, tokens, views, grids, engine, px_per_mm)
