"""Extractor: price-table rows, subtotals and the table total.

Rows are read by cell type rather than by column position alone, because OCR
drops empty cells and shifts columns: a row's trailing cells that are figures,
units (1GB, 100GB, 1 台), price bases (元/月) or periods (12个月, 8 次) are
matched to the header's value roles; the text cells before them give the
service (the last one) and the section. Lines with no figures continue the
previous row's service (wrapped cells, rows cut by a page break). Sum rows
(基础部分总价, 合计, 合计：240000元 in one cell) give subtotals and the table total;
a contract that states no total elsewhere takes the table's. A quantity cell
carrying its unit (20TB) gives both. Units and periods stated in a note or
configuration column or in the service text ("单位: 100GB/元/月, 服务期 12 个月",
"每台主机服务期内至少 2 次") fill what the cells leave open. A numbered heading
right above a table ((二)增值服务) names its rows' section.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import combinations
from typing import Optional

import regex

from extractors.common import Statement, as_written
from extractors.lexicon import load
from extractors.values.cnmoney import find_cn_amounts
from extractors.values.numbers import WAN, as_float, money_value, parse_plain_number as plain_number
from extractors.values.units import read_basis, read_unit, service_unit_rule
from pipeline.document import ContractDoc, Span
from pipeline.tables import MAX_FRAGMENT_CHARS, Cell, Row, Table
from schemas import LineItem, NormalizedQuantity, Subtotal

NUMERIC_ROLES = ("unit_price", "quantity", "periods", "amount")
TEXT_ROLES = ("service", "section")
TIME_UNITS = ("年", "月", "次", "个月")
PERIOD_CELL = regex.compile(r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>个月|月|年|次|期|天|个季度|季度)$")
BASIS_CELL = regex.compile(r"^(?:元|人民币)?\s*/\s*(?:\d*\s*)?(?:月|年|次|张|个月|份)$|^(?:每|按)(?:月|年|次)$")
NOTE_UNIT = regex.compile(r"(?:单位|计价单位|计费单位)\s*[:：]?\s*(?P<unit>[^/,，;；\s][^/,，;；]*?)\s*/\s*元\s*/\s*(?P<basis>[^\s,，;；/]+)")
NOTE_PERIOD_MONTHS = regex.compile(r"(?:服务期|服务期限|周期|租期|期限)\s*[:：为]?\s*(?P<n>\d+)\s*个?月")
NOTE_PERIOD_YEARS = regex.compile(r"(?:服务期|服务期限|周期|租期|期限)\s*[:：为]?\s*(?P<n>\d+)\s*年")
TIMES_COUNT = regex.compile(r"(?:至少|每\S{0,8}?|各)\s*(?P<n>\d+)\s*次")
SERVICE_UNIT_DEF = regex.compile(r"(?P<unit>1\s*[套台个路张])\s*为\s*1\s*个")
TB_1024 = regex.compile(r"1\s*TB?\s*[=＝]\s*1024\s*G")
SECTION_LABEL = regex.compile(r"^(?:[一二三四五六七八九十]+[、.\s]\s*|[(（][一二三四五六七八九十]+[)）]\s*)?[^\d\s]{2,16}$")
ORDINAL_PREFIX = regex.compile(r"^(?:[一二三四五六七八九十]+[、.\s]|[(（][一二三四五六七八九十]+[)）])")
MAX_PERIOD_MONTHS = 120
MAX_HEADING_GAP_LINES = 2
PRICE_WITH_BASIS = regex.compile(r"^\s*[¥￥]?\s*(?P<n>\d+(?:\.\d+)?)\s*元?\s*/\s*[^\d\s]{1,8}$")
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


def extract(doc: ContractDoc) -> ContractDoc:
    tb_is_1024 = bool(TB_1024.search(doc.text))
    term = doc.record.contract.term_months
    items: list[LineItem] = []
    subtotals: list[tuple[SumReading, int, int]] = []
    totals: list[tuple[Statement, Optional[Statement]]] = []
    for table in doc.tables:
        if not table.is_price_table:
            continue
        parsed = read_price_table(table, heading_above(doc, table))
        first_item = len(items)
        for reading in parsed.rows:
            item = build_item(doc, reading, len(items), term, tb_is_1024, table)
            if item is not None:
                items.append(item)
        assign_sections(parsed, items, first_item)
        start = first_item
        sum_scale = column_scale(table, "amount")
        for row_index, reading in parsed.sums:
            end = first_item + row_index
            if reading.value is None:
                continue
            if not reading.in_yuan:
                reading.value *= sum_scale
            if reading.is_total:
                totals.append((Statement(reading.value, reading.value_span, "table_total"), reading.words))
                doc.facts.setdefault("total_covers", []).append((first_item, end))
            else:
                subtotals.append((reading, start, end))
                start = end
    doc.record.line_items = items
    record_subtotals(doc, subtotals)
    doc.facts["table_totals"] = [total for total, _ in totals]
    if doc.record.contract.total_amount is None and totals:
        take_table_total(doc, *totals[-1])
    return doc


def take_table_total(doc: ContractDoc, total: Statement, words: Optional[Statement]) -> None:
    """A contract that states its total only as the price table's total (合计) has that total."""
    meta = doc.record.contract
    meta.total_amount = as_float(total.value)
    doc.cite("contract.total_amount", total.span, note="the price table's total")
    doc.facts["total_statements"] = [(total, words)]
    if words is not None:
        meta.total_amount_in_words = as_written(words.span)
        doc.cite("contract.total_amount_in_words", words.span)
        doc.facts["total_in_words"] = words


