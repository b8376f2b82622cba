"""Seals on colour scans: found by their ink, lifted off with the text under them kept."""
from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.ingest.seals import find_seals, lift_seals
from pipeline.synth.degrade import SEAL_BLUE, SEAL_RED, inked, seal_alpha, stamp

DPI = 200
PAPER = 238
CENTRE = (500, 400)
DIAMETER = 320          # about 41 mm at 200 dpi
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def page_with_text() -> np.ndarray:
    """An RGB page with black bars (strokes of text) across the middle."""
    page = np.full((800, 1000, 3), PAPER, np.uint8)
    for y in range(340, 470, 40):
        cv2.rectangle(page, (200, y), (800, y + 6), (20, 20, 20), -1)
    return page


def sealed(page: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    rng = random.Random(3)
    coverage = inked(seal_alpha(DIAMETER, rng), rng)
    canvas = page.astype(np.float32)
    stamp(canvas, coverage, colour, *CENTRE)
    jpeg = cv2.imdecode(cv2.imencode(".jpg", cv2.cvtColor(canvas.astype(np.uint8), cv2.COLOR_RGB2BGR),
                                     [cv2.IMWRITE_JPEG_QUALITY, 45])[1], cv2.IMREAD_COLOR)
    return cv2.cvtColor(jpeg, cv2.COLOR_BGR2RGB)


@pytest.mark.parametrize("colour, name", [(SEAL_RED, "red"), (SEAL_BLUE, "blue")])
def test_a_stamped_seal_is_found_with_its_box(colour, name):
    seals = find_seals(sealed(page_with_text(), colour), DPI)
    assert [s.colour for s in seals] == [name]
    x0, y0, x1, y1 = seals[0].box
    half = DIAMETER / 2
    assert abs(x0 - (CENTRE[0] - half)) < 15 and abs(x1 - (CENTRE[0] + half)) < 15
    assert abs(y0 - (CENTRE[1] - half)) < 15 and abs(y1 - (CENTRE[1] + half)) < 15


def test_red_text_lines_and_a_plain_page_have_no_seal():
    page = page_with_text()
    cv2.rectangle(page, (100, 100), (900, 112), SEAL_RED, -1)   # a red rule under a letterhead
    assert find_seals(page, DPI) == []


def test_lifting_removes_the_ink_and_keeps_the_text_under_it():
    clean = cv2.cvtColor(page_with_text(), cv2.COLOR_RGB2GRAY)
    image = sealed(page_with_text(), SEAL_RED)
    lifted = lift_seals(image, find_seals(image, DPI), DPI)
    text = clean < 100
    paper = clean > 200
    assert np.median(lifted[text]) < 90                         # strokes under the seal stay dark
    plain = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    seal_ink = paper & (plain < 200)
    assert seal_ink.sum() > 5000
    assert (lifted[seal_ink] < 150).mean() < 0.02               # the seal's ink is gone


def test_sealed_page_notes_its_seals_in_the_warnings(tmp_path, monkeypatch):
    from pipeline.document import ContractDoc
    from pipeline.ingest.layout import Token
    from pipeline.ingest.scan import read_scan

    class Reader:
        name = "fake"

        def read(self, image):
            return [Token.spread("甲方（盖章）", (200.0, 340.0, 500.0, 380.0), 0.99)]

    page = read_scan(sealed(page_with_text(), SEAL_RED), DPI, Reader())
    doc = ContractDoc.from_pages("c.pdf", [page])
    assert len(doc.warnings) == 1 and doc.warnings[0].startswith("page 1: red seal at (")


@pytest.mark.ocr
def test_sealed_scan_raises_no_error_finding_the_clean_scan_lacks(tmp_path):
    from pipeline.ingest import IngestOptions
    from pipeline.language import extract_file
    from pipeline.synth.degrade import degrade_pdf

    source = SAMPLES / "syn_0002_text.pdf"
    if not source.exists():
        pytest.skip("samples/syn_0002_text.pdf missing: run 'make samples'")
    errors = {}
    for name, degradations in (("clean", ()), ("sealed", ("seals",))):
        target = tmp_path / f"{name}.pdf"
        degrade_pdf(source, target, degradations, seed=2)
        doc = extract_file(target, IngestOptions())
        errors[name] = {(f.check, str(f.found)) for f in doc.record.findings if f.severity == "error"}
        if name == "sealed":
            assert any("seal at" in w for w in doc.warnings)
    assert errors["sealed"] <= errors["clean"]
