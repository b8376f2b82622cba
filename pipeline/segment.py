"""Stage 2, segmentation: lines, then the document's sections.

Sections are the preamble (before the first clause), clauses (第X条), annexes
(附件N) and the signature area (from 以下无正文 or the first seal line after the
last clause). Each section is a run of line numbers; extractors ask for the
sections they care about (payments live in the payment clause, penalties in
clauses and annexes) instead of scanning the whole text blindly.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.document import ContractDoc, Line, Span

CLAUSE_HEADING = regex.compile(r"^\s*第\s*[一二三四五六七八九十百零〇两\d]+\s*[条章]\s*(?P<title>.{0,40})$")
NUMBERED_HEADING = regex.compile(
    r"^\s*(?P<n>[一二三四五六七八九十]{1,3})\s*[、.．]\s*(?P<title>[^\d\s，,。；;:：]{2,20})\s*$")
#: "四、付款方式：合同签订后…": a numbered heading with its clause's text on the same line
#: (announcements, run-on text cut into lines). A clause only inside the numbered chain.
INLINE_HEADING = regex.compile(
    r"^\s*(?P<n>[一二三四五六七八九十]{1,3})\s*[、.．]\s*(?P<title>[^\d\s，,。；;:：]{2,12})\s*[:：]")
MIN_CHAIN_HEADINGS = 3
MIN_ARTICLE_HEADINGS = 2
ANNEX_HEADING = regex.compile(r"^\s*附件\s*[\d一二三四五六七八九十]*\s*[:：、.]?\s*(?P<title>.{0,60})$")
SIGNATURE_START = regex.compile(r"以下无正文|以下为签署页|签署页|签字页")
MAX_ANNEX_HEADING_CHARS = 70


@dataclass
class Section:
    kind: str
    title: str
    first_line: int
    end_line: int

    def lines(self, doc: ContractDoc) -> list[Line]:
        return doc.lines[self.first_line:self.end_line]

    def span(self, doc: ContractDoc) -> Span:
        lines = self.lines(doc)
        if not lines:
            return doc.span(0, 0)
        return doc.span(lines[0].start, lines[-1].end)


def segment(doc: ContractDoc) -> ContractDoc:
    from pipeline.tables import split_cells
    doc.lines = split_lines(doc)
    doc.rows = [split_cells(line) for line in doc.lines]
    doc.sections = find_sections(doc)
    return doc


def split_lines(doc: ContractDoc) -> list[Line]:
    furniture = iter(doc.furniture)
    next_furniture = next(furniture, None)
    lines: list[Line] = []
    pos = 0
    for number, text in enumerate(doc.text.split("\n")):
        end = pos + len(text)
        is_furniture = False
        while next_furniture is not None and next_furniture[1] < pos:
            next_furniture = next(furniture, None)
        if next_furniture is not None and next_furniture[0] == pos:
            is_furniture = True
        lines.append(Line(Span(doc, pos, end), number, is_furniture))
        pos = end + 1
    return lines


def clause_pattern(doc: ContractDoc) -> regex.Pattern:
    """第X条 headings when the contract numbers its articles so, else 一、 headings."""
    articles = sum(1 for line in doc.lines if CLAUSE_HEADING.match(line.text))
    return CLAUSE_HEADING if articles >= MIN_ARTICLE_HEADINGS else NUMBERED_HEADING


def next_to_table(doc: ContractDoc, number: int) -> bool:
    """A line whose neighbouring non-empty lines are table rows: a table's section row."""
    for step in (-1, 1):
        i = number + step
        while 0 <= i < len(doc.lines) and not doc.lines[i].text.strip():
            i += step
        if 0 <= i < len(doc.lines) and doc.rows and doc.rows[i] is not None:
            return True
    return False


def numbered_chain(doc: ContractDoc) -> set[int]:
    """Line numbers of the longest run of 一、二、三、… headings numbered one after another.

    A heading in that run is a clause even when it stands next to a table; a
    一、 that restarts the count beside a table is the table's own section row.
    """
    from extractors.values.numbers import parse_small_int

    headings = []
    for line in doc.lines:
        text = line.text.strip()
        match = (NUMBERED_HEADING.match(text) or INLINE_HEADING.match(text)) if not line.furniture else None
        if match and "\t" not in line.text:
            headings.append((line.number, parse_small_int(match.group("n"))))
    best: list[int] = []
    for i, (_, value) in enumerate(headings):
        if value != 1:
            continue
        chain, expected = [], 1
        for number, found in headings[i:]:
            if found == expected:
                chain.append(number)
                expected += 1
        if len(chain) > len(best):
            best = chain
    return set(best) if len(best) >= MIN_CHAIN_HEADINGS else set()


def find_sections(doc: ContractDoc) -> list[Section]:
    starts: list[tuple[int, str, str]] = []
    seen_clause = False
    pattern = clause_pattern(doc)
    chain = numbered_chain(doc) if pattern is NUMBERED_HEADING else set()
    for line in doc.lines:
        text = line.text.strip()
        if not text or line.furniture:
            continue
        heading = pattern.match(text) or (INLINE_HEADING.match(text) if line.number in chain else None)
        beside_table = pattern is NUMBERED_HEADING and line.number not in chain and next_to_table(doc, line.number)
        if heading and "\t" not in text and not beside_table:
            starts.append((line.number, "clause", heading.group("title").strip()))
            seen_clause = True
            continue
        annex = ANNEX_HEADING.match(text)
        if annex and len(text) <= MAX_ANNEX_HEADING_CHARS and "\t" not in text:
            starts.append((line.number, "annex", annex.group("title").strip()))
            continue
        if seen_clause and SIGNATURE_START.search(text) and len(text) <= 30:
            starts.append((line.number, "signature", text))
    sections: list[Section] = []
    first = starts[0][0] if starts else len(doc.lines)
    sections.append(Section("preamble", "", 0, first))
    for i, (number, kind, title) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(doc.lines)
        sections.append(Section(kind, title, number, end))
    return sections
