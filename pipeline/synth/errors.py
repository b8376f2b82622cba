"""Error injection: plant 1-2 known inconsistencies and list the findings they must raise.

The checks follow the semantics shared with `pipeline.checks`:

- line_amount: line_items[i]; expected round(price × qty × periods, 2), found the
  stated amount. Sums over the row then add the stated amounts, so only it fires.
  Never planned for a quantity-only table: its rows state no amount.
- items_total: subtotals[j] (or contract.total_amount when the table has no
  subtotals); expected the sum of the rows it covers, found the stated figure.
  The total stays the sum of the rows, so subtotals_total is not raised. Never
  planned for a quantity-only table, nor beside a fee breakdown (a total off the
  rows would also be off the sum of its parts).
- subtotals_total: contract.total_amount; expected the sum of the subtotals.
- amount_in_words: the 大写's path; expected the figure, found what it spells.
- payments_total: payments (all installments fixed amounts, no percents);
  expected the total, found the sum of the installments. Never planned for a
  fee paid again each year: those installments do not add up to the total.
- payment_percent: payments[k].amount; expected round(percent × total, 2). Only
  where some installment states no amount, so payments_total cannot fire, and
  only on a percent of the total, never on a percent of one part.
- tax: contract.amount_excl_tax; expected round(total ÷ (1 + rate), 2).
- restated_quantity: line_items[i].quantity; expected the first statement, found
  the later one, both in the base unit.
- restated_amount: contract.total_amount; expected the first statement of the
  total, found a later clause's restatement. Only where the body states the
  total (else the restatement would be its first statement). Or, where a part
  of a fee breakdown is capped (最终结算金额不得超过Y元), subtotals[j] of that part:
  expected the cap as first stated (the part's amount), found the later clause's
  restatement of the cap.
- term: contract.term_months; expected the months between start and end.

Checks of one family touch the same figures, so at most one per family is drawn.
"""
from __future__ import annotations

import random
from decimal import Decimal

from pipeline.synth.facts import Facts, dated_term
from pipeline.synth.textforms import money
from schemas import Finding

FAMILIES: dict[str, str] = {
    "line_amount": "table", "items_total": "table", "subtotals_total": "table",
    "amount_in_words": "words", "payments_total": "payments", "payment_percent": "payments",
    "tax": "tax", "restated_quantity": "restate", "restated_amount": "restate", "term": "term",
}


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _finding(check: str, subject: str, expected: Decimal, found: Decimal) -> Finding:
    return Finding(check=check, subject=subject, expected=_number(expected), found=_number(found),
                   severity="error")


def _shifted(rng: random.Random, value: Decimal) -> Decimal:
    """A clearly different amount: off by 3-30 % and by at least 10 元."""
    delta = money(value * Decimal(rng.randint(3, 30)) / 100)
    delta = max(delta, Decimal(rng.randint(10, 90)))
    return value + delta if rng.random() < 0.5 or value - delta <= 0 else value - delta


def _digit_changed(rng: random.Random, value: Decimal) -> Decimal:
    """The amount with one digit of its 元 part replaced (a typical 大写 slip)."""
    whole, cents = divmod(value, 1)
    digits = list(str(int(whole)))
    pos = rng.randrange(len(digits))
    choices = [d for d in "0123456789" if d != digits[pos] and not (pos == 0 and d == "0")]
    if not choices:
        return value + 10
    digits[pos] = rng.choice(choices)
    return Decimal("".join(digits)) + cents


