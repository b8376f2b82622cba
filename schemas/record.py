"""The contract record (interchange format version 1) as pydantic models.

This module is the single source of truth for the record: the JSON written by
`contracts extract`, the SQL tables in `pipeline.db.models` and the generator's
true records all follow these classes. Field order matches SCHEMA.md so that
`model_dump()` prints keys in the documented order.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

Role = Literal["client", "supplier"]
PriceBasis = Literal["month", "year", "time", "piece"]
PenaltyBase = Literal[
    "contract_total", "service_fee", "monthly_fee", "overdue_amount",
    "settlement_fee", "unpaid_part", "other",
]
Severity = Literal["error", "warning"]
CheckCode = Literal[
    "line_amount", "items_total", "subtotals_total", "amount_in_words",
    "payments_total", "payment_percent", "tax", "restated_quantity",
    "restated_amount", "term",
]
CHECK_CODES: tuple[str, ...] = CheckCode.__args__  # type: ignore[attr-defined]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ContractMeta(_Model):
    contract_no: Optional[str] = None
    title: Optional[str] = None
    project_name: Optional[str] = None
    signed_date: Optional[str] = Field(None, description="ISO date of signature")
    start_date: Optional[str] = None
    end_date: Optional[str] = None
    term_months: Optional[int] = None
    total_amount: Optional[float] = None
    total_amount_in_words: Optional[str] = None
    amount_excl_tax: Optional[float] = None
    tax_rate: Optional[float] = None


class Party(_Model):
    role: Role
    name: Optional[str] = None
    representative: Optional[str] = None
    address: Optional[str] = None
    contact_person: Optional[str] = None
    phone: Optional[str] = None
    bank_name: Optional[str] = None
    bank_account: Optional[str] = None
    tax_id: Optional[str] = None


class NormalizedQuantity(_Model):
    quantity: Optional[float] = None
    unit: Optional[str] = None
    unit_price_month: Optional[float] = None


class LineItem(_Model):
    seq: int
    section: Optional[str] = None
    service: Optional[str] = None
    unit_price: Optional[float] = None
    quantity: Optional[float] = None
    billing_unit: Optional[str] = None
    price_basis: Optional[PriceBasis] = None
    periods: Optional[float] = None
    amount: Optional[float] = None
    normalized: NormalizedQuantity = Field(default_factory=NormalizedQuantity)


class Subtotal(_Model):
    label: Optional[str] = None
    amount: Optional[float] = None


class Payment(_Model):
    seq: int
    percent: Optional[float] = None
    amount: Optional[float] = None
    amount_in_words: Optional[str] = None
    condition: Optional[str] = None


class Penalty(_Model):
    trigger: Optional[str] = None
    rate: Optional[float] = None
    base: Optional[PenaltyBase] = None
    per_day: bool = False
    cap_rate: Optional[float] = None
    fixed_amount: Optional[float] = None

    def key(self) -> tuple:
        """The identity SCHEMA.md dedupes penalties by."""
        return (
            None if self.rate is None else round(self.rate, 6), self.base, self.per_day,
            None if self.cap_rate is None else round(self.cap_rate, 6),
            None if self.fixed_amount is None else round(self.fixed_amount, 2),
        )


class ServiceLevels(_Model):
    availability: Optional[float] = None
    data_reliability: Optional[float] = None


class Finding(_Model):
    check: CheckCode
    subject: str
    expected: Optional[float | str] = None
    found: Optional[float | str] = None
    severity: Severity = "error"


class ContractRecord(_Model):
    schema_version: int = SCHEMA_VERSION
    document: str
    contract: ContractMeta = Field(default_factory=ContractMeta)
    parties: list[Party] = Field(default_factory=list)
    line_items: list[LineItem] = Field(default_factory=list)
    subtotals: list[Subtotal] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)
    penalties: list[Penalty] = Field(default_factory=list)
    service_levels: ServiceLevels = Field(default_factory=ServiceLevels)
    findings: list[Finding] = Field(default_factory=list)

    def party(self, role: Role) -> Optional[Party]:
        return next((p for p in self.parties if p.role == role), None)

    def to_json_dict(self) -> dict:
        """The record exactly as SCHEMA.md prints it (every key present)."""
        return self.model_dump(mode="json")
