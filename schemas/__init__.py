"""Pydantic models of the contract record: the one source of truth for JSON and SQL."""
from schemas.evidence import Evidence
from schemas.record import (
    CHECK_CODES, SCHEMA_VERSION, ContractMeta, ContractRecord, Finding, LineItem,
    NormalizedQuantity, Party, Payment, Penalty, ServiceLevels, Subtotal,
)

__all__ = [
    "CHECK_CODES", "SCHEMA_VERSION", "ContractMeta", "ContractRecord", "Evidence", "Finding",
    "LineItem", "NormalizedQuantity", "Party", "Payment", "Penalty", "ServiceLevels", "Subtotal",
]
