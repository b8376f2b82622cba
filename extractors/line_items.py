"""Extractor: price-table rows, subtotals and the table total.

Rows are read by cell type rather than by column position alone, because OCR
drops empty cells and shifts columns: a row's trailing cells that are figures,
units (1GB, 100GB, 1 台), price bases (元/月, 元/100GB·月) or periods (12个月, 8 次)
are matched to the header's value roles; the text cells before them give the
service (the service column's cell, else the last one) and the section. An order
table (quantities with their units, no price) gives rows with the price and
amount null; a catalogue (prices, no quantity) rows with quantity and periods
null. Lines with no figures continue the previous row's service (wrapped cells,
rows cut by a page break), unless they are a numbered heading or a sentence the
table block swallowed. Sum rows (基础部分总价, 合计, 合计：240000元 in one cell) give
subtotals and the table total; a contract that states no total elsewhere takes
the table's. A quantity cell carrying its unit (20TB) gives both. Units and
periods stated in a note or configuration column or in the service text
("单位: 100GB/元/月, 服务期 12 个月", "单位：套/年", "每台主机服务期内至少 2 次")
fill what the cells leave open; where the document states no price basis, the
row's own arithmetic picks monthly or yearly. A group row ("一 | 计算服务") names
the section of the rows under it, and a numbered heading right above a table
((二)增值服务) that of its rows. In a table with a rate column (维保费率, 监理费率) the price
column is the base the rate applies to: the unit price is base × rate when the row's
arithmetic bears it out (else null), and a rate × base row without a price gives only its
service and amount.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import combinations
from typing import Optional, Sequence

import regex

from extractors.common import as_written, spelled_as_written
from extractors.lexicon import load
from extractors.statements import Statement
from extractors.values.cnmoney import find_cn_amounts
from extractors.values.numbers import DECIMAL_SHIFTS, WAN, as_float, money_value
from extractors.values.units import (PERIOD_CELL, basis_unit, cell_kind, price_figure, read_basis, read_unit,
                                     service_unit_rule)
from pipeline.document import ContractDoc, Line, Span
from pipeline.resolve import ocr_read
from pipeline.tables import MAX_FRAGMENT_CHARS, Cell, Row, Table, names_prices
from schemas import LineItem, NormalizedQuantity, Subtotal

NUMERIC_ROLES = ("unit_price", "quantity", "periods", "amount")
TEXT_ROLES = ("service", "section")
#: A unit cell that also names the period it is priced per: "套/年".
UNIT_PER_PERIOD = regex.compile(r"^\s*(?P<unit>[^/\s][^/]*?)\s*/\s*(?:年|月|次|天|季度|个月)\s*$")
#: "（金额单位：人民币万元）" above a table: its prices and amounts are in 万元.
WAN_CAPTION = regex.compile(r"单位\s*[:：]\s*(?:人民币)?\s*万元")
MONEY_ROLES = ("unit_price", "amount")
#: Cells recognised by what they hold: one standing under another role's header shows the
#: row's cells shifted against the header.
PLACED_ROLES = ("billing_unit", "price_basis")
#: Columns that describe the service without naming it (configuration, brand): read like a note.
DESCRIPTION_ROLES = ("spec", "brand")
NUMBER_ROLES = ("seq", "code")
TIME_UNITS = ("年", "月", "次", "个月")
NOTE_PERIOD_MONTHS = regex.compile(r"(?:服务期|服务期限|周期|租期|期限)\s*[:：为]?\s*(?P<n>\d+)\s*个?月")
NOTE_PERIOD_YEARS = regex.compile(r"(?:服务期|服务期限|周期|租期|期限)\s*[:：为]?\s*(?P<n>\d+)\s*年")
TIMES_COUNT = regex.compile(r"(?:至少|每\S{0,8}?|各)\s*(?P<n>\d+)\s*次")
SERVICE_UNIT_DEF = regex.compile(r"(?P<unit>1\s*[套台个路张])\s*为\s*1\s*个")
TB_1024 = regex.compile(r"1\s*TB?\s*[=＝]\s*1024\s*G")
#: A price note's unit and basis: "单位：1CPU/元/月", "单位：套/年", "单位：元/年", "单位：套".
NOTE_PRICING = regex.compile(r"(?:计价单位|计费单位|单位)\s*[:：]\s*(?P<value>[^,，;；。]+)")
NOTE_TOKEN = regex.compile(r"[^/·•・‧]+")
#: The ordinal of a group row in the number column: "一", "（二）", "Ⅲ、".
ORDINAL_CELL = regex.compile(r"^(?:[一二三四五六七八九十]+|[(（][一二三四五六七八九十]+[)）]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+)[、.．]?$")
#: A group name: no figures, short enough not to be a sentence.
GROUP_LABEL = regex.compile(r"^[^\d\s。；;:：](?:[^\d。；;:：]{0,22}[^\d\s。；;:：])?$")
#: A numbered heading that the table block swallowed ("1.1.2 存储服务"), not a wrapped cell.
NUMBERED_HEADING = regex.compile(r"^\d+(?:\.\d+)+\.?\s+[\p{Han}A-Za-z]|^\d+(?:\.\d+){2,}\.?\s*\p{Han}")
SENTENCE_END = regex.compile(r"[。；;]$")
BRACKETED = regex.compile(r"[(（][^)）]*[)）]?|\s")
#: A cell that is a written amount: digit groups with commas, or two decimals ("36,000", "81000.00").
AMOUNT_CELL = regex.compile(r"^[¥￥]?\s*(?:\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+\.\d{2})$")
MIN_GROUP_CHARS = 2
MIN_SENTENCE_CHARS = 20
SECTION_LABEL = regex.compile(r"^(?:[一二三四五六七八九十]+[、.\s]\s*|[(（][一二三四五六七八九十]+[)）]\s*)?[^\d\s]{2,16}$")
ORDINAL_PREFIX = regex.compile(r"^(?:[一二三四五六七八九十]+[、.\s]|[(（][一二三四五六七八九十]+[)）])")
MAX_PERIOD_MONTHS = 120
BASIS_NOT_STATED = "not stated: a month unless the row's arithmetic shows otherwise"
MIN_ROWS_BILLED_ONCE = 2    # rows of a table that agree billed once before the others are taken so
MAX_HEADING_GAP_LINES = 2
#: A header cell's bracketed hint and spaces, around its word ("会议 次数（次）").
HEADER_NOISE = regex.compile(r"[(（\[][^)）\]]*[)）\]]|\s")
LABEL_NOISE = regex.compile(r"[(（][^)）]*(?:[)）]|$)|\s|[:：]")
SEQ_OR_CODE = regex.compile(r"^\d{1,6}(?:\.\d{1,2})?$")
QUANTITY_WITH_UNIT = regex.compile(r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s].{0,7})$")
#: A sum stated in one cell: "合计：201600元", "总价 ¥201600.00 (大写…)".
INLINE_SUM = regex.compile(r"(?P<label>[^\d:：¥￥]{2,24}?)\s*[:：]?\s*(?:人民币)?\s*[¥￥]?\s*"
                           r"(?P<n>\d+(?:\.\d+)?)\s*(?:(?P<wan>万)?元)?\s*(?:[(（].*)?")


@dataclass
class RowReading:
    """One price row while it is being assembled from cells and continuation lines."""

    service: list[Span] = field(default_factory=list)
    section: Optional[str] = None
    values: dict[str, Cell] = field(default_factory=dict)
    note: Optional[Cell] = None
    line: Optional[Row] = None
    #: roles whose cell holds a dash or 无 ("—" under 租期（月）)
    blank: set[str] = field(default_factory=set)
    #: the rate the row's price is taken at ("15%" under 维保费率), when the table has a rate column
    rate: Optional[Decimal] = None


@dataclass
class SumReading:
    label: str
    label_span: Span
    value: Optional[Decimal] = None
    value_span: Optional[Span] = None
    is_total: bool = False
    words: Optional[Statement] = None  # the sum in 大写, when the label cell also spells it
    in_yuan: bool = False  # the value is in 元 already (its cell said 万元), whatever the column's header


@dataclass
class PriceTable:
    rows: list[RowReading] = field(default_factory=list)
    sums: list[tuple[int, SumReading]] = field(default_factory=list)
    #: rows that state an amount but could not be read as a price row, by the count of rows before them
    unread: list[tuple[int, Row]] = field(default_factory=list)


def extract(doc: ContractDoc) -> ContractDoc:
    tb_is_1024 = bool(TB_1024.search(doc.text))
    term = doc.record.contract.term_months
    items: list[LineItem] = []
    subtotals: list[tuple[SumReading, int, int]] = []
    totals: list[tuple[Statement, Optional[Statement]]] = []
    for table in doc.tables:
        if not table.is_price_table:
            continue
        parsed = read_price_table(table, heading_above(doc, table), doc.lines)
        first_item = len(items)
        billed = column_periods(parsed)
        in_wan = caption_in_wan(doc, table)
        for reading in parsed.rows:
            item = build_item(doc, reading, len(items), billed.get(reading.section, term), tb_is_1024, table,
                              in_wan)
            if item is not None:
                items.append(item)
        assign_sections(parsed, items, first_item)
        settle_unstated_bases(doc, items, first_item, term)
        for row_index, row in parsed.unread:
            doc.statements.unread_rows.append((first_item + row_index, row.line.span))
            doc.warn(f"line {row.line.number + 1}: a row of the price table that states an amount "
                     f"could not be read ({row.text[:40]}); sums over its table are only warnings")
        start = first_item
        sum_scale = column_scale(table, "amount", in_wan)
        for row_index, reading in parsed.sums:
            end = first_item + row_index
            if reading.value is None:
                continue
            if not reading.in_yuan:
                reading.value *= sum_scale
            if reading.is_total:
                totals.append((Statement(reading.value, reading.value_span, "table_total"), reading.words))
                doc.statements.total_covers.append((first_item, end))
            else:
                subtotals.append((reading, start, end))
                start = end
    doc.record.line_items = items
    record_subtotals(doc, subtotals)
    doc.statements.table_totals = [total for total, _ in totals]
    if doc.record.contract.total_amount is None and totals:
        take_table_total(doc, *totals[-1])
    return doc


def column_periods(parsed: PriceTable) -> dict[Optional[str], int]:
    """The months the rows of each section bill when their periods cells agree: a row whose
    cell OCR lost bills the same as its section, not the contract's term."""
    stated: dict[Optional[str], set[str]] = {}
    for reading in parsed.rows:
        if "periods" in reading.values:
            stated.setdefault(reading.section, set()).add(reading.values["periods"].text.strip())
    found = {}
    for section, values in stated.items():
        value = price_figure(values.pop()) if len(values) == 1 else None
        if value is not None and value == value.to_integral_value():
            found[section] = int(value)
    return found


