"""Provenance of an extracted value: where in the source it was stated.

Every value the extractors set carries one `Evidence`, keyed by the value's JSON
path in the record (``contract.total_amount``, ``line_items[3].unit_price``).
`--with-evidence` prints them; the database stores them in the evidence table.
"""
from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int
    start: int
    end: int
    snippet: str
    bbox: Optional[tuple[float, float, float, float]] = None
    confidence: Optional[float] = None
    note: Optional[str] = None
