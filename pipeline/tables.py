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

Tables copied out of a web page or OCR'd cell by cell do not stand in aligned lines: one cell
per line (序号 ⏎ 标的名称 ⏎ … then each row's cells the same way), or a header and its rows run
together on one line. `read_copied_tables` reads them first: it cuts the cells into rows by the
header's width and the row numbers, checks each row by what its cells hold, and reads a table
whole or not at all. Their rows are `Row`s whose cells are spans of the text like any other.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import combinations
from typing import Optional

import regex

from extractors.lexicon import load
from extractors.values.cnmoney import find_cn_amounts
from extractors.values.units import cell_kind, price_figure
from pipeline.document import ContractDoc, Line, Span
from pipeline.price_lists import read_price_lists

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
SPACES = regex.compile(r"\s+")  # OCR's stray spaces in a header word, or a header cell wrapped over two lines
SENTENCE_MARK = regex.compile(r"[。；;]")
HEADING = regex.compile(r"^\s*(第\s*[一二三四五六七八九十百\d]+\s*[条章]|附件)")
#: A table's caption ("表二  集成服务", "附表1：设备清单"): the table before it has ended.
CAPTION = regex.compile(r"^\s*附?表\s*[一二三四五六七八九十\d]+(?:\s|[:：、.．]|$)")


@dataclass
class Cell:
    span: Span
    column: int

    @cached_property
    def text(self) -> str:
        """The cell's text, stripped (read once: rows are read by many stages)."""
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
    copied = read_copied_tables(doc.lines, doc.rows)
    listed = read_price_lists(doc.lines, doc.rows)
    for table, _ in listed:
        for row in table.rows:
            doc.rows[row.line.number] = row
    single_space_rows(doc.lines, doc.rows)
    taken = {n for found in copied for n in found.lines} | {n for _, numbers in listed for n in numbers}
    tables = [table for block in table_blocks(doc.lines, doc.rows, taken) for table in split_at_headers(block)]
    tables += [found.table for found in copied] + [table for table, _ in listed]
    tables.sort(key=lambda t: (t.header or t.rows[0]).line.number)
    doc.tables = [settle_columns(part_joined_cells(table)) for table in inherit_headers(tables, doc.lines)]
    return doc


def part_joined_cells(table: Table) -> Table:
    """Rows of a space-aligned table that hold fewer cells than its header because a single
    space parted two cells (wide characters pad a column less: "会商（高清） 元/次", "36000 1"):
    such a cell is parted (see `_parted`) when exactly as many cells part as the row lacks."""
    if table.header is None:
        return table
    width = table.header.width
    for n, row in enumerate(table.rows):
        missing = width - row.width
        if missing <= 0 or "\t" in row.line.text or "|" in row.line.text or len(row.cells) + missing != width:
            continue
        parted = [_parted(cell) for cell in row.cells]
        if sum(1 for p in parted if p is not None) != missing:
            continue
        cells: list[Cell] = []
        for cell, parts in zip(row.cells, parted):
            for span in parts or [cell.span]:
                cells.append(Cell(span, len(cells)))
        table.rows[n] = Row(row.line, cells, width)
    return table


def _parted(cell: Cell) -> Optional[list[Span]]:
    """A cell's two parts around its one single space, when they are two figures ("36000 1")
    or a name and a price basis ("会商（高清） 元/次"); a figure and its unit ("36 个月") stay one."""
    text = cell.span.text
    if text.count(" ") != 1:
        return None
    at = text.index(" ")
    left, right = text[:at].strip(), text[at + 1:].strip()
    kinds = (cell_kind(left), cell_kind(right))
    if kinds == ("number", "number") or (kinds == ("text", "basis") and "/" in right):
        return [cell.span.sub(0, at), cell.span.sub(at + 1, len(text))]
    return None


def settle_columns(table: Table) -> Table:
    """Roles the header words leave open, decided by the cells: of two price columns (目录单价,
    成交单价) the one the row arithmetic uses (price × quantity × periods = amount), none when
    the rows do not tell; a basis column (计费单位) whose cells are units (台, 100GB) is the unit."""
    prices = [c for c in table.columns if c.role == "unit_price"]
    if len(prices) > 1 and table.role_column("amount") is None:
        table.columns = amount_among_prices(table, prices)
        prices = [c for c in table.columns if c.role == "unit_price"]
    if len(prices) > 1:
        chosen = arithmetic_price(table, prices)
        table.columns = [c for c in table.columns if c.role != "unit_price" or c is chosen]
    bases = [c for c in table.columns if c.role == "price_basis"]
    if len(bases) == 1 and table.role_column("billing_unit") is None:
        kinds = [cell_kind(cell.text) for row in table.rows for cell in row.cells
                 if cell.column == bases[0].column and cell_kind(cell.text) != "text"]
        if kinds and all(kind == "unit" for kind in kinds):
            column = bases[0]
            table.columns = [HeaderColumn(c.column, "billing_unit", c.hint, c.cell) if c is column else c
                             for c in table.columns]
    return table


def arithmetic_price(table: Table, prices: list[HeaderColumn]) -> Optional[HeaderColumn]:
    """The one price column whose figures, times the quantity (and periods), give the amount on
    every row that states them all; None when no column or more than one does."""
    factors = [table.role_column(role) for role in ("quantity", "periods")]
    amount = table.role_column("amount")
    if amount is None or factors[0] is None:
        return None
    fits = []
    for price in prices:
        checked, ok = 0, True
        for row in table.rows:
            at = {cell.column: price_figure(cell.text) for cell in row.cells}
            figures = [at.get(price.column), at.get(factors[0].column), at.get(amount.column)]
            if any(f is None for f in figures):
                continue
            product = figures[0] * figures[1]
            if factors[1] is not None and at.get(factors[1].column) is not None:
                product *= at[factors[1].column]
            checked += 1
            ok = ok and abs(product - figures[2]) <= PRICE_FIT_TOLERANCE
        if checked and ok:
            fits.append(price)
    return fits[0] if len(fits) == 1 else None


PRICE_FIT_TOLERANCE = 0.01
COUNTED_FIGURE = regex.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*\D")


def amount_among_prices(table: Table, prices: list[HeaderColumn]) -> list[HeaderColumn]:
    """The columns with a price column turned into the amount when it is what another price
    column, times the quantity (and the periods, where the row's basis counts them), gives on
    every row ("单价 4.80元/平方米·月 … 年服务费 725,760.00"); unchanged when no single pair fits."""
    quantity, periods = table.role_column("quantity"), table.role_column("periods")
    if quantity is None:
        return table.columns
    pairs = [(price, total) for price in prices for total in prices
             if price is not total and _sums_rows(table, price, total, quantity, periods)]
    if len(pairs) != 1:
        return table.columns
    total = pairs[0][1]
    return [HeaderColumn(c.column, "amount", "", c.cell) if c is total else c for c in table.columns]


def _sums_rows(table: Table, price: HeaderColumn, total: HeaderColumn, quantity: HeaderColumn,
               periods: Optional[HeaderColumn]) -> bool:
    """Whether price × quantity (× periods, or once for a price per year) is the total on every
    row that states them, and on at least two."""
    checked = 0
    for row in table.rows:
        at = {cell.column: price_figure(cell.text) for cell in row.cells}
        for cell in row.cells:  # a count with its unit ("6台", "12600㎡")
            counted = COUNTED_FIGURE.match(cell.text) if cell.column == quantity.column else None
            if counted and cell_kind(cell.text) == "unit":
                at[cell.column] = price_figure(counted.group("n"))
        figures = [at.get(price.column), at.get(quantity.column), at.get(total.column)]
        if any(f is None for f in figures):
            continue
        once = figures[0] * figures[1]
        products = [once] + ([once * at[periods.column]] if periods and at.get(periods.column) else [])
        if not any(abs(product - figures[2]) <= PRICE_FIT_TOLERANCE for product in products):
            return False
        checked += 1
    return checked >= 2


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
    bare = SPACES.sub("", HEADER_HINT.sub("", text)).strip(":：")
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


def table_blocks(lines: list[Line], rows: list[Optional[Row]], taken: frozenset[int] | set[int] = frozenset()
                 ) -> list[list[Row]]:
    """Runs of cell lines; short loose lines between or right after them join. Lines `taken`
    by a table read otherwise end the run and join none."""
    blocks: list[list[Row]] = []
    current: list[Row] = []
    pending: list[Row] = []
    gap = 0
    for line, row in zip(lines, rows):
        if line.number in taken or CAPTION.match(line.text):
            if current:
                blocks.append(current + _trailing_sums(pending))
            current, pending, gap = [], [], 0
            continue
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
            if current.header is not None and not current.rows and continues_header(current.header, row):
                current.header, current.columns = merge_header(current, row, columns)
                continue
            if current.rows or current.header:
                tables.append(current)
            current = Table(header=row, columns=columns)
            continue
        current.rows.append(row)
    if current.rows or current.header:
        tables.append(current)
    return tables


def continues_header(first: Row, second: Row) -> bool:
    """Whether `second` is the lower line of a two-line header: right under `first`, it leaves
    the leading columns empty (they are `first`'s, merged down) and starts under a cell of
    `first`, a group name such as 协议单价 or 价格（元） over its sub-columns."""
    if second.line.number - first.line.number > 1 or not second.cells or not first.cells:
        return False
    start = second.cells[0].column
    if start == 0 or start <= first.cells[0].column:
        return False
    return all(any(c.column == column for c in first.cells) for column in range(start))


def merge_header(table: Table, second: Row, columns: list[HeaderColumn]) -> tuple[Row, list[HeaderColumn]]:
    """One header from two lines: a sub-column names its own role, except that a figure ("金额（元）")
    under a group that names a price ("协议单价") is that price; the group's other columns stay."""
    below = {c.column: c for c in columns}
    merged = [c for c in table.columns if c.column not in below and
              not any(c.column == cell.column for cell in second.cells)]
    over = {c.column: c for c in table.columns}
    for column in columns:
        group = over.get(column.column)
        if group is not None and group.role in PRICE_GROUP_ROLES and column.role in FIGURE_SUB_ROLES:
            column = HeaderColumn(column.column, group.role, column.hint or group.hint, column.cell)
        elif group is not None and not column.hint:
            column = HeaderColumn(column.column, column.role, group.hint, column.cell)
        merged.append(column)
    merged.sort(key=lambda c: c.column)
    header = table.header
    cells = sorted([c for c in header.cells if c.column not in below] + second.cells, key=lambda c: c.column)
    return Row(header.line, cells, max(header.width, second.width)), merged


PRICE_GROUP_ROLES = ("unit_price",)
FIGURE_SUB_ROLES = ("amount",)


@lru_cache(maxsize=4096)
def header_role(cell_text: str) -> Optional[tuple[str, str]]:
    """(role, hint) of a header cell such as '单价(元/月)' → ('unit_price', '元/月')."""
    if not any(ch.isalpha() for ch in cell_text):  # a figure or a row number: no header word
        return None
    hints = HEADER_HINT.findall(cell_text)
    bare = SPACES.sub("", HEADER_HINT.sub("", cell_text)).strip(":：")
    if not bare or len(bare) > 12:
        return None
    found = _bare_role(bare, hints)
    if found is None and "/" in bare:  # "服务区域/项目": either word names the column
        found = next(filter(None, (_bare_role(part, hints) for part in bare.split("/") if part)), None)
    return found


def _bare_role(bare: str, hints: list[str]) -> Optional[tuple[str, str]]:
    """(role, hint) of a header word with its bracketed hints removed."""
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
    endings = [(len(word), -n, role) for n, (role, spec) in enumerate(roles.items())
               for word in spec.get("suffix", ()) if bare.endswith(word) and len(bare) > len(word)]
    if endings:  # the longest ending wins ("含税总价" ends like an amount, not like a price)
        return max(endings)[2], " ".join(hints)
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


# -- tables copied out of web pages: one cell per line, or run together on one line ----------

MAX_HEADER_CELL_CHARS = 16
MAX_BLANK_LINES = 3
MAX_JOINED_PIECES = 4
MAX_MISSING_CELLS = 2
MAX_SUM_PARTS = 3
MAX_SUM_CELL_CHARS = 30
MAX_TITLE_CHARS = 20
MAX_TRAILING_CHARS = 40
MAX_UNIT_CHARS = 12
MIN_COPIED_COLUMNS = 3
NUMBER_COLUMN_ROLES = ("unit_price", "quantity", "amount")
DIGIT = regex.compile(r"\d")
COLON = regex.compile(r"[:：]")
SUM_LABEL_END = regex.compile(r"[:：¥￥(（\[\d/\-—–]")
#: A title, its colon and the row-number column's name in one cell ("标的信息：序号").
TITLED_SEQ = regex.compile(r"^[^:：\d]{1,%d}[:：]\s*(?P<seq>\S{1,4})$" % MAX_TITLE_CHARS)
#: The last header cell and the first row's number, joined by the text's line joining ("总价1").
GLUED_SEQ = regex.compile(r"^(?P<head>.*\D)1$")

Roles = list[str]  # a role for each column of a header; "" for a column the vocabulary does not name


@dataclass
class CopiedTable:
    """A table read from cells that do not stand in aligned lines, with the lines it takes."""

    table: Table
    lines: set[int]
    per_line: bool


def read_copied_tables(lines: list[Line], rows: list[Optional[Row]]) -> list[CopiedTable]:
    """Tables copied out of a web page or OCR'd cell by cell: one cell per line
    (`cell_per_line_table`), or a header and rows run together on a line (`run_together_table`).
    Only lines that could open one are tried: a short line that is a header word, a line holding
    the row-number column's name and a price or quantity column's. The lines a table takes
    become table rows in `rows` (one cell per line, or the line's words)."""
    found: list[CopiedTable] = []
    taken: set[int] = set()
    for i, line in enumerate(lines):
        if i in taken or line.furniture:
            continue
        text = line.text.strip()
        copied = None
        if rows[i] is None and text and len(text) <= MAX_HEADER_CELL_CHARS and header_start(text):
            copied = cell_per_line_table(lines, rows, i)
        if copied is None and seq_words().search(text) and header_words().search(text):
            copied = run_together_table(lines, rows, i)
        if copied is None or copied.lines & taken:
            continue
        found.append(copied)
        taken |= copied.lines
        for n in sorted(copied.lines):
            if rows[n] is None and lines[n].text.strip():
                rows[n] = Row(lines[n], [_line_cell(lines[n])], 1) if copied.per_line else _word_row(lines[n])
    return found


@lru_cache(maxsize=None)
def seq_words() -> regex.Pattern:
    """The names of the row-number column (序号)."""
    words = load("tables")["roles"]["seq"]["exact"]
    return regex.compile("|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=8192)
def header_piece(text: str) -> Optional[str]:
    """The role of a line that holds one header cell ("单价(元)", "标的 名称"), else None."""
    text = text.strip()
    if not text or not _header_like(text):
        return None
    found = header_role(text)
    return found[0] if found is not None else None


def header_start(text: str) -> bool:
    """Whether a line can open a header written one cell per line: a column name exactly
    ("序号", "标的 名称"), not a title that opens with one ("标的信息")."""
    return header_piece(text) is not None and exact_role(text.strip()) is not None


def _header_like(text: str) -> bool:
    """Short, no figures outside its brackets, no sentence, no key and value."""
    return (len(text) <= MAX_HEADER_CELL_CHARS and not DIGIT.search(HEADER_HINT.sub("", text))
            and not SENTENCE_MARK.search(text) and not COLON.search(text.rstrip(":：")))


def _line_cell(line: Line, column: int = 0) -> Cell:
    text = line.text
    stripped = text.strip()
    offset = text.index(stripped) if stripped else 0
    return Cell(line.span.sub(offset, offset + len(stripped)), column)


def _spanning(cells: list[Cell], column: int) -> Cell:
    """One cell made of several (a wrapped cell's lines, a name's words)."""
    first, last = cells[0].span, cells[-1].span
    return Cell(Span(first.doc, first.start, last.end), column)


class CellStream:
    """The cells of the lines from `start` on, one after another, read as they are needed:
    each non-blank line is one cell (`per_line`), or holds its cells (tab-, space-parted)
    or its words. Blank lines give none. A line taken for page furniture gives a cell marked
    so when cells stand one per line (a value repeated down a column, "12个月", is taken for a
    running header), none otherwise."""

    def __init__(self, lines: list[Line], rows: list[Optional[Row]], start: int, per_line: bool,
                 first: Optional[list[Cell]] = None, first_line: int = 0):
        self.lines, self.rows, self.next_line, self.per_line = lines, rows, start, per_line
        self.cells: list[Cell] = list(first or [])
        self.line_of: list[int] = [first_line] * len(self.cells)
        self.furniture: list[bool] = [False] * len(self.cells)

    def fill(self, count: int) -> bool:
        """Read lines until `count` cells are there; False when the lines run out first."""
        while len(self.cells) < count and self.next_line < len(self.lines):
            line = self.lines[self.next_line]
            self.next_line += 1
            if not line.text.strip() or (line.furniture and not self.per_line):
                continue
            if self.per_line:
                cells = [_line_cell(line)]
            else:
                row = self.rows[line.number]
                cells = list(row.cells) if row is not None else _word_row(line).cells
            self.cells.extend(cells)
            self.line_of.extend([line.number] * len(cells))
            self.furniture.extend([line.furniture] * len(cells))
        return len(self.cells) >= count

    def text(self, at: int) -> Optional[str]:
        return self.cells[at].text if self.fill(at + 1) else None

    def line(self, start: int, end: int) -> Line:
        """A line for the cells start..end: their span, numbered by the line the first stands on."""
        first, last = self.cells[start].span, self.cells[end - 1].span
        return Line(Span(first.doc, first.start, last.end), self.line_of[start])


def cell_per_line_table(lines: list[Line], rows: list[Optional[Row]], start: int) -> Optional[CopiedTable]:
    """A table whose header cells stand one per line (序号 ⏎ 标的名称 ⏎ … ⏎ 总价(元)), blank
    lines between or not, and whose rows follow the same way, then its sum lines."""
    before = _previous_text_line(lines, start)
    if before is not None and rows[before] is None and header_start(lines[before].text):
        return None  # inside a header already tried from its first cell
    cells: list[Cell] = []
    numbers: list[int] = []
    glued: Optional[Cell] = None
    leading = _glued_seq_word(lines[before]) if before is not None and rows[before] is None else None
    if leading is not None:  # "一、合同标的" ⏎ "序号" joined into "一、合同标的序号"
        cells, numbers, start = [leading], [before], before
    blanks, n = 0, start + 1 if leading is not None else start
    while n < len(lines):
        line, text = lines[n], lines[n].text.strip()
        if line.furniture or not text:
            blanks, n = blanks + 1, n + 1
            if blanks > MAX_BLANK_LINES:
                break
            continue
        if rows[n] is not None:
            break
        cell = _line_cell(line, len(cells))
        if cells and numbers[-1] == _previous_text_line(lines, n) and _joins(cells[-1].text, text) \
                and _header_like(cells[-1].text + text):
            cells[-1] = _spanning([cells[-1], cell], cells[-1].column)  # "计价" ⏎ "单位", "单价" ⏎ "(元)"
        elif header_piece(text) is not None or (cells and _header_like(text)):
            cells.append(cell)
            numbers.append(n)
        else:
            match = GLUED_SEQ.match(text)
            glued = cell if match and header_piece(match.group("head")) is not None else None
            break
        blanks, n = 0, n + 1
    first: list[Cell] = []
    if glued is not None:  # "总价(元)" ⏎ "1" joined into "总价(元)1"
        cells.append(Cell(glued.span.sub(0, len(glued.text) - 1), len(cells)))
        first = [Cell(glued.span.sub(len(glued.text) - 1, len(glued.text)), 0)]
        n += 1
    else:
        while cells and header_piece(cells[-1].text) is None:  # a name the first row opens with
            cells.pop()
            n = numbers.pop()
    header = copied_header(cells, start)
    if header is None or header[1][0].column != 0 or header[1][0].role not in copied_spec()["first_roles"]:
        return None
    stream = CellStream(lines, rows, n, per_line=True, first=first, first_line=n - 1)
    body = read_copied_rows(stream, header, copied_spec()["wrap_roles"], prefer_long=True)
    if body is None:
        return None
    table_rows, end = body
    return CopiedTable(Table(table_rows, header[0], header[1]), set(range(start, stream.line_of[end - 1] + 1)), True)


def _previous_text_line(lines: list[Line], n: int) -> Optional[int]:
    """The number of the last non-blank line before line n, if any."""
    n -= 1
    while n >= 0 and not lines[n].text.strip():
        n -= 1
    return n if n >= 0 and not lines[n].furniture else None


def _glued_seq_word(line: Line) -> Optional[Cell]:
    """The row-number column's name at the end of a short line the text's line joining glued it
    to ("一、合同标的序号"), as a cell."""
    text = line.text.rstrip()
    match = seq_words().search(text, pos=max(0, len(text) - MAX_HEADER_CELL_CHARS))
    while match is not None and match.end() != len(text):
        match = seq_words().search(text, pos=match.end())
    if match is None or match.start() == 0 or match.start() > MAX_TITLE_CHARS:
        return None
    return Cell(line.span.sub(match.start(), match.end()), 0)


def copied_header(cells: list[Cell], number: int) -> Optional[tuple[Row, list[HeaderColumn]]]:
    """A header row from cells that stand apart (on lines of their own, or run together), when
    its roles make a price or order table."""
    if len(cells) < MIN_COPIED_COLUMNS:
        return None
    cells = [Cell(c.span, n) for n, c in enumerate(cells)]
    first = cells[0].span
    row = Row(Line(Span(first.doc, first.start, cells[-1].span.end), number), cells, len(cells))
    columns = header_columns(row)
    if columns is None:
        return None
    roles = [c.role for c in columns]
    if not (names_prices(roles) or names_orders(roles)):
        return None
    return row, columns


def run_together_table(lines: list[Line], rows: list[Optional[Row]], start: int) -> Optional[CopiedTable]:
    """A table run together on one line ("序号 服务名称 单价 数量 金额 1 云主机 120 10 1200 2 …
    合计 2200"), or whose header line is followed by lines holding several rows each. Rows are
    cut by their numbers (1, 2, 3 …) and the header's width; extra words join the name or
    specification column. A line that holds one row each is left to `single_space_rows`."""
    line = lines[start]
    cells = list(rows[start].cells) if rows[start] is not None else _word_row(line).cells
    at = next((n for n, c in enumerate(cells) if exact_role(c.text) == "seq" or _titled_seq(c) is not None), None)
    if at is None:
        return None
    seq = _titled_seq(cells[at]) or cells[at]
    if seq.span.start - line.start > MAX_TITLE_CHARS:
        return None  # a header in the middle of a line of prose
    cells[at] = seq
    end = at
    while end < len(cells) and not DIGIT.search(HEADER_HINT.sub("", cells[end].text)):
        end += 1
    if end < len(cells) and cells[end].text != "1":
        return None
    header = copied_header(merge_split_words(Row(line, cells[at:end], end - at)).cells, start)
    if header is None or header[1][0].role != "seq" or header[1][0].column != 0:
        return None
    if end == len(cells) and not _holds_rows(lines, rows, start, header[0].width):
        return None
    stream = CellStream(lines, rows, start + 1, per_line=False, first=cells[end:], first_line=start)
    body = read_copied_rows(stream, header, copied_spec()["word_roles"], prefer_long=False)
    if body is None:
        return None
    table_rows, used = body
    starts = [row.line.number for row in table_rows if not is_sum_cell(row.cells[0].text)]
    if end == len(cells) and len(starts) == len(set(starts)):
        return None  # one row a line: a table parted by single spaces
    last = stream.line_of[used - 1]
    trailing = [c.text for c, n in zip(stream.cells[used:], stream.line_of[used:]) if n == last]
    if sum(len(t) for t in trailing) > MAX_TRAILING_CHARS:
        return None  # a table inside a line of prose
    return CopiedTable(Table(table_rows, header[0], header[1]), set(range(start, last + 1)), False)


def _holds_rows(lines: list[Line], rows: list[Optional[Row]], header: int, width: int) -> bool:
    """Whether the line under a header line could hold two rows: its first cell is 1, a 2
    follows, and it has cells enough for more than one row."""
    following = _next_text_line(lines, header)
    if following is None:
        return False
    row = rows[following]
    cells = [c.text for c in (row.cells if row is not None else _word_row(lines[following]).cells)]
    return cells[0] == "1" and "2" in cells and len(cells) >= 2 * (width - MAX_MISSING_CELLS)


def _next_text_line(lines: list[Line], n: int) -> Optional[int]:
    """The number of the first non-blank line after line n, if any."""
    n += 1
    while n < len(lines) and not lines[n].text.strip():
        n += 1
    return n if n < len(lines) and not lines[n].furniture else None


def _titled_seq(cell: Cell) -> Optional[Cell]:
    """The row-number column's name in a cell that a title and its colon open ("报价明细：序号")."""
    match = TITLED_SEQ.match(cell.text)
    if match is None or exact_role(match.group("seq")) != "seq":
        return None
    offset = cell.span.text.index(cell.text)
    return Cell(cell.span.sub(offset + match.start("seq"), offset + match.end("seq")), cell.column)


def read_copied_rows(stream: CellStream, header: tuple[Row, list[HeaderColumn]], flex: list[str],
                     prefer_long: bool) -> Optional[tuple[list[Row], int]]:
    """The rows and sum rows of a copied table from its cells, and how many cells they take.

    Each row takes as many cells as the header has columns, checked by what they hold: the
    row number counts 1, 2, 3 …, price and quantity columns hold figures, unit and name
    columns do not. A wrapped cell (two lines) or a name of several words takes more cells, an
    empty description cell fewer; the next row's number marks where a row ends. A row that
    cannot be read this way makes the whole table unread (rows missing from a table would
    give false sums); so does a table that stops where more rows seem to follow."""
    row, columns = header
    role_at = {c.column: c.role for c in columns}
    roles: Roles = [role_at.get(n, "") for n in range(row.width)]
    numbered = roles[0] == "seq"
    found: list[Row] = []
    at, expected, items = 0, 1, 0
    while stream.fill(at + 1):
        text = stream.cells[at].text
        if stream.furniture[at] and text != str(expected):
            at += 1  # a page header or footer between two rows
            continue
        if items and is_sum_cell(text):
            end = sum_end(stream, at, expected if numbered else None, len(roles))
            label = stream.cells[at]
            bare = label.text.rstrip("".join(copied_spec()["marks"]) + " ")  # "合计" ⏎ "/" joined into "合计/"
            cells = [Cell(label.span.sub(0, len(bare)) if bare else label.span, 0)]
            cells += [Cell(c.span, n + 1) for n, c in enumerate(stream.cells[at + 1:end])]
            found.append(Row(stream.line(at, end), cells, len(cells)))
            at = end
            continue
        if numbered and text != str(expected):
            break
        fitted = fit_at(stream, at, roles, expected, flex, prefer_long, strict=not numbered)
        if fitted is None:
            if numbered:
                return None
            break
        cells, end = fitted
        found.append(Row(stream.line(at, end), [c for c in cells if c is not None], len(roles)))
        at, expected, items = end, expected + 1, items + 1
    if not items or not clean_end(stream, at, roles, expected if numbered else None):
        return None
    return found, at


def fit_at(stream: CellStream, at: int, roles: Roles, expected: int, flex: list[str], prefer_long: bool,
           strict: bool = False) -> Optional[tuple[list[Optional[Cell]], int]]:
    """The cells of the row that starts at cell `at`, and where it ends: first where the next
    row's number or a sum label stands, else as many cells as columns, then more, then fewer;
    with the cells marked as furniture, then without them. Without row numbers to mark where
    rows end (`strict`), a row takes exactly as many cells as columns."""
    width = len(roles)
    low, high = (width, width) if strict else (max(1, width - MAX_MISSING_CELLS), width + MAX_JOINED_PIECES - 1)
    stream.fill(at + high + 1)
    window = list(range(at, len(stream.cells)))
    windows = [window[:high + 1]]
    if any(stream.furniture[n] for n in window[1:high + 1]):
        windows.append([n for n in window if n == at or not stream.furniture[n]][:high + 1])
    for indices in windows:
        cells = [stream.cells[n] for n in indices]
        marked = [count for count in range(low, min(high, len(cells) - 1) + 1)
                  if cells[count].text == str(expected + 1) or is_sum_cell(cells[count].text)]
        others = [width] + list(range(width + 1, high + 1)) + list(range(width - 1, low - 1, -1))
        for count in marked + [c for c in others if c not in marked and c <= len(cells)]:
            fitted = fit_row(cells[:count], roles, expected, flex, prefer_long)
            if fitted is not None:
                return fitted, indices[count - 1] + 1
    return None


def fit_row(cells: list[Cell], roles: Roles, expected: int, flex: Optional[list[str]] = None,
            prefer_long: bool = True) -> Optional[list[Optional[Cell]]]:
    """The cells of one row placed under the header's columns (None for an empty cell), or
    None when no placing fits what the cells hold. More cells than columns: the extra ones
    continue a name, specification or note cell (a wrapped cell's first line is its longest);
    fewer: a description, unit or note cell was empty."""
    width = len(roles)
    roles = [role or "" for role in roles]
    flex = flex if flex is not None else copied_spec()["wrap_roles"]
    if len(cells) == width:
        candidates = [list(cells)]
    elif len(cells) > width:
        extra = len(cells) - width
        columns = [n for n, role in enumerate(roles) if role in flex]
        columns.sort(key=lambda n: (-len(cells[n].text) if prefer_long else 0, flex.index(roles[n])))
        candidates = [cells[:n] + [_spanning(cells[n:n + extra + 1], n)] + cells[n + extra + 1:] for n in columns]
    else:
        optional = [n for n, role in enumerate(roles) if role in copied_spec()["optional_roles"]]
        candidates = []
        for gaps in combinations(optional, width - len(cells)):
            given = iter(cells)
            candidates.append([None if n in gaps else next(given) for n in range(width)])
    for candidate in candidates:
        if all(cell is None or cell_fits(roles[n], cell.text, expected) for n, cell in enumerate(candidate)):
            return [Cell(cell.span, n) if cell is not None else None for n, cell in enumerate(candidate)]
    return None


def cell_fits(role: str, text: str, expected: int) -> bool:
    """Whether a cell can stand in a column: the row's number under 序号, a figure under a price,
    a count under a quantity, no bare figure under a name or a unit."""
    kind = cell_kind(text)
    if role == "seq":
        return text == str(expected)
    if role in ("unit_price", "amount"):
        return kind == "number"
    if role == "quantity":
        return kind in COUNT_KINDS and DIGIT.search(text) is not None
    if role == "periods":
        return kind in ("number", "period")
    if role in ("billing_unit", "price_basis"):
        return kind != "number" and len(text) <= MAX_UNIT_CHARS
    if role in ("service", "section"):
        return kind != "number" and not is_sum_cell(text)
    return True


@lru_cache(maxsize=4096)
def is_sum_cell(text: str) -> bool:
    """A cell that labels a sum (合计, 合计：2200元, 价格合计（元）, 合计人民币); not a sentence
    that states one ("以上费用合计人民币121840元。" is prose after the table)."""
    if len(text) > MAX_SUM_CELL_CHARS or SENTENCE_MARK.search(text):
        return False
    label = SUM_LABEL_END.split(SPACES.sub("", text), maxsplit=1)[0]
    label = copied_spec()["label_tail"].sub("", label) or label
    return bool(label) and any(label.endswith(k) for k in load("tables")["sums"]["keywords"])


@lru_cache(maxsize=None)
def copied_spec() -> dict:
    """The [copied_tables] vocabulary, with the sum label's tail words as a pattern and the
    one-character marks (not words) of an empty cell."""
    spec = dict(load("tables")["copied_tables"])
    tails = spec["sum_label_tails"] + load("tables")["sums"]["written_forms"]
    spec["label_tail"] = regex.compile("(?:" + "|".join(regex.escape(w) for w in tails) + ")+$")
    spec["marks"] = [w for w in spec["sum_fillers"] if len(w) == 1 and not w.isalpha()]
    return spec


def is_sum_part(text: str) -> bool:
    """A cell of a sum row after its label: a figure, a 大写 amount, a currency word or an empty-cell mark."""
    text = SPACES.sub("", text)
    if not text:
        return False
    spec = copied_spec()
    if price_figure(text) is not None or text in spec["sum_fillers"] or all(ch in spec["marks"] for ch in text):
        return True
    found = find_cn_amounts(text)
    return bool(found) and not DIGIT.search(text) and found[0][1] - found[0][0] >= len(text) // 2


def sum_end(stream: CellStream, at: int, expected: Optional[int], width: int) -> int:
    """Where the sum row at `at` ends: its figures, 大写 and empty-cell marks after the label,
    not the next row's number."""
    end = at + 1
    while end <= at + max(MAX_SUM_PARTS, width - 1) and stream.fill(end + 1):
        text = stream.cells[end].text
        if text == str(expected) or not is_sum_part(text):
            break
        end += 1
    return end


def clean_end(stream: CellStream, at: int, roles: Roles, expected: Optional[int]) -> bool:
    """Whether the table ends at cell `at`: no row number due next, nothing that reads as a row."""
    texts = [stream.text(n) for n in range(at, at + len(roles) + MAX_JOINED_PIECES)]
    texts = [t for t in texts if t is not None]
    if expected is not None and str(expected) in texts:
        return False
    return not looks_like_row(texts[:len(roles)], roles)


def looks_like_row(texts: list[str], roles: Roles) -> bool:
    """Whether cells hold figures where a row holds them (most of its price and quantity columns)."""
    at = [n for n, role in enumerate(roles) if role in NUMBER_COLUMN_ROLES and n < len(texts)]
    figures = sum(1 for n in at if cell_kind(texts[n]) == "number")
    return bool(at) and figures * 2 >= len(at) and figures > 0