def take_table_total(doc: ContractDoc, total: Statement, words: Optional[Statement]) -> None:
    """A contract that states its total only as the price table's total (合计) has that total."""
    meta = doc.record.contract
    meta.total_amount = as_float(total.value)
    doc.cite("contract.total_amount", total.span, note="the price table's total")
    doc.statements.totals = [(total, words)]
    if words is not None:
        meta.total_amount_in_words = spelled_as_written(words.span)
        doc.cite("contract.total_amount_in_words", words.span)
        doc.statements.total_in_words = words


def record_subtotals(doc: ContractDoc, subtotals: list[tuple[SumReading, int, int]]) -> None:
    doc.record.subtotals = []
    covers = []
    for reading, start, end in subtotals:
        index = len(doc.record.subtotals)
        doc.record.subtotals.append(Subtotal(label=reading.label, amount=as_float(reading.value)))
        doc.cite(f"subtotals[{index}].label", reading.label_span)
        doc.cite(f"subtotals[{index}].amount", reading.value_span)
        covers.append((start, end))
    doc.statements.subtotal_covers = covers


# -- reading a table --------------------------------------------------------

@lru_cache(maxsize=8192)
def sum_label(text: str) -> Optional[tuple[str, bool]]:
    """(label, is_total) when a cell names a sum (基础部分总价 (元), 合计, 合计（大写）：…)."""
    spec = load("tables")["sums"]
    compact = LABEL_NOISE.sub("", regex.split(r"[:：]", text, maxsplit=1)[0])
    compact = next((compact[:-len(form)] for form in spec["written_forms"] if compact.endswith(form)), compact)
    for keyword in spec["section_keywords"]:
        if compact.endswith(keyword):
            return compact, False
    for keyword in spec["keywords"]:
        if compact.endswith(keyword):
            prefix = compact[: -len(keyword)]
            return compact, prefix in spec["total_prefixes"]
    return None


