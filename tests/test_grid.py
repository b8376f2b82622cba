"""Ruled grids on page images, deskew, and the page layout built on them (no OCR engine)."""
from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from pipeline.ingest.cer import cer, levenshtein
from pipeline.ingest.deskew import estimate_skew, rotate, straighten
from pipeline.ingest.grid import Grid, erase_rules, find_tables
from pipeline.ingest.layout import Glyph, Token, assemble

DPI = 200
PX = DPI / 72
COLS = [100, 300, 800, 1000, 1300]          # pixels
ROWS = [200, 260, 380, 440, 500, 560]


def ruled_page(merged_first_column: bool = True) -> np.ndarray:
    """A white page with a ruled 5-row × 4-column table; with `merged_first_column`
    the first column of rows 2–4 is one cell (no rules between them)."""
    page = np.full((1400, 1400), 235, np.uint8)
    for i, y in enumerate(ROWS):
        x0 = COLS[1] if merged_first_column and 2 <= i <= 3 else COLS[0]
        cv2.line(page, (x0, y), (COLS[-1], y), 40, 2)
    for x in COLS:
        cv2.line(page, (x, ROWS[0]), (x, ROWS[-1]), 40, 2)
    cv2.putText(page, "1511111.1", (815, 420), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 30, 2)
    cv2.line(page, (100, 900), (400, 900), 40, 2)  # an underline, not a table
    return page


def near(values, expected, tolerance=4.0) -> bool:
    return len(values) == len(expected) and all(abs(a - b) <= tolerance for a, b in zip(values, expected))


# -- grids ------------------------------------------------------------------------
def test_ruled_table_edges_are_found():
    tables = find_tables(ruled_page(), DPI)
    assert len(tables.grids) == 1
    grid = tables.grids[0]
    assert near(grid.rows, ROWS) and near(grid.cols, COLS)
    assert grid.row_count == 5 and grid.col_count == 4


def test_rotated_scan_is_deskewed_before_the_grid_is_found():
    noisy = ruled_page().astype(np.int16) + np.random.default_rng(1).normal(0, 12, (1400, 1400))
    scanned = rotate(np.clip(noisy, 0, 255).astype(np.uint8), 1.3).image
    upright = straighten(scanned)
    grids = find_tables(upright.image, DPI).grids
    assert len(grids) == 1 and grids[0].row_count == 5 and grids[0].col_count == 4


def test_merged_cell_text_goes_to_the_row_of_its_centre():
    grid = Grid(tuple(ROWS), tuple(COLS))
    assert grid.cell_at(150, 400) == (2, 0)
    assert grid.cell_at(150, 450) == (3, 0)
    assert grid.cell_at(50, 400) is None and grid.cell_at(150, 600) is None


def test_rules_are_painted_out_but_text_is_not():
    page = ruled_page()
    clean = erase_rules(page, find_tables(page, DPI).rules)
    assert clean[ROWS[1], 500] > 200 and clean[300, COLS[2]] > 200
    assert (clean[395:425, 810:990] < 100).sum() == (page[395:425, 810:990] < 100).sum()
    assert clean[900, 250] < 100  # the underline belongs to no table


def test_large_title_strokes_are_not_a_table():
    from PIL import Image, ImageDraw, ImageFont
    font_file = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
    try:
        font = ImageFont.truetype(font_file, int(22 * PX), index=0)
    except OSError:
        pytest.skip(f"{font_file} not present: run scripts/setup-system.sh")
    image = Image.new("L", (1600, 400), 235)
    ImageDraw.Draw(image).text((100, 100), "北京市政务云服务合同书——第二包", font=font, fill=20)
    assert find_tables(np.asarray(image), DPI).grids == []


