"""Extractor: payment installments (percent, amount in figures, 大写, 万元, trigger).

Installments are sentences of the payment clauses that pay (支付, 付款, …) and
state a share, an amount or a schedule step; invoicing sentences that pay
nothing are not installments. Words live in extractors/vocab/clauses.toml.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Optional

import regex

from extractors.common import Statement, as_written, doc_lines, sentences
from extractors.lexicon import alternation, load
from extractors.values.cnmoney import find_cn_amounts
from extractors.values.numbers import MONEY, RATE, as_float, money_end, money_value, rate_value
from pipeline.document import ContractDoc, Span
from schemas import Payment

LEADING_LABEL = regex.compile(r"^\s*(?:[-•]\s*)?[^:：,，。]{1,8}[:：]\s*")
ITEM_NUMBER = regex.compile(r"^\s*(?:[\d一二三四五六七八九十]+[、.．)]|[(（][\d一二三四五六七八九十]+[)）])?\s*")
PAYER_TAIL = regex.compile(r"[,，]?\s*(?:甲方|乙方)?\s*(?:应|应当|将|须|需)?\s*(?:向\S{1,4})?\s*(?:一次性)?\s*$")
TAX_CONTEXT = regex.compile(r"税率|税额|增值税")


@lru_cache(maxsize=None)
def words() -> dict:
    spec = load("clauses")["payments"]
    return {
        "verb": regex.compile(alternation(spec["pay_verbs"])),
        "schedule": regex.compile(alternation(spec["schedule_words"]) + r"|[前后]\s*\d+\s*个月"),
        "exclude": regex.compile(alternation(spec["exclude_words"])),
        "recurring": regex.compile(alternation(spec["recurring_words"])),
        "full": regex.compile(
            r"(?:" + alternation(spec["at_once_words"]) + r")\s*(?:" + alternation(spec["pay_verbs"]) + r")"
            r"|(?:" + alternation(spec["pay_verbs"]) + r")\s*(?:" + alternation(spec["full_words"]) + r")"),
        "section_words": spec["section_words"],
    }


def payment_lines(doc: ContractDoc):
    sections = [s for s in doc.sections if s.kind == "clause"
                and any(w in s.title for w in words()["section_words"])]
    if not sections:
        return doc_lines(doc, ("clause",))
    return [ln for s in sections for ln in s.lines(doc)]


def extract(doc: ContractDoc) -> ContractDoc:
    payments: list[Payment] = []
    statements: list[dict] = []
    for sentence in sentences(doc, payment_lines(doc)):
        found = read_installment(sentence)
        if found is None:
            continue
        index = len(payments)
        payment = Payment(seq=index + 1)
        path = f"payments[{index}]"
        if found.get("percent"):
            payment.percent = float(found["percent"].value)
            doc.cite(f"{path}.percent", found["percent"].span)
        if found.get("amount"):
            payment.amount = as_float(found["amount"].value)
            doc.cite(f"{path}.amount", found["amount"].span)
        if found.get("words"):
            payment.amount_in_words = as_written(found["words"].span)
            doc.cite(f"{path}.amount_in_words", found["words"].span)
        payment.condition = as_written(found["condition"]) if found.get("condition") else None
        doc.cite(f"{path}.condition", found.get("condition"))
        payments.append(payment)
        statements.append(found)
    doc.record.payments = payments
    doc.facts["payment_statements"] = statements
    return doc


def read_installment(sentence: Span) -> Optional[dict]:
    text = sentence.text
    label = LEADING_LABEL.match(text)
    verb = words()["verb"].search(text, label.end() if label else 0)
    if not verb or words()["exclude"].search(text) or TAX_CONTEXT.search(text):
        return None
    found: dict = {}
    percents = [m for m in RATE.finditer(text) if m.group("sign") in (None, "%") and m.group("scale") in (None, "百")]
    if percents:
        best = min(percents, key=lambda m: abs(m.start() - verb.start()))
        value = rate_value(best)
        if value is not None and 0 < value <= 1:
            found["percent"] = Statement(value, sentence.sub(best.start(), best.end()))
    whole = words()["full"].search(text) if "percent" not in found else None
    if whole is not None:
        found["percent"] = Statement(Decimal(1), sentence.sub(whole.start(), whole.end()))
    amount = amount_after(sentence, verb.start())
    if amount is not None:
        found["amount"] = amount
    cn = find_cn_amounts(text[verb.start():])
    if cn:
        start, end, value = cn[0]
        found["words"] = Statement(value, sentence.sub(verb.start() + start, verb.start() + end))
        if "amount" not in found:
            found["amount"] = found["words"]
    if not found and not words()["schedule"].search(text):
        return None
    found["recurring"] = words()["recurring"].search(text) is not None
    condition = text[label.end() if label else 0:verb.start()].rstrip(" ,，、")
    condition = ITEM_NUMBER.sub("", condition)
    condition = PAYER_TAIL.sub("", condition)
    if condition:
        start = text.index(condition)
        found["condition"] = sentence.sub(start, start + len(condition))
    return found


def amount_after(sentence: Span, start: int) -> Optional[Statement]:
    """The first figure in 元 (or 万元) after the pay verb."""
    text = sentence.text
    for match in MONEY.finditer(text, start):
        value = money_value(match)
        if value is not None and value > 0:
            return Statement(value, sentence.sub(match.start("n"), money_end(match)))
    return None
