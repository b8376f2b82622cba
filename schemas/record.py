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
    contract_no: Optional[str] = Field(None, description='Contract number (合同编号) as written.')
    title: Optional[str] = Field(None, description='Contract title (合同名称).')
    project_name: Optional[str] = Field(None, description='Project name (项目名称).')
    signed_date: Optional[str] = Field(None, description='Date of signature (签订日期), ISO date.')
    start_date: Optional[str] = Field(None, description='First day of the service term, ISO date.')
    end_date: Optional[str] = Field(None, description='Last day of the service term, ISO date.')
    term_months: Optional[int] = Field(None, description=(
        "Service term as the contract states it. Unit: months."))
    total_amount: Optional[float] = Field(None, description=(
        "Contract total (合同总价, tax included) in figures. Unit: 元."))
    total_amount_in_words: Optional[str] = Field(None, description=(
        "Contract total in Chinese uppercase (大写) as written."))
    amount_excl_tax: Optional[float] = Field(None, description='Amount excluding tax (不含税金额). Unit: 元.')
    tax_rate: Optional[float] = Field(None, description='VAT rate as a fraction (0.06 = 6%).')


class Party(_Model):
    role: Role = Field(description='Which side: client = the buyer (甲方), supplier = the provider (乙方).')
    name: Optional[str] = Field(None, description='Registered name of the party.')
    representative: Optional[str] = Field(None, description='Legal representative (法定代表人).')
    address: Optional[str] = Field(None, description='Address as written.')
    contact_person: Optional[str] = Field(None, description='Contact person (联系人).')
    phone: Optional[str] = Field(None, description='Telephone number as written.')
    bank_name: Optional[str] = Field(None, description='Bank of the account (开户行).')
    bank_account: Optional[str] = Field(None, description='Bank account number (账号).')
    tax_id: Optional[str] = Field(None, description='Unified social credit code / taxpayer id (统一社会信用代码).')


class NormalizedQuantity(_Model):
    quantity: Optional[float] = Field(None, description=(
        "Quantity converted to the base unit (GB, vCPU, Mbps, …)."))
    unit: Optional[str] = Field(None, description=(
        "Base unit of the normalized quantity and price (GB, vCPU, Mbps, …)."))
    unit_price_month: Optional[float] = Field(None, description=(
        "Unit price per base unit per month. Unit: 元 per normalized unit per month."))


class LineItem(_Model):
    seq: int = Field(description='Row number (序号) in the price table.')
    section: Optional[str] = Field(None, description='Heading of the table section the row belongs to.')
    service: Optional[str] = Field(None, description='Service or item name as written.')
    unit_price: Optional[float] = Field(None, description=(
        "Unit price as written. Unit: 元 per billing unit per price basis."))
    quantity: Optional[float] = Field(None, description='Quantity as written, in billing units.')
    billing_unit: Optional[str] = Field(None, description='Billing unit as written (100GB, 核, Mbps, 套, …).')
    price_basis: Optional[PriceBasis] = Field(None, description=(
        "What one unit price pays for: month = one month, year = one year, time = once (one-off),"
        " piece = one item."))
    periods: Optional[float] = Field(None, description=(
        "Number of price-basis periods billed (months or years); 1 for one-off items."))
    amount: Optional[float] = Field(None, description=(
        "Row amount as written (unit price × quantity × periods when consistent). Unit: 元."))
    normalized: NormalizedQuantity = Field(default_factory=NormalizedQuantity, description=(
        "The row's quantity and price converted to a base unit and a month."))


class Subtotal(_Model):
    label: Optional[str] = Field(None, description='Label of the subtotal row as written (小计, 合计, …).')
    amount: Optional[float] = Field(None, description='Subtotal amount. Unit: 元.')


class Payment(_Model):
    seq: int = Field(description='Installment number, in contract order.')
    percent: Optional[float] = Field(None, description=(
        "Share of the contract total as a fraction (0.3 = 30%), when written."))
    amount: Optional[float] = Field(None, description='Installment amount as written. Unit: 元.')
    amount_in_words: Optional[str] = Field(None, description=(
        "Installment amount in Chinese uppercase (大写) as written."))
    condition: Optional[str] = Field(None, description=(
        "When the installment is due, as written (e.g. 验收合格后10个工作日内)."))


