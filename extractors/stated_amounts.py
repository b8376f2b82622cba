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
from schemas import Subtotal

LABEL_NOISE = regex.compile(r"^(?:\s|[(（]\s*[\d一二三四五六七八九十]+\s*[)）]|[\d一二三四五六七八九十]+\s*[、.．]|[:：,，;；])+")
SPACES = regex.compile(r"\s+")
MIN_SHARED_LABEL_CHARS = 4
#: A line that opens the next clause item ("2、", "第二条", "第3次"): the breakdown ended before it.
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
        """One label ends with the other ("但最终结算金额" and "最终结算金额"), and it names an amount."""
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
    }


def extract(doc: ContractDoc) -> ContractDoc:
    parts = breakdown_parts(doc)
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
    """Append the parts not already stated as a table's subtotal."""
    known = {Decimal(repr(s.amount)) for s in doc.record.subtotals if s.amount is not None}
    for part in parts:
        if part.statement.value in known:
            continue
        index = len(doc.record.subtotals)
        doc.record.subtotals.append(Subtotal(label=part.label, amount=as_float(part.statement.value)))
        doc.cite(f"subtotals[{index}].amount", part.statement.span)
        known.add(part.statement.value)


def caps(doc: ContractDoc) -> list[LabelledAmount]:
    """Every cap the clauses state on an amount, in document order."""
    found = []
    for sentence in sentences(doc, doc_lines(doc, ("preamble", "clause"))):
        for match in patterns()["cap"].finditer(sentence.text):
            amount = labelled(sentence, match)
            if amount is not None:
                found.append(amount)
    return found
