"""How figures are written: amounts, quantities, percents (also 百分之三十, 0.5‰), 万元,
dates (also 二〇二四年三月十五日), numerals, letter-spaced lines.

Every amount is a `Decimal`; these functions only decide its written form.
"""
from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
CN_DIGITS = "零一二三四五六七八九"
CN_YEAR_DIGITS = "〇一二三四五六七八九"
RATE_SCALES = ((100, "百"), (1000, "千"), (10000, "万"))
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


def chinese_rate(fraction: Decimal) -> str | None:
    """The rate as a whole count of hundredths, thousandths or ten-thousandths:
    0.3 -> 百分之三十, 0.001 -> 千分之一, 0.0005 -> 万分之五; None when there is none."""
    for scale, word in RATE_SCALES:
        count = fraction * scale
        if count == count.to_integral_value() and 1 <= count <= 100:
            return f"{word}分之{cn_number(int(count))}"
    return None


def per_mille(fraction: Decimal) -> str:
    """0.0005 -> 0.5‰."""
    return plain(fraction * 1000) + "‰"


def cn_number(n: int) -> str:
    """Chinese numeral for 1..100 (clause numbers, rates): 十一, 二十三, 一百."""
    if n == 100:
        return "一百"
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


def cn_numeral_date(day: date) -> str:
    """二〇二四年三月十五日."""
    year = "".join(CN_YEAR_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{cn_number(day.month)}月{cn_number(day.day)}日"


def year_month(day: date, rng: random.Random) -> str:
    return rng.choice(("{y}年{m}月", "{y} 年 {m} 月")).format(y=day.year, m=day.month)


def fullwidth(text: str) -> str:
    return text.translate(FULLWIDTH)


def letter_spaced(text: str) -> str:
    """Each line's characters parted by one space, as OCR reads a letter-spaced line."""
    return "\n".join(" ".join(line.replace(" ", "")) for line in text.split("\n"))