class Penalty(_Model):
    trigger: Optional[str] = Field(None, description='What triggers the penalty, as written (逾期付款, 服务中断, …).')
    rate: Optional[float] = Field(None, description=(
        "Penalty rate as a fraction of the base (0.001 = 0.1%); per day when per_day."))
    base: Optional[PenaltyBase] = Field(None, description=(
        "What the rate applies to: contract_total = the contract total (合同总价); service_fee = "
        "the fee of the service concerned (该项服务费); monthly_fee = the month's fee (月服务费); "
        "overdue_amount = the amount paid late (逾期金额); settlement_fee = the fee of the "
        "settlement period (当期/当季服务费); unpaid_part = the part not performed (未履行部分); "
        "other = another base."))
    per_day: bool = Field(False, description='True when the rate accrues per day of delay.')
    cap_rate: Optional[float] = Field(None, description=(
        "Cap of the penalty as a fraction of the base (0.1 = 10%)."))
    fixed_amount: Optional[float] = Field(None, description=(
        "Fixed penalty amount, when stated instead of (or with) a rate. Unit: 元."))

    def key(self) -> tuple:
        """The identity SCHEMA.md dedupes penalties by."""
        return (
            None if self.rate is None else round(self.rate, 6), self.base, self.per_day,
            None if self.cap_rate is None else round(self.cap_rate, 6),
            None if self.fixed_amount is None else round(self.fixed_amount, 2),
        )


class ServiceLevels(_Model):
    availability: Optional[float] = Field(None, description=(
        "Committed service availability as a fraction (0.9995 = 99.95%)."))
    data_reliability: Optional[float] = Field(None, description=(
        "Committed data reliability (durability) as a fraction (0.999999 = 99.9999%)."))


class Finding(_Model):
    check: CheckCode = Field(description=(
        "Cross-check code: line_amount = row amount vs unit price × quantity × periods; "
        "items_total = sum of rows vs subtotal or total; subtotals_total = sum of subtotals vs "
        "total; amount_in_words = figures vs 大写; payments_total = sum of installments vs total; "
        "payment_percent = installment vs total × percent; tax = amount excluding tax vs total ÷ "
        "(1 + tax rate); restated_quantity = a quantity stated twice differently; restated_amount"
        " = the total stated twice differently; term = term in months vs start and end dates."))
    subject: str = Field(description=(
        "JSON path of the value the finding is about (line_items[3], contract.total_amount)."))
    expected: Optional[float | str] = Field(None, description=(
        "What the check computed; the unit follows the check (元 for amounts, months for term, "
        "billing units for quantities)."))
    found: Optional[float | str] = Field(None, description='What the document states; same unit as expected.')
    severity: Severity = Field("error", description=(
        "error = the figures disagree; warning = they may not: the difference is within the "
        "rounding of the figures, a value was read with low OCR confidence, or the base of a "
        "percentage is not stated as a figure."))


class ContractRecord(_Model):
    schema_version: int = Field(SCHEMA_VERSION, description='Version of the record format (SCHEMA.md).')
    document: str = Field(description='File name of the source document.')
    contract: ContractMeta = Field(default_factory=ContractMeta, description=(
        "Contract metadata: number, title, dates, term, total."))
    parties: list[Party] = Field(default_factory=list, description=(
        "Parties to the contract: the client (甲方) and the supplier (乙方), with their details."))
    line_items: list[LineItem] = Field(default_factory=list, description=(
        "Rows of the price table (报价明细): one row per priced service or item."))
    subtotals: list[Subtotal] = Field(default_factory=list, description=(
        "Subtotal and total rows of the price table."))
    payments: list[Payment] = Field(default_factory=list, description='Payment installments (付款方式).')
    penalties: list[Penalty] = Field(default_factory=list, description=(
        "Penalty clauses (违约责任): rate, base, cap or fixed amount."))
    service_levels: ServiceLevels = Field(default_factory=ServiceLevels, description=(
        "Committed service levels (SLA)."))
    findings: list[Finding] = Field(default_factory=list, description=(
        "Cross-check findings: figures of the contract that disagree."))

    def party(self, role: Role) -> Optional[Party]:
        return next((p for p in self.parties if p.role == role), None)

    def to_json_dict(self) -> dict:
        """The record exactly as SCHEMA.md prints it (every key present)."""
        return self.model_dump(mode="json")
