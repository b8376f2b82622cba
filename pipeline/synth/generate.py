"""Generate synthetic contracts with their true records, and write them to a folder.

Contract `index` of seed `seed` depends on nothing else, so a batch is
reproducible and any one contract can be regenerated alone. Three random streams
draw it: the main one, `variants` for the layout variants and `families` for the
layout families (style.py), so that adding a variant or a family changes only
the contracts it applies to. Each source file
gets its own truth record `truth/<stem>.json` whose `document` names it:
`syn_0001.txt`, `syn_0001_text.pdf` (text layer), `syn_0001_scan.pdf` (image only).
"""
from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.synth.compose import compose
from pipeline.synth.errors import Injector
from pipeline.synth.facts import Facts, derive_statements, derive_sums, plan
from pipeline.synth.model import Document
from pipeline.synth.style import Style, choose_families, choose_style
from pipeline.synth.truth import true_record
from schemas import ContractRecord

SUFFIXES = {"txt": ".txt", "pdf": "_text.pdf", "scan": "_scan.pdf"}
CATALOGUE_SHARE = 0.12


@dataclass
class Contract:
    stem: str
    style: Style
    facts: Facts
    document: Document
    record: ContractRecord  # for the .txt source; `record_for` renames it

    def record_for(self, file_name: str) -> ContractRecord:
        return self.record.model_copy(update={"document": file_name})


def generate(seed: int, index: int, error_rate: float = 0.0) -> Contract:
    rng = random.Random(f"contracts-synth:{seed}:{index}")
    variants = random.Random(f"contracts-synth-variants:{seed}:{index}")
    families = random.Random(f"contracts-synth-families:{seed}:{index}")
    style = choose_style(rng, catalogue=rng.random() < CATALOGUE_SHARE, variants=variants)
    choose_families(style, families)
    facts = plan(rng, style, variants, families)
    injector = Injector(rng, error_rate)
    injector.choose(facts)
    injector.rows(facts)
    derive_sums(facts, rng, style)
    injector.sums(facts)
    derive_statements(facts, rng)
    injector.statements(facts)
    stem = f"syn_{index:04d}"
    document = compose(facts, style, rng)
    return Contract(stem, style, facts, document, true_record(facts, stem + SUFFIXES["txt"]))


def write_contract(contract: Contract, out: Path, formats: tuple[str, ...]) -> list[Path]:
    """Write the requested renderings and a truth record for each; returns the source files."""
    from pipeline.synth.render_text import encode, render_text

    truth = out / "truth"
    truth.mkdir(parents=True, exist_ok=True)
    written = []
    if "txt" in formats:
        path = out / (contract.stem + SUFFIXES["txt"])
        path.write_bytes(encode(render_text(contract.document, contract.style.text), contract.style.text))
        written.append(path)
    if "pdf" in formats or "scan" in formats:
        from pipeline.synth.render_pdf import render_pdf
        from pipeline.synth.scan import scan_pdf

        with tempfile.TemporaryDirectory() as tmp:
            pdf = (out if "pdf" in formats else Path(tmp)) / (contract.stem + SUFFIXES["pdf"])
            render_pdf(contract.document, pdf)
            if "pdf" in formats:
                written.append(pdf)
            if "scan" in formats:
                scan = out / (contract.stem + SUFFIXES["scan"])
                scan_pdf(pdf, scan, seed=contract.style.text.seed)
                written.append(scan)
    for path in written:
        record = contract.record_for(path.name).to_json_dict()
        (truth / (path.stem + ".json")).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n",
                                                   encoding="utf-8")
    return written


def write_batch(out: Path, count: int, seed: int = 0, error_rate: float = 0.0,
                formats: tuple[str, ...] = ("txt",), start: int = 1) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(start, start + count):
        written += write_contract(generate(seed, index, error_rate), out, formats)
    return written
