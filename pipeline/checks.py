"""Stage 5, cross-checks: every check code of SCHEMA.md over the extracted record.

Each check compares two statements of the document. Before calling them
contradictory it asks the resolver (`pipeline.resolve`) whether a plausible
reading of the figures reconciles them (a percent of a part rather than of the
total, nested subtotals, a later sum that states a part); only when none does is
the disagreement an `error`. A product within the rounding of its inputs, and a
disagreement that rests on a value OCR read with low confidence, is a `warning`
with its reason in the document's warnings. Every finding cites the statements
it compares.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Callable, Iterable, Optional

from extractors.common import as_written
from extractors.statements import Statement
from extractors.values.dates import months_between
from extractors.values.numbers import DECIMAL_SHIFTS, as_float, decimals
from pipeline.document import ContractDoc, Span
from pipeline.resolve import (SCALES, SUM_TOLERANCE, base_of_percent, borne_out_total, close, dec, low_confidence,
                              ocr_read, parts_reconcile,
                              period_readings, resolved, stated_as, states_another_amount,
                              subtotal_values)
from schemas import Finding

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
RATE_TOLERANCE = Decimal("0.001")


def run_checks(doc: ContractDoc) -> ContractDoc:
    doc.record.findings = []
    settle_total(doc)
    for check in CHECKS:
        check(doc)
    return doc


def settle_total(doc: ContractDoc) -> None:
    """Take as the record's total the statement of it that the rows and installments bear out,
    when it is not the one the extractor took; the others stay statements to compare."""
    best = borne_out_total(doc)
    if best is None:
        return
    statements = doc.statements.totals
    figure, words = statements[best]
    doc.statements.totals = [statements[best]] + [s for k, s in enumerate(statements) if k != best]
    meta = doc.record.contract
    meta.total_amount = as_float(figure.value)
    doc.cite("contract.total_amount", figure.span)
    meta.total_amount_in_words = as_written(words.span) if words is not None else None
    doc.evidence.pop("contract.total_amount_in_words", None)
    if words is not None:
        doc.cite("contract.total_amount_in_words", words.span)
    doc.statements.total_in_words = words
    resolved(doc, "contract.total_amount", f"the rows and installments bear out {figure.value}", figure.value)


def add(doc: ContractDoc, check: str, subject: str, expected, found, severity: str = "error",
        evidence: Iterable[str] = (), spans: Iterable[Span] = ()) -> None:
    """Record a finding citing the record values at `evidence` and the source `spans`.

    An error resting on a value read with low OCR confidence becomes a warning."""
    evidence = list(evidence)
    doubt = low_confidence(doc, evidence) if severity == "error" else None
    if doubt is not None:
        severity = "warning"
        doc.warn(f"{check} on {subject} is only a warning: {doubt}")
    index = len(doc.record.findings)
    doc.record.findings.append(Finding(
        check=check, subject=subject, severity=severity,
        expected=as_float(expected) if isinstance(expected, Decimal) else expected,
        found=as_float(found) if isinstance(found, Decimal) else found))
    n = 0
    for path in evidence:
        if path in doc.evidence:
            doc.evidence[f"findings[{index}].evidence[{n}]"] = doc.evidence[path]
            n += 1
    for span in spans:
        doc.cite(f"findings[{index}].evidence[{n}]", span)
        n += 1


def half_unit(value: Decimal) -> Decimal:
    """Half of the last written digit: the rounding a figure may carry."""
    return Decimal(5) * Decimal(10) ** -(decimals(value) + 1)


def check_line_amounts(doc: ContractDoc) -> None:
    term = doc.record.contract.term_months
    for i, item in enumerate(doc.record.line_items):
        price, quantity, periods, amount = (dec(item.unit_price), dec(item.quantity),
                                            dec(item.periods), dec(item.amount))
        if None in (price, quantity, amount) or periods is None:
            continue
        expected = price * quantity * periods
        diff = abs(expected - amount)
        if diff <= HALF_CENT:
            continue
        subject = f"line_items[{i}]"
        counted = quantity == quantity.to_integral_value()  # a whole quantity is a count, exact
        rounding = (half_unit(price) * quantity * periods
                    + (0 if counted else half_unit(quantity) * price * periods) + HALF_CENT)
        if diff > rounding and line_reading(doc, subject, price * quantity, periods, amount, term):
            continue
        severity = "warning" if diff <= rounding or misread(doc, i, expected, amount) else "error"
        add(doc, "line_amount", subject, expected.quantize(CENT), amount, severity,
            [f"{subject}.unit_price", f"{subject}.quantity", f"{subject}.periods", f"{subject}.amount"])


def misread(doc: ContractDoc, index: int, expected: Decimal, amount: Decimal) -> bool:
    """Whether a row's disagreement is better explained by a misreading of its OCR'd
    figures than by the document: the product and the amount differ by exactly a
    power of ten (a decimal point or zeros lost), or the body restates a quantity
    under which the row agrees. The reason goes to the warnings."""
    subject = f"line_items[{index}]"
    if not ocr_read(doc, [f"{subject}.unit_price", f"{subject}.quantity"]) or not amount or not expected:
        return False
    shift = decimal_shift(expected, amount)
    if shift:
        doc.warn(f"line_amount on {subject} is only a warning: price × quantity × periods and the amount "
                 f"differ by exactly ×{shift:f}, as when OCR loses a decimal point or zeros")
        return True
    restated = agreeing_restatement(doc, index)
    if restated is not None:
        doc.warn(f"line_amount on {subject} is only a warning: the body restates the quantity as "
                 f"{restated.value.normalize():f}, under which the row agrees; the table's quantity is likely misread")
        return True
    return False


def decimal_shift(a: Optional[Decimal], b: Optional[Decimal]) -> Optional[Decimal]:
    """The power of ten (10, 100 or 1000) by which two figures differ exactly, if they do."""
    if not a or not b:
        return None
    ratio = (max(a, b) / min(a, b)).normalize()
    return ratio if ratio in DECIMAL_SHIFTS else None


def agreeing_restatement(doc: ContractDoc, index: int) -> Optional[Statement]:
    """A restatement of row `index`'s quantity in the body under which the row's own
    arithmetic agrees, when the table's quantity was read by OCR and does not."""
    item = doc.record.line_items[index]
    price, quantity, periods, amount = dec(item.unit_price), dec(item.quantity), dec(item.periods), dec(item.amount)
    normalized = dec(item.normalized.quantity) if item.normalized else None
    if None in (price, quantity, periods, amount, normalized) or not quantity or not normalized:
        return None
    if not ocr_read(doc, [f"line_items[{index}].quantity"]):
        return None
    for at, statement in doc.statements.restated_quantities:
        if at == index and abs(price * statement.value * quantity / normalized * periods - amount) <= HALF_CENT:
            return statement
    return None


