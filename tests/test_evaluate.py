"""The evaluation scorer counts like the shared score.py, and `contracts evaluate` runs end to end."""
from __future__ import annotations

import copy
import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import evaluate as ev
from pipeline.cli import app
from pipeline.synth.generate import generate

SHARED_SCORER = Path("/work/shared/tools/score.py")


def record(**overrides) -> dict:
    base = {
        "document": "a.txt",
        "contract": {"contract_no": "HT-1", "title": "云服务合同", "total_amount": 1200.0, "term_months": 12},
        "parties": [{"role": "client", "name": "甲单位", "phone": "13800000000"},
                    {"role": "supplier", "name": "乙公司", "bank_account": "6222000011112222"}],
        "line_items": [
            {"seq": 1, "service": "vCPU", "unit_price": 10, "quantity": 5, "periods": 12, "amount": 600,
             "price_basis": "month", "normalized": {"quantity": 5, "unit": "vCPU", "unit_price_month": 10}},
            {"seq": 2, "service": "内存", "unit_price": 5, "quantity": 10, "periods": 12, "amount": 600,
             "price_basis": "month", "normalized": {"quantity": 10, "unit": "GB", "unit_price_month": 5}},
        ],
        "subtotals": [{"label": "小计", "amount": 1200}],
        "payments": [{"seq": 1, "percent": 0.5, "amount": 600}, {"seq": 2, "percent": 0.5, "amount": 600}],
        "penalties": [{"rate": 0.2, "base": "contract_total", "per_day": False}],
        "service_levels": {"availability": 0.9999},
        "findings": [{"check": "line_amount", "subject": "line_items[0]", "expected": 600, "found": 500,
                      "severity": "error"},
                     {"check": "tax", "subject": "contract.amount_excl_tax", "expected": 1, "found": 2,
                      "severity": "warning"}],
    }
    base.update(overrides)
    return base


def counts(tally: ev.Tally) -> dict[str, tuple[int, int, int]]:
    return {area: (c["tp"], c["fp"], c["fn"]) for area, c in tally.counts.items()}


def test_a_perfect_prediction_is_all_true_positives():
    gold = record()
    tally = ev.score({"a.json": gold}, {"a.json": copy.deepcopy(gold)})
    c = counts(tally)
    assert c["contract"] == (4, 0, 0)
    assert c["parties"] == (4, 0, 0)
    assert c["line_items"] == (18, 0, 0)
    assert c["subtotals"] == (1, 0, 0)
    assert c["payments"] == (4, 0, 0)
    assert c["penalties"] == (1, 0, 0)
    assert c["service_levels"] == (1, 0, 0)
    assert c["findings"] == (1, 0, 0)  # the warning is not counted
    assert ev.prf(tally.total()) == (1.0, 1.0, 1.0)


def test_differences_missing_and_extra_values_are_counted_like_score_py():
    gold = record()
    pred = copy.deepcopy(gold)
    pred["contract"]["title"] = "别的合同"            # differs: fp + fn
    pred["contract"]["contract_no"] = None           # missing: fn
    pred["contract"]["tax_rate"] = 0.06              # extra: fp
    pred["contract"]["total_amount"] = 1200.004      # within 0.005: tp
    pred["parties"][0]["phone"] = "１３８００００００００"  # NFKC-equal: tp
    pred["line_items"].append({"seq": 3, "service": "带宽", "unit_price": 1, "amount": 9})  # extra row
    pred["findings"] = [{"check": "line_amount", "found": 500.001, "severity": "error"},
                        {"check": "tax", "found": 2, "severity": "error"}]
    c = counts(ev.score({"a.json": gold}, {"a.json": pred}))
    assert c["contract"] == (2, 2, 2)
    assert c["parties"] == (4, 0, 0)
    assert c["line_items"] == (18, 3, 0)
    assert c["findings"] == (1, 1, 0)


def test_findings_are_paired_by_check_and_found_and_reported_per_check():
    gold = record(findings=[{"check": "items_total", "found": 1000, "severity": "error"},
                            {"check": "term", "found": 18, "severity": "error"}])
    pred = record(findings=[{"check": "items_total", "found": 999, "severity": "error"},
                            {"check": "term", "found": 18.0, "severity": "error"}])
    tally = ev.score({"a.json": gold}, {"a.json": pred})
    assert counts(tally)["findings"] == (1, 1, 1)
    assert tally.by_check["term"] == Counter(tp=1, fp=0, fn=0)
    assert tally.by_check["items_total"] == Counter(tp=0, fp=1, fn=1)


def test_no_prediction_is_all_false_negatives():
    c = counts(ev.score({"a.json": record()}, {}))
    assert all(tp == 0 and fp == 0 for tp, fp, _ in c.values())
    assert c["line_items"][2] == 18


def _shared_scorer():
    spec = importlib.util.spec_from_file_location("shared_score", SHARED_SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SHARED_SCORER.exists(), reason="the shared scorer is only present in development")
def test_counts_match_the_shared_scorer_on_perturbed_generated_records():
    shared = _shared_scorer()
    for i in range(1, 30):
        gold = generate(31, i, 0.5).record.to_json_dict()
        pred = copy.deepcopy(gold)
        pred["line_items"] = pred["line_items"][1:]
        pred["payments"].reverse()
        pred["parties"][0]["phone"] = None
        pred["penalties"] = pred["penalties"][:1]
        pred["findings"] = pred["findings"][:1] + [{"check": "tax", "found": 1.0, "severity": "error"}]
        mine = ev.score({"r.json": gold}, {"r.json": pred})
        theirs = shared.Tally()
        shared.score_record(gold, pred, theirs, "r.json")
        assert {a: dict(c) for a, c in mine.counts.items()} == {a: dict(c) for a, c in theirs.counts.items()}
        assert mine.misses == theirs.misses


def test_evaluate_command_generates_extracts_and_reports(tmp_path, monkeypatch):
    def perfect(path: Path):  # an extractor that reads the truth back
        truth = path.parent / "truth" / (path.stem + ".json")
        return json.loads(truth.read_text(encoding="utf-8")), None

    monkeypatch.setattr(ev, "_extract", perfect)
    out, scores = tmp_path / "out", tmp_path / "scores.json"
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path / "gen"), "--generate", "4", "--seed", "2",
                                      "--inject-errors", "1", "--out", str(out), "--json", str(scores)])
    assert result.exit_code == 0, result.output
    assert "findings (errors, paired by check and found): precision 1.000  recall 1.000" in result.output
    assert sorted(p.name for p in out.glob("*.json")) == [f"syn_000{i}.json" for i in range(1, 5)]
    data = json.loads(scores.read_text(encoding="utf-8"))
    assert data["areas"]["overall"]["f1"] == 1.0
    assert CliRunner().invoke(app, ["evaluate"]).exit_code != 0
