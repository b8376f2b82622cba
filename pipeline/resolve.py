"""The resolver: which reading of the document's figures makes them agree.

A figure often admits several readings: a percent may be taken of the contract
total, of the total before tax or of one part of it; a row's periods may be the
months of its table, of the term, or one year; a later sum may restate the total
or state one of its parts. The extractors propose what they read; before a check
calls two statements contradictory, it asks the resolver whether some plausible
reading reconciles them. Only when none does is the disagreement an error; when
one does, the reading is logged (`doc.resolutions`, shown by `contracts explain`)
and no error is raised.

Each function here is "given the document's figures, return the readings":
small, pure, and shared by the checks.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Iterable, Optional

from extractors.lexicon import load
from pipeline.document import ContractDoc, Span

#: Subsets of subtotals tried as the base of a percent or as the parts of a total.
MAX_SUBSET_ITEMS = 12
#: Below this OCR confidence a figure is not trusted enough to call it contradictory.
LOW_CONFIDENCE = 0.80
SUM_TOLERANCE = Decimal("0.011")
#: How far an installment may be from its percent of the total (its rounding to the cent).
PERCENT_TOLERANCE = Decimal("0.01")
SENTENCE_BOUNDS = ("。", "；", ";", "\n")
#: A figure misread by a factor of 万: in 万元 where 元 was meant, or the other way round.
SCALES = (Decimal(10000), Decimal(1) / Decimal(10000))
#: A figure and its readings: as written, in 万元, or in 元 where the other is in 万元.
SCALE_READINGS = ((Decimal(1), ""), (SCALES[0], " read in 万元"), (SCALES[1], " in 元"))


@dataclass(frozen=True)
class Resolution:
    """A reading the resolver chose because under it the figures agree."""

    subject: str
    reading: str
    value: Optional[float] = None


def dec(value: Optional[float]) -> Optional[Decimal]:
    return None if value is None else Decimal(repr(value))


def close(a: Decimal, b: Decimal, tolerance: Decimal = SUM_TOLERANCE) -> bool:
    return abs(a - b) <= tolerance


def subset_sums(values: list[Decimal], minimum: int = 2) -> list[tuple[Decimal, tuple[int, ...]]]:
    """Every sum of `minimum` or more of the values, with the indices it adds."""
    if len(values) > MAX_SUBSET_ITEMS:
        return [(sum(values, Decimal(0)), tuple(range(len(values))))]
    found = []
    for size in range(minimum, len(values) + 1):
        for chosen in combinations(range(len(values)), size):
            found.append((sum((values[i] for i in chosen), Decimal(0)), chosen))
    return found


def subtotal_values(doc: ContractDoc) -> list[Decimal]:
    return [v for v in (dec(s.amount) for s in doc.record.subtotals) if v is not None]


def stated_bases(doc: ContractDoc) -> list[tuple[str, Decimal]]:
    """Amounts the document states that a percent may be a share of, named."""
    meta = doc.record.contract
    bases: list[tuple[str, Decimal]] = []
    for name, value in (("the contract total", dec(meta.total_amount)),
                        ("the amount before tax", dec(meta.amount_excl_tax))):
        if value is not None:
            bases.append((name, value))
    subtotals = subtotal_values(doc)
    bases += [(f"subtotals[{i}]", v) for i, v in enumerate(subtotals)]
    bases += [("subtotals " + "+".join(map(str, chosen)), v) for v, chosen in subset_sums(subtotals)]
    total = bases[0][1] if bases and bases[0][0] == "the contract total" else None
    if total is not None:
        bases += [(f"the contract total less payments[{k}]", total - a)
                  for k, a in enumerate(dec(p.amount) for p in doc.record.payments) if a is not None]
    bases += [(amount.label, amount.statement.value) for amount in doc.statements.labelled_amounts]
    return bases


def stated_as(doc: ContractDoc, value: Decimal, tolerance: Decimal = SUM_TOLERANCE) -> Optional[str]:
    """The name of a stated amount equal to `value` (a part, the total before tax …), if any."""
    return next((name for name, base in stated_bases(doc) if close(base, value, tolerance)), None)


def base_of_percent(doc: ContractDoc, percent: Decimal, amount: Decimal,
                    tolerance: Decimal) -> Optional[str]:
    """The stated amount that `percent` of gives `amount`, if any; also a base read in 万元
    where the installment is in 元 (or the other way round)."""
    for name, base in stated_bases(doc):
        for scale, unit in SCALE_READINGS:
            if abs(base * scale * percent - amount) <= tolerance:
                return name + unit
    return None


def parts_reconcile(values: list[Decimal], total: Decimal) -> bool:
    """Whether some of the stated parts add up to the total (nested parts leave the others out)."""
    return any(close(s, total) for s, _ in subset_sums(values))


def period_readings(periods: Decimal, term: Optional[int]) -> list[Decimal]:
    """Periods a row may bill besides the ones read: one year, twelve months, the term."""
    found = [Decimal(1), Decimal(12)]
    if term:
        found += [Decimal(term), Decimal(term) / 12]
    return [p for p in found if p != periods]


def sentence_around(span: Span) -> str:
    """The text of the sentence that holds a span (between the nearest 。；; or line breaks)."""
    text = span.doc.text
    start = max(text.rfind(mark, 0, span.start) for mark in SENTENCE_BOUNDS) + 1
    ends = [i for i in (text.find(mark, span.end) for mark in SENTENCE_BOUNDS) if i >= 0]
    return text[start:min(ends) if ends else len(text)]


def states_another_amount(span: Span) -> bool:
    """Whether the sentence stating a figure is about a budget, a ceiling price or a deposit."""
    sentence = sentence_around(span)
    return any(word in sentence for word in load("amounts")["other_amounts"])


def low_confidence(doc: ContractDoc, paths: Iterable[str]) -> Optional[str]:
    """The first cited value read with low OCR confidence, described, or None."""
    for path in paths:
        evidence = doc.evidence.get(path)
        if evidence is not None and evidence.confidence is not None and evidence.confidence < LOW_CONFIDENCE:
            return f"{path} was read with OCR confidence {evidence.confidence:.2f}"
    return None


def ocr_read(doc: ContractDoc, paths: Iterable[str]) -> bool:
    """Whether any of the values at `paths` was read by OCR (its evidence has a confidence)."""
    return any(getattr(doc.evidence.get(path), "confidence", None) is not None for path in paths)


def resolved(doc: ContractDoc, subject: str, reading: str, value: Optional[Decimal] = None) -> None:
    doc.resolutions.append(Resolution(subject, reading, None if value is None else float(value)))


def arithmetic_support(doc: ContractDoc, value: Decimal) -> int:
    """How many of the document's own sums bear out `value` as its total: the rows' sum, the
    installments' sum, and each installment that is its stated percent of `value`."""
    record = doc.record
    support = 0
    for amounts in ([dec(item.amount) for item in record.line_items], [dec(p.amount) for p in record.payments]):
        if amounts and None not in amounts and close(sum(amounts, Decimal(0)), value):
            support += 1
    for payment in record.payments:
        percent, amount = dec(payment.percent), dec(payment.amount)
        if percent and amount is not None and abs(value * percent - amount) <= PERCENT_TOLERANCE:
            support += 1
    return support


def borne_out_total(doc: ContractDoc) -> Optional[int]:
    """The index in `doc.statements.totals` of a later statement of the total that the
    document's arithmetic bears out better than the one the record took, if any (a tie keeps
    the record's)."""
    statements = doc.statements.totals
    if len(statements) < 2:
        return None
    support = [arithmetic_support(doc, figure.value) for figure, _ in statements]
    best = max(range(len(statements)), key=lambda k: (support[k], k == 0))
    return best if best != 0 else None