class Injector:
    """Chooses the checks for one contract and applies them stage by stage."""

    def __init__(self, rng: random.Random, rate: float):
        self.rng = rng
        self.active = rate > 0 and rng.random() < rate
        self.checks: list[str] = []
        self.restated_cap = False  # restated_amount restates a part's cap rather than the total

    def choose(self, facts: Facts) -> None:
        """Pick 1-2 applicable checks; may switch on statements they need."""
        if not self.active:
            return
        rng = self.rng
        candidates = [c for c in FAMILIES if self._applicable(c, facts)]
        first = rng.choice(candidates)
        self.checks = [first]
        if rng.random() < 0.5:
            others = [c for c in candidates if FAMILIES[c] != FAMILIES[first]]
            if others:
                self.checks.append(rng.choice(others))
        if "amount_in_words" in self.checks:
            facts.total_words = True
        if "tax" in self.checks:
            facts.tax_stated = facts.excl_tax_stated = True
        if "restated_amount" in self.checks:
            self.restated_cap = facts.capped_part is not None and (not facts.total_in_body or rng.random() < 0.5)
            facts.later_total = facts.later_total or not self.restated_cap
        if "term" in self.checks and facts.term.form != "dates_term":
            facts.term.form = "dates_term"
            facts.term.stated_months = facts.term.months
            dated_term(facts.term, facts.signed)

    def _applicable(self, check: str, facts: Facts) -> bool:
        installments_fixed = facts.payment_scheme == "amount_only"
        priced = not facts.catalogue and all(item.priced for item in facts.items)
        if check == "line_amount":
            return priced
        if check == "items_total":
            return priced and not facts.parts
        if check == "subtotals_total":
            return facts.with_subtotals
        if check == "payments_total":
            return installments_fixed
        if check == "payment_percent":
            return (facts.payment_scheme == "percent_amount" and not facts.last_amount
                    or facts.payment_scheme == "of_part")
        if check == "restated_quantity":
            return bool(facts.restated)
        if check == "restated_amount":
            return facts.total_in_body or facts.capped_part is not None
        return True

    # -- stage hooks ---------------------------------------------------------------

    def rows(self, facts: Facts) -> None:
        if "line_amount" not in self.checks:
            return
        i = self.rng.randrange(len(facts.items))
        item = facts.items[i]
        expected = item.computed()
        if item.basis == "month" and item.periods >= 6 and self.rng.random() < 0.5:
            found = money(item.unit_price * item.quantity * (item.periods - 1))  # one month short
            if abs(found - expected) < 10:
                found = _shifted(self.rng, expected)
        else:
            found = _shifted(self.rng, expected)
        item.amount = found
        facts.findings.append(_finding("line_amount", f"line_items[{i}]", expected, found))

    def sums(self, facts: Facts) -> None:
        rng = self.rng
        if "items_total" in self.checks:
            groups = facts.subtotal_groups
            if groups:
                j = rng.randrange(len(groups))
                group = groups[j]
                expected = group.subtotal
                group.subtotal = _shifted(rng, expected)
                facts.findings.append(_finding("items_total", f"subtotals[{j}]", expected, group.subtotal))
            else:
                expected = facts.total
                facts.total = _shifted(rng, expected)
                facts.findings.append(_finding("items_total", "contract.total_amount", expected, facts.total))
        if "subtotals_total" in self.checks:
            expected = facts.total
            facts.total = _shifted(rng, expected)
            facts.findings.append(_finding("subtotals_total", "contract.total_amount", expected, facts.total))

    def statements(self, facts: Facts) -> None:
        rng = self.rng
        for check in self.checks:
            if check == "amount_in_words":
                self._words(facts)
            elif check == "payments_total":
                k = rng.randrange(len(facts.installments))
                inst = facts.installments[k]
                inst.amount = _shifted(rng, inst.amount)
                if inst.words_value is not None:
                    inst.words_value = inst.amount
                found = sum((i.amount for i in facts.installments), Decimal(0))
                facts.findings.append(_finding("payments_total", "payments", facts.total, found))
            elif check == "payment_percent":
                k = rng.choice([k for k, i in enumerate(facts.installments)
                                if i.amount is not None and i.part is None])
                inst = facts.installments[k]
                expected = inst.amount
                inst.amount = _shifted(rng, expected)
                if inst.words_value is not None:
                    inst.words_value = inst.amount
                facts.findings.append(_finding("payment_percent", f"payments[{k}].amount", expected, inst.amount))
            elif check == "tax":
                expected = facts.excl_tax
                found = money(facts.total * (1 - facts.tax_rate))  # the usual slip: total × (1 − rate)
                facts.excl_tax = found if abs(found - expected) >= 10 else _shifted(rng, expected)
                facts.findings.append(_finding("tax", "contract.amount_excl_tax", expected, facts.excl_tax))
            elif check == "restated_quantity":
                self._restated_quantity(facts)
            elif check == "restated_amount" and self.restated_cap:
                j = facts.capped_part
                part = facts.parts[j]
                part.cap_later = _shifted(rng, part.amount)
                facts.findings.append(_finding("restated_amount", f"subtotals[{j}]", part.amount, part.cap_later))
            elif check == "restated_amount":
                facts.total_later = _shifted(rng, facts.total)
                facts.findings.append(_finding("restated_amount", "contract.total_amount", facts.total,
                                               facts.total_later))
            elif check == "term":
                term = facts.term
                term.stated_months = term.months + rng.choice([d for d in (-6, -3, 3, 6, 12) if term.months + d > 0])
                facts.findings.append(_finding("term", "contract.term_months", Decimal(term.months),
                                               Decimal(term.stated_months)))

    def _words(self, facts: Facts) -> None:
        """Misspell the total's 大写, or an installment's when the installments are otherwise untouched."""
        worded = [k for k, i in enumerate(facts.installments) if i.words_value is not None]
        if not worded or self.rng.random() < 0.6 or "payments" in {FAMILIES[c] for c in self.checks}:
            facts.total_words_value = _digit_changed(self.rng, facts.total)
            facts.findings.append(_finding("amount_in_words", "contract.total_amount_in_words",
                                           facts.total, facts.total_words_value))
            return
        k = self.rng.choice(worded)
        inst = facts.installments[k]
        inst.words_value = _digit_changed(self.rng, inst.amount)
        facts.findings.append(_finding("amount_in_words", f"payments[{k}].amount_in_words",
                                       inst.amount, inst.words_value))

    def _restated_quantity(self, facts: Facts) -> None:
        r = self.rng.choice(facts.restatements)
        table = facts.items[r.item].normalized_quantity
        changed = table + max(Decimal(1), (table * Decimal(self.rng.randint(10, 50)) / 100).to_integral_value())
        r.value = changed if self.rng.random() < 0.5 or table - (changed - table) <= 0 else table - (changed - table)
        first, later = (r.value, table) if facts.restate_first else (table, r.value)
        facts.findings.append(_finding("restated_quantity", f"line_items[{r.item}].quantity", first, later))