def record_subtotals(doc: ContractDoc, subtotals: list[tuple[SumReading, int, int]]) -> None:
    doc.record.subtotals = []
    covers = []
    for reading, start, end in subtotals:
        index = len(doc.record.subtotals)
        doc.record.subtotals.append(Subtotal(label=reading.label, amount=as_float(reading.value)))
        doc.cite(f"subtotals[{index}].label", reading.label_span)
        doc.cite(f"subtotals[{index}].amount", reading.value_span)
        covers.append((start, end))
    doc.facts["subtotal_covers"] = covers


# -- reading a table --------------------------------------------------------

def parse_plain_number(text: str) -> Optional[Decimal]:
    """A cell's figure, also when a price basis follows it ("7000元/月")."""
    value = plain_number(text)
    if value is None:
        match = PRICE_WITH_BASIS.match(text)
        if match:
            value = plain_number(match.group("n"))
    return value


@lru_cache(maxsize=16384)
def cell_type(text: str) -> str:
    """number, period, basis, unit or text."""
    if parse_plain_number(text) is not None:
        return "number"
    if PERIOD_CELL.match(text):
        return "period"
    if BASIS_CELL.match(text.replace(" ", "")):
        return "basis"
    if read_unit(text) is not None:
        return "unit"
    return "text"