# -- deskew -------------------------------------------------------------------------
@pytest.mark.parametrize("angle", [-2.5, -0.6, 0.0, 0.8, 3.0])
def test_skew_is_estimated(angle):
    page = ruled_page()
    for y in range(650, 1300, 40):
        cv2.putText(page, "contract text line " * 3, (100, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 30, 2)
    assert estimate_skew(rotate(page, angle).image) == pytest.approx(angle, abs=0.1)


def test_upright_boxes_map_back_to_the_scanned_page():
    page = np.full((1000, 800), 255, np.uint8)
    up = straighten(page, quarter_turns=2)
    (x0, y0, x1, y1), = up.to_scanned([(100.0, 200.0, 300.0, 250.0)])
    assert (x0, y0, x1, y1) == pytest.approx((500.0, 750.0, 700.0, 800.0), abs=1.0)
    assert up.to_scanned([None, (0.0, 0.0, 8.0, 8.0)], scale=0.5)[0] is None


# -- layout -------------------------------------------------------------------------
def tok(text: str, x: float, y: float, h: float = 30.0) -> Token:
    """A token with one em-wide glyph per CJK character (half an em otherwise)."""
    return Token.spread(text, (x, y, x + h * sum(1 if ord(c) > 255 else 0.5 for c in text), y + h), 0.9)


def test_wrapped_cells_make_one_row_and_rows_sit_among_prose():
    grid = Grid((100.0, 160.0, 260.0), (50.0, 250.0, 700.0, 900.0))
    tokens = [
        tok("附件 4：服务订单", 50, 40),
        tok("服务名称", 60, 115), tok("说明", 260, 115), tok("合价", 710, 115),
        tok("云主机服务（主", 60, 170), tok("频不低于", 60, 210),
        tok("单位: 1CPU/元/月", 260, 190), tok("118080", 710, 190),
        tok("以上价格含税。", 50, 300),
    ]
    page = assemble(tokens, [grid], 1000.0, source="test")
    assert page.text.split("\n") == [
        "附件 4：服务订单",
        "服务名称\t说明\t合价",
        "云主机服务（主频不低于\t单位: 1CPU/元/月\t118080",
        "以上价格含税。",
    ]
    assert len(page.boxes) == len(page.text) == len(page.confidences)
    assert page.boxes[page.text.index("\t")] is None


def test_glyph_drawn_across_a_rule_stays_in_its_cell():
    grid = Grid((0.0, 50.0), (0.0, 100.0, 200.0))
    word = Token([Glyph("服", (70, 10, 85, 40)), Glyph("务", (85, 10, 97, 40)), Glyph("）", (97, 10, 106, 40))])
    page = assemble([word, tok("360", 150, 10)], [grid], 300.0, source="test")
    assert page.text == "服务）\t360"


def test_unruled_table_columns_come_from_the_header_line():
    tokens = [
        tok("项目", 50, 100), tok("负责人", 400, 100), tok("电话", 800, 100),
        tok("迁移", 50, 140), tok("王一", 410, 140), tok("13900000001", 790, 140),
        tok("运维", 50, 180), tok("13900000002", 790, 180),
        tok("以上人员驻场服务。", 50, 260),
    ]
    page = assemble(tokens, [], 1000.0, source="test")
    assert page.text.split("\n") == ["项目\t负责人\t电话", "迁移\t王一\t13900000001",
                                     "运维\t\t13900000002", "以上人员驻场服务。"]


def test_paragraph_wrapped_at_the_margin_is_one_line():
    line1 = "乙方应按照本合同约定向甲方提供政务云服务，包括计算、存储"
    line2 = "和网络服务，服务期 12 个月。"
    tokens = [
        tok(line1, 50, 100),
        tok(line2, 50, 140),
        tok("第二条 付款", 50, 200),
        tok(line1, 50, 240),
        tok("2) 甲方应在验收后付款。", 50, 280),
    ]
    page = assemble(tokens, [], 1000.0, source="test")
    assert page.text.split("\n") == [line1 + line2, "第二条 付款", line1, "2) 甲方应在验收后付款。"]


# -- character error rate -------------------------------------------------------------
def test_levenshtein_matches_the_textbook_recurrence():
    def slow(a: str, b: str) -> int:
        row = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            prev, row[0] = row[0], i
            for j, cb in enumerate(b, 1):
                prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        return row[-1]
    rng = random.Random(4)
    for _ in range(500):
        a = "".join(rng.choice("甲乙ab1") for _ in range(rng.randint(0, 90)))
        b = "".join(rng.choice("甲乙丙ab") for _ in range(rng.randint(0, 90)))
        assert levenshtein(a, b) == slow(a, b)


def test_cer_ignores_layout_and_width_forms():
    assert cer("甲方：\t北京\n(盖章)", "甲方: 北京 （盖章）") == 0.0
    assert cer("贰佰叁拾万", "贰佰参拾万") == pytest.approx(0.2)


def test_seal_ring_over_a_ruled_table_adds_no_rule():
    page = ruled_page()
    cv2.circle(page, (650, 430), 160, 60, 6)               # a seal's ring (about 41 mm across at 200 dpi)
    cv2.circle(page, (1250, 900), 150, 60, 6)              # and one on its own, beside the table
    tables = find_tables(page, DPI)
    assert len(tables.grids) == 1
    assert near(tables.grids[0].rows, ROWS) and near(tables.grids[0].cols, COLS)


def erased(page: np.ndarray, x0: int, x1: int) -> np.ndarray:
    """The page with every rule between x0 and x1 gone (as a seal lifted off with them)."""
    out = page.copy()
    out[:, x0:x1] = 235
    return out


def test_a_table_whose_rules_a_lifted_seal_broke_stays_one_table():
    # the rules between x 850 and 1050 are gone, the vertical one at 1000 with them
    tables = find_tables(erased(ruled_page(), 850, 1050), DPI)
    assert len(tables.grids) == 1
    assert near(tables.grids[0].rows, ROWS) and near(tables.grids[0].cols, COLS[:3] + COLS[4:])


def test_tables_far_apart_or_on_other_rows_stay_two():
    page = np.full((1400, 1900), 235, np.uint8)
    for x0, x1, rows in ((100, 500, ROWS), (1000, 1400, ROWS), (100, 500, [y + 700 for y in ROWS]),
                         (620, 1000, [y + 730 for y in ROWS])):
        for y in rows:
            cv2.line(page, (x0, y), (x1, y), 40, 2)
        for x in (x0, (x0 + x1) // 2, x1):
            cv2.line(page, (x, rows[0]), (x, rows[-1]), 40, 2)
    assert len(find_tables(page, DPI).grids) == 4
