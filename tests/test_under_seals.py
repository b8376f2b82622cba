"""Lines under a seal read again on the seal colour's palest channel: a broken
reading is put right, the seal's own lettering never takes a line's place, and a
lone character found beside a seal's ring is not added."""
from __future__ import annotations

import numpy as np

from pipeline.ingest.grid import Grid
from pipeline.ingest.layout import Token
from pipeline.ingest.under_seals import SealView, agrees, read_missed_lines, reread_crossing_tokens

PX_PER_MM = 200 / 25.4
SEAL = (300.0, 100.0, 620.0, 420.0)
PAPER = 238


class Reader:
    """An engine whose one-line readings are given; it notes each crop it reads."""

    name = "fake"

    def __init__(self, line: tuple[str, float] | None):
        self.line = line
        self.crops: list[tuple[int, int]] = []

    def read(self, image):
        raise AssertionError("no page is read here")

    def read_line(self, image):
        self.crops.append(image.shape[:2])
        return self.line


def channel() -> np.ndarray:
    return np.full((600, 900), PAPER, np.uint8)


def test_a_correction_keeps_half_of_what_was_read():
    assert agrees("1:CP!", "1vCPU")
    assert agrees("务", "务")
    assert not agrees("1", "技股份")               # the seal's lettering over a faded figure
    assert not agrees("甲方", "合同专用章")


def test_a_token_broken_under_a_seal_is_read_again_surer():
    token = Token.spread("1:CP!", (350.0, 200.0, 430.0, 230.0), 0.59)
    reader = Reader(("1vCPU", 0.91))
    out = reread_crossing_tokens([token], [SealView(SEAL, channel())], [], reader, PX_PER_MM)
    assert [t.text for t in out] == ["1vCPU"]


def test_the_seals_lettering_never_replaces_a_token():
    token = Token.spread("1", (350.0, 200.0, 362.0, 230.0), 0.75)
    out = reread_crossing_tokens([token], [SealView(SEAL, channel())], [], Reader(("技股份", 0.998)), PX_PER_MM)
    assert [t.text for t in out] == ["1"]


def test_a_reading_not_surer_by_the_margin_is_not_taken():
    token = Token.spread("2026年4月24日", (350.0, 200.0, 560.0, 230.0), 0.87)
    out = reread_crossing_tokens([token], [SealView(SEAL, channel())], [], Reader(("2026年4月29日", 0.9)), PX_PER_MM)
    assert [t.text for t in out] == ["2026年4月24日"]


def test_tokens_away_from_seals_are_not_read_again():
    token = Token.spread("服务期", (40.0, 500.0, 120.0, 530.0), 0.5)
    reader = Reader(("服务期", 0.99))
    assert reread_crossing_tokens([token], [SealView(SEAL, channel())], [], reader, PX_PER_MM) == [token]
    assert reader.crops == []


def test_a_token_in_a_cell_is_read_across_the_cell_up_to_its_neighbour():
    grid = Grid(rows=(180.0, 260.0), cols=(320.0, 600.0))
    token = Token.spread("1:CP", (340.0, 200.0, 400.0, 230.0), 0.5)
    neighbour = Token.spread("月", (520.0, 200.0, 545.0, 230.0), 0.99)
    reader = Reader(("1vCPU", 0.95))
    reread_crossing_tokens([token, neighbour], [SealView(SEAL, channel())], [grid], reader, PX_PER_MM)
    width = reader.crops[0][1]
    assert 520 - 325 - 2 <= width <= 520 - 320 + 2     # from the cell's inside to the neighbour


def test_a_missed_line_under_a_seal_is_added_and_a_lone_character_is_not():
    lifted = channel()
    lifted[205:228, 350:500] = 40                     # a line's ink the page's reading missed
    grid = Grid(rows=(180.0, 260.0), cols=(320.0, 600.0))
    view = SealView(SEAL, channel())
    found = read_missed_lines(lifted, [], [view], [grid], Reader(("应用防火墙", 0.93)), PX_PER_MM)
    assert [t.text for t in found] == ["应用防火墙"]
    assert read_missed_lines(lifted, [], [view], [grid], Reader(("1", 0.99)), PX_PER_MM) == []


def test_a_scanned_page_reads_a_broken_line_under_its_seal_again():
    from pipeline.ingest.scan import content_box, read_scan
    from pipeline.ingest.seals import find_seals, lift_seals
    from pipeline.synth.degrade import SEAL_RED
    from test_seals import CENTRE, DPI, page_with_text, sealed

    image = sealed(page_with_text(), SEAL_RED)
    left, top, _, _ = content_box(lift_seals(image, find_seals(image, DPI), DPI), DPI)
    x, y = CENTRE[0] - left, CENTRE[1] - top           # the seal's centre in the printed area read

    class PageReader(Reader):
        def read(self, image):
            return [Token.spread("1:CP!", (x - 60.0, y - 20.0, x + 60.0, y + 10.0), 0.55)]

    page = read_scan(image, DPI, PageReader(("1vCPU", 0.93)))
    assert "1vCPU" in page.text and "1:CP" not in page.text