@lru_cache(maxsize=8192)
def sum_label(text: str) -> Optional[tuple[str, bool]]:
    """(label, is_total) when a cell names a sum (基础部分总价 (元), 合计, 合计（大写）：…)."""
    spec = load("tables")["sums"]
    compact = LABEL_NOISE.sub("", regex.split(r"[:：]", text, maxsplit=1)[0])
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
    ("（二）增值服务"), unless that heading opens a clause."""
    if table.header is None:
        return None
    number = table.header.line.number
    clause_heads = {s.first_line for s in doc.sections}
    for line in reversed(doc.lines[max(0, number - MAX_HEADING_GAP_LINES):number]):
        text = line.text.strip()
        if not text or line.furniture:
            continue
        if line.number in clause_heads or not (ORDINAL_PREFIX.match(text) and SECTION_LABEL.match(text)):
            return None
        return section_name(text)
    return None


def section_name(text: str) -> str:
    """A section label without its ordinal ("（二）增值服务" → 增值服务)."""
    return ORDINAL_PREFIX.sub("", text).strip() or text


def read_price_table(table: Table, section: Optional[str] = None) -> PriceTable:
    """The rows and sums of a price table; rows with no section of their own get `section`."""
    parsed = PriceTable()
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
            parsed.sums.append((len(parsed.rows), inline))
            continue
        label = sum_label(row.cells[0].text)
        if label is not None:
            reading = SumReading(label[0], row.cells[0].span, is_total=label[1],
                                 words=spelled_amount(row.cells[0]))
            numbers = [c for c in row.cells[1:] if cell_type(c.text) == "number"]
            if numbers:
                reading.value = parse_plain_number(numbers[-1].text)
                reading.value_span = numbers[-1].span
                parsed.sums.append((len(parsed.rows), reading))
            else:
                pending_sum = reading
            continue
        reading = read_row(row, table, role_at, header_width)
        if reading is not None:
            if reading.section is None and section is not None:
                reading.section = section
            parsed.rows.append(reading)
            continue
        texts = [c for c in row.cells if cell_type(c.text) == "text"]
        if not texts:
            continue
        if is_section_line(row, parsed):
            section = section_name(texts[-1].text)
            continue
        after_sum = bool(parsed.sums) and parsed.sums[-1][0] == len(parsed.rows)
        if after_sum and is_label_fragment(row):
            continue  # the wrapped end of the sum label above ("…总价（元" ⏎ "）")
        wrapped = wrapped_sum_label(row, rows[n + 1] if n + 1 < len(rows) else None)
        if wrapped is not None:
            pending_sum = wrapped  # "安全及软件服务总" ⏎ "价（元）": its figure follows
            continue
        if parsed.rows:
            continue_row(parsed.rows[-1], row)
    return parsed


def wrapped_sum_label(row: Row, following: Optional[Row]) -> Optional[SumReading]:
    """A sum label wrapped over two one-cell lines, read from its first line."""
    if following is None or len(row.cells) != 1 or len(following.cells) != 1:
        return None
    first, rest = row.cells[0].text, following.cells[0].text
    if any(ch.isdigit() for ch in first + rest) or sum_label(first) is not None or sum_label(rest) is not None:
        return None  # the keyword must straddle the break
    label = sum_label(first + rest)
    if label is None:
        return None
    return SumReading(label[0], row.cells[0].span, is_total=label[1])


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
        value = parse_plain_number(row.cells[0].text)
        if value is not None:
            return value, row.cells[0].span
    return None


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
    cells = [c for c in row.cells if cell_type(c.text) in ("text", "unit")]
    if not cells:
        return
    if reading.note is not None and len(row.cells) > 1:
        cells = [c for c in cells if c.column < reading.note.column]
    if cells:
        reading.service.append(cells[-1].span)


def read_row(row: Row, table: Table, role_at: dict[int, str], header_width: int) -> Optional[RowReading]:
    """A price row's cells by role, or None when the line carries no price."""
    cells = list(row.cells)
    aligned = header_width and row.width == header_width
    reading = RowReading(line=row)
    note_column = table.role_column("note")
    if note_column is not None and cells and cell_type(cells[-1].text) == "text":
        if not aligned or cells[-1].column == note_column.column:
            reading.note = cells.pop()
    # A service named like a unit ("云主机（4核8G）") is text when the unit column holds the unit.
    names_only = aligned and any(role_at.get(c.column) == "billing_unit" and cell_type(c.text) == "unit"
                                 for c in cells)
    tail: list[Cell] = []
    while cells and cell_type(cells[-1].text) != "text" and not (
            names_only and role_at.get(cells[-1].column) in TEXT_ROLES):
        tail.insert(0, cells.pop())
    if aligned:
        specs = [c for c in cells + tail if role_at.get(c.column) == "spec"]
        if specs and reading.note is None:
            reading.note = specs[0]
        cells = [c for c in cells if c not in specs]
        tail = [c for c in tail if c not in specs]
    numbers = [c for c in tail if cell_type(c.text) == "number"]
    has_periods = "periods" in table.roles
    for cell in tail:
        kind = cell_type(cell.text)
        if kind == "period" and not has_periods and read_unit(cell.text) is not None:
            kind = "unit"
        counted = quantity_with_unit(cell, table, role_at if aligned else None) if kind == "unit" else None
        if counted is not None:
            numbers.append(counted[0])
            reading.values.setdefault("billing_unit", counted[1])
        elif kind == "unit":
            reading.values.setdefault("billing_unit", cell)
        elif kind == "basis":
            reading.values.setdefault("price_basis", cell)
        elif kind == "period":
            reading.values.setdefault("periods", cell)
    numbers.sort(key=lambda c: c.column)
    roles = [r for r in table.roles if r in NUMERIC_ROLES]
    if "periods" in reading.values:
        roles = [r for r in roles if r != "periods"]
    leftover = assign_numbers(reading, numbers, roles, role_at if aligned else None)
    if "unit_price" not in reading.values and "amount" not in reading.values:
        return None
    texts = leftover + cells
    texts.sort(key=lambda c: c.column)
    text_cells = []
    for cell in texts:
        role = role_at.get(cell.column) if aligned else None
        if SEQ_OR_CODE.match(cell.text) and role not in ("service", "section"):
            continue
        text_cells.append(cell)
    if not text_cells:
        return reading if reading.values.get("unit_price") else None
    service_cell = text_cells[-1]
    reading.service = [service_cell.span]
    before = [c for c in text_cells if c.column < service_cell.column]
    if before:
        reading.section = before[0].text
    return reading


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
    values = {role: parse_plain_number(cell.text) for role, cell in zip(chosen, numbers)}
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
               tb_is_1024: bool, table: Table) -> Optional[LineItem]:
    path = f"line_items[{index}]"
    service = as_written(reading.service) if reading.service else None
    service_text = " ".join(s.text for s in reading.service)
    note = reading.note.text if reading.note else ""
    hints = {c.role: c.hint for c in table.columns}
    scale = {role: column_scale(table, role) for role in NUMERIC_ROLES}

    def figure(role: str) -> Optional[Decimal]:
        cell = reading.values.get(role)
        if cell is None:
            return None
        value = parse_plain_number(cell.text)
        if value is not None:
            doc.cite(f"{path}.{role}", cell.span)
            return value * scale[role]
        return None

    unit_price, quantity, amount = figure("unit_price"), figure("quantity"), figure("amount")
    billing_unit, unit_span = billing_unit_of(reading, note, service_text)
    basis = price_basis_of(reading, note, hints, billing_unit)
    periods = periods_of(doc, path, reading, note, service_text, basis, quantity)
    if periods is None and quantity is not None:
        periods = infer_periods(unit_price, quantity, amount, basis, term)
        if periods is not None:
            doc.cite(f"{path}.periods", reading.line.line.span, note="inferred from the term")
    if quantity is None:
        periods = None
    reading_unit = read_unit(billing_unit, service_text, tb_is_1024) if billing_unit else None
    normalized = normalize(reading_unit, service_text, unit_price, quantity, basis)
    if service:
        doc.cite(f"{path}.service", reading.service)
    if billing_unit:
        doc.cite(f"{path}.billing_unit", unit_span)
    doc.cite(f"{path}.price_basis", reading.values.get("price_basis").span
             if "price_basis" in reading.values else reading.line.line.span)
    return LineItem(
        seq=index + 1, section=reading.section, service=service,
        unit_price=as_float(unit_price), quantity=as_float(quantity), billing_unit=billing_unit,
        price_basis=basis, periods=as_float(periods), amount=as_float(amount), normalized=normalized)