def heading_above(doc: ContractDoc, table: Table) -> Optional[str]:
    """The section a table belongs to when a numbered heading stands right above its header
    ("（二）增值服务"), unless that heading opens a clause or titles the table ("一、报价明细")."""
    line = line_above(doc, table)
    if line is None:
        return None
    text = line.text.strip()
    if line.number in {s.first_line for s in doc.sections} or not (ORDINAL_PREFIX.match(text)
                                                                   and SECTION_LABEL.match(text)):
        return None
    name = section_name(text)
    return None if any(word in name for word in load("tables")["table_titles"]["words"]) else name


def line_above(doc: ContractDoc, table: Table) -> Optional[Line]:
    """The text line right above a table's header (within MAX_HEADING_GAP_LINES): its heading
    or caption, if any."""
    if table.header is None:
        return None
    number = table.header.line.number
    for line in reversed(doc.lines[max(0, number - MAX_HEADING_GAP_LINES):number]):
        if line.text.strip() and not line.furniture:
            return line
    return None


def section_name(text: str) -> str:
    """A section label without its ordinal ("（二）增值服务" → 增值服务)."""
    return ORDINAL_PREFIX.sub("", text).strip() or text


def read_price_table(table: Table, section: Optional[str] = None, lines: Sequence[Line] = ()) -> PriceTable:
    """The rows and sums of a price table. A group row ("一 | 计算服务") names the section of
    the rows under it; rows outside any group keep their own section cell, else `section`.
    A text line continues the row above only while nothing but page furniture of
    `lines` (the document's) stands between them: after a heading or a repeated
    header, a line is not a wrapped cell (a group row whose ordinal OCR lost)."""
    parsed = PriceTable()
    table_lines = {row.line.number for row in table.rows}
    last_line: Optional[int] = None
    group: Optional[str] = None
    role_at = {c.column: c.role for c in table.columns}
    header_width = table.header.width if table.header else 0
    pending_sum: Optional[SumReading] = None
    rows = table.rows
    for n, row in enumerate(rows):
        if pending_sum is not None:
            value = lone_number(row)
            if value is not None:
                pending_sum.value, pending_sum.value_span = value
                parsed.sums.append((len(parsed.rows), pending_sum))
                pending_sum = None
                continue
            if is_label_fragment(row):
                continue
            pending_sum = None
        inline = inline_sum(row.cells[0])
        if inline is not None:
            inline.words = next(filter(None, map(spelled_amount, row.cells[1:])), None)
            parsed.sums.append((len(parsed.rows), inline))
            continue
        wrapped = wrapped_sum_label(row, rows[n + 1] if n + 1 < len(rows) else None)
        if wrapped is not None:  # "安全及软件服务总" ⏎ "价（元）", its figure beside or under it
            if wrapped.value is None:
                pending_sum = wrapped
            else:
                parsed.sums.append((len(parsed.rows), wrapped))
            continue
        label = sum_label(row.cells[0].text)
        if label is not None:
            reading = SumReading(label[0], row.cells[0].span, is_total=label[1],
                                 words=spelled_amount(row.cells[0]))
            numbers = [c for c in row.cells[1:] if cell_kind(c.text) == "number"]
            if numbers:
                reading.value = price_figure(numbers[-1].text)
                reading.value_span = numbers[-1].span
                parsed.sums.append((len(parsed.rows), reading))
            else:
                pending_sum = reading
            continue
        reading = read_row(row, table, role_at, header_width)
        if reading is not None:
            reading.section = group or reading.section or section
            parsed.rows.append(reading)
            last_line = row.line.number
            continue
        if any(AMOUNT_CELL.match(c.text.strip()) for c in row.cells):
            parsed.unread.append((len(parsed.rows), row))   # states an amount: a row, never a wrapped cell
            last_line = None
            continue
        texts = [c for c in row.cells if cell_kind(c.text) == "text"]
        if not texts:
            continue
        after_sum = bool(parsed.sums) and parsed.sums[-1][0] == len(parsed.rows)
        if after_sum and is_label_fragment(row):
            continue  # the wrapped end of the sum label above ("…总价（元" ⏎ "）")
        name = group_name(row, parsed)
        if name is not None:
            group = name
            continue
        if is_interjection(row):
            last_line = None
            continue
        if parsed.rows and last_line is not None and not interrupted(lines, table_lines, last_line, row.line.number):
            continue_row(parsed.rows[-1], row)
            last_line = row.line.number
    return parsed


def interrupted(lines: Sequence[Line], table_lines: set[int], after: int, before: int) -> bool:
    """Whether a line of text that is neither one of the table's rows nor page
    furniture stands between two of its lines (a header repeated under a heading)."""
    return any(line.text.strip() and not line.furniture and line.number not in table_lines
               for line in lines[after + 1:before])


