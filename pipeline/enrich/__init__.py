"""Enrichment of extracted records for the data tables: pure functions, no database.

- `services.describe_service`: a price-table row's normalized service name and category.
- `payments.schedule`: an installment's due date or due period, and its amount computed
  from percent × contract total when only the percent is written.
"""
from pipeline.enrich.payments import Schedule, schedule
from pipeline.enrich.services import CATEGORIES, describe_service

__all__ = ["CATEGORIES", "Schedule", "describe_service", "schedule"]
