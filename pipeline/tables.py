"""Stage 2b, tables: find the tables OCR flattened into lines, and their headers.

A chain of small steps, each "given X, return Y": line → cells (tab-, pipe- or
space-aligned; single spaces under a header whose words are column names) → table blocks (runs of cell lines, tolerating blank lines, page
breaks and short sum lines) → tables split at header rows → header roles from
the synonym table in extractors/vocab/tables.toml (header words matched with
OCR's stray spaces removed: "计价 单位", "报价单 位"). A table holds line items
when its header names a price column, or when it is an order table: a quantity
column and rows whose cells hold counts with their units or price bases
(1vCPU, 100 GB, 元/100GB·月). Interpreting rows as price lines is the line-item
extractor's job; this stage only gives structure.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import regex

from extractors.lexicon import load
from extractors.values.units import cell_kind
from pipeline.document import ContractDoc, Line, Span

MIN_CELLS = 2
MIN_SPACE_CELLS = 3
MAX_GAP_LINES = 8
MAX_LOOSE_LINE_CHARS = 40
MAX_TRAILING_SUM_LINES = 8
MAX_CONTINUATION_GAP = 30
MAX_FRAGMENT_CHARS = 4
MIN_ORDER_ROW_SHARE = 0.5
COUNT_KINDS = ("number", "unit")
UNIT_KINDS = ("unit", "basis")

PIPE_RULE = regex.compile(r"^[\s|:+\-=]+$")
SPACE_SPLIT = regex.compile(r"(?: {2,}|\u3000+)")
HEADER_HINT = regex.compile(r"[(（\[](?P<hint>[^)）\]]*)[)）\]]")
WORD = regex.compile(r"\S+")
SENTENCE_MARK = regex.compile(r"[。；;]")
HEADING = regex.compile(r"^\s*(第\s*[一二三四五六七八九十百\d]+\s*[条章]|附件)")


@dataclass
class Cell:
    span: Span
    column: int

    @property
    def text(self) -> str:
        return self.span.text.strip()


@dataclass
class Row:
    line: Line
    cells: list[Cell]
    width: int

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)


@dataclass
class HeaderColumn:
    column: int
    role: str
    hint: str
    cell: Cell


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    header: Optional[Row] = None
    columns: list[HeaderColumn] = field(default_factory=list)

    @property
    def roles(self) -> list[str]:
        return [c.role for c in self.columns]

    @property
    def signature(self) -> list[tuple[str, str]]:
        """The header's roles and hints: the same on a header repeated after a page break."""
        return [(c.role, c.hint) for c in self.columns]

    @property
    def is_price_table(self) -> bool:
        """Whether the rows are line items: a price table, or an order table its cells confirm."""
        return names_prices(self.roles) or (names_quantities(self.roles) and holds_orders(self.rows))

    def role_column(self, role: str) -> Optional[HeaderColumn]:
        return next((c for c in self.columns if c.role == role), None)


def names_prices(roles: list[str]) -> bool:
    """A header with a price column (单价, 金额) among enough roles."""
    spec = load("tables")["price_table"]
    return bool(set(roles) & set(spec["price"])) and len(set(roles)) >= spec["min_roles"]


def names_quantities(roles: list[str]) -> bool:
    """A header with a quantity column (数量): an order table when its rows hold counts and units."""
    return bool(set(roles) & set(load("tables")["price_table"]["order"]))


def names_orders(roles: list[str]) -> bool:
    """A header with a quantity and a unit or price-basis column (数量, 计价单位, 报价单位)."""
    return names_quantities(roles) and bool(set(roles) & set(load("tables")["price_table"]["order_units"]))


def holds_orders(rows: list["Row"]) -> bool:
    """Most rows with a figure also hold a count and, in another cell, a unit or a price basis
    ("6 | 1vCPU | 元/CPU·月 | 1128"), as an order's rows do; a staff list's ages do not."""
    counted = [row for row in rows if any(cell_kind(c.text) == "number" for c in row.cells)]
    orders = [row for row in counted if is_order_row(row)]
    return bool(orders) and len(orders) >= MIN_ORDER_ROW_SHARE * len(counted)