def wrapped_sum_label(row: Row, following: Optional[Row]) -> Optional[SumReading]:
    """A sum label wrapped over two lines, read from its first line, with the figure beside
    it when the first line holds one ("安全及软件服务总 | 2879880.00" ⏎ "价（元）")."""
    if following is None or len(following.cells) != 1 or not 1 <= len(row.cells) <= 2:
        return None
    figure = row.cells[1] if len(row.cells) == 2 else None
    if figure is not None and cell_kind(figure.text) != "number":
        return None
    first, rest = row.cells[0].text, following.cells[0].text
    if any(ch.isdigit() for ch in first + rest) or sum_label(first) is not None or sum_label(rest) is not None:
        return None  # the keyword must straddle the break
    label = sum_label(first + rest)
    if label is None:
        return None
    reading = SumReading(label[0], row.cells[0].span, is_total=label[1])
    if figure is not None:
        reading.value, reading.value_span = price_figure(figure.text), figure.span
    return reading


def spelled_amount(cell: Cell) -> Optional[Statement]:
    """The 大写 amount a cell spells out, if any ("合计（大写）：壹拾玖万贰仟元整")."""
    for start, end, value in find_cn_amounts(cell.span.text):
        return Statement(value, cell.span.sub(start, end), "words")
    return None


def inline_sum(cell: Cell) -> Optional[SumReading]:
    """A sum whose label and figure share one cell ("合计：201600元")."""
    match = INLINE_SUM.fullmatch(cell.text)
    if match is None:
        return None
    label = sum_label(match.group("label"))
    if label is None:
        return None
    value = money_value(match)
    return SumReading(label[0], cell.span.sub(match.start("label"), match.end("label")), value,
                      cell.span.sub(match.start("n"), match.end("n")), is_total=label[1],
                      in_yuan=bool(match.group("wan")))


def is_label_fragment(row: Row) -> bool:
    """The wrapped end of a sum label ("）", "(元)") between the label and its figure."""
    return len(row.cells) == 1 and len(row.cells[0].text) <= MAX_FRAGMENT_CHARS and not any(
        ch.isdigit() for ch in row.cells[0].text)


def lone_number(row: Row) -> Optional[tuple[Decimal, Span]]:
    if len(row.cells) == 1:
        value = price_figure(row.cells[0].text)
        if value is not None:
            return value, row.cells[0].span
    return None


def group_name(row: Row, parsed: PriceTable) -> Optional[str]:
    """The section a group row opens: "（一）基础服务" alone on its line, or "一 | 计算服务"
    with its ordinal in the number column."""
    cells = row.cells
    if (len(cells) == 2 and ORDINAL_CELL.match(cells[0].text) and GROUP_LABEL.match(cells[1].text)
            and sum_label(cells[1].text) is None):
        name = " ".join(cells[1].text.split())
    elif is_section_line(row, parsed):
        name = section_name(cells[0].text)
    else:
        return None
    return name if len(BRACKETED.sub("", name)) >= MIN_GROUP_CHARS else None  # not a wrapped "（元）"


def is_interjection(row: Row) -> bool:
    """A line inside the table that is not a wrapped cell: a numbered heading ("1.1.2 存储服务")
    or a sentence of prose ("…详见下表，按实结算。") between the table's parts."""
    if len(row.cells) != 1:
        return False
    text = row.cells[0].text
    return bool(NUMBERED_HEADING.match(text)) or (
        len(text) >= MIN_SENTENCE_CHARS and SENTENCE_END.search(text) is not None)


def is_section_line(row: Row, parsed: PriceTable) -> bool:
    if len(row.cells) != 1:
        return False
    text = row.cells[0].text
    if not SECTION_LABEL.match(text):
        return False
    after_sum = bool(parsed.sums) and parsed.sums[-1][0] == len(parsed.rows)
    return not parsed.rows or after_sum or bool(ORDINAL_PREFIX.match(text))


def continue_row(reading: RowReading, row: Row) -> None:
    """Append a wrapped line's service text to the row above."""
    cells = [c for c in row.cells if cell_kind(c.text) in ("text", "unit")]
    if not cells:
        return
    if reading.note is not None and len(row.cells) > 1:
        cells = [c for c in cells if c.column < reading.note.column]
    if cells:
        reading.service.append(cells[-1].span)


def read_row(row: Row, table: Table, role_at: dict[int, str], header_width: int) -> Optional[RowReading]:
    """A line's cells by role, or None when it states no price (nor, in an order table, a quantity)."""
    cells = list(row.cells)
    aligned = header_width and row.width == header_width
    if aligned and table.header is not None:
        cells = [c for c in cells if not unnamed_figure(c, table, role_at)]
        blank = [c for c in cells if role_at.get(c.column) in NUMERIC_OR_PERIODS and (
            EMPTY_MARK.match(c.text) or bought_once(c.text, role_at.get(c.column)))]
        cells = [c for c in cells if c not in blank]
    reading = RowReading(line=row)
    if aligned and table.header is not None:
        reading.blank = {role_at[c.column] for c in blank}
    if "rate" in table.roles:
        rates = [c for c in cells if RATE_CELL.fullmatch(c.text)]
        cells = [c for c in cells if c not in rates]
        reading.rate = Decimal(RATE_CELL.fullmatch(rates[0].text).group("n")) / 100 if len(rates) == 1 else None
    note_column = table.role_column("note")
    if note_column is not None and cells and cell_kind(cells[-1].text) == "text":
        if not aligned or cells[-1].column == note_column.column:
            reading.note = cells.pop()
    # A service named like a unit ("云主机（4核8G）") is text when the unit column holds the unit,
    # or when the table has no unit column for it to stand in.
    names_only = aligned and ("billing_unit" not in table.roles or any(
        role_at.get(c.column) == "billing_unit" and cell_kind(c.text) == "unit" for c in cells))
    tail: list[Cell] = []
    while cells and cell_kind(cells[-1].text) != "text" and not (
            names_only and role_at.get(cells[-1].column) in TEXT_ROLES):
        tail.insert(0, cells.pop())
    if aligned:
        described = [c for c in cells + tail if role_at.get(c.column) in DESCRIPTION_ROLES]
        specs = [c for c in described if role_at.get(c.column) == "spec"]
        if specs and reading.note is None:
            reading.note = specs[0]
        cells = [c for c in cells if c not in described]
        tail = [c for c in tail if c not in described]
    numbers = read_tail(reading, tail, table, role_at if aligned else None)
    roles = [r for r in table.roles if r in NUMERIC_ROLES]
    if "periods" in reading.values:
        roles = [r for r in roles if r != "periods"]
    leftover = assign_numbers(reading, numbers, roles, role_at if aligned else None)
    if not states_line(reading, table):
        return None
    texts = sorted(leftover + cells, key=lambda c: c.column)
    text_cells = [c for c in texts if not is_number_or_code(c, role_at if aligned else None)]
    if not text_cells:
        return reading if reading.values.get("unit_price") else None
    name_row(reading, text_cells, role_at if aligned else None)
    return reading


