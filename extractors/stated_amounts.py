"""Extractor: amounts the body states in prose under a label.

Two kinds, both read from the sentences around the contract total:

* the parts a total breaks down into ("其中：A服务费为人民币X元，包括：B费为人民币Y元；
  …（2）C费用为人民币Z元") are subtotals, nested ones included, in document order;
* a cap stated on an amount ("结算金额不得超过X元") is kept as a labelled statement, so
  that the cross-checks can compare two statements of the same cap
  (`restated_amount`).

Words live in extractors/vocab/amounts.toml.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional

import regex

from extractors.common import doc_lines, sentences
from extractors.lexicon import alternation, load
from extractors.statements import Statement
from extractors.values.numbers import as_float, money_end, money_value
from pipeline.document import ContractDoc, Line, Span
from pipeline.resolve import close
from schemas import Subtotal

LABEL_NOISE = regex.compile(r"^(?:\s|[(（]\s*[\d一二三四五六七八九十]+\s*[)）]|[\d一二三四五六七八九十]+\s*[、.．]|[:：,，;；])+")
SPACES = regex.compile(r"\s+")
MIN_SHARED_LABEL_CHARS = 4
#: A line that opens the next clause item ("2、", "第二条", "第3次"): the breakdown ended before it.
#: A list item's marker opening a line ("1.", "2、", "（3）").
ITEM_MARKER = regex.compile(r"^\s*(?:\d{1,2}\s*[、.．)）](?!\d)|[(（]\s*[\d一二三四五六七八九十]{1,2}\s*[)）])\s*")
#: An item's heading before its colon ("云主机服务：…").
ITEM_HEADING = regex.compile(r"^(?P<h>[^，,。；;：:\d]{2,30})[:：]")
NEXT_ITEM = regex.compile(r"^\s*(?:\d+\s*[、.．](?!\d)|第\s*[\d一二三四五六七八九十]+\s*[条章次])")


@dataclass(frozen=True)
class LabelledAmount:
    """A figure the body states under a label ("结算金额不得超过" 26000.00 元)."""

    label: str
    statement: Statement

    @property
    def key(self) -> str:
        return SPACES.sub("", self.label)

    def same_label(self, other: "LabelledAmount") -> bool:
        """One label ends with the other ("但结算费用总额" and "结算费用总额"), and it names an amount."""
        short, long = sorted((self.key, other.key), key=len)
        return (len(short) >= MIN_SHARED_LABEL_CHARS and long.endswith(short)
                and any(noun in short for noun in load("amounts")["fee_nouns"]))


@lru_cache(maxsize=None)
def patterns() -> dict[str, regex.Pattern]:
    spec = load("amounts")
    money = r"(?:人民币|RMB)?\s*[¥￥]?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<wan>万)?\s*元"
    return {
        "part": regex.compile(
            r"(?P<label>[^，,。；;：:（(）)]{2,40}?(?:" + alternation(spec["fee_nouns"]) + r"))\s*"
            r"(?:" + alternation(spec["links"]) + r")\s*" + money),
        "cap": regex.compile(
            r"(?P<label>[^，,。；;：:（()）]{2,24}?)\s*(?:" + alternation(spec["cap_words"]) + r")\s*" + money),
        "cue": regex.compile(alternation(spec["breakdown_cues"])),
        "not_part": regex.compile(alternation(spec["not_parts"])),
        "summing_cue": regex.compile(alternation(spec["summing_cues"])),
    }


def extract(doc: ContractDoc) -> ContractDoc:
    parts = breakdown_parts(doc) or summed_items(doc)
    if parts:
        add_subtotals(doc, parts)
    doc.statements.labelled_amounts = caps(doc)
    return doc


def breakdown_parts(doc: ContractDoc) -> list[LabelledAmount]:
    """The labelled parts stated after a breakdown cue in the lines around the contract total."""
    statements = doc.statements.totals
    if not statements:
        return []
    total = statements[0][0]
    lines = _lines_from(doc, total.span)
    region = doc.span(total.span.end, lines[-1].end) if lines else None
    cue = patterns()["cue"].search(region.text) if region is not None else None
    if cue is None:
        return []
    found: list[LabelledAmount] = []
    for match in patterns()["part"].finditer(region.text, pos=cue.end()):
        amount = labelled(region, match)
        if amount is not None and amount.statement.value != total.value:
            found.append(amount)
    return found if len(found) >= 2 else []


def summed_items(doc: ContractDoc) -> list[LabelledAmount]:
    """The fees of the list items a total sums up ("1. A服务：…该项费用为X元。" … "上述各项合计
    人民币…，即本合同总金额"): one labelled fee per item, in the run of items right above the
    total's sentence. Taken only when every item states one and they add up to the total."""
    statements = doc.statements.totals
    if not statements:
        return []
    total = statements[0][0]
    text = doc.text
    start = max(text.rfind(mark, 0, total.span.start) for mark in "。；;\n") + 1
    if not patterns()["summing_cue"].search(text[start:total.span.start]):
        return []
    items = items_above(doc, start)
    if len(items) < 2:
        return []
    found: list[LabelledAmount] = []
    for item in items:
        fees = [amount for amount in (labelled(item, m) for m in patterns()["part"].finditer(item.text))
                if amount is not None]
        if not fees:
            return []
        heading = ITEM_HEADING.match(ITEM_MARKER.sub("", item.text, count=1))
        label = " ".join(heading.group("h").split()) if heading else fees[-1].label
        found.append(LabelledAmount(label, fees[-1].statement))
    stated = sum((amount.statement.value for amount in found), Decimal(0))
    return found if close(stated, total.value) else []


def items_above(doc: ContractDoc, end: int) -> list[Span]:
    """The list items ("1. …", "（2）…") in a run right above offset `end` in its section: the
    item lines met going up, blank lines aside, until a line that is no item, a table row or
    the section's heading. The text of the line before `end` counts when it opens an item."""
    headings = {s.first_line for s in doc.sections}
    items: list[Span] = []
    for line in reversed([ln for ln in doc.lines if ln.start <= end]):
        if line.furniture:
            continue
        piece = doc.span(line.start, min(line.end, end))
        if not piece.text.strip():
            continue  # a blank line, or the total's own line when its sentence opens it
        if line.number in headings or (doc.rows and doc.rows[line.number] is not None):
            break
        if not ITEM_MARKER.match(piece.text):
            break
        items.append(piece)
    return items[::-1]


def _lines_from(doc: ContractDoc, span: Span) -> list[Line]:
    """The total's line and the few lines after it, up to the next clause item."""
    limit = load("amounts")["max_breakdown_lines"]
    lines = [ln for ln in doc.lines if ln.end >= span.start and not ln.furniture and ln.text.strip()][:limit]
    for n, line in enumerate(lines[1:], start=1):
        if NEXT_ITEM.match(line.text):
            return lines[:n]
    return lines


def labelled(line: Span, match: regex.Match) -> Optional[LabelledAmount]:
    label = " ".join(LABEL_NOISE.sub("", match.group("label")).split())
    if not label or patterns()["not_part"].search(label) or any(ch.isdigit() for ch in label):
        return None
    value = money_value(match)
    if value is None:
        return None
    span = line.sub(match.start("n"), money_end(match))
    return LabelledAmount(label, Statement(value, span, label))


def add_subtotals(doc: ContractDoc, parts: list[LabelledAmount]) -> None:
    """Append the parts not already stated as a table's subtotal (each table subtotal stands
    for one part; two parts of the same amount are both kept)."""
    known = Counter(Decimal(repr(s.amount)) for s in doc.record.subtotals if s.amount is not None)
    for part in parts:
        if known[part.statement.value]:
            known[part.statement.value] -= 1
            continue
        index = len(doc.record.subtotals)
        doc.record.subtotals.append(Subtotal(label=part.label, amount=as_float(part.statement.value)))
        doc.cite(f"subtotals[{index}].amount", part.statement.span)


def caps(doc: ContractDoc) -> list[LabelledAmount]:
    """Every cap the clauses state on an amount, in document order."""
    found = []
    for sentence in sentences(doc, doc_lines(doc, ("preamble", "clause"))):
        for match in patterns()["cap"].finditer(sentence.text):
            amount = labelled(sentence, match)
            if amount is not None:
                found.append(amount)
    return found