def is_order_row(row: "Row") -> bool:
    """A row with a count (12, 65.82, 20TB) and, in another cell, a unit or basis (1 套, 元/台·月)."""
    kinds = [cell_kind(c.text) for c in row.cells]
    counts = [n for n, kind in enumerate(kinds) if kind in COUNT_KINDS]
    units = [n for n, kind in enumerate(kinds) if kind in UNIT_KINDS]
    return any(c != u for c in counts for u in units)


def find_tables(doc: ContractDoc) -> ContractDoc:
    if len(doc.rows) != len(doc.lines):
        doc.rows = [split_cells(line) for line in doc.lines]
    single_space_rows(doc.lines, doc.rows)
    tables = [table for block in table_blocks(doc.lines, doc.rows) for table in split_at_headers(block)]
    doc.tables = inherit_headers(tables, doc.lines)
    return doc


def inherit_headers(tables: list[Table], lines: list[Line]) -> list[Table]:
    """A headerless table right after a headed one, its rows as wide, continues it
    (a price table cut by a page break or a note, its header not repeated), unless
    a clause or annex heading stands between them."""
    merged: list[Table] = []
    for table in tables:
        previous = merged[-1] if merged else None
        if (table.header is None and previous is not None and previous.header is not None
                and table.rows and table.rows[0].line.number - _last_line(previous) <= MAX_CONTINUATION_GAP
                and _widest(table) >= len(previous.columns) - 1
                and not any(HEADING.match(line.text) for line in lines[_last_line(previous):table.rows[0].line.number])):
            previous.rows.extend(table.rows)
            continue
        merged.append(table)
    return merged


def _last_line(table: Table) -> int:
    return table.rows[-1].line.number if table.rows else table.header.line.number


def _widest(table: Table) -> int:
    return max(len(row.cells) for row in table.rows)


def split_cells(line: Line) -> Optional[Row]:
    """The cells of a line, or None when it is prose (one cell)."""
    text = line.text
    if line.furniture or not text.strip():
        return None
    if "\t" not in text and "|" not in text and "  " not in text and "\u3000" not in text:
        return None
    min_cells = MIN_CELLS
    if "\t" in text:
        pieces = _pieces(text, "\t")
    elif text.count("|") >= 2 and not PIPE_RULE.match(text):
        min_cells = 1
        pieces = _pieces(text, "|")
        if pieces and not pieces[0][1].strip():
            pieces = pieces[1:]
        if pieces and not pieces[-1][1].strip():
            pieces = pieces[:-1]
    elif len(SPACE_SPLIT.findall(text.strip())) >= MIN_SPACE_CELLS - 1:
        pieces = _space_pieces(text)
    else:
        return None
    cells = []
    for column, (start, piece) in enumerate(pieces):
        stripped = piece.strip()
        if stripped:
            offset = start + piece.index(stripped)
            cells.append(Cell(line.span.sub(offset, offset + len(stripped)), column))
    if len(cells) < min_cells:
        return None
    return Row(line, cells, len(pieces))


def single_space_rows(lines: list[Line], rows: list[Optional[Row]]) -> None:
    """Fill `rows` for tables whose cells OCR parted by single spaces.

    A line whose words are column names of a price table ("序号 服务名称 单位 单价（元/月）
    数量 总价（元）") is a header; the lines under it that hold figures are cut into
    its cells, extra words going to the service column ("云主机 4核8G"). The table
    ends at a heading (第X条), a line of prose (a long run of text, or a sentence
    not opened by a row number) or a run of lines without figures.
    """
    header: Optional[Row] = None
    service_at = 0
    idle = 0
    for i, line in enumerate(lines):
        if rows[i] is not None or line.furniture:
            header = header if rows[i] is None else None
            continue
        if header is None and (line.text.strip().count(" ") < MIN_SPACE_CELLS - 1
                               or not header_words().search(line.text)):
            continue  # too few words for a header, or no price or quantity column among them
        words = _word_row(line)
        if words is None:
            continue
        if header is None:
            words = merge_split_words(words)
        columns = header_columns(words) if len(words.cells) >= MIN_SPACE_CELLS else None
        roles = [c.role for c in columns] if columns is not None else []
        if columns is not None and (names_prices(roles) or names_orders(roles)):
            rows[i], header, idle = words, words, 0
            service_at = next((c.column for c in columns if c.role == "service"), 1)
            continue
        if header is None:
            continue
        prose = (len(words.cells) == 1 and len(words.cells[0].text) > MAX_LOOSE_LINE_CHARS
                 or (SENTENCE_MARK.search(line.text) is not None and not words.cells[0].text.isdigit()))
        if HEADING.match(line.text) or prose:
            header = None
        elif any(ch.isdigit() for ch in line.text) and len(words.cells) >= MIN_CELLS:
            rows[i], idle = _fit(words, header.width, service_at), 0
        else:
            idle += 1
            if idle > MAX_GAP_LINES:
                header = None