EMPTY_MARK = regex.compile(r"^(?:[—–\-/]+|无)$")
RATE_CELL = regex.compile(r"\s*(?P<n>\d+(?:\.\d+)?)\s*[%％]\s*")
NUMERIC_OR_PERIODS = ("unit_price", "quantity", "amount", "periods")


def bought_once(text: str, role: Optional[str]) -> bool:
    """A periods cell saying the row is bought once ("一次性"): no periods, as a blank cell."""
    return role == "periods" and text.strip() in load("tables")["once_words"]["words"]


def unnamed_figure(cell: Cell, table: Table, role_at: dict[int, str]) -> bool:
    """A figure under a header word no role names (目录单价 beside the 成交单价 the arithmetic
    uses, 折扣率, 带宽（Mbps）, 目录编码): it is neither the row's price nor its count."""
    return (cell.column not in role_at and any(ch.isdigit() for ch in cell.text)
            and any(h.column == cell.column for h in table.header.cells))


def is_number_or_code(cell: Cell, role_at: Optional[dict[int, str]]) -> bool:
    """A row number or catalogue code (1, 1.1, 1001; any cell of the 序号 or 编号 column)."""
    role = role_at.get(cell.column) if role_at is not None else None
    return role in NUMBER_ROLES or (SEQ_OR_CODE.match(cell.text) is not None and role not in TEXT_ROLES)


def read_tail(reading: RowReading, tail: list[Cell], table: Table,
              role_at: Optional[dict[int, str]]) -> list[Cell]:
    """Units, bases and periods of a row's trailing cells into `reading`; returns its figures."""
    numbers = [c for c in tail if cell_kind(c.text) == "number"]
    has_periods = "periods" in table.roles
    for cell in tail:
        kind = cell_kind(cell.text)
        counts_periods = role_at is not None and role_at.get(cell.column) == "price_basis"
        if kind == "period" and not has_periods and not counts_periods and read_unit(cell.text) is not None:
            kind = "unit"
        counted = quantity_with_unit(cell, table, role_at) if kind == "unit" else None
        if counted is not None:
            numbers.append(counted[0])
            reading.values.setdefault("billing_unit", counted[1])
        elif kind == "unit":
            reading.values.setdefault("billing_unit", cell)
        elif kind == "basis":
            reading.values.setdefault("price_basis", cell)
        elif kind == "period":
            reading.values.setdefault("periods", cell)
    return sorted(numbers, key=lambda c: c.column)


def states_line(reading: RowReading, table: Table) -> bool:
    """A price row states a price or an amount; an order table's row, a quantity with its unit or
    basis, or both a unit and a basis when its quantity is missing."""
    if "unit_price" in reading.values or "amount" in reading.values:
        return True
    if names_prices(table.roles):
        return False
    units = ("billing_unit" in reading.values) + ("price_basis" in reading.values)
    return units >= (1 if "quantity" in reading.values else 2)  # a row whose count OCR lost keeps its place


def name_row(reading: RowReading, text_cells: list[Cell], role_at: Optional[dict[int, str]]) -> None:
    """The service (the service column's cell, else the last text) and the section (the first
    text before it) of a row. A row whose unit and basis both stand under other columns' headers
    has its cells shifted against the header (merged cells left out): its last text is the service."""
    named = [c for c in text_cells if role_at is not None and role_at.get(c.column) == "service"]
    misplaced = [role for role, cell in reading.values.items()
                 if role in PLACED_ROLES and role_at is not None and role_at.get(cell.column) not in (role, None)]
    shifted = len(misplaced) == len(PLACED_ROLES)
    service_cell = named[0] if named and not shifted else text_cells[-1]
    reading.service = [service_cell.span]
    before = [c for c in text_cells if c.column < service_cell.column]
    if before:
        reading.section = before[0].text


def quantity_with_unit(cell: Cell, table: Table, role_at: Optional[dict[int, str]]) -> Optional[tuple[Cell, Cell]]:
    """(the quantity, its unit) of a cell such as "20TB" standing in the quantity column."""
    match = QUANTITY_WITH_UNIT.match(cell.text)
    if match is None or "quantity" not in table.roles:
        return None
    in_quantity_column = (role_at.get(cell.column) == "quantity" if role_at is not None
                          else "billing_unit" not in table.roles)
    if not in_quantity_column:
        return None
    offset = cell.span.text.index(cell.text)
    return (Cell(cell.span.sub(offset + match.start("n"), offset + match.end("n")), cell.column),
            Cell(cell.span.sub(offset + match.start("unit"), offset + match.end("unit")), cell.column))


def assign_numbers(reading: RowReading, numbers: list[Cell], roles: list[str],
                   role_at: Optional[dict[int, str]]) -> list[Cell]:
    """Give each figure a numeric role; returns the figures left over (seq, codes)."""
    if role_at is not None and all(role_at.get(c.column) in roles for c in numbers):
        for cell in numbers:
            reading.values[role_at[cell.column]] = cell
        return []
    extra = max(0, len(numbers) - len(roles))
    leftover, numbers = numbers[:extra], numbers[extra:]
    best = max(combinations(roles, len(numbers)), key=lambda chosen: role_choice_score(chosen, numbers),
               default=())
    for role, cell in zip(best, numbers):
        reading.values[role] = cell
    return leftover


