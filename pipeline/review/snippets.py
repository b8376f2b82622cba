"""Find the cited value inside its evidence snippet, so the page can mark it.

A snippet is the source text from `SNIPPET_CONTEXT` characters before the value
to as many after it, with whitespace runs collapsed (`ContractDoc.cite`). When
nothing was collapsed, its length tells the value's place exactly. Otherwise the
value is looked for as the document may have written it (`1,234.50`, `1234.5`,
`30%`, `2025年1月15日`, full-width digits), taking the occurrence nearest the
place it would have without collapsing. A value found neither way is not marked.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, Optional

from pipeline.document import SNIPPET_CONTEXT

#: Full-width ASCII and the ideographic space, to their ASCII forms (one character each).
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


class Marked(NamedTuple):
    before: str
    value: str
    after: str


def mark(snippet: str, start: int, end: int, value: Any = None) -> Optional[Marked]:
    """`snippet` split around the value the source states at [start, end), when it can be found."""
    before = min(start, SNIPPET_CONTEXT)
    if len(snippet) == before + (end - start) + SNIPPET_CONTEXT:
        return _split(snippet, before, before + end - start)
    searched = snippet.translate(_HALF_WIDTH)
    best: Optional[tuple[int, int, int]] = None
    for text in written_forms(value):
        at = searched.find(text)
        while at >= 0:
            if best is None or abs(at - before) < best[0]:
                best = (abs(at - before), at, at + len(text))
            at = searched.find(text, at + 1)
    return _split(snippet, best[1], best[2]) if best else None


def written_forms(value: Any) -> list[str]:
    """How a document may write `value`, longest first."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, (int, float, Decimal)):
        number = (value if isinstance(value, Decimal) else Decimal(repr(float(value)))).normalize()
        if number == number.to_integral():
            number = number.quantize(Decimal(1))
        forms = [f"{number:,.2f}", f"{number:.2f}", f"{number:,f}", f"{number:f}"]
        if number == number.to_integral():
            forms += [f"{int(number):,}", f"{int(number)}"]
        if 0 < number < 1:
            forms.append(f"{(number * 100).normalize():f}%")
    else:
        forms = [str(value)]
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            pass
        else:
            forms += [f"{day.year}年{day.month}月{day.day}日", f"{day.year}年{day.month:02d}月{day.day:02d}日"]
    return sorted(set(forms), key=len, reverse=True)


def _split(snippet: str, start: int, end: int) -> Marked:
    return Marked(snippet[:start], snippet[start:end], snippet[end:])
