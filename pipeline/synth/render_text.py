"""Render a document as OCR-like plain text.

Mimics what OCR of a printed contract gives: one line per paragraph (or sentences
wrapped over the short lines of a narrow column), table rows flattened to tab-,
pipe- or space-aligned cells or cells parted by single spaces, long cells
wrapped onto continuation lines, two-column blocks on shared lines, pages
separated by runs of blank lines with the page header repeated, and optionally
full-width digits on some lines. The result is encoded as UTF-8 or GB18030.
"""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

import regex

from pipeline.synth.model import Document, Heading, PageBreak, Paragraph, Signature, Table, TwoColumns
from pipeline.synth.textforms import fullwidth

PAGE_GAP = ["", "", ""]
PROSE_WIDTHS = (24, 28, 32, 36, 40)  # characters per line of a narrow column
SENTENCE_ENDS = ("。", "；")
UNBROKEN = regex.compile(r"[0-9A-Za-z.,¥%‰/:\-]+|\S|\s")  # figures and Latin words never break
COLUMN_GAP = 6  # spaces between side-by-side columns, after the widest left cell


@dataclass
class TextOptions:
    table_format: str = "tab"       # tab | pipe | spaces | single_space (price tables; others by spaces)
    wrap_width: int | None = None   # wrap service cells wider than this (display columns)
    fullwidth_share: float = 0.0    # share of lines whose digits are full-width
    encoding: str = "utf-8"         # utf-8 | gb18030
    page_lines: int = 45            # text lines per page
    blank_between: bool = True      # a blank line between paragraphs
    list_dash: bool = False         # list items start with "- "
    seed: int = 0
    prose_width: int | None = None  # wrap sentences to lines of this many characters
    column_gap: str = "spaces"      # what parts side-by-side columns: spaces | tab

    @classmethod
    def choose(cls, rng: random.Random) -> "TextOptions":
        return cls(
            table_format=rng.choice(("tab", "tab", "tab", "pipe", "spaces")),
            wrap_width=rng.choice((None, None, 16, 20, 26)),
            fullwidth_share=rng.choice((0.0, 0.0, 0.0, 0.0, 0.3, 1.0)),
            encoding=rng.choice(("utf-8",) * 5 + ("gb18030",)),
            page_lines=rng.randint(32, 55),
            blank_between=rng.random() < 0.8,
            list_dash=rng.random() < 0.3,
            seed=rng.randrange(1 << 30),
        )


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, limit: int) -> list[str]:
    """Split a cell into pieces of at most `limit` display columns."""
    pieces, current = [], ""
    for ch in text:
        if current and width(current + ch) > limit:
            pieces.append(current.strip())
            current = ""
        current += ch
    pieces.append(current.strip())
    return [p for p in pieces if p]


def wrap_prose(text: str, limit: int) -> list[str]:
    """Lines of at most `limit` characters, as OCR reads a narrow column: breaks fall
    anywhere in Chinese text, never inside a figure or a Latin word."""
    lines, current = [], ""
    for token in UNBROKEN.findall(text):
        if current and len(current) + len(token.rstrip()) > limit:
            lines.append(current.rstrip())
            current = ""
        current += token.lstrip() if not current else token
    lines.append(current.rstrip())
    return [line for line in lines if line]


def _paragraph_lines(block: Paragraph, options: TextOptions) -> list[str]:
    prefix = "- " if block.list_item and options.list_dash else ""
    lines = (prefix + block.text).split("\n")
    if options.prose_width and len(lines) == 1 and block.text.endswith(SENTENCE_ENDS):
        return wrap_prose(lines[0], options.prose_width)
    return lines


def _column_lines(block: TwoColumns, options: TextOptions) -> list[str]:
    if options.column_gap == "tab":
        return [f"{left}\t{right}" for left, right in block.rows]
    at = max(width(left) for left, _ in block.rows) + COLUMN_GAP
    return [left + " " * (at - width(left)) + right for left, right in block.rows]


def _format_rows(rows: list[list[str]], fmt: str) -> list[str]:
    if fmt == "tab":
        return ["\t".join(r) for r in rows]
    if fmt == "single_space":  # OCR drops the empty cells
        return [" ".join(cell for cell in r if cell) for r in rows]
    if fmt == "pipe":
        return ["| " + " | ".join(r) + " |" for r in rows]
    widths = [max(width(r[c]) for r in rows) for c in range(len(rows[0]))]
    return ["".join(cell + " " * (widths[c] - width(cell) + 2) for c, cell in enumerate(r)).rstrip()
            for r in rows]


def _table_units(table: Table, options: TextOptions) -> list[list[str]]:
    """One unit (lines kept together) per table row, wrapped cells included."""
    expanded: list[list[list[str]]] = []
    for row in table.rows:
        lines = [row]
        col = table.wrap_column
        if options.wrap_width and col is not None and width(row[col]) > options.wrap_width:
            pieces = wrap(row[col], options.wrap_width)
            first = list(row)
            first[col] = pieces[0]
            lines = [first] + [[p if c == col else "" for c in range(len(row))] for p in pieces[1:]]
        expanded.append(lines)
    fmt = "spaces" if options.table_format == "single_space" and not table.price else options.table_format
    flat = _format_rows([line for lines in expanded for line in lines], fmt)
    units, pos = [], 0
    for lines in expanded:
        units.append(flat[pos:pos + len(lines)])
        pos += len(lines)
    if options.table_format == "pipe" and table.header_rows:
        units[0].append("|" + "|".join(" --- " for _ in table.rows[0]) + "|")
    return units


def _units(doc: Document, options: TextOptions) -> list[list[str] | None]:
    """Units of lines that stay on one page, in order; None forces a page break."""
    gap = [""] if options.blank_between else []
    units: list[list[str] | None] = []
    for block in doc.blocks:
        if isinstance(block, PageBreak):
            units.append(None)
        elif isinstance(block, Heading):
            units.append(([""] * 2 if block.level == 0 else []) + [block.text] + [""])
        elif isinstance(block, Paragraph):
            units.append(_paragraph_lines(block, options) + gap)
        elif isinstance(block, TwoColumns):
            units.append(_column_lines(block, options) + gap)
        elif isinstance(block, Table):
            rows = _table_units(block, options)
            rows[-1] = rows[-1] + [""]
            units.extend(rows)
        elif isinstance(block, Signature):
            for column in block.columns:
                units.append([line for text in column for line in [text, ""]])
    return units


def render_text(doc: Document, options: TextOptions) -> str:
    rng = random.Random(options.seed)
    pages: list[list[str]] = [[]]
    for unit in _units(doc, options):
        page = pages[-1]
        if unit is None or sum(1 for line in page if line) + len(unit) > options.page_lines:
            if page:
                pages.append([])
            if unit is None:
                continue
        pages[-1].extend(unit)
    lines: list[str] = []
    for n, page in enumerate(pages):
        if n:
            lines += PAGE_GAP + ([*doc.page_header, ""] if doc.page_header else [])
        lines += page
    if options.fullwidth_share:
        lines = [fullwidth(line) if line and rng.random() < options.fullwidth_share else line for line in lines]
    return "\n".join(lines).rstrip("\n") + "\n"


def encode(text: str, options: TextOptions) -> bytes:
    return text.encode(options.encoding)