def role_choice_score(chosen: tuple[str, ...], numbers: list[Cell]) -> float:
    """Prefer the role assignment whose arithmetic holds; else drop periods first."""
    values = {role: price_figure(cell.text) for role, cell in zip(chosen, numbers)}
    score = 0.0
    price, quantity, amount = values.get("unit_price"), values.get("quantity"), values.get("amount")
    if price is not None and quantity is not None and amount is not None:
        periods = values.get("periods")
        candidates = [periods] if periods is not None else [Decimal(1), Decimal(12)]
        if any(abs(price * quantity * p - amount) <= max(Decimal("0.01"), amount / 1000) for p in candidates):
            score += 10
    score += 2 if "unit_price" in chosen else 0
    score += 1 if "amount" in chosen else 0
    score += 0.5 if "quantity" in chosen else 0
    return score


def assign_sections(parsed: PriceTable, items: list[LineItem], first_item: int) -> None:
    """Rows closed by a subtotal "X总价" without a section of their own get section X."""
    start = first_item
    for row_index, reading in parsed.sums:
        end = first_item + row_index
        if not reading.is_total:
            name = reading.label
            for keyword in load("tables")["sums"]["keywords"]:
                if name.endswith(keyword):
                    name = name[: -len(keyword)]
                    break
            for item in items[start:end]:
                if name and (item.section is None or item.section == items[start].section):
                    item.section = item.section or name
            start = end


# -- building the record ----------------------------------------------------

def build_item(doc: ContractDoc, reading: RowReading, index: int, term: Optional[int],
               tb_is_1024: bool, table: Table, in_wan: bool = False) -> Optional[LineItem]:
    path = f"line_items[{index}]"
    service = as_written(reading.service) if reading.service else None
    service_text = " ".join(s.text for s in reading.service)
    note = reading.note.text if reading.note else ""
    hints = {c.role: c.hint for c in table.columns}
    scale = {role: column_scale(table, role, in_wan) for role in NUMERIC_ROLES}

    def figure(role: str) -> Optional[Decimal]:
        cell = reading.values.get(role)
        if cell is None:
            return None
        value = price_figure(cell.text)
        if value is not None:
            doc.cite(f"{path}.{role}", cell.span)
            return value * scale[role]
        return None

    unit_price, quantity, amount = figure("unit_price"), figure("quantity"), figure("amount")
    if "rate" in table.roles:
        if unit_price is None:  # a rate × base row: only its service and amount are prices
            return rated_item(doc, path, index, reading, service, amount)
        unit_price = rated_price(unit_price, quantity, reading.rate, amount)
    note_unit, note_basis = note_pricing(reading.note, service_text)
    billing_unit, unit_span = billing_unit_of(reading, note_unit)
    if billing_unit is None and table.role_column("billing_unit") is None:
        billing_unit, unit_span = hinted_unit(table)
    unit_cell = reading.values.get("billing_unit")
    basis, stated = price_basis_of(reading, note, note_basis, hints,
                                   unit_cell.text if unit_cell is not None else billing_unit,
                                   "piece" if sells_goods(table) else "month")
    periods = periods_of(doc, path, reading, note, service_text, basis, period_header_unit(table))
    if periods is None and quantity is not None:
        periods = infer_periods(unit_price, quantity, amount, basis, term)
        if periods is not None:
            doc.cite(f"{path}.periods", reading.line.line.span, note="inferred from the term")
    if quantity is None:
        periods = None
    elif not stated:
        basis, periods = agreeing_reading(unit_price * quantity if unit_price is not None else None,
                                          amount, basis, periods)
        if basis == "month" and periods == 1 and ("periods" not in table.roles or "periods" in reading.blank):
            basis = "piece"  # no basis stated, no periods ("—") and the row bills its price once: bought once
    elif bills_once(reading, unit_price, quantity, amount):
        basis, periods = "piece", Decimal(1)
    reading_unit = read_unit(billing_unit, service_text, tb_is_1024) if billing_unit else None
    normalized = normalize(reading_unit, service_text, unit_price, quantity, basis)
    if service:
        doc.cite(f"{path}.service", reading.service)
    if billing_unit:
        doc.cite(f"{path}.billing_unit", unit_span)
    doc.cite(f"{path}.price_basis", reading.values.get("price_basis").span
             if "price_basis" in reading.values else reading.line.line.span,
             note=None if stated else BASIS_NOT_STATED)
    return LineItem(
        seq=index + 1, section=reading.section, service=service,
        unit_price=as_float(unit_price), quantity=as_float(quantity), billing_unit=billing_unit,
        price_basis=basis, periods=as_float(periods), amount=as_float(amount), normalized=normalized)


def settle_unstated_bases(doc: ContractDoc, items: list[LineItem], first: int, term: Optional[int]) -> None:
    """In a price table where no row states a period basis, the rows whose arithmetic bills
    them once show how the table bills: a row OCR read, of no stated basis, whose figures
    agree over no usual periods, or only over a power of ten of them (a quantity that lost
    a zero agrees over 10 periods), bills once too, and its line check then says what OCR
    misread. A table where a row agrees over 12 months or the term is left alone."""
    usual = {Decimal(12)} | ({Decimal(term), Decimal(term) / 12} if term else set())
    once, others = 0, []
    for i in range(first, len(items)):
        item = items[i]
        unstated = getattr(doc.evidence.get(f"line_items[{i}].price_basis"), "note", None) == BASIS_NOT_STATED
        if not unstated and item.price_basis != "piece":
            return
        price, quantity, periods, amount = (None if v is None else Decimal(str(v)) for v in
                                            (item.unit_price, item.quantity, item.periods, item.amount))
        if None in (price, quantity, periods, amount) or not price * quantity:
            continue
        agrees = _agrees(price * quantity * periods, amount)
        if agrees and periods == 1:
            once += 1
        elif agrees and periods in usual:
            return
        elif unstated and figures_read_by_ocr(doc, i) and (not agrees or periods in DECIMAL_SHIFTS):
            others.append(i)
    if once < MIN_ROWS_BILLED_ONCE:
        return
    for i in others:
        items[i].price_basis, items[i].periods = "piece", 1.0
        items[i].normalized.unit_price_month = None
        doc.warn(f"line_items[{i}]: billed once like the rest of its table; its figures, read by OCR, "
                 f"agree over no usual periods")


