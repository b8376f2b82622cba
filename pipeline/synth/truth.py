"""The true record of a synthetic contract, built from its facts by SCHEMA.md's rules.

A quantity-only row has no unit price, amount or price per base unit per month;
a fee breakdown's parts are the subtotals, nested ones included, in document order.
"""
from __future__ import annotations

from decimal import Decimal

from extractors.values.cnmoney import format_cn_amount
from pipeline.synth import penalties as penalty_terms
from pipeline.synth.facts import Facts, Item
from schemas import (
    ContractMeta, ContractRecord, LineItem, NormalizedQuantity, Party, Payment, Penalty,
    ServiceLevels, Subtotal,
)

FIELD_SOURCES = {  # record field -> (placement name, Party attribute)
    "representative": ("representative", "representative"),
    "address": ("address", "address"),
    "contact_person": ("contact", "contact_person"),
    "phone": ("contact", "phone"),
    "bank_name": ("bank", "bank_name"),
    "bank_account": ("bank", "bank_account"),
    "tax_id": ("tax_id", "tax_id"),
}


def _num(value: Decimal | None, places: int | None = None) -> float | int | None:
    if value is None:
        return None
    if places is not None:
        value = round(value, places)
    return int(value) if value == value.to_integral_value() else float(value)


def _party(facts: Facts, role: str) -> Party:
    party = facts.party(role)
    values = {name: getattr(party, attr) if facts.where(role, source) else None
              for name, (source, attr) in FIELD_SOURCES.items()}
    return Party(role=role, name=party.name, **values)


def _item(seq: int, item: Item, facts: Facts) -> LineItem:
    group = facts.groups[item.group]
    priced = item.priced
    return LineItem(
        seq=seq, section=group.label, service=item.name, unit_price=_num(item.unit_price) if priced else None,
        quantity=_num(item.quantity), billing_unit=item.unit_text, price_basis=item.basis,
        periods=_num(Decimal(item.periods)) if item.periods is not None else None,
        amount=_num(item.amount) if priced else None,
        normalized=NormalizedQuantity(quantity=_num(item.normalized_quantity), unit=item.unit.base,
                                      unit_price_month=_num(item.unit_price_month, 6) if priced else None))


def _subtotals(facts: Facts) -> list[Subtotal]:
    if facts.parts:
        return [Subtotal(label=p.label, amount=_num(p.amount)) for p in facts.parts]
    return [Subtotal(label=g.subtotal_label.replace("（元）", ""), amount=_num(g.subtotal))
            for g in facts.subtotal_groups]


def _penalties(facts: Facts) -> list[Penalty]:
    ordered = sorted(facts.penalties, key=lambda t: penalty_terms.PLACES.index(t.place))
    seen, out = set(), []
    for term in ordered:
        if penalty_terms.key(term) in seen:
            continue
        seen.add(penalty_terms.key(term))
        out.append(Penalty(trigger=term.trigger, rate=_num(term.rate), base=term.base, per_day=term.per_day,
                           cap_rate=_num(term.cap_rate), fixed_amount=_num(term.fixed_amount)))
    return out


def true_record(facts: Facts, document: str) -> ContractRecord:
    term = facts.term
    dated = term.form.startswith("dates")
    meta = ContractMeta(
        contract_no=facts.contract_no if facts.contract_no_form == "stated" else None,
        title=facts.title, project_name=facts.project,
        signed_date=facts.signed.isoformat() if facts.signed_full else None,
        start_date=term.start.isoformat() if dated else None,
        end_date=term.end.isoformat() if dated else None,
        term_months=term.stated_months if term.stated_months is not None else term.months,
        total_amount=_num(facts.total),
        total_amount_in_words=format_cn_amount(facts.total_words_value) if facts.total_words else None,
        amount_excl_tax=_num(facts.excl_tax),
        tax_rate=_num(facts.tax_rate))
    return ContractRecord(
        document=document,
        contract=meta,
        parties=[_party(facts, "client"), _party(facts, "supplier")],
        line_items=[_item(seq, item, facts) for seq, item in enumerate(facts.items, start=1)],
        subtotals=_subtotals(facts),
        payments=[Payment(seq=k, percent=_num(i.percent), amount=_num(i.amount),
                          amount_in_words=format_cn_amount(i.words_value) if i.words_value is not None else None,
                          condition=i.condition)
                  for k, i in enumerate(facts.installments, start=1)],
        penalties=_penalties(facts),
        service_levels=ServiceLevels(availability=_num(facts.availability),
                                     data_reliability=_num(facts.reliability)),
        findings=list(facts.findings),
    )
