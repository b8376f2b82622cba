"""Evaluation: run the extraction over a folder with true records and score it.

Scoring is the same as the shared scorer (`score.py`, re-implemented here so the
product does not depend on it): every scored field counts once; equal values
are a true positive, a predicted value the truth lacks or that differs is a
false positive, a true value missing or different in the prediction is a false
negative. Line items and payments are paired greedily by affinity; subtotals,
penalties and findings are compared as multisets. Findings are error-severity
findings keyed by (check, found); their precision and recall are also reported
per check code.
"""
from __future__ import annotations

import json
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

CONTRACT_FIELDS = ["contract_no", "title", "project_name", "signed_date", "start_date",
                   "end_date", "term_months", "total_amount", "total_amount_in_words",
                   "amount_excl_tax", "tax_rate"]
PARTY_FIELDS = ["name", "representative", "address", "contact_person", "phone",
                "bank_name", "bank_account", "tax_id"]
ITEM_FIELDS = ["service", "unit_price", "quantity", "billing_unit", "price_basis",
               "periods", "amount", "normalized.quantity", "normalized.unit",
               "normalized.unit_price_month"]
PAYMENT_FIELDS = ["percent", "amount", "amount_in_words"]
LEVEL_FIELDS = ["availability", "data_reliability"]
AREAS = ["contract", "parties", "line_items", "subtotals", "payments", "penalties",
         "service_levels", "findings"]


# -- comparing values ---------------------------------------------------------------

def norm_text(value) -> str:
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(ch for ch in text if not ch.isspace())