def figures_read_by_ocr(doc: ContractDoc, index: int) -> bool:
    return ocr_read(doc, [f"line_items[{index}].{role}" for role in ("unit_price", "quantity", "amount")])


def rated_price(base_price: Decimal, quantity: Optional[Decimal], rate: Optional[Decimal],
                amount: Optional[Decimal]) -> Optional[Decimal]:
    """The unit price of a row whose price column is the base a rate applies to (a licence
    price under 维保费率): base × rate when the row's arithmetic bears it out, else None."""
    if rate is None or amount is None:
        return None
    price = base_price * rate
    return price if _agrees(price * (quantity or 1), amount) else None


def rated_item(doc: ContractDoc, path: str, index: int, reading: RowReading, service: Optional[str],
               amount: Optional[Decimal]) -> LineItem:
    """A row priced as a rate of a base (监理费率 × 计费基数) or at a fixed sum in such a table:
    no unit price, quantity, basis or periods."""
    if service:
        doc.cite(f"{path}.service", reading.service)
    return LineItem(seq=index + 1, section=reading.section, service=service, amount=as_float(amount),
                    normalized=NormalizedQuantity())


def sells_goods(table: Table) -> bool:
    """A table of goods bought once: its header names goods (货物, 品牌, 生产厂家 …) and no periods."""
    if table.header is None or "periods" in table.roles:
        return False
    words = load("tables")["goods"]["words"]
    return any(word in cell.text for cell in table.header.cells for word in words)


def column_scale(table: Table, role: str, in_wan: bool = False) -> Decimal:
    """What a figure of the column is multiplied by: 10000 under a 万元 header, or for a price
    or amount column of a table whose caption states its money in 万元 ("（金额单位：万元）")
    unless the header says 元; else 1."""
    column = table.role_column(role)
    hint = column.hint if column is not None else ""
    if "万" in hint or (in_wan and role in MONEY_ROLES and "元" not in hint):
        return WAN
    return Decimal(1)


def caption_in_wan(doc: ContractDoc, table: Table) -> bool:
    """Whether the line right above the table's header states its money in 万元."""
    line = line_above(doc, table)
    return line is not None and WAN_CAPTION.search(line.text) is not None


def note_pricing(note: Optional[Cell], service: str) -> tuple[Optional[Span], Optional[str]]:
    """The unit and price basis a note states after 单位: "1CPU/元/月" → (1CPU, month),
    "套/年" → (套, year), "元/年" → (None, year), "套" → (套, None)."""
    match = NOTE_PRICING.search(note.span.text) if note is not None else None
    if match is None:
        return None, None
    bases = load("units")["bases"]
    unit: Optional[Span] = None
    basis: Optional[str] = None
    after_yuan = False
    for token in NOTE_TOKEN.finditer(match.group("value")):
        word = token.group().strip()
        if basis is None and word in bases and (after_yuan or bases[word] != "piece"):
            basis = bases[word]
        elif unit is None and word not in ("元", "人民币") and read_unit(word, service) is not None:
            start = match.start("value") + token.start() + token.group().index(word)
            unit = note.span.sub(start, start + len(word))
        after_yuan = word in ("元", "人民币")
    return unit, basis


def hinted_unit(table: Table) -> tuple[Optional[str], Optional[Span]]:
    """The unit a price header's hint prices ("人" in 人月单价（元/人·月）) when no column states one."""
    column = table.role_column("unit_price")
    if column is None or "/" not in column.hint:
        return None, None
    text = column.cell.span.text
    at = text.find(column.hint)
    found = basis_unit(column.hint) if at >= 0 else None
    if found is None or read_unit(column.hint[found[0]:found[1]]) is None:
        return None, None
    unit_span = column.cell.span.sub(at + found[0], at + found[1])
    return as_written(unit_span), unit_span


def billing_unit_of(reading: RowReading, note_unit: Optional[Span]) -> tuple[Optional[str], Optional[Span]]:
    """The unit the quantity counts: its cell, the note's 单位, "1套为1个" in the service, or the
    unit a basis cell prices (台 in 元/台·月)."""
    cell = reading.values.get("billing_unit")
    if cell is not None:
        per = UNIT_PER_PERIOD.match(cell.span.text)  # "套/年": the quantity counts 套
        span = cell.span.sub(per.start("unit"), per.end("unit")) if per else cell.span
        return as_written(span), span
    if note_unit is not None:
        return as_written(note_unit), note_unit
    for span in reading.service:
        match = SERVICE_UNIT_DEF.search(span.text)
        if match:
            unit_span = span.sub(match.start("unit"), match.end("unit"))
            return as_written(unit_span), unit_span
    basis_cell = reading.values.get("price_basis")
    found = basis_unit(basis_cell.span.text) if basis_cell is not None else None
    if found is not None and read_unit(basis_cell.span.text[found[0]:found[1]]) is not None:
        unit_span = basis_cell.span.sub(*found)
        return as_written(unit_span), unit_span
    return None, None