def line_reading(doc: ContractDoc, subject: str, product: Decimal, periods: Decimal, amount: Decimal,
                 term: Optional[int]) -> bool:
    """Whether the row's figures agree under other periods or in 万元 (a misreading, not a
    contradiction). Periods a cell or note states are taken as read, but for a yearly price
    read as monthly (12 months are one year)."""
    evidence = doc.evidence.get(f"{subject}.periods")
    stated = evidence is not None and evidence.note is None
    others = [periods / 12] if stated else period_readings(periods, term)
    for other in others:
        if abs(product * other - amount) <= max(CENT, amount / 10000):
            resolved(doc, subject, f"the figures agree over {other} periods, not {periods}", other)
            doc.warn(f"{subject}: the amount agrees with {other} periods, not the {periods} read")
            return True
    for scale in SCALES:
        if abs(product * periods * scale - amount) <= max(CENT, amount / 10000):
            resolved(doc, subject, f"the figures agree with one of them in 万元 (×{scale})")
            return True
    return False


def _sum_rows(doc: ContractDoc, start: int, end: int) -> Optional[Decimal]:
    amounts = [dec(item.amount) for item in doc.record.line_items[start:end]]
    if not amounts or any(a is None for a in amounts):
        return None
    return sum(amounts, Decimal(0))


