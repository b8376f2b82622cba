"""Lay a plain-text contract out as a synth `Document`, so that text contracts
with gold records (the holdout fixtures, an auditor's own files) can be printed,
scanned and degraded like generated ones, and the scan path measured on layouts
the generator never wrote.

Consecutive lines that part into cells (by tabs, by pipes, or by runs of two or
more spaces into at least three cells) become one ruled table, its first line the
header; pipe-table separator lines (|---|---|) are dropped. Every other non-blank
line is a paragraph of its own, so the page keeps the document's line breaks.
"""
from __future__ import annotations

import regex

from pipeline.synth.model import Block, Document, Paragraph, Table

MIN_SPACED_CELLS = 3       # a space-aligned line parts into at least this many cells
MIN_TABLE_LINES = 2        # a table is at least this many consecutive cell lines
SPACE_GAP = regex.compile(r" {2,}|\u3000+")
PIPE_SEPARATOR = regex.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")


def cells_of(line: str) -> list[str] | None:
    """The cells of a table line, or None when the line is prose."""
    text = line.strip()
    if "\t" in text:
        return [cell.strip() for cell in text.split("\t")]
    if text.startswith("|") and text.endswith("|") and text.count("|") >= 3:
        return [cell.strip() for cell in text[1:-1].split("|")]
    spaced = [cell for cell in SPACE_GAP.split(text) if cell]
    return spaced if len(spaced) >= MIN_SPACED_CELLS else None


def table_of(rows: list[list[str]]) -> Table:
    """A ruled table whose rows are padded to the widest one."""
    width = max(len(row) for row in rows)
    return Table(rows=[row + [""] * (width - len(row)) for row in rows], header_rows=1)


def document_from_text(text: str) -> Document:
    """The document's blocks, in reading order."""
    blocks: list[Block] = []
    pending: list[list[str]] = []
    pending_lines: list[str] = []

    def flush() -> None:
        if len(pending) >= MIN_TABLE_LINES:
            blocks.append(table_of(pending))
        else:
            blocks.extend(Paragraph(line.strip()) for line in pending_lines)
        pending.clear()
        pending_lines.clear()

    for line in text.splitlines():
        if PIPE_SEPARATOR.match(line):
            continue
        cells = cells_of(line)
        if cells is not None:
            pending.append(cells)
            pending_lines.append(line)
            continue
        flush()
        if line.strip():
            blocks.append(Paragraph(line.strip()))
    flush()
    return Document(blocks=blocks)
