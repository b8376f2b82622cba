"""What each cross-check means, in plain words, for the people who review its findings.

One entry per check code of `pipeline.checks` (a test keeps the two in step):
what the check compares, and what its `expected` and `found` values are.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckDescription:
    name: str
    meaning: str
    expected: str
    found: str


CHECKS: dict[str, CheckDescription] = {
    "line_amount": CheckDescription(
        "Line amount (分项金额)",
        "A price-table row's amount should equal unit price × quantity × periods.",
        "unit price × quantity × periods of the row", "the amount written in the row"),
    "items_total": CheckDescription(
        "Sum of the rows (分项合计)",
        "The amounts of the price-table rows should add up to their subtotal, or, when the table "
        "has no subtotals, to the table's or the contract's total.",
        "the sum of the rows' amounts", "the subtotal or total the document states"),
    "subtotals_total": CheckDescription(
        "Sum of the subtotals (小计合计)",
        "The subtotals of the price table should add up to the total.",
        "the sum of the subtotals", "the total the document states"),
    "amount_in_words": CheckDescription(
        "Amount in words (大写金额)",
        "An amount written in Chinese uppercase (大写) should be the same as the figure (小写) beside it.",
        "the amount in figures", "the amount the uppercase words spell"),
    "payments_total": CheckDescription(
        "Sum of the installments (付款合计)",
        "The payment installments should add up to the contract total.",
        "the contract total", "the sum of the installments"),
    "payment_percent": CheckDescription(
        "Installment percentage (付款比例)",
        "An installment stated as a share of the total should be that share of the total.",
        "contract total × the installment's percentage", "the installment's amount"),
    "tax": CheckDescription(
        "Amount excluding tax (不含税金额)",
        "The amount excluding tax should be the total ÷ (1 + tax rate).",
        "total ÷ (1 + tax rate)", "the amount excluding tax the document states"),
    "restated_quantity": CheckDescription(
        "Quantity stated twice (数量前后不一)",
        "A quantity restated in the text should be the one in the price table.",
        "the quantity where it is stated first", "the quantity where it is stated again"),
    "restated_amount": CheckDescription(
        "Total stated twice (总价前后不一)",
        "The contract total, stated in several places, should be the same every time.",
        "the total where it is stated first", "a later statement that differs"),
    "term": CheckDescription(
        "Term against dates (服务期限)",
        "The term in months should match the start and end dates of the service.",
        "the months between the start and end dates", "the term the document states"),
}


def describe(code: str) -> CheckDescription:
    """The description of `code`; a plain one for a code this version does not know."""
    return CHECKS.get(code) or CheckDescription(code, "A cross-check of this contract's figures.",
                                                "what the check computed", "what the document states")
