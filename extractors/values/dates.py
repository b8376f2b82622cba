"""Value normalization: dates as written (2025年1月1日, 2025.11.19, 2025-01-01)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Optional

import regex

DATE = regex.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:年|\.|-|/)\s*(?P<m>\d{1,2})\s*(?:月|\.|-|/)\s*(?P<d>\d{1,2})\s*日?")


def parse_date(match: regex.Match, prefix: str = "") -> Optional[date]:
    """The date of a DATE match (group names may carry a prefix)."""
    try:
        return date(int(match.group(prefix + "y")), int(match.group(prefix + "m")),
                    int(match.group(prefix + "d")))
    except (ValueError, TypeError, IndexError):
        return None


def months_between(start: date, end: date) -> int:
    """Whole months a service from start to end, both days included, covers."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + (after.month - start.month)
    return months - 1 if after.day < start.day else months
