"""Fixtures every test module can use without importing them."""
from conftest_pg import pg_url  # noqa: F401  (the PostgreSQL fixture, shared by all modules)