@lru_cache(maxsize=None)
def header_words() -> regex.Pattern:
    """Any name of a price or quantity column (单价, 金额, 数量, …): a line-item table's header holds one."""
    spec = load("tables")
    roles = spec["price_table"]["price"] + spec["price_table"]["order"]
    words = [w for role in roles for w in spec["roles"][role]["exact"]]
    return regex.compile("|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)))


def merge_split_words(words: Row) -> Row:
    """A header line's words with the ones OCR split rejoined: "计价 单位" → 计价单位,
    "报价单 位" → 报价单位, "服务期 (月)" → 服务期 (月). Two words join when together they
    are a column name and the first alone is not, or when the second is only a bracketed hint."""
    cells: list[Cell] = []
    for cell in words.cells:
        previous = cells[-1] if cells else None
        if previous is not None and _joins(previous.text, cell.text):
            joined = previous.span.sub(0, cell.span.end - previous.span.start)
            cells[-1] = Cell(joined, previous.column)
            continue
        cells.append(Cell(cell.span, len(cells)))
    return Row(words.line, cells, len(cells))


def _joins(first: str, second: str) -> bool:
    if HEADER_HINT.fullmatch(second):
        return True
    return exact_role(first) is None and exact_role(first + second) is not None


@lru_cache(maxsize=4096)
def exact_role(text: str) -> Optional[str]:
    """The role whose synonym list holds the text exactly (spaces and bracketed hints aside)."""
    bare = HEADER_HINT.sub("", text).replace(" ", "").strip(":：")
    return next((role for role, spec in load("tables")["roles"].items() if bare in spec["exact"]), None)


def _word_row(line: Line) -> Optional[Row]:
    """The line's words as cells, or None for a blank line."""
    cells = [Cell(line.span.sub(m.start(), m.end()), n) for n, m in enumerate(WORD.finditer(line.text))]
    return Row(line, cells, len(cells)) if cells else None


def _fit(words: Row, width: int, service_at: int) -> Row:
    """A row of `width` cells from more words: the extra words join the service cell."""
    cells = words.cells
    if len(cells) <= width or service_at >= width:
        return words
    after = width - service_at - 1
    middle = cells[service_at:len(cells) - after]
    service = Cell(middle[0].span.sub(0, middle[-1].span.end - middle[0].span.start), service_at)
    tail = [Cell(c.span, service_at + 1 + n) for n, c in enumerate(cells[len(cells) - after:])]
    return Row(words.line, cells[:service_at] + [service] + tail, width)


def _pieces(text: str, separator: str) -> list[tuple[int, str]]:
    pieces, pos = [], 0
    for piece in text.split(separator):
        pieces.append((pos, piece))
        pos += len(piece) + len(separator)
    return pieces


def _space_pieces(text: str) -> list[tuple[int, str]]:
    pieces, pos = [], 0
    for match in SPACE_SPLIT.finditer(text):
        pieces.append((pos, text[pos:match.start()]))
        pos = match.end()
    pieces.append((pos, text[pos:]))
    return pieces


def loose_row(line: Line) -> Row:
    """A row for a short line inside a table (a sum label and its figure, a wrapped cell)."""
    cells = []
    for column, (start, piece) in enumerate(_space_pieces(line.text)):
        stripped = piece.strip()
        if stripped:
            offset = start + piece.index(stripped)
            cells.append(Cell(line.span.sub(offset, offset + len(stripped)), column))
    return Row(line, cells, len(cells))


def table_blocks(lines: list[Line], rows: list[Optional[Row]]) -> list[list[Row]]:
    """Runs of cell lines; short loose lines between or right after them join."""
    blocks: list[list[Row]] = []
    current: list[Row] = []
    pending: list[Row] = []
    gap = 0
    for line, row in zip(lines, rows):
        if row is not None:
            if current:
                current.extend(pending)
            current.append(row)
            pending, gap = [], 0
            continue
        text = " ".join(line.text.split())
        if not current or not text or line.furniture or PIPE_RULE.match(text):
            continue
        gap += 1
        if gap > MAX_GAP_LINES or len(text) > MAX_LOOSE_LINE_CHARS or HEADING.match(text):
            blocks.append(current + _trailing_sums(pending))
            current, pending, gap = [], [], 0
            continue
        pending.append(loose_row(line))
    if current:
        blocks.append(current + _trailing_sums(pending))
    return blocks


def _trailing_sums(pending: list[Row]) -> list[Row]:
    """Keep loose lines after a table only while they are sum labels, figures,
    indented (a wrapped cell of the last row) or a few wrapped characters."""
    kept = []
    keywords = load("tables")["sums"]["keywords"]
    for row in pending[:MAX_TRAILING_SUM_LINES]:
        text = row.text.replace(" ", "")
        indented = row.line.text[:1] == "\t" or row.line.text[:2].isspace()
        fragment = len(text) <= MAX_FRAGMENT_CHARS and not any(ch.isdigit() for ch in text)
        if (any(k in text for k in keywords) or regex.fullmatch(r"[¥￥]?\d+(?:\.\d+)?元?", text)
                or indented or fragment):
            kept.append(row)
        else:
            break
    return kept


def split_at_headers(block: list[Row]) -> list[Table]:
    """Tables of a block: each header starts one, but a header repeated on the
    next page (same roles and hints) continues the table it repeats."""
    tables: list[Table] = []
    current = Table()
    for row in block:
        columns = header_columns(row)
        if columns is not None:
            if current.header is not None and [(c.role, c.hint) for c in columns] == current.signature:
                continue
            if current.rows or current.header:
                tables.append(current)
            current = Table(header=row, columns=columns)
            continue
        current.rows.append(row)
    if current.rows or current.header:
        tables.append(current)
    return tables


@lru_cache(maxsize=4096)
def header_role(cell_text: str) -> Optional[tuple[str, str]]:
    """(role, hint) of a header cell such as '单价(元/月)' → ('unit_price', '元/月')."""
    hints = HEADER_HINT.findall(cell_text)
    bare = HEADER_HINT.sub("", cell_text).replace(" ", "").strip(":：")
    if not bare or len(bare) > 12:
        return None
    implied = load("tables")["implied_hints"].get(bare)
    if implied is not None and not hints:
        hints = [implied]
    roles = load("tables")["roles"]
    for role, spec in roles.items():
        if bare in spec["exact"]:
            return role, " ".join(hints)
    for role, spec in roles.items():
        if any(bare.startswith(word) and len(word) >= 2 for word in spec["exact"]):
            return role, " ".join(hints)
    for role, spec in roles.items():
        if any(bare.endswith(word) and len(bare) > len(word) for word in spec.get("suffix", ())):
            return role, " ".join(hints)
    return None


def header_columns(row: Row) -> Optional[list[HeaderColumn]]:
    """The roles of a header row, or None when the row is not a header."""
    columns = []
    for cell in row.cells:
        found = header_role(cell.text)
        if found is None:
            if any(ch.isdigit() for ch in cell.text):
                return None
            continue
        columns.append(HeaderColumn(cell.column, found[0], found[1], cell))
    if len({c.role for c in columns}) < 2 or len(columns) * 2 < len(row.cells):
        return None
    return columns
