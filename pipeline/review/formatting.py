"""How values read on the pages: numbers with thousands separators, times in UTC, a dash for none.

Registered as Jinja2 filters by `pipeline.review.app`.
"""
from __future__ import annotations

import math
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Optional

from pipeline.review.labels import NO, YES

NONE = "—"


def show(value: Any) -> str:
    """A stored value for display: numbers grouped by thousands (at least two decimals unless whole)."""
    if value is None:
        return NONE
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, (int, float, Decimal)):
        return _number(float(value))
    return str(value)


def figure(text: Optional[str]) -> str:
    """A finding's expected or found value (stored as text) for display: as a number when it is one."""
    number = _parse(text)
    return show(text) if number is None else _number(number)


def difference(expected: Optional[str], found: Optional[str]) -> Optional[str]:
    """found − expected, signed, when both are numbers."""
    a, b = _parse(expected), _parse(found)
    if a is None or b is None:
        return None
    delta = b - a
    return ("+" if delta > 0 else "−" if delta < 0 else "") + _number(abs(delta))


def show_time(value: Optional[datetime]) -> str:
    if value is None:
        return NONE
    if value.tzinfo is not None:  # PostgreSQL gives aware times; SQLite gives the stored UTC time, naive
        value = value.astimezone(timezone.utc)
    return f"{value:%Y-%m-%d %H:%M} UTC"


def _parse(text: Optional[str]) -> Optional[float]:
    try:
        number = float(text) if text is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def _number(number: float) -> str:
    if number.is_integer():
        return f"{int(number):,}"
    whole, _, fraction = f"{number:,.6f}".rstrip("0").partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"
