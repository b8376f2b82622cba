"""A glyph the recognizer boxed across a column rule goes to the cell its ink is in
(`pipeline.ingest.column_fit`), and figures are checked per cell (`scan.read_upright`)."""
from __future__ import annotations

import numpy as np

from pipeline.ingest.column_fit import fit_across_columns
from pipeline.ingest.grid import Grid
from pipeline.ingest.layout import Glyph, Token, cell_runs

GRID = Grid(rows=(0.0, 100.0), cols=(0.0, 200.0, 400.0))


def page_with_ink(*spans: tuple[int, int]) -> np.ndarray:
    gray = np.full((100, 400), 250, dtype=np.uint8)
    for x0, x1 in spans:
        gray[30:70, x0:x1] = 20
    return gray


def unit_and_quantity() -> Token:
    """"套" inked at 140-178 in the unit column; "1" boxed from 180 to the line's end
    at 214 (centre in the unit column), its ink at 205-209 in the quantity column."""
    return Token([Glyph("套", (140.0, 30.0, 180.0, 70.0), 0.99), Glyph("1", (180.0, 30.0, 214.0, 70.0), 0.95)])


def test_a_glyph_boxed_across_a_rule_goes_to_the_cell_of_its_ink():
    assert [(key, piece.text) for key, piece in cell_runs(unit_and_quantity(), [GRID])] == [((0, 0, 0), "套1")]
    fitted = fit_across_columns([unit_and_quantity()], [GRID], page_with_ink((140, 178), (205, 209)))
    assert [(key, piece.text) for key, piece in cell_runs(fitted[0], [GRID])] == [((0, 0, 0), "套"), ((0, 0, 1), "1")]


def test_a_glyph_whose_ink_overflows_its_cell_keeps_its_box():
    overflowing = Token([Glyph("务", (185.0, 30.0, 225.0, 70.0), 0.99)])
    fitted = fit_across_columns([overflowing], [GRID], page_with_ink((185, 225)))
    assert fitted[0].glyphs[0].box == overflowing.glyphs[0].box


def test_tokens_outside_tables_are_untouched():
    token = unit_and_quantity()
    assert fit_across_columns([token], [], page_with_ink((140, 178)))[0] is token


def test_figures_are_checked_cell_by_cell_on_a_scanned_page():
    """A line read across two cells ("3,65" and "7.30" as "3,657.30") is cut at the
    rule before its figures are checked: the unit price's comma is a decimal point."""
    import cv2

    from pipeline.ingest.scan import content_box, read_upright

    dpi = 200
    image = np.full((900, 1400), 245, np.uint8)
    rows, cols = (300, 400, 500), (200, 700, 1200)
    for y in rows:
        cv2.line(image, (cols[0], y), (cols[-1], y), 30, 3)
    for x in cols:
        cv2.line(image, (x, rows[0]), (x, rows[-1]), 30, 3)
    for n in range(8):                                  # ink under each character of the line
        cv2.rectangle(image, (455 + 60 * n, 335), (470 + 60 * n, 365), 30, -1)
    left, top, _, _ = content_box(image, dpi)

    class LineAcrossCells:
        name = "fake"

        def read(self, crop):
            return [Token.spread("3,657.30", (450.0 - left, 330.0 - top, 930.0 - left, 370.0 - top), 0.97)]

        def read_line(self, crop):
            return None

    _, grids, tokens = read_upright(image, dpi, LineAcrossCells())
    assert len(grids) == 1
    assert [t.text for t in tokens] == ["3.65", "7.30"]


def test_ink_under_another_tokens_characters_is_not_the_glyphs():
    """The closing bracket of a wrapped cell is boxed across the rule; the ink beyond
    the rule is the next cell's text, so the bracket stays where it was read."""
    bracket = Token([Glyph("务", (140.0, 30.0, 180.0, 70.0), 0.99), Glyph(")", (180.0, 30.0, 214.0, 70.0), 0.95)])
    neighbour = Token([Glyph("维", (204.0, 30.0, 240.0, 70.0), 0.99)])
    fitted = fit_across_columns([bracket, neighbour], [GRID], page_with_ink((140, 178), (205, 238)))
    assert fitted[0].glyphs[1].box == bracket.glyphs[1].box


def test_what_painting_out_the_rule_left_is_not_the_glyphs_ink():
    bracket = Token([Glyph("务", (140.0, 30.0, 180.0, 70.0), 0.99), Glyph(")", (180.0, 30.0, 214.0, 70.0), 0.95)])
    fitted = fit_across_columns([bracket], [GRID], page_with_ink((140, 178), (183, 186), (199, 202)))
    assert [(key, piece.text) for key, piece in cell_runs(fitted[0], [GRID])] == [((0, 0, 0), "务)")]