def doubtful_rows_explain(doc: ContractDoc, start: int, end: int, stated: Decimal) -> bool:
    """Whether rows start..end add up to `stated` once each row whose amount disagrees
    with its own price × quantity × periods is taken at that product, and each such
    disagreement is itself only a warning (a figure of the row read with low OCR
    confidence): then the total's disagreement rests on the same doubtful reading."""
    own = {f.subject: f for f in doc.record.findings if f.check == "line_amount"}
    rows = [f"line_items[{i}]" for i in range(start, end) if f"line_items[{i}]" in own]
    if not rows or any(own[row].severity != "warning" for row in rows):
        return False
    amounts = [dec(own[f"line_items[{i}]"].expected) if f"line_items[{i}]" in own else dec(item.amount)
               for i, item in enumerate(doc.record.line_items[start:end], start)]
    return all(a is not None for a in amounts) and close(sum(amounts, Decimal(0)), stated)


def sum_severity(doc: ContractDoc, start: int, end: int, stated: Decimal, subject: str) -> str:
    """A sum over rows start..end that disagrees is a warning when a row there that
    states an amount could not be read, when it counts a row OCR read off by a power
    of ten (a line_amount warning of `misread`), or when doubtful readings explain it."""
    unread = [span for position, span in doc.statements.unread_rows if start <= position <= end]
    if unread:
        doc.warn(f"items_total on {subject} is only a warning: a row of the table was not read "
                 f"({unread[0].text.strip()[:40]})")
        return "warning"
    own = {f.subject: f for f in doc.record.findings if f.check == "line_amount" and f.severity == "warning"}
    shifted = [row for row in (f"line_items[{i}]" for i in range(start, end))
               if row in own and decimal_shift(dec(own[row].expected), dec(own[row].found))]
    if shifted:
        doc.warn(f"items_total on {subject} is only a warning: it counts {shifted[0]}, whose figures "
                 f"OCR read off by a power of ten")
        return "warning"
    return "warning" if doubtful_rows_explain(doc, start, end, stated) else "error"


def check_items_totals(doc: ContractDoc) -> None:
    for j, (start, end) in enumerate(doc.statements.subtotal_covers):
        stated = dec(doc.record.subtotals[j].amount)
        total = _sum_rows(doc, start, end)
        if stated is not None and total is not None and not close(total, stated):
            add(doc, "items_total", f"subtotals[{j}]", total, stated,
                sum_severity(doc, start, end, stated, f"subtotals[{j}]"),
                evidence=[f"subtotals[{j}].amount"] + [f"line_items[{i}].amount" for i in range(start, end)])
    items = doc.record.line_items
    if not items or doc.statements.subtotal_covers:
        return
    if doc.statements.table_totals:
        check_table_totals(doc)
        return
    total = _sum_rows(doc, 0, len(items))
    stated = dec(doc.record.contract.total_amount)
    if total is None or stated is None or close(total, stated):
        return
    if adds_up_elsewhere(doc, "line_items", "the rows", total):
        return
    add(doc, "items_total", "contract.total_amount", total, stated,
        sum_severity(doc, 0, len(items), stated, "contract.total_amount"),
        evidence=["contract.total_amount"] + [f"line_items[{i}].amount" for i in range(len(items))])


def adds_up_elsewhere(doc: ContractDoc, subject: str, what: str, value: Decimal,
                      tolerance: Decimal = SUM_TOLERANCE) -> bool:
    """Whether a sum the document's figures give equals another stated amount (the total before
    tax, a part): it adds up to that, not to the total it was compared with; the reading is logged."""
    other = stated_as(doc, value, tolerance)
    if other is not None:
        resolved(doc, subject, f"{what} add up to {other}, not to the total", value)
    return other is not None


def check_table_totals(doc: ContractDoc) -> None:
    """Each table's sum line against the rows it closes: its own table's, or every row above it
    (a grand total under the last of several tables)."""
    for statement, (start, end) in zip(doc.statements.table_totals, doc.statements.total_covers):
        own, above = _sum_rows(doc, start, end), _sum_rows(doc, 0, end)
        if own is None or close(own, statement.value) or (above is not None and close(above, statement.value)):
            continue
        add(doc, "items_total", "contract.total_amount", own, statement.value,
            sum_severity(doc, start, end, statement.value, "contract.total_amount"),
            evidence=[f"line_items[{i}].amount" for i in range(start, end)], spans=[statement.span])


