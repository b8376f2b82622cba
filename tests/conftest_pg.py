"""PostgreSQL for tests: a throwaway schema per test on the server at 127.0.0.1:5432.

`tests/conftest.py` makes the fixture available to every test module. The
server URL comes from DATABASE_URL_PG (default: role postgres, database test,
trust authentication). When no server answers, the tests skip with the reason;
with CONTRACTS_REQUIRE_POSTGRES=1 (set by .ci/run) they fail instead, so CI
cannot pass without running them.
"""
from __future__ import annotations

import os
import uuid
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SERVER_URL = os.environ.get("DATABASE_URL_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _unavailable(reason: str) -> None:
    message = f"PostgreSQL at {SERVER_URL} is not usable: {reason}"
    if os.environ.get("CONTRACTS_REQUIRE_POSTGRES") == "1":
        pytest.fail(message + " (CONTRACTS_REQUIRE_POSTGRES=1: these tests must run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections work in a fresh, empty schema, dropped afterwards."""
    schema = f"contracts_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as err:  # any failure to reach or use the server
        admin.dispose()
        _unavailable(str(err).strip().splitlines()[0])
    url = make_url(SERVER_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
