"""Stage 5, cross-checks: every check code of SCHEMA.md over the extracted record.

Each check compares two statements of the document and, when they disagree,
adds a `Finding` with both values and cites where each was stated. A product
within the rounding of its inputs (a unit price rounded to 0.01 times the
quantity and periods) is a warning, never an error.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterable, Optional

from extractors.common import Statement
from extractors.values.dates import months_between
from extractors.values.numbers import as_float, decimals
from pipeline.document import ContractDoc
from schemas import Finding

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
SUM_TOLERANCE = Decimal("0.011")
RATE_TOLERANCE = Decimal("0.001")


def run_checks(doc: ContractDoc) -> ContractDoc:
    doc.record.findings = []
    for check in CHECKS:
        check(doc)
    return doc


def add(doc: ContractDoc, check: str, subject: str, expected, found, severity: str = "error",
        evidence: Iterable[str] = ()) -> None:
    index = len(doc.record.findings)
    doc.record.findings.append(Finding(
        check=check, subject=subject, severity=severity,
        expected=as_float(expected) if isinstance(expected, Decimal) else expected,
        found=as_float(found) if isinstance(found, Decimal) else found))
    for n, path in enumerate(evidence):
        if path in doc.evidence:
            doc.evidence[f"findings[{index}].evidence[{n}]"] = doc.evidence[path]


def dec(value: Optional[float]) -> Optional[Decimal]:
    return None if value is None else Decimal(repr(value))


def half_unit(value: Decimal) -> Decimal:
    """Half of the last written digit: the rounding a figure may carry."""
    return Decimal(5) * Decimal(10) ** -(decimals(value) + 1)


def check_line_amounts(doc: ContractDoc) -> None:
    for i, item in enumerate(doc.record.line_items):
        price, quantity, periods, amount = (dec(item.unit_price), dec(item.quantity),
                                            dec(item.periods), dec(item.amount))
        if None in (price, quantity, amount) or periods is None:
            continue
        expected = price * quantity * periods
        diff = abs(expected - amount)
        if diff <= HALF_CENT:
            continue
        counted = quantity == quantity.to_integral_value()  # a whole quantity is a count, exact
        rounding = (half_unit(price) * quantity * periods
                    + (0 if counted else half_unit(quantity) * price * periods) + HALF_CENT)
        severity = "warning" if diff <= rounding else "error"
        add(doc, "line_amount", f"line_items[{i}]", expected.quantize(CENT), amount, severity,
            [f"line_items[{i}].unit_price", f"line_items[{i}].quantity", f"line_items[{i}].amount"])


def _sum_rows(doc: ContractDoc, start: int, end: int) -> Optional[Decimal]:
    amounts = [dec(item.amount) for item in doc.record.line_items[start:end]]
    if not amounts or any(a is None for a in amounts):
        return None
    return sum(amounts, Decimal(0))


def check_items_totals(doc: ContractDoc) -> None:
    for j, (start, end) in enumerate(doc.facts.get("subtotal_covers", [])):
        stated = dec(doc.record.subtotals[j].amount)
        total = _sum_rows(doc, start, end)
        if stated is not None and total is not None and abs(total - stated) > SUM_TOLERANCE:
            add(doc, "items_total", f"subtotals[{j}]", total, stated,
                evidence=[f"subtotals[{j}].amount"])
    items = doc.record.line_items
    if not items or doc.record.subtotals:
        return
    total = _sum_rows(doc, 0, len(items))
    stated = table_or_contract_total(doc)
    if total is not None and stated is not None and abs(total - stated) > SUM_TOLERANCE:
        add(doc, "items_total", "contract.total_amount", total, stated, evidence=["contract.total_amount"])


def table_or_contract_total(doc: ContractDoc) -> Optional[Decimal]:
    tables: list[Statement] = doc.facts.get("table_totals", [])
    if tables:
        return tables[-1].value
    return dec(doc.record.contract.total_amount)


def check_subtotals_total(doc: ContractDoc) -> None:
    subtotals = [dec(s.amount) for s in doc.record.subtotals]
    stated = table_or_contract_total(doc)
    if any(f.check == "items_total" and f.subject.startswith("subtotals") for f in doc.record.findings):
        return
    if len(subtotals) < 2 or stated is None or any(s is None for s in subtotals):
        return
    total = sum(subtotals, Decimal(0))
    if abs(total - stated) > SUM_TOLERANCE:
        add(doc, "subtotals_total", "contract.total_amount", total, stated,
            evidence=[f"subtotals[{j}].amount" for j in range(len(subtotals))])


def check_amounts_in_words(doc: ContractDoc) -> None:
    words: Optional[Statement] = doc.facts.get("total_in_words")
    total = dec(doc.record.contract.total_amount)
    statements = doc.facts.get("total_statements", [])
    figure = statements[0][0].value if statements else total
    if words is not None and figure is not None and abs(words.value - figure) > HALF_CENT:
        add(doc, "amount_in_words", "contract.total_amount_in_words", figure, words.value,
            evidence=["contract.total_amount", "contract.total_amount_in_words"])
    for k, found in enumerate(doc.facts.get("payment_statements", [])):
        amount, spelled = found.get("amount"), found.get("words")
        if amount is None or spelled is None or amount is spelled:
            continue
        if abs(amount.value - spelled.value) > HALF_CENT:
            add(doc, "amount_in_words", f"payments[{k}].amount_in_words", amount.value, spelled.value,
                evidence=[f"payments[{k}].amount", f"payments[{k}].amount_in_words"])


def check_payments(doc: ContractDoc) -> None:
    payments = doc.record.payments
    total = dec(doc.record.contract.total_amount)
    if total is None:
        return
    for k, payment in enumerate(payments):
        percent, amount = dec(payment.percent), dec(payment.amount)
        if percent is None or amount is None:
            continue
        expected = total * percent
        diff = abs(expected - amount)
        if diff > HALF_CENT + half_unit(amount):
            add(doc, "payment_percent", f"payments[{k}].amount", expected.quantize(CENT), amount,
                evidence=[f"payments[{k}].percent", f"payments[{k}].amount", "contract.total_amount"])
    amounts = [dec(p.amount) for p in payments]
    if not amounts or any(a is None for a in amounts):
        return
    if any(found.get("recurring") for found in doc.facts.get("payment_statements", [])):
        return  # paid every month, quarter or year: the stated installments are not the whole
    if len(amounts) == 1 and payments[0].percent is not None:
        return
    percents = [dec(p.percent) for p in payments if p.percent is not None]
    if percents and abs(sum(percents, Decimal(0)) - 1) > RATE_TOLERANCE:
        return
    paid = sum(amounts, Decimal(0))
    if abs(paid - total) > SUM_TOLERANCE * len(amounts):
        add(doc, "payments_total", "payments", total, paid,
            evidence=["contract.total_amount"] + [f"payments[{k}].amount" for k in range(len(payments))])


def check_tax(doc: ContractDoc) -> None:
    meta = doc.record.contract
    total, rate, excl = dec(meta.total_amount), dec(meta.tax_rate), dec(meta.amount_excl_tax)
    if None in (total, rate, excl):
        return
    expected = total / (1 + rate)
    if abs(expected - excl) > CENT:
        add(doc, "tax", "contract.amount_excl_tax", expected.quantize(CENT), excl,
            evidence=["contract.total_amount", "contract.tax_rate", "contract.amount_excl_tax"])


def check_restated_amounts(doc: ContractDoc) -> None:
    statements: list[Statement] = [s for s, _ in doc.facts.get("total_statements", [])]
    statements += doc.facts.get("table_totals", [])
    if not statements:
        return
    first = statements[0]
    reported: set[Decimal] = set()
    for later in statements[1:]:
        if abs(later.value - first.value) > HALF_CENT and later.value not in reported:
            reported.add(later.value)
            add(doc, "restated_amount", "contract.total_amount", first.value, later.value,
                evidence=["contract.total_amount"])


def check_restated_quantities(doc: ContractDoc) -> None:
    for index, statement in doc.facts.get("restated_quantities", []):
        item = doc.record.line_items[index]
        table = dec(item.normalized.quantity)
        if table is None:
            continue
        if abs(statement.value - table) > HALF_CENT:
            first, later = ((statement.value, table) if statement.span.start < _item_start(doc, index)
                            else (table, statement.value))
            add(doc, "restated_quantity", f"line_items[{index}].quantity", first, later,
                evidence=[f"line_items[{index}].quantity"])


def _item_start(doc: ContractDoc, index: int) -> int:
    evidence = doc.evidence.get(f"line_items[{index}].quantity")
    return evidence.start if evidence else 0


def check_term(doc: ContractDoc) -> None:
    meta = doc.record.contract
    stated = doc.facts.get("term_statement")
    if not (meta.start_date and meta.end_date and stated):
        return
    from datetime import date
    months = months_between(date.fromisoformat(meta.start_date), date.fromisoformat(meta.end_date))
    if months != stated[0]:
        add(doc, "term", "contract.term_months", months, stated[0],
            evidence=["contract.start_date", "contract.end_date", "contract.term_months"])


CHECKS: list[Callable[[ContractDoc], None]] = [
    check_line_amounts, check_items_totals, check_subtotals_total, check_amounts_in_words,
    check_payments, check_tax, check_restated_amounts, check_restated_quantities, check_term,
]