def covers_a_part(doc: ContractDoc, statement: Statement) -> bool:
    """Whether a table total adds up only its own table's rows, fewer than the document's."""
    for table_total, (start, end) in zip(doc.statements.table_totals, doc.statements.total_covers):
        if table_total is statement:
            own = _sum_rows(doc, start, end)
            return own is not None and close(own, statement.value) and end - start < len(doc.record.line_items)
    return False


def table_or_contract_total(doc: ContractDoc) -> Optional[Decimal]:
    tables: list[Statement] = doc.statements.table_totals
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
    if close(total, stated):
        return
    if parts_reconcile(subtotals, stated):
        resolved(doc, "subtotals", "some subtotals are parts of others: a subset adds up to the total", stated)
        return
    parts = [f"subtotals[{j}].amount" for j in range(len(subtotals))]
    tables: list[Statement] = doc.statements.table_totals
    if tables:  # the total compared is the last table's total line, not always where the total was read
        add(doc, "subtotals_total", "contract.total_amount", total, stated, evidence=parts, spans=[tables[-1].span])
        return
    add(doc, "subtotals_total", "contract.total_amount", total, stated, evidence=["contract.total_amount"] + parts)


def check_amounts_in_words(doc: ContractDoc) -> None:
    words: Optional[Statement] = doc.statements.total_in_words
    total = dec(doc.record.contract.total_amount)
    statements = doc.statements.totals
    figure = statements[0][0] if statements else None
    value = figure.value if figure is not None else total
    if words is not None and value is not None and abs(words.value - value) > HALF_CENT:
        other = stated_as(doc, words.value, HALF_CENT)
        if other is not None:
            resolved(doc, "contract.total_amount_in_words", f"the 大写 spells {other}, not the total")
            doc.warn(f"the 大写 read beside the total spells {other}; it may belong to that figure")
            return
        add(doc, "amount_in_words", "contract.total_amount_in_words", value, words.value,
            evidence=["contract.total_amount", "contract.total_amount_in_words"])
    for k, found in enumerate(doc.statements.payments):
        amount, spelled = found.amount, found.words
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
    statements = doc.statements.payments
    of_part = False
    for k, payment in enumerate(payments):
        percent, amount = dec(payment.percent), dec(payment.amount)
        if percent is None or amount is None:
            continue
        tolerance = HALF_CENT + half_unit(amount)
        if abs(total * percent - amount) <= tolerance:
            continue
        subject = f"payments[{k}].amount"
        base = base_of_percent(doc, percent, amount, tolerance)
        of_part = True
        if base is not None:
            resolved(doc, subject, f"the percent is a share of {base}")
            continue
        stated_base = statements[k].base if k < len(statements) else None
        severity = "error" if stated_base in (None, "contract_total") else "warning"
        if severity == "warning":
            doc.warn(f"{subject}: a share of a base the document does not state as a figure ({stated_base})")
        add(doc, "payment_percent", subject, (total * percent).quantize(CENT), amount, severity,
            evidence=[f"payments[{k}].percent", f"payments[{k}].amount", "contract.total_amount"])
    check_payments_total(doc, total, of_part)


def check_payments_total(doc: ContractDoc, total: Decimal, of_part: bool) -> None:
    """Fixed installments that split the whole total add up to it."""
    payments = doc.record.payments
    amounts = [dec(p.amount) for p in payments]
    if of_part or not amounts or any(a is None for a in amounts):
        return
    if any(found.recurring for found in doc.statements.payments):
        return  # paid every month, quarter or year: the stated installments are not the whole
    if len(amounts) == 1 and payments[0].percent is not None:
        return
    percents = [dec(p.percent) for p in payments if p.percent is not None]
    if percents and abs(sum(percents, Decimal(0)) - 1) > RATE_TOLERANCE:
        return
    paid = sum(amounts, Decimal(0))
    if abs(paid - total) <= SUM_TOLERANCE * len(amounts):
        return
    if adds_up_elsewhere(doc, "payments", "the installments", paid, SUM_TOLERANCE * len(amounts)):
        return
    add(doc, "payments_total", "payments", total, paid,
        evidence=["contract.total_amount"] + [f"payments[{k}].amount" for k in range(len(payments))])


