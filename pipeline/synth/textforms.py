"""How figures are written: amounts, quantities, percents, 万元, dates, numerals.

Every amount is a `Decimal`; these functions only decide its written form.
"""
from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
CN_DIGITS = "零一二三四五六七八九"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def money(value: Decimal | int | str) -> Decimal:
    """Round to the 分, half up (how contracts round)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """Shortest exact decimal: 122342.4, 118080, 0.065."""
    text = format(value.normalize(), "f")
    return text


def amount(value: Decimal, number_format: str) -> str:
    """An amount in 元 in one of the number formats of `Style.number_format`."""
    if number_format == "fixed2":
        return format(money(value), "f")
    if number_format == "thousands":
        return format(money(value), ",.2f")
    return plain(money(value))


def quantity(value: Decimal, number_format: str) -> str:
    if number_format == "thousands" and value == value.to_integral_value() and value >= 10000:
        return format(value, ",.0f")
    return plain(value)


def wan(value: Decimal) -> str:
    """The amount in 万元, exact: 460782.26 -> 46.078226."""
    return plain(value / Decimal(10000))


def percent(fraction: Decimal) -> str:
    """0.0005 -> 0.05%, 0.3 -> 30%."""
    return plain(fraction * 100) + "%"


def cn_number(n: int) -> str:
    """Chinese numeral for 1..99 (clause numbers): 十一, 二十三."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


DATE_FORMS = ("{y}年{m}月{d}日", "{y} 年 {m} 月 {d} 日", "{y}.{m:02d}.{d:02d}", "{y}-{m:02d}-{d:02d}",
              "{y}/{m}/{d}")


def full_date(day: date, rng: random.Random) -> str:
    return rng.choice(DATE_FORMS).format(y=day.year, m=day.month, d=day.day)


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def year_month(day: date, rng: random.Random) -> str:
    return rng.choice(("{y}年{m}月", "{y} 年 {m} 月")).format(y=day.year, m=day.month)


def fullwidth(text: str) -> str:
    return text.translate(FULLWIDTH)
