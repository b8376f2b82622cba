"""Value normalization: figures as written (plain numbers, percents, 元 and 万元).

Money is parsed to `Decimal` so that cross-checks compare exact figures; the
record stores floats. Thousands separators are already gone (text stage).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Optional

import regex

from extractors.values.cnmoney import CN_AMOUNT_PATTERN, parse_cn_amount

NUMBER = regex.compile(r"-?\d+(?:\.\d+)?")
PLAIN_NUMBER = regex.compile(r"^\s*[¥￥]?\s*(?P<n>-?\d+(?:\.\d+)?)\s*(?P<wan>万)?\s*元?\s*$")
PERCENT = regex.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s*[%％]")
#: A rate as written: "30%", "0.5‰", "百分之三十", "万分之五".
RATE = regex.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s*(?P<sign>[%‰‱])|(?P<scale>百|千|万)\s*分\s*之\s*(?P<cn>[\d.]+|[零一二三四五六七八九十百两点]+)")
RATE_SCALES = {"%": Decimal(100), "‰": Decimal(1000), "‱": Decimal(10000),
               "百": Decimal(100), "千": Decimal(1000), "万": Decimal(10000)}
#: A sum of money in a sentence: "¥1843129.06", "人民币 201600.00 元", "230.39万元" (the branches share names).
MONEY = regex.compile(
    r"(?:(?:人民币|RMB)\s*[:：]?\s*)?"
    r"(?:[¥￥]\s*(?P<n>\d+(?:\.\d+)?)(?:\s*(?P<wan>万)?\s*元)?|(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s*(?P<wan>万)?\s*元)")
#: What may stand before a sum: "人民币", "（大写）", "：".
MONEY_PREFIX = r"(?:(?:人民币|RMB)\s*+)?(?:(?:[(（]\s*+)?大写\s*+[)）]?\s*+)?(?:[:：]\s*+)?"
#: A sum in figures or in 大写: "¥2000", "2万元", "人民币（大写）叁仟元整" (figures in `n`/`wan`, 大写 in `cn`).
SUM = regex.compile(
    MONEY_PREFIX + r"(?:[¥￥]\s*(?P<n>\d+(?:\.\d+)?)(?:\s*(?P<wan>万)?\s*元)?|(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s*(?P<wan>万)?\s*元"
    r"|(?P<cn>" + CN_AMOUNT_PATTERN.pattern + r"))")
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "百": 100, "半": 0.5}
WAN = Decimal(10000)
#: Factors by which an OCR'd figure that lost a decimal point or zeros is off.
DECIMAL_SHIFTS = (Decimal(10), Decimal(100), Decimal(1000))
#: Digits before the point beyond which a figure is no amount: 10^15 元 is far beyond any contract.
MAX_FIGURE_DIGITS = 16


def to_decimal(text: str) -> Optional[Decimal]:
    """A figure as written, or None when it is none or too long to be an amount or a count
    (more than MAX_FIGURE_DIGITS digits before the point: OCR noise, an account number)."""
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value.adjusted() >= MAX_FIGURE_DIGITS:
        return None
    return value


def parse_plain_number(text: str) -> Optional[Decimal]:
    """A cell or phrase that is only a figure ("12", "¥ 1843129.06", "3.5万元")."""
    match = PLAIN_NUMBER.match(text)
    if not match:
        return None
    value = to_decimal(match.group("n"))
    if value is not None and match.group("wan"):
        value *= WAN
    return value


def rate_value(match: regex.Match) -> Optional[Decimal]:
    """A RATE match as a fraction: '0.05%' → 0.0005, '万分之五' → 0.0005."""
    if match.group("n"):
        value = to_decimal(match.group("n"))
        return None if value is None else value / RATE_SCALES[match.group("sign")]
    digits = match.group("cn")
    value = to_decimal(digits) if digits[0].isdigit() else None
    if value is None:
        small = parse_small_int(digits)
        value = Decimal(small) if small else None
    return None if value is None else value / RATE_SCALES[match.group("scale")]


def money_value(match: regex.Match) -> Optional[Decimal]:
    """The value in 元 of a MONEY match."""
    value = to_decimal(match.group("n"))
    if value is not None and match.group("wan"):
        value *= WAN
    return value


def sum_value(match: regex.Match) -> Optional[Decimal]:
    """The value in 元 of a SUM match, in figures or in 大写."""
    if match.group("cn"):
        return parse_cn_amount(match.group("cn"))
    return money_value(match)


def money_end(match: regex.Match) -> int:
    """Where a MONEY match's figure ends as cited: after 万元 when it is in 万元, else after the digits."""
    return match.end() if match.group("wan") else match.end("n")


def parse_small_int(text: str) -> Optional[int]:
    """Counts written as digits or simple Chinese numerals (十二, 两, 3)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS for ch in text):
        return None
    import cn2an
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError):
        return None
    return int(value) if float(value).is_integer() else None


def as_float(value: Optional[Decimal]) -> Optional[float]:
    if value is None:
        return None
    as_int = int(value)
    return float(as_int) if value == as_int else float(value)


def decimals(value: Decimal) -> int:
    """Digits after the point as written."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
