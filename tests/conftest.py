"""Fixtures every test module can use without importing them."""
import pytest

import batchkit
import pipeline.language
from conftest_pg import pg_url  # noqa: F401  (the PostgreSQL fixture, shared by all modules)


@pytest.fixture
def fake_extractor(monkeypatch):
    """`contracts run` in this process uses the fake extractor and its version."""
    monkeypatch.setattr(pipeline.language, "extract_file", batchkit.fake_extract)
    monkeypatch.setattr(pipeline.language, "EXTRACTOR_VERSION", batchkit.FAKE_VERSION)
    return monkeypatch
