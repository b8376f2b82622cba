"""A layout-neutral contract document: an ordered list of blocks.

The composer builds it once per contract; the text and PDF renderers each lay it
out their own way (flattened OCR-like lines, or an A4 page with ruled tables).
Blocks carry content only, never positions or fonts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass
class Heading:
    text: str
    level: int = 1  # 0 the document title, 1 a clause, 2 an annex


@dataclass
class Paragraph:
    text: str  # "\n" breaks it where the document breaks the line ("甲方：" ⏎ its name)
    list_item: bool = False  # a numbered item OCR often prefixes with "- "


@dataclass
class Table:
    rows: list[list[str]]
    header_rows: int = 1    # leading rows repeated when a page cuts the table
    ruled: bool = True       # drawn with grid lines (False: a borderless layout grid)
    wrap_column: int | None = None  # the column whose long cells wrap (service names)
    price: bool = False      # a price table (what OCR may flatten to cells parted by single spaces)


@dataclass
class Signature:
    """Side-by-side signature columns, one list of lines per party."""

    columns: list[list[str]]


@dataclass
class TwoColumns:
    """Two columns sharing lines without rules: the parties' details side by side,
    the signing dates of both parties on one line."""

    rows: list[tuple[str, str]]


@dataclass
class PageBreak:
    pass


Block = Union[Heading, Paragraph, Table, Signature, TwoColumns, PageBreak]


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    page_header: list[str] = field(default_factory=list)  # repeated at each page top

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)
