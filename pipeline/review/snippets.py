"""Mark a cited value in the source text shown beside a finding: exactly where the source states it.

With the document's text at hand (a text file, `pipeline.review.source.document_text`),
`excerpt` shows the lines around the value and marks the span the evidence
records ([start, end) in the text), nothing else.

Otherwise only the evidence snippet is known: the source text from
`SNIPPET_CONTEXT` characters before the value to as many after it, with
whitespace runs collapsed (`ContractDoc.cite`). When nothing was collapsed, its
length tells the value's place exactly. Otherwise the value is looked for as the
document may have written it (`1,234.50`, `1234.5`, `30%`, `2025年1月15日`,
full-width digits), only where it stands as a whole figure (a quantity 1 is never
the 1 inside 312752.00) and where the span can lie, taking the occurrence nearest
the place it would have without collapsing. A value found neither way is not marked.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Iterator, NamedTuple, Optional

from pipeline.document import SNIPPET_CONTEXT

#: Full-width ASCII and the ideographic space, to their ASCII forms (one character each).
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
#: Separators inside a figure (1,234.50): a digit beyond one continues the figure.
_FIGURE_SEPARATORS = ",."
#: Lines of context `excerpt` shows before and after the value's line.
EXCERPT_LINES = 1
#: At most this many characters of context on either side (an OCR'd paragraph may be one long line).
EXCERPT_CHARS = 240
_LINE_BREAKS = "\n\f"


class Marked(NamedTuple):
    before: str
    value: str
    after: str


def cited_text(text: Optional[str], snippet: Optional[str], start: Optional[int], end: Optional[int],
               value: Any = None) -> Optional[Marked]:
    """The cited value marked in the document's `text` when known, else in its `snippet`."""
    if start is None or end is None:
        return None
    if text is not None:
        found = excerpt(text, start, end)
        if found is not None:
            return found
    return mark(snippet, start, end, value) if snippet else None


def excerpt(text: str, start: int, end: int, lines: int = EXCERPT_LINES) -> Optional[Marked]:
    """The value at [start, end) of `text` with `lines` lines before and after it; None for a span
    outside the text."""
    if not 0 <= start < end <= len(text):
        return None
    low = _line_start(text, start)
    for _ in range(lines):
        if low == 0:
            break
        low = _line_start(text, low - 1)
    high = _line_end(text, end)
    for _ in range(lines):
        if high >= len(text):
            break
        high = _line_end(text, high + 1)
    low, high = max(low, start - EXCERPT_CHARS), min(high, end + EXCERPT_CHARS)
    return Marked(text[low:start], text[start:end], text[end:high])


def _line_start(text: str, at: int) -> int:
    return max(text.rfind(c, 0, at) for c in _LINE_BREAKS) + 1


def _line_end(text: str, at: int) -> int:
    ends = [i for i in (text.find(c, at) for c in _LINE_BREAKS) if i >= 0]
    return min(ends, default=len(text))


def mark(snippet: str, start: int, end: int, value: Any = None) -> Optional[Marked]:
    """`snippet` split around the value the source states at [start, end), when it can be found."""
    before = min(start, SNIPPET_CONTEXT)
    length = end - start
    if len(snippet) == before + length + SNIPPET_CONTEXT:
        return _split(snippet, before, before + length)
    searched = snippet.translate(_HALF_WIDTH)
    # collapsing only shortens: the value starts at `before` or earlier, and what follows it is at
    # most SNIPPET_CONTEXT long
    lowest = len(snippet) - length - SNIPPET_CONTEXT
    best: Optional[tuple[int, int, int]] = None
    for text in written_forms(value):
        for at in whole_figures(searched, text):
            if lowest <= at <= before + length - len(text) and (best is None or abs(at - before) < best[0]):
                best = (abs(at - before), at, at + len(text))
    return _split(snippet, best[1], best[2]) if best else None


def whole_figures(text: str, figure: str) -> Iterator[int]:
    """Where `figure` occurs in `text` as a whole: no digits run on before or after it."""
    at = text.find(figure)
    while at >= 0:
        end = at + len(figure)
        if not (figure[0].isdigit() and _continues(text, at - 1, -1)) and not (
                figure[-1].isdigit() and _continues(text, end, 1)):
            yield at
        at = text.find(figure, at + 1)


def _continues(text: str, at: int, step: int) -> bool:
    """Whether a figure goes on at `at` (in direction `step`): a digit, or a separator before one."""
    if not 0 <= at < len(text):
        return False
    if text[at].isdigit():
        return True
    beyond = at + step
    return text[at] in _FIGURE_SEPARATORS and 0 <= beyond < len(text) and text[beyond].isdigit()


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
