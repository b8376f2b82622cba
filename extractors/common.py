"""Helpers shared by the extractors: as-written strings, statements, sentences.

A `Statement` (extractors/statements.py) is a figure the document states
somewhere with the span that states it; extractors leave statements in
`doc.statements` for the resolver and the cross-checks, which cite them as evidence.
"""
from __future__ import annotations

from typing import Iterator, Optional

import regex

from extractors.values.cnmoney import with_capitals_put_right
from pipeline.document import ContractDoc, Line, Span
from pipeline.textnorm import BROKEN_OFF, without_letter_spacing

SENTENCE_END = regex.compile(r"[。；;！!？?]")
PARAGRAPH_ENDS = ("。", "；", ";", ":", "：", "！", "!", "？", "?")
LIST_MARKER = regex.compile(
    r"^\s*(?:第\s*[一二三四五六七八九十百\d]+\s*[条章]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．)](?!\d)"
    r"|[(（]\s*[\d一二三四五六七八九十]+\s*[)）]|[-•*]|附件|甲方|乙方)")
MIN_WRAPPED_LINE_CHARS = 20
WHITESPACE = regex.compile(r"\s+")


def as_written(spans: Span | list[Span]) -> Optional[str]:
    """The source text of one or more spans, whitespace collapsed (SCHEMA.md strings),
    letter-spacing removed ("某 市 政 务 局" → 某市政务局)."""
    spans = [spans] if isinstance(spans, Span) else spans
    text = " ".join(WHITESPACE.sub(" ", without_letter_spacing(s.raw_text)).strip() for s in spans)
    text = WHITESPACE.sub(" ", text).strip()
    return text or None


def spelled_as_written(span: Span) -> Optional[str]:
    """A 大写 amount as written (`as_written`), with what OCR read for a 大写 character
    between two others put right, as the normalized text has it (捌任贰佰 → 捌仟贰佰)."""
    written = as_written(span)
    return with_capitals_put_right(written) if written else None


def sentences(doc: ContractDoc, lines: list[Line]) -> Iterator[Span]:
    """Sentences of the paragraphs that start on the given lines, cut at 。；;!?.

    Prose that OCR or a PDF text layer wrapped over several lines (or over a page
    break) is one paragraph, so a sentence may span lines.
    """
    wanted = {line.number for line in lines}
    for first, found in paragraph_sentences(doc):
        if first in wanted:
            yield from found


def paragraph_sentences(doc: ContractDoc) -> list[tuple[int, list[Span]]]:
    """(first line number, sentences) of every paragraph; computed once per document."""
    cached = doc.paragraphs
    if cached is None:
        cached = doc.paragraphs = [
            (group[0].number, _split_sentences(doc.span(group[0].start, group[-1].end)))
            for group in _paragraphs(doc)]
    return cached


def _paragraphs(doc: ContractDoc) -> list[list[Line]]:
    groups: list[list[Line]] = []
    current: list[Line] = []
    for line in doc.lines:
        text = line.text.strip()
        if line.furniture or not text:
            continue
        is_row = bool(doc.rows) and doc.rows[line.number] is not None
        if current and not is_row and _continues(current[-1], text, doc):
            current.append(line)
            continue
        if current:
            groups.append(current)
        current = [line]
    if current:
        groups.append(current)
    return groups


def _continues(previous: Line, text: str, doc: ContractDoc) -> bool:
    """Whether a line carries on the paragraph that `previous` ends."""
    if doc.rows and doc.rows[previous.number] is not None:
        return False
    before = previous.text.strip()
    wrapped = len(before) >= MIN_WRAPPED_LINE_CHARS or BROKEN_OFF.search(before) is not None
    return wrapped and not before.endswith(PARAGRAPH_ENDS) and not LIST_MARKER.match(text)


def _split_sentences(span: Span) -> list[Span]:
    text = span.text
    if SENTENCE_END.search(text) is None:  # most lines of a table or a form: one sentence, or none
        return [span] if text.strip() else []
    found, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if text[start:match.start()].strip():
            found.append(span.sub(start, match.start()))
        start = match.end()
    if text[start:].strip():
        found.append(span.sub(start, len(text)))
    return found


def search_span(span: Span, pattern: regex.Pattern, group: str | int = 0) -> Optional[Span]:
    """The span of `group` of the first match of pattern in span."""
    match = pattern.search(span.text)
    if not match or match.start(group) < 0:
        return None
    return span.sub(match.start(group), match.end(group))


def prose_lines(doc: ContractDoc, kinds: tuple[str, ...] | None = None) -> list[Line]:
    """Lines of the given sections that are not table rows."""
    rows = doc.rows
    return [ln for ln in doc_lines(doc, kinds) if not rows or rows[ln.number] is None]


def price_table_lines(doc: ContractDoc) -> set[int]:
    """Line numbers of the price tables' headers and rows, sum lines under them included."""
    return {row.line.number for table in doc.tables if table.is_price_table
            for row in ([table.header] if table.header else []) + table.rows}


def doc_lines(doc: ContractDoc, kinds: tuple[str, ...] | None = None) -> list[Line]:
    """Lines of the sections of the given kinds (all lines when kinds is None)."""
    if kinds is None:
        return doc.lines
    lines: list[Line] = []
    for section in doc.sections:
        if section.kind in kinds:
            lines.extend(section.lines(doc))
    return lines
