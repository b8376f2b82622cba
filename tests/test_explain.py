"""`contracts explain`: each stage's view of one file, for tracing a misread."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.explain import explain
from pipeline.language import extract_file

LAYOUTS = Path(__file__).parent / "layouts"


def test_every_stage_shows_what_it_saw():
    doc = extract_file(LAYOUTS / "clause_installments_counted.txt")
    report = "\n".join(explain(doc))
    assert "== lines ==" in report and "== tables ==" in report and "== keys ==" in report
    assert "col 3: quantity" in report  # the table's column roles
    assert "client   name" in report  # a party key/value statement with its context
    assert "payment 1: percent=0.3, amount=145800.00" in report  # a candidate statement
    assert "chosen: total 486000.0" in report


def test_one_stage_only_and_a_bad_stage_is_refused():
    command = [sys.executable, "-m", "pipeline", "explain", str(LAYOUTS / "table_price_catalogue.txt")]
    shown = subprocess.run(command + ["--stage", "tables"], capture_output=True, text=True, check=True).stdout
    assert shown.startswith("== tables ==") and "== lines ==" not in shown
    refused = subprocess.run(command + ["--stage", "words"], capture_output=True, text=True)
    assert refused.returncode == 2 and "choose one of" in refused.stderr
