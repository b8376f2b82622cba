"""The shared seeds end to end: the product's records scored against the gold."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from tests.helpers import ROOT, shared_dir

CONTRACTS = ROOT / ".venv" / "bin" / "contracts"


def load_scorer():
    tools = shared_dir("tools")
    spec = importlib.util.spec_from_file_location("shared_score", tools / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_text_records_score_at_least_097_with_no_false_findings(tmp_path):
    seeds, gold = shared_dir("seeds"), shared_dir("gold")
    command = [str(CONTRACTS) if CONTRACTS.exists() else sys.executable,
               *([] if CONTRACTS.exists() else ["-m", "pipeline.cli"]),
               "extract", *map(str, sorted(seeds.glob("*.txt"))), "--out", str(tmp_path)]
    subprocess.run(command, check=True, capture_output=True)
    score = load_scorer()
    report = tmp_path / "score.json"
    score.main([str(gold), str(tmp_path), "--json", str(report)])
    areas = json.loads(report.read_text())["areas"]
    assert areas["overall"]["f1"] >= 0.97, areas
    assert areas["findings"]["fp"] == 0


@pytest.mark.parametrize("name", ["000", "001", "002"])
def test_seed_evidence_snippets_quote_the_source(name):
    from pipeline.language import extract_file
    seed = next(shared_dir("seeds").glob(f"{name}_*.txt"))
    doc = extract_file(seed)
    raw = doc.raw
    for path, evidence in doc.evidence.items():
        assert 0 <= evidence.start <= evidence.end <= len(raw), path
        assert evidence.page >= 1