def check_tax(doc: ContractDoc) -> None:
    meta = doc.record.contract
    total, rate, excl = dec(meta.total_amount), dec(meta.tax_rate), dec(meta.amount_excl_tax)
    if None in (total, rate, excl):
        return
    expected = total / (1 + rate)
    if abs(expected - excl) <= CENT:
        return
    add(doc, "tax", "contract.amount_excl_tax", expected.quantize(CENT), excl,
        evidence=["contract.total_amount", "contract.tax_rate", "contract.amount_excl_tax"])


def part_values(doc: ContractDoc) -> set[Decimal]:
    """Figures that state a part of the total rather than the total itself."""
    record = doc.record
    values = set(subtotal_values(doc))
    values |= {v for v in (dec(i.amount) for i in record.line_items) if v is not None}
    excl = dec(record.contract.amount_excl_tax)
    if excl is not None:
        values.add(excl)
    return values


def check_restated_amounts(doc: ContractDoc) -> None:
    statements: list[Statement] = sorted((s for s, _ in doc.statements.totals), key=lambda s: s.span.start)
    statements += doc.statements.table_totals
    statements = [s for s in statements if not states_another_amount(s.span)]
    if statements:
        first = statements[0]
        parts = part_values(doc)
        reported: set[Decimal] = set()
        for later in statements[1:]:
            if abs(later.value - first.value) <= HALF_CENT or later.value in reported:
                continue
            if (later.value in parts or covers_a_part(doc, later)
                    or any(close(later.value * s, first.value) for s in SCALES)):
                resolved(doc, "contract.total_amount", f"{later.value} states a part or the total in 万元")
                continue
            reported.add(later.value)
            add(doc, "restated_amount", "contract.total_amount", first.value, later.value,
                evidence=["contract.total_amount"], spans=[first.span, later.span])
    check_restated_caps(doc)


def check_restated_caps(doc: ContractDoc) -> None:
    """A cap stated twice under the same label ("…结算金额不得超过") with two values."""
    subtotals = subtotal_values(doc)
    total = dec(doc.record.contract.total_amount)
    seen: list = []
    for amount in doc.statements.labelled_amounts:
        first = next((s for s in seen if s.same_label(amount)), None)
        if first is None:
            seen.append(amount)
            continue
        before, later = first.statement, amount.statement
        if abs(later.value - before.value) <= HALF_CENT:
            continue
        if before.value in subtotals:
            subject = f"subtotals[{subtotals.index(before.value)}]"
        elif total is not None and before.value == total:
            subject = "contract.total_amount"
        else:
            continue
        add(doc, "restated_amount", subject, before.value, later.value, spans=[before.span, later.span])


def check_restated_quantities(doc: ContractDoc) -> None:
    for index, statement in doc.statements.restated_quantities:
        item = doc.record.line_items[index]
        table = dec(item.normalized.quantity)
        if table is None:
            continue
        if abs(statement.value - table) > HALF_CENT:
            first, later = ((statement.value, table) if statement.span.start < _item_start(doc, index)
                            else (table, statement.value))
            misread_here = agreeing_restatement(doc, index) is statement
            if misread_here:
                doc.warn(f"restated_quantity on line_items[{index}].quantity is only a warning: the row's "
                         f"amount agrees with the body's {statement.value.normalize():f}, not the table's reading")
            add(doc, "restated_quantity", f"line_items[{index}].quantity", first, later,
                "warning" if misread_here else "error",
                evidence=[f"line_items[{index}].quantity"], spans=[statement.span])


def _item_start(doc: ContractDoc, index: int) -> int:
    evidence = doc.evidence.get(f"line_items[{index}].quantity")
    return evidence.start if evidence else 0


def check_term(doc: ContractDoc) -> None:
    meta = doc.record.contract
    stated = doc.statements.term
    if not (meta.start_date and meta.end_date and stated):
        return
    months = months_between(date.fromisoformat(meta.start_date), date.fromisoformat(meta.end_date))
    if months != stated[0]:
        add(doc, "term", "contract.term_months", months, stated[0],
            evidence=["contract.start_date", "contract.end_date", "contract.term_months"])


CHECKS: list[Callable[[ContractDoc], None]] = [
    check_line_amounts, check_items_totals, check_subtotals_total, check_amounts_in_words,
    check_payments, check_tax, check_restated_amounts, check_restated_quantities, check_term,
]
