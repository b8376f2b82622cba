"""Stage 2b, tables: price lists written as numbered prose lines, read as tables.

Some contracts give their price table as a numbered list, one priced item a line:
"1. 云主机：4核8G，单价300元/台·月，数量10台，租用12个月，金额36000元；". Each line is
a service, then labelled parts (单价 with its basis, 数量 with its unit, the months it is
rented, 金额), parted by commas. Such a list is a table in all but layout: this module
turns it into a `Table` whose cells are the parts' figures, units and bases, so that the
line-item extractor reads it like any other. A line is one only when every part after the
service is a labelled part and it names both a price and an amount; a breakdown whose
figures stand in sentences is no list. The label words live in extractors/vocab/tables.toml
(`price_lists`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex

from extractors.lexicon import alternation, load
from pipeline.document import Line, Span

#: A numbered list line: "1. …", "2、…", "（3）…".
LIST_ITEM = regex.compile(r"^\s*(?:\d{1,2}\s*[.、．)）]|[(（]\d{1,2}[)）])\s*")
#: Commas and semicolons that part a line's parts (not those inside brackets).
PART_BREAK = regex.compile(r"[(（][^()（）]*[)）](*SKIP)(*FAIL)|[,，;；。]")
NUMBER = r"[¥￥]?\s*(?P<n>\d+(?:\.\d+)?)"
MIN_LIST_ITEMS = 2
#: Columns of the table a list becomes, in order.
COLUMN_ROLES = ("service", "unit_price", "price_basis", "quantity", "billing_unit", "periods", "amount")
COLUMN = {role: n for n, role in enumerate(COLUMN_ROLES)}


@dataclass
class Part:
    """A labelled part of a list line: its label, and the cells it gives by role."""

    label: Span
    cells: dict[str, Span]


@lru_cache(maxsize=None)
def part_patterns() -> dict[str, regex.Pattern]:
    """For each labelled role, the pattern of its part ("单价300元/台·月", "数量10台")."""
    labels = load("tables")["price_lists"]["labels"]
    tails = {
        "unit_price": NUMBER + r"\s*(?P<price_basis>元\s*/\s*[^,，;；。\s]{1,12})?",
        "quantity": NUMBER + r"\s*(?P<billing_unit>[^\d\s,，;；。][^,，;；。]{0,7})?",
        "periods": r"(?P<periods>\d+(?:\.\d+)?\s*(?:个月|月|年|次))",
        "amount": NUMBER + r"\s*元?",
    }
    return {role: regex.compile(r"^\s*(?P<label>" + alternation(labels[role]) + r")\s*[:：为]?\s*" + tail + r"\s*$")
            for role, tail in tails.items()}


def read_part(span: Span) -> Optional[Part]:
    """A labelled part, or None when the text is not one."""
    for role, pattern in part_patterns().items():
        match = pattern.match(span.text)
        if match is None:
            continue
        cells = {}
        for group in ("n", "price_basis", "billing_unit", "periods"):
            if group in pattern.groupindex and match.group(group):
                cells[role if group == "n" else group] = span.sub(match.start(group), match.end(group))
        return Part(span.sub(match.start("label"), match.end("label")), cells)
    return None


def read_list_line(line: Line) -> Optional[tuple[Span, list[Part]]]:
    """A list line's service and labelled parts, when it is one priced item."""
    opening = LIST_ITEM.match(line.text)
    if opening is None:
        return None
    body = line.span.sub(opening.end(), len(line.text))
    pieces, start = [], 0
    for mark in PART_BREAK.finditer(body.text):
        pieces.append(body.sub(start, mark.start()))
        start = mark.end()
    pieces.append(body.sub(start, len(body.text)))
    pieces = [p for p in pieces if p.text.strip()]
    if len(pieces) < 2:
        return None
    service, first = split_service(pieces[0])
    parts = [read_part(p) for p in ([first] if first is not None else []) + pieces[1:]]
    if service is None or any(p is None for p in parts):
        return None
    roles = [role for part in parts for role in part.cells]
    if "unit_price" not in roles or "amount" not in roles or len(roles) != len(set(roles)):
        return None
    return service, parts


def split_service(piece: Span) -> tuple[Optional[Span], Optional[Span]]:
    """The service, and a labelled part the first piece also holds after a colon
    ("云硬盘：单价0.5元/GB·月" → 云硬盘, 单价0.5元/GB·月)."""
    for colon in regex.finditer(r"[:：]", piece.text):
        rest = piece.sub(colon.end(), len(piece.text))
        if read_part(rest) is not None:
            return trimmed(piece.sub(0, colon.start())), rest
    if read_part(piece) is not None:
        return None, None
    return trimmed(piece), None


def trimmed(span: Span) -> Optional[Span]:
    text = span.text
    stripped = text.strip().rstrip(":：")
    if not stripped.strip():
        return None
    start = text.index(stripped)
    return span.sub(start, start + len(stripped.strip()))


def read_price_lists(lines: list[Line], rows: list[Optional["Row"]]) -> list[tuple["Table", set[int]]]:
    """The price lists among the lines not already read as table rows, each as a table with
    the lines it takes."""
    found = []
    run: list[tuple[Line, Span, list[Part]]] = []
    for line, row in zip(lines + [None], rows + [None]):
        prose = line is not None and row is None and not line.furniture
        item = read_list_line(line) if prose else None
        if item is not None:
            run.append((line, *item))
            continue
        if len(run) >= MIN_LIST_ITEMS:
            found.append(list_table(run))
        run = []
    return found


def list_table(run: list[tuple[Line, Span, list[Part]]]) -> tuple["Table", set[int]]:
    from pipeline.tables import Cell, HeaderColumn, Row, Table

    width = len(COLUMN_ROLES)
    rows = []
    labels: dict[str, Cell] = {}
    for line, service, parts in run:
        cells = [Cell(service, COLUMN["service"])]
        for part in parts:
            for role, span in part.cells.items():
                cells.append(Cell(span, COLUMN[role]))
                labels.setdefault(role, Cell(part.label, COLUMN[role]))
        rows.append(Row(line, sorted(cells, key=lambda c: c.column), width))
    header_cells = sorted(labels.values(), key=lambda c: c.column)
    columns = [HeaderColumn(cell.column, COLUMN_ROLES[cell.column], "", cell) for cell in header_cells]
    columns.insert(0, HeaderColumn(COLUMN["service"], "service", "", labels["unit_price"]))
    header = Row(run[0][0], header_cells, width)
    return Table(rows=rows, header=header, columns=columns), {line.number for line, _, _ in run}