def column_scale(table: Table, role: str) -> Decimal:
    """What a figure of the column is multiplied by: 10000 under a 万元 header, else 1."""
    column = table.role_column(role)
    return WAN if column is not None and "万" in column.hint else Decimal(1)


def billing_unit_of(reading: RowReading, note: str, service: str) -> tuple[Optional[str], Optional[Span]]:
    cell = reading.values.get("billing_unit")
    if cell is not None:
        return as_written(cell.span), cell.span
    if reading.note is not None:
        match = NOTE_UNIT.search(note)
        if match and read_unit(match.group("unit"), service) is not None:
            span = reading.note.span.sub(match.start("unit"), match.end("unit"))
            return as_written(span), span
    for span in reading.service:
        match = SERVICE_UNIT_DEF.search(span.text)
        if match:
            unit_span = span.sub(match.start("unit"), match.end("unit"))
            return as_written(unit_span), unit_span
    return None, None


def price_basis_of(reading: RowReading, note: str, hints: dict[str, str],
                   billing_unit: Optional[str]) -> str:
    price_cell = reading.values.get("unit_price")
    if price_cell is not None and "/" in price_cell.text:
        found = read_basis(price_cell.text)
        if found:
            return found
    cell = reading.values.get("price_basis")
    if cell is not None:
        found = read_basis(cell.text) or read_basis("/" + cell.text.lstrip("每按"))
        if found:
            return found
    match = NOTE_UNIT.search(note)
    if match:
        found = read_basis("元/" + match.group("basis"))
        if found:
            return found
    found = read_basis(note) if "元" in note else None
    if found:
        return found
    for hint in (hints.get("unit_price", ""), hints.get("price_basis", "")):
        found = read_basis(hint)
        if found:
            return found
    if billing_unit and "/" in billing_unit:
        found = read_basis(billing_unit[billing_unit.index("/"):])
        if found:
            return found
    if billing_unit in TIME_UNITS:  # priced per 年, 月 or 次 itself
        found = read_basis("元/" + billing_unit)
        if found:
            return found
    period = reading.values.get("periods")
    if period is not None:
        match = PERIOD_CELL.match(period.text)
        if match:
            return {"次": "time", "年": "year"}.get(match.group("unit"), "month")
    return "month"


def periods_of(doc: ContractDoc, path: str, reading: RowReading, note: str, service: str,
               basis: str, quantity: Optional[Decimal]) -> Optional[Decimal]:
    cell = reading.values.get("periods")
    if cell is not None:
        match = PERIOD_CELL.match(cell.text)
        value = Decimal(match.group("n")) if match else parse_plain_number(cell.text)
        if value is not None:
            doc.cite(f"{path}.periods", cell.span)
            unit = match.group("unit") if match else "月"
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
    """Periods a row bills when no cell states them: the ones its arithmetic shows."""
    candidates: list[Decimal] = []
    if basis == "month":
        candidates = [Decimal(term)] if term else []
        candidates += [Decimal(12), Decimal(1)]
    elif basis == "year":
        candidates = [Decimal(1)] + ([Decimal(term) / 12] if term else [])
    if unit_price is not None and amount is not None and unit_price and quantity:
        exact = amount / (unit_price * quantity)
        for candidate in candidates:
            if abs(exact - candidate) <= Decimal("0.005") * candidate:
                return candidate
        if exact == exact.to_integral_value() and 0 < exact <= MAX_PERIOD_MONTHS:
            return exact
    return candidates[0] if candidates else None


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
