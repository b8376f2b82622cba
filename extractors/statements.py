"""What the extractors state for the resolver and the checks, typed.

The record holds the values; a `Statements` holds how the document stated them:
every statement of the total (with its 大写), the price tables' totals and the
rows each sum covers, the payment statements with the base of their percent,
quantities restated in the body, the term as stated, and labelled amounts such
as caps. One `Statements` hangs on each `ContractDoc` (`doc.statements`); each
extractor declares which of its fields it writes (extractors/__init__.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from pipeline.document import Span


@dataclass(frozen=True)
class Statement:
    """A figure the document states, with the span that states it."""

    value: Decimal
    span: Span
    label: str = ""


@dataclass
class PaymentStatement:
    """What one installment sentence states: each figure with its span.

    `base` names what the percent is a share of when the sentence says
    (``contract_total``, ``other``), None when it does not say.
    """

    percent: Optional[Statement] = None
    amount: Optional[Statement] = None
    words: Optional[Statement] = None
    condition: Optional[Span] = None
    recurring: bool = False
    base: Optional[str] = None


@dataclass
class Statements:
    totals: list[tuple[Statement, Optional[Statement]]] = field(default_factory=list)
    total_in_words: Optional[Statement] = None
    term: Optional[tuple[int, Span]] = None
    table_totals: list[Statement] = field(default_factory=list)
    total_covers: list[tuple[int, int]] = field(default_factory=list)
    subtotal_covers: list[tuple[int, int]] = field(default_factory=list)
    #: price-table rows stating an amount that no line item was read from, by the count of items before them
    unread_rows: list[tuple[int, Span]] = field(default_factory=list)
    payments: list[PaymentStatement] = field(default_factory=list)
    restated_quantities: list[tuple[int, Statement]] = field(default_factory=list)
    labelled_amounts: list = field(default_factory=list)
