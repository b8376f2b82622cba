"""Value normalization: dates as written (2025年1月1日, 2025.11.19, 2025-01-01, 二〇二五年一月一日)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Optional

import regex

from extractors.values.numbers import parse_small_int

_CN_YEAR_DIGITS = "〇○零一二三四五六七八九"
_CN_MONTH = r"十[一二]?|[一二三四五六七八九]"
_CN_DAY = r"三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"

#: One date; the groups y, m, d hold its parts in digits or Chinese numerals (both forms share names).
DATE = regex.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*(?:年|\.|-|/)\s*(?P<m>\d{1,2})\s*(?:月|\.|-|/)\s*(?P<d>\d{1,2})\s*日?"
    r"|(?P<y>[二][" + _CN_YEAR_DIGITS + r"]{3})\s*年\s*(?P<m>" + _CN_MONTH + r")\s*月\s*(?P<d>" + _CN_DAY + r")\s*日)")


_YEAR_DIGIT = {ch: str(max(0, i - 2)) for i, ch in enumerate(_CN_YEAR_DIGITS)}  # 〇○零 → 0, 一 → 1 …


def _year(text: str) -> int:
    return int(text) if text.isdigit() else int("".join(_YEAR_DIGIT[ch] for ch in text))


def parse_date(match: regex.Match, prefix: str = "") -> Optional[date]:
    """The date of a DATE match (group names may carry a prefix)."""
    try:
        month = parse_small_int(match.group(prefix + "m"))
        day = parse_small_int(match.group(prefix + "d"))
        if month is None or day is None:
            return None
        return date(_year(match.group(prefix + "y")), month, day)
    except (ValueError, TypeError, IndexError):
        return None


def months_between(start: date, end: date) -> int:
    """Whole months a service from start to end, both days included, covers."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + (after.month - start.month)
    return months - 1 if after.day < start.day else months
