"""Layout fixtures: one small contract per layout family, each with its expected record.

Like invoice2data's tests/compare, every `tests/layouts/NAME.txt` is paired with
`tests/layouts/NAME.json` and parametrized automatically. The JSON is a partial
record: only the keys it names are compared (lists element by element, numbers to
half a cent). Findings are always compared: the error findings extracted must be
exactly those listed (none when the file lists none), so a fixture also proves the
layout raises no false contradiction. See tests/layouts/README.md.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.language import extract_file

LAYOUTS = Path(__file__).parent / "layouts"
FIXTURES = sorted(LAYOUTS.glob("*.txt"))


def compare(expected, actual, path: str = "") -> list[str]:
    """Where `actual` differs from the partial `expected`, as readable lines."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        return [miss for key, value in expected.items()
                for miss in compare(value, actual.get(key), f"{path}.{key}" if path else key)]
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            got = len(actual) if isinstance(actual, list) else actual
            return [f"{path}: expected {len(expected)} entries, got {got}"]
        return [miss for i, (e, a) in enumerate(zip(expected, actual)) for miss in compare(e, a, f"{path}[{i}]")]
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and isinstance(actual, (int, float)):
        return [] if abs(expected - actual) <= 0.005 else [f"{path}: expected {expected!r}, got {actual!r}"]
    return [] if expected == actual else [f"{path}: expected {expected!r}, got {actual!r}"]


def error_findings(findings: list[dict]) -> list[tuple]:
    return sorted((f["check"], f.get("found")) for f in findings if f.get("severity", "error") == "error")


@pytest.mark.parametrize("source", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_layout_fixture_extracts_its_expected_record(source: Path):
    expected = json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))
    record = extract_file(source).record.model_dump(mode="json")
    wanted_findings = expected.pop("findings", [])
    misses = compare(expected, record)
    assert not misses, "\n".join(misses)
    assert error_findings(record["findings"]) == error_findings(wanted_findings), record["findings"]


def test_every_layout_fixture_has_its_expected_record():
    assert FIXTURES, "tests/layouts holds no fixtures"
    assert [p.stem for p in FIXTURES if not p.with_suffix(".json").exists()] == []
