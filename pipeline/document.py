"""The contract document: one object owns the text and every annotation.

Like spaCy's `Doc`, a `ContractDoc` holds the source text as read (`raw`), the
normalized text the extractors read (`text`), a map between the two, and every
annotation the stages add: lines, sections, tables, the record being built and
the evidence for each value. `Span` is a view into the normalized text (start and
end offsets), never a copy; it resolves its page, raw offsets and bounding box
through the document.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

from schemas import ContractRecord, Evidence

if TYPE_CHECKING:
    from extractors.statements import Statements
    from pipeline.keyvalues import KeyValue
    from pipeline.resolve import Resolution
    from pipeline.segment import Section
    from pipeline.tables import Row, Table

Box = tuple[float, float, float, float]
SNIPPET_CONTEXT = 24


@dataclass
class PageText:
    """One page as an ingest backend delivers it.

    `text` holds the page's lines; table rows have their cells separated by tabs.
    `boxes` and `confidences`, when given, run parallel to `text` (one entry per
    character, None where unknown, e.g. for inserted tabs and newlines). `notes`
    are what the reader saw on the page besides text (a seal), for the warnings.
    """

    text: str
    boxes: Optional[list[Optional[Box]]] = None
    confidences: Optional[list[Optional[float]]] = None
    source: str = "text"
    notes: list[str] = field(default_factory=list)


class OffsetMap:
    """Piecewise-linear map from normalized offsets to raw offsets.

    Built from the edits normalization applied; each breakpoint starts a run in
    which both texts advance together.
    """

    def __init__(self, breakpoints: list[tuple[int, int]] | None = None):
        self._norm = [b[0] for b in breakpoints or [(0, 0)]]
        self._raw = [b[1] for b in breakpoints or [(0, 0)]]

    def to_raw(self, offset: int) -> int:
        i = bisect.bisect_right(self._norm, offset) - 1
        return self._raw[i] + (offset - self._norm[i])


@dataclass(frozen=True)
class Span:
    """A view of doc.text[start:end]."""

    doc: "ContractDoc"
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.doc.text[self.start:self.end]

    @property
    def raw_start(self) -> int:
        return self.doc.offsets.to_raw(self.start)

    @property
    def raw_end(self) -> int:
        return self.doc.offsets.to_raw(self.end)

    @property
    def raw_text(self) -> str:
        return self.doc.raw[self.raw_start:self.raw_end]

    @property
    def page(self) -> int:
        return self.doc.page_of(self.raw_start)

    def sub(self, start: int, end: int) -> "Span":
        """A span relative to this one (offsets into self.text)."""
        return Span(self.doc, self.start + start, self.start + end)

    def __len__(self) -> int:
        return self.end - self.start

    def __repr__(self) -> str:
        return f"Span({self.start}:{self.end} {self.text!r})"


@dataclass
class Line:
    span: Span
    number: int
    furniture: bool = False
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = self.span.text

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end


def _new_statements() -> "Statements":
    from extractors.statements import Statements
    from pipeline.keyvalues import KeyValue
    return Statements()


@dataclass
class ContractDoc:
    name: str
    raw: str
    page_starts: list[int] = field(default_factory=lambda: [0])
    path: Optional[Path] = None
    boxes: Optional[list[Optional[Box]]] = None
    confidences: Optional[list[Optional[float]]] = None
    sources: list[str] = field(default_factory=list)
    text: str = ""
    offsets: OffsetMap = field(default_factory=OffsetMap)
    lines: list[Line] = field(default_factory=list)
    furniture: list[tuple[int, int]] = field(default_factory=list)
    sections: list["Section"] = field(default_factory=list)
    tables: list["Table"] = field(default_factory=list)
    rows: list[Optional["Row"]] = field(default_factory=list)
    key_values: list["KeyValue"] = field(default_factory=list)
    record: ContractRecord = None  # type: ignore[assignment]
    evidence: dict[str, Evidence] = field(default_factory=dict)
    statements: "Statements" = field(default_factory=lambda: _new_statements())
    paragraphs: Optional[list] = None
    resolutions: list["Resolution"] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.record is None:
            self.record = ContractRecord(document=self.name)
        if not self.text:
            self.text = self.raw

    @classmethod
    def from_pages(cls, name: str, pages: list[PageText], path: Optional[Path] = None,
                   separator: str = "\f") -> "ContractDoc":
        """Join pages (with form feeds unless the pages carry their own breaks),
        keeping boxes and confidences aligned with the joined text."""
        texts, starts, boxes, confs = [], [], [], []
        have_boxes = any(p.boxes is not None for p in pages)
        have_conf = any(p.confidences is not None for p in pages)
        pos = 0
        for i, page in enumerate(pages):
            if i and separator:
                texts.append(separator)
                boxes.extend([None] * len(separator))
                confs.extend([None] * len(separator))
                pos += len(separator)
            starts.append(pos)
            texts.append(page.text)
            pos += len(page.text)
            boxes.extend(page.boxes if page.boxes is not None else [None] * len(page.text))
            confs.extend(page.confidences if page.confidences is not None else [None] * len(page.text))
        return cls(name=name, raw="".join(texts), page_starts=starts or [0], path=path,
                   boxes=boxes if have_boxes else None, confidences=confs if have_conf else None,
                   sources=[p.source for p in pages],
                   warnings=[f"page {i}: {note}" for i, p in enumerate(pages, 1) for note in p.notes])

    # -- positions -------------------------------------------------------
    def page_of(self, raw_offset: int) -> int:
        """1-based page number of a raw offset."""
        return bisect.bisect_right(self.page_starts, raw_offset)

    @property
    def page_count(self) -> int:
        return len(self.page_starts)

    def span(self, start: int, end: int) -> Span:
        return Span(self, start, end)

    def bbox(self, span: Span) -> Optional[Box]:
        if self.boxes is None:
            return None
        found = [b for b in self.boxes[span.raw_start:span.raw_end] if b is not None]
        if not found:
            return None
        return (min(b[0] for b in found), min(b[1] for b in found),
                max(b[2] for b in found), max(b[3] for b in found))

    def confidence(self, span: Span) -> Optional[float]:
        if self.confidences is None:
            return None
        found = [c for c in self.confidences[span.raw_start:span.raw_end] if c is not None]
        return min(found) if found else None

    # -- evidence --------------------------------------------------------
    def cite(self, path: str, spans: Span | Iterable[Span] | None, note: str | None = None) -> None:
        """Record where the value at JSON path `path` was stated."""
        if spans is None:
            return
        spans = [spans] if isinstance(spans, Span) else [s for s in spans if s is not None]
        if not spans:
            return
        to_raw = self.offsets.to_raw
        if len(spans) == 1:
            raw_start, raw_end = to_raw(spans[0].start), to_raw(spans[0].end)
        else:
            raw_start, raw_end = to_raw(min(s.start for s in spans)), to_raw(max(s.end for s in spans))
        lo = max(0, raw_start - SNIPPET_CONTEXT)
        snippet = " ".join(self.raw[lo:raw_end + SNIPPET_CONTEXT].split())
        bbox = confidence = None
        if self.boxes is not None:
            boxes = [b for b in (self.bbox(s) for s in spans) if b is not None]
            if boxes:
                bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                        max(b[2] for b in boxes), max(b[3] for b in boxes))
        if self.confidences is not None:
            confs = [c for c in (self.confidence(s) for s in spans) if c is not None]
            confidence = min(confs) if confs else None
        self.evidence[path] = Evidence.model_construct(
            page=self.page_of(raw_start), start=raw_start, end=raw_end, snippet=snippet,
            bbox=bbox, confidence=confidence, note=note)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
