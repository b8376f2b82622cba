"""Helpers shared by the extractors: as-written strings, statements, sentences.

A `Statement` is a figure the document states somewhere (a total, a quantity in
the body) with the span that states it; extractors leave statements in
`doc.facts` for the cross-checks, which cite them as evidence.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator, Optional

import regex

from pipeline.document import ContractDoc, Line, Span

SENTENCE_END = regex.compile(r"[。；;！!？?\n]")
WHITESPACE = regex.compile(r"\s+")


@dataclass(frozen=True)
class Statement:
    value: Decimal
    span: Span
    label: str = ""


def as_written(spans: Span | list[Span]) -> Optional[str]:
    """The source text of one or more spans, whitespace collapsed (SCHEMA.md strings)."""
    spans = [spans] if isinstance(spans, Span) else spans
    text = " ".join(WHITESPACE.sub(" ", s.raw_text).strip() for s in spans)
    text = WHITESPACE.sub(" ", text).strip()
    return text or None


def sentences(doc: ContractDoc, lines: list[Line]) -> Iterator[Span]:
    """Sentences of prose lines, cut at 。；; and line ends (cached per document)."""
    cache: dict[int, list[Span]] = doc.facts.setdefault("_sentences", {})
    for line in lines:
        if line.furniture:
            continue
        found = cache.get(line.number)
        if found is None:
            found = cache[line.number] = _line_sentences(line)
        yield from found


def _line_sentences(line: Line) -> list[Span]:
    text = line.text
    found, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if match.start() > start:
            found.append(line.span.sub(start, match.start()))
        start = match.end()
    if start < len(text):
        found.append(line.span.sub(start, len(text)))
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


def doc_lines(doc: ContractDoc, kinds: tuple[str, ...] | None = None) -> list[Line]:
    """Lines of the sections of the given kinds (all lines when kinds is None)."""
    if kinds is None:
        return doc.lines
    lines: list[Line] = []
    for section in doc.sections:
        if section.kind in kinds:
            lines.extend(section.lines(doc))
    return lines
