"""The holdout: hand-written contracts laid out after real public ones, scored end to end.

The extractor's authors did not write them (tests/holdout/README.md). A layout that
regresses shows here as a lower score, and a false contradiction fails at once.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.evaluate import evaluate, prf

HOLDOUT = Path(__file__).parent / "holdout"
MIN_F1 = 0.97


def test_the_holdout_reads_well_and_holds_no_false_finding():
    run = evaluate(HOLDOUT / "contracts", truth=HOLDOUT / "gold")
    assert not run.failures, run.failures
    findings = run.tally.counts["findings"]
    assert findings["fp"] == 0, [m for m in run.tally.misses if "findings" in m]
    _, _, f1 = prf(run.tally.total())
    assert f1 >= MIN_F1, run.tally.misses