def price_basis_of(reading: RowReading, note: str, note_basis: Optional[str], hints: dict[str, str],
                   billing_unit: Optional[str], default: str = "month") -> tuple[str, bool]:
    """The row's price basis, and whether the document states it (a basis only guessed from a
    periods cell or by default gives way to the row's arithmetic). The default is a month, or
    one piece in a table of goods."""
    price_cell = reading.values.get("unit_price")
    if price_cell is not None and "/" in price_cell.text:
        found = read_basis(price_cell.text)
        if found:
            return found, True
    cell = reading.values.get("price_basis")
    if cell is not None:
        found = read_basis(cell.text) or read_basis("/" + cell.text.lstrip("每按"))
        if found:
            return found, True
    found = note_basis or (read_basis(note) if "元" in note else None)
    if found:
        return found, True
    for hint in (hints.get("unit_price", ""), hints.get("price_basis", "")):
        found = read_basis(hint)
        if found:
            return found, True
    if billing_unit and "/" in billing_unit:
        found = read_basis(billing_unit[billing_unit.index("/"):])
        if found:
            return found, True
    if billing_unit in TIME_UNITS:  # priced per 年, 月 or 次 itself
        found = read_basis("元/" + billing_unit)
        if found:
            return found, True
    period = reading.values.get("periods")
    if period is not None:
        match = PERIOD_CELL.match(period.text)
        if match:
            return {"次": "time", "年": "year"}.get(match.group("unit"), "month"), match.group("unit") == "次"
    return default, False


def period_header_unit(table: Table) -> str:
    """The unit a periods column counts when its cells write none: 年 under 服务期（年）, 次
    under 会议次数, else months."""
    column = table.role_column("periods")
    if column is None:
        return "月"
    if "年" in column.hint:
        return "年"
    return "次" if HEADER_NOISE.sub("", column.cell.text).endswith("次数") else "月"


def periods_of(doc: ContractDoc, path: str, reading: RowReading, note: str, service: str,
               basis: str, header_unit: str) -> Optional[Decimal]:
    """The periods a row bills as stated: its periods cell (in the header's unit when the cell
    has none: 服务期（月）, 会议次数), a count of visits, or the term its note gives."""
    cell = reading.values.get("periods")
    if cell is not None:
        match = PERIOD_CELL.match(cell.text)
        value = Decimal(match.group("n")) if match else price_figure(cell.text)
        if value is not None:
            doc.cite(f"{path}.periods", cell.span)
            unit = match.group("unit") if match else header_unit
            if basis == "month" and unit == "年":
                return value * 12
            if basis == "year" and unit in ("个月", "月"):
                return value / 12
            return value
    if basis == "time":
        for text, span in ((note, reading.note.span if reading.note else None),
                           (service, reading.service[0] if reading.service else None)):
            match = TIMES_COUNT.search(text)
            if match:
                doc.cite(f"{path}.periods", span)
                return Decimal(match.group("n"))
        return None
    for pattern, months in ((NOTE_PERIOD_MONTHS, 1), (NOTE_PERIOD_YEARS, 12)):
        match = pattern.search(note)
        if match:
            doc.cite(f"{path}.periods", reading.note.span)
            total_months = Decimal(match.group("n")) * months
            return total_months / 12 if basis == "year" else total_months
    return None


def infer_periods(unit_price: Optional[Decimal], quantity: Decimal, amount: Optional[Decimal],
                  basis: str, term: Optional[int]) -> Optional[Decimal]:
    """Periods a row bills when no cell states them: the ones its arithmetic shows; when it
    shows none, the term, or without a term the usual count nearest the row's figures (none
    when the row has no figures to show it)."""
    candidates: list[Decimal] = []
    if basis == "month":
        candidates = [Decimal(term)] if term else []
        candidates += [Decimal(12), Decimal(1)]
    elif basis == "year":
        candidates = [Decimal(1)] + ([Decimal(term) / 12] if term else [])
    if unit_price is not None and amount is not None and unit_price and quantity and amount > 0:
        exact = amount / (unit_price * quantity)
        for candidate in candidates:
            if abs(exact - candidate) <= Decimal("0.005") * candidate:
                return candidate
        if exact == exact.to_integral_value() and 0 < exact <= MAX_PERIOD_MONTHS:
            return exact
        if not term and candidates:
            return min(candidates, key=lambda c: abs((exact / c).ln()))
    elif not term:
        return None
    return candidates[0] if candidates else None


def agreeing_reading(product: Optional[Decimal], amount: Optional[Decimal], basis: str,
                     periods: Optional[Decimal]) -> tuple[str, Optional[Decimal]]:
    """Under a basis the document does not state, the reading the row's own arithmetic bears out:
    a price × quantity that gives the amount once over a 12-month term is priced per year."""
    if product is None or amount is None or periods is None or _agrees(product * periods, amount):
        return basis, periods
    other = {"month": ("year", periods / 12), "year": ("month", periods * 12)}.get(basis)
    if other is not None and _agrees(product * other[1], amount):
        return other
    return basis, periods


def bills_once(reading: RowReading, unit_price: Optional[Decimal], quantity: Optional[Decimal],
               amount: Optional[Decimal]) -> bool:
    """A one-off charge under a per-period header (a 开通费 row of a monthly rent table): its
    periods cell holds no figure ("—") and its amount is its price × quantity, once."""
    if "periods" not in reading.blank or unit_price is None or quantity is None or amount is None:
        return False
    return _agrees(unit_price * quantity, amount)


def _agrees(expected: Decimal, amount: Decimal) -> bool:
    return abs(expected - amount) <= max(Decimal("0.01"), amount / 10000)


def normalize(reading, service: str, unit_price: Optional[Decimal], quantity: Optional[Decimal],
              basis: str) -> NormalizedQuantity:
    """Quantity in base units and price per base unit per month."""
    count, base = Decimal(1), None
    if reading is not None:
        count, base = reading.count, reading.base
    else:
        rule = service_unit_rule(service)
        if rule is not None:
            base, count = rule.base, rule.factor
        elif basis == "time":
            base = "time"  # priced per 次 with no unit: it counts times
    quantity_base = quantity * count if quantity is not None else None
    price_month = None
    if unit_price is not None and basis in ("month", "year") and count:
        price_month = unit_price / count
        if basis == "year":
            price_month = price_month / 12
    return NormalizedQuantity(quantity=as_float(quantity_base), unit=base,
                              unit_price_month=_round(price_month))


def _round(value: Optional[Decimal]) -> Optional[float]:
    if value is None:
        return None
    return as_float(value.quantize(Decimal("0.000001")).normalize())
