"""Payment schedule tables: installments laid out as rows under a header.

A schedule table names its columns with schedule words ("期次 | 支付时间 | 支付比例 |
支付金额（元）"); each row under the header is one installment: its share from the
percent column, its amount from the amount column (in 万元 when the header says so),
its condition from the time or condition column. Rows end at the first prose line
or at a sum row (合计). Column words live in extractors/vocab/clauses.toml
[payments.schedule_columns].
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional

import regex

from extractors.lexicon import alternation, load
from extractors.statements import PaymentStatement, Statement
from extractors.values.numbers import MONEY, RATE, WAN, money_end, money_value, parse_plain_number, rate_value
from pipeline.document import ContractDoc
from pipeline.tables import Cell, Row

BRACKETED = regex.compile(r"[(（][^)）]*[)）]")
#: The roles a header must name for its table to be a schedule: a share or an amount, and one more.
MIN_SCHEDULE_COLUMNS = 2
FIGURE_ROLES = ("percent", "amount")


@dataclass
class ScheduleRow:
    """One installment row of a schedule table, with the line it stands on."""

    line_number: int
    statement: PaymentStatement


@lru_cache(maxsize=None)
def column_words() -> dict:
    spec = load("clauses")["payments"]["schedule_columns"]
    return {
        "roles": {role: regex.compile(r"^(?:" + alternation(spec[role]) + r")$") for role in spec["roles"]},
        "sum_rows": regex.compile(r"^\s*(?:" + alternation(spec["sum_rows"]) + r")"),
        "percent_units": regex.compile(alternation(spec["percent_units"])),
        "wan_units": regex.compile(alternation(spec["wan_units"])),
    }


def schedule_rows(doc: ContractDoc) -> list[ScheduleRow]:
    """The installment rows of every schedule table in the document, in reading order."""
    found: list[ScheduleRow] = []
    rows = doc.rows
    number = 0
    while number < len(rows):
        header = rows[number]
        columns = schedule_columns(header) if header is not None else None
        if columns is None:
            number += 1
            continue
        number += 1
        while number < len(rows):
            line = doc.lines[number]
            if line.furniture or not line.text.strip():
                number += 1
                continue
            row = rows[number]
            if row is None or column_words()["sum_rows"].match(row.cells[0].text):
                break
            statement = installment(row, columns)
            if statement is not None:
                found.append(ScheduleRow(number, statement))
            number += 1
    return found


def schedule_columns(row: Row) -> Optional[dict[str, Cell]]:
    """The header cells of a schedule table by role, or None when the row is no such header."""
    columns: dict[str, Cell] = {}
    for cell in row.cells:
        word = BRACKETED.sub("", cell.text).strip()
        role = next((r for r, pattern in column_words()["roles"].items() if pattern.match(word)), None)
        if role is not None and role not in columns:
            columns[role] = cell
    if len(columns) < MIN_SCHEDULE_COLUMNS or not any(role in columns for role in FIGURE_ROLES):
        return None
    return columns


def installment(row: Row, columns: dict[str, Cell]) -> Optional[PaymentStatement]:
    """The statement of one schedule row, or None when it states neither share nor amount."""
    statement = PaymentStatement()
    percent = cell_at(row, columns.get("percent"))
    if percent is not None:
        statement.percent = share_of(percent, columns["percent"])
    amount = cell_at(row, columns.get("amount"))
    if amount is not None:
        statement.amount = amount_of(amount, columns["amount"])
    if statement.percent is None and statement.amount is None:
        return None
    condition = cell_at(row, columns.get("condition"))
    statement.condition = condition.span if condition is not None else None
    return statement


def cell_at(row: Row, header: Optional[Cell]) -> Optional[Cell]:
    """The row's cell under a header cell, or None."""
    if header is None:
        return None
    return next((cell for cell in row.cells if cell.column == header.column), None)


def share_of(cell: Cell, header: Cell) -> Optional[Statement]:
    """The share a percent cell states ("25%", or "25" under "比例（%）")."""
    match = RATE.search(cell.text)
    if match is not None:
        value = rate_value(match)
        span = cell.span.sub(match.start(), match.end())
    elif column_words()["percent_units"].search(header.text):
        figure = parse_plain_number(cell.text)
        value = None if figure is None else figure / 100
        span = cell.span
    else:
        return None
    if value is None or not 0 < value <= 1:
        return None
    return Statement(value, span)


def amount_of(cell: Cell, header: Cell) -> Optional[Statement]:
    """The sum an amount cell states in 元 ("131370.00", "¥2000", "3.2万元", or "3.2" under "（万元）")."""
    match = MONEY.search(cell.text)
    if match is not None:
        value = money_value(match)
        span = cell.span.sub(match.start("n"), money_end(match))
    else:
        value = parse_plain_number(cell.text)
        span = cell.span
        if value is not None and column_words()["wan_units"].search(header.text):
            value *= WAN
    if value is None or value <= Decimal(0):
        return None
    return Statement(value, span)
