"""Price-basis cells as OCR and text layers give them, and notes that only mention a basis."""
from __future__ import annotations

import pytest

from extractors.values.units import cell_kind, read_basis


@pytest.mark.parametrize("cell, basis", [
    ("元/GB·月", "month"), ("元/GB月", "month"), ("元/ 台- 月", "month"), ("元 /100GB 月", "month"),
    ("元/套月", "month"), ("元/年/套", "year"), ("元/个月", "month"), ("元/次", "time")])
def test_a_basis_cell_reads_whether_or_not_ocr_kept_its_dot(cell, basis):
    assert (cell_kind(cell), read_basis(cell)) == ("basis", basis)


def test_a_note_that_mentions_a_basis_is_still_a_note():
    assert cell_kind("元/月，服务期 36 个月") == "text"
    assert cell_kind("单位：套/年；服务期限：12个月。") == "text"