def same(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= max(0.005, 1e-9 * max(abs(a), abs(b)))
    return norm_text(a) == norm_text(b)


def get(record: dict, dotted: str):
    for key in dotted.split("."):
        if not isinstance(record, dict):
            return None
        record = record.get(key)
    return record


def prf(c: Counter) -> tuple[float, float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# -- the tally -----------------------------------------------------------------

@dataclass
class Tally:
    counts: dict[str, Counter] = field(default_factory=lambda: {area: Counter() for area in AREAS})
    by_check: dict[str, Counter] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def field(self, area: str, where: str, gold, pred) -> None:
        if gold is None and pred is None:
            return
        if gold is not None and pred is not None and same(gold, pred):
            self.counts[area]["tp"] += 1
            return
        if pred is not None:
            self.counts[area]["fp"] += 1
        if gold is not None:
            self.counts[area]["fn"] += 1
        self.misses.append(f"{where}: gold={gold!r} pred={pred!r}")

    def multiset(self, area: str, name: str, golds: list, preds: list) -> None:
        g, p = Counter(golds), Counter(preds)
        tp = sum((g & p).values())
        self.counts[area].update(tp=tp, fp=sum(p.values()) - tp, fn=sum(g.values()) - tp)
        self.misses += [f"{name} {area}: missed {key!r}" for key in g - p]
        self.misses += [f"{name} {area}: extra {key!r}" for key in p - g]

    def total(self) -> Counter:
        out = Counter()
        for c in self.counts.values():
            out.update(c)
        return out


def item_affinity(gold: dict, pred: dict) -> int:
    keys = ["unit_price", "quantity", "amount", "periods"]
    hits = sum(1 for k in keys if gold.get(k) is not None and pred.get(k) is not None
               and same(gold[k], pred[k]))
    if gold.get("service") and pred.get("service") and same(gold["service"], pred["service"]):
        hits += 2
    return hits


def payment_affinity(gold: dict, pred: dict) -> int:
    return (sum(1 for k in PAYMENT_FIELDS if gold.get(k) is not None and same(gold.get(k), pred.get(k)))
            + (1 if gold.get("seq") == pred.get("seq") else 0))


def align(golds: list, preds: list, affinity: Callable[[dict, dict], int], minimum: int):
    """Greedy best-first pairing; returns (pairs, unmatched golds, unmatched preds)."""
    scored = sorted(((affinity(g, p), -abs(i - j), i, j)
                     for i, g in enumerate(golds) for j, p in enumerate(preds)), reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for score, _, i, j in scored:
        if score < minimum or i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((i, j))
    return (sorted(pairs), [i for i in range(len(golds)) if i not in used_g],
            [j for j in range(len(preds)) if j not in used_p])


def _aligned(tally: Tally, area: str, name: str, words: tuple[str, str], golds: list, preds: list,
             fields: list[str], affinity, minimum: int) -> None:
    """Pair rows, then score their fields; `words` name unpaired rows in the misses."""
    missed, extra = words
    pairs, g_left, p_left = align(golds, preds, affinity, minimum)
    for i, j in pairs:
        for f in fields:
            tally.field(area, f"{name} {area}[{i}].{f}", get(golds[i], f), get(preds[j], f))
    for i in g_left:
        for f in fields:
            tally.field(area, f"{name} {area}[{i}].{f} ({missed})", get(golds[i], f), None)
    for j in p_left:
        for f in fields:
            tally.field(area, f"{name} {extra} {j}.{f}", None, get(preds[j], f))


def penalty_key(p: dict) -> tuple:
    rate, fixed, cap = p.get("rate"), p.get("fixed_amount"), p.get("cap_rate")
    return (None if rate is None else round(rate, 6), p.get("base"), bool(p.get("per_day")),
            None if cap is None else round(cap, 6), None if fixed is None else round(fixed, 2))


def finding_key(f: dict) -> tuple:
    found = f.get("found")
    return (f.get("check"), round(found, 2) if isinstance(found, (int, float)) else norm_text(found))


def _errors(record: dict) -> list[tuple]:
    return [finding_key(f) for f in record.get("findings") or [] if f.get("severity", "error") == "error"]


def score_record(gold: dict, pred: dict, tally: Tally, name: str) -> None:
    for f in CONTRACT_FIELDS:
        tally.field("contract", f"{name} contract.{f}", get(gold, f"contract.{f}"), get(pred, f"contract.{f}"))

    pred_parties = {p.get("role"): p for p in pred.get("parties") or []}
    for party in gold.get("parties") or []:
        other = pred_parties.get(party.get("role"), {})
        for f in PARTY_FIELDS:
            tally.field("parties", f"{name} {party.get('role')}.{f}", party.get(f), other.get(f))

    _aligned(tally, "line_items", name, ("row missed", "extra row"), gold.get("line_items") or [],
             pred.get("line_items") or [], ITEM_FIELDS, item_affinity, 2)

    def sums(record: dict) -> list[float]:
        return [round(s["amount"], 2) for s in record.get("subtotals") or [] if s.get("amount") is not None]
    tally.multiset("subtotals", name, sums(gold), sums(pred))

    _aligned(tally, "payments", name, ("missed", "extra payment"), gold.get("payments") or [],
             pred.get("payments") or [],
             PAYMENT_FIELDS, payment_affinity, 1)

    tally.multiset("penalties", name, [penalty_key(p) for p in gold.get("penalties") or []],
                   [penalty_key(p) for p in pred.get("penalties") or []])

    for f in LEVEL_FIELDS:
        tally.field("service_levels", f"{name} service_levels.{f}", get(gold, f"service_levels.{f}"),
                    get(pred, f"service_levels.{f}"))

    golds, preds = _errors(gold), _errors(pred)
    tally.multiset("findings", name, golds, preds)
    g, p = Counter(golds), Counter(preds)
    for key in set(g) | set(p):
        both = min(g[key], p[key])
        tally.by_check.setdefault(key[0], Counter()).update(tp=both, fp=p[key] - both, fn=g[key] - both)


def score(golds: dict[str, dict], preds: dict[str, dict]) -> Tally:
    """Score predictions against true records, both keyed by record file name."""
    tally = Tally()
    for name, gold in golds.items():
        score_record(gold, preds.get(name) or {}, tally, name)
    return tally


def read_records(folder: Path) -> dict[str, dict]:
    """Record files (*.json objects) of a folder by file name; other files are left out."""
    found = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(data, dict):
            found[path.name] = data
    return found


# -- running the extraction --------------------------------------------------------

@dataclass
class Run:
    golds: dict[str, dict]
    preds: dict[str, dict]
    failures: dict[str, str]  # record name -> why no prediction
    tally: Tally


def _extract(path: Path) -> tuple[Optional[dict], Optional[str]]:
    from pipeline.errors import InputError
    from pipeline.language import extract_file

    try:
        doc = extract_file(path)
    except InputError as err:
        return None, f"{err.code}: {err.message}"
    return doc.record.to_json_dict(), None


def extract_all(paths: list[Path], jobs: int = 1) -> Iterable[tuple[Path, Optional[dict], Optional[str]]]:
    if jobs <= 1:
        for path in paths:
            yield (path, *_extract(path))
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for path, (record, error) in zip(paths, pool.map(_extract, paths, chunksize=4)):
            yield path, record, error


def evaluate(directory: Path, truth: Optional[Path] = None, out: Optional[Path] = None,
             jobs: int = 1) -> Run:
    """Extract every source file of `directory` that has a true record and score the results.

    True records are read from `truth` (default `directory/truth`); each names its
    source in `document`. Extracted records are written to `out` when given.
    """
    golds = read_records(truth or directory / "truth")
    sources = {name: directory / gold.get("document", "") for name, gold in golds.items()}
    failures = {name: "source file not found" for name, path in sources.items() if not path.is_file()}
    todo = {path: name for name, path in sources.items() if name not in failures}
    preds: dict[str, dict] = {}
    if out:
        out.mkdir(parents=True, exist_ok=True)
    for path, record, error in extract_all(list(todo), jobs):
        name = todo[path]
        if record is None:
            failures[name] = error
            continue
        preds[name] = record
        if out:
            (out / name).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Run(golds, preds, failures, score(golds, preds))


def report(run: Run, show_misses: bool = False) -> str:
    tally = run.tally
    lines = [f"{len(run.golds)} documents, {len(run.preds)} extracted",
             f"{'area':<16}{'tp':>7}{'fp':>7}{'fn':>7}{'P':>8}{'R':>8}{'F1':>8}"]

    def row(label: str, c: Counter) -> str:
        p, r, f = prf(c)
        return f"{label:<16}{c['tp']:>7}{c['fp']:>7}{c['fn']:>7}{p:>8.3f}{r:>8.3f}{f:>8.3f}"

    lines += [row(area, tally.counts[area]) for area in AREAS]
    lines.append(row("overall", tally.total()))
    p, r, _ = prf(tally.counts["findings"])
    lines += ["", f"findings (errors, paired by check and found): precision {p:.3f}  recall {r:.3f}"]
    lines += ["  " + row(check, c) for check, c in sorted(tally.by_check.items())]
    for name, why in sorted(run.failures.items()):
        lines.append(f"no prediction for {name}: {why}")
    if show_misses:
        lines += ["", "misses:"] + ["  " + miss for miss in tally.misses]
    return "\n".join(lines)


def scores_json(run: Run) -> dict:
    areas = {}
    for area, c in list(run.tally.counts.items()) + [("overall", run.tally.total())]:
        p, r, f = prf(c)
        areas[area] = {"tp": c["tp"], "fp": c["fp"], "fn": c["fn"], "precision": p, "recall": r, "f1": f}
    checks = {}
    for check, c in run.tally.by_check.items():
        p, r, f = prf(c)
        checks[check] = {"tp": c["tp"], "fp": c["fp"], "fn": c["fn"], "precision": p, "recall": r}
    return {"areas": areas, "findings_by_check": checks, "failures": run.failures, "misses": run.tally.misses}
