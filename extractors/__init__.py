"""Extractors: stage 3 of the pipeline, and the value normalization behind it.

Each extractor fills its part of `doc.record`, cites evidence for every value it
sets, and leaves how the document stated its figures in `doc.statements`. Each
declares what it reads and what it writes; `run_extractors` orders them so that
every extractor runs after those that write what it reads, and refuses a
registry where two write the same thing (unless the second also reads it: it
adds to what the first wrote) or the reads form a cycle.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from pipeline.document import ContractDoc


@dataclass(frozen=True)
class Extractor:
    name: str
    module: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]

    @property
    def run(self) -> Callable[[ContractDoc], ContractDoc]:
        from importlib import import_module
        return import_module(f"extractors.{self.module}").extract


#: What each extractor reads and writes: record parts (contract, parties, …) and
#: `statements.<field>`. Segments and tables are there before any extractor runs.
EXTRACTORS: tuple[Extractor, ...] = (
    Extractor("metadata", "metadata", reads=(),
              writes=("contract", "statements.totals", "statements.total_in_words", "statements.term")),
    Extractor("parties", "parties", reads=(), writes=("parties",)),
    Extractor("line_items", "line_items", reads=("contract", "statements.totals"),
              writes=("line_items", "subtotals", "statements.table_totals", "statements.total_covers",
                      "statements.subtotal_covers")),
    Extractor("restatements", "restatements", reads=("line_items",), writes=("statements.restated_quantities",)),
    Extractor("stated_amounts", "stated_amounts", reads=("statements.totals", "subtotals"),
              writes=("subtotals", "statements.labelled_amounts")),
    Extractor("payments", "payments", reads=(), writes=("payments", "statements.payments")),
    Extractor("penalties", "penalties", reads=(), writes=("penalties",)),
    Extractor("service_levels", "service_levels", reads=(), writes=("service_levels",)),
)


def execution_order(extractors: tuple[Extractor, ...]) -> list[Extractor]:
    """The extractors, each after every other that writes what it reads (stable otherwise)."""
    writer: dict[str, str] = {}
    for extractor in extractors:
        for target in extractor.writes:
            if target in writer and target not in extractor.reads:
                raise ValueError(f"{target} is written by both {writer[target]} and {extractor.name}")
            writer.setdefault(target, extractor.name)
    by_name = {e.name: e for e in extractors}
    ordered: list[Extractor] = []
    visiting: set[str] = set()

    def visit(extractor: Extractor) -> None:
        if extractor in ordered:
            return
        if extractor.name in visiting:
            raise ValueError(f"the reads of {extractor.name} form a cycle")
        visiting.add(extractor.name)
        for target in extractor.reads:
            source = writer.get(target)
            if source is None:
                raise ValueError(f"{extractor.name} reads {target}, which no extractor writes")
            if source != extractor.name:
                visit(by_name[source])
        visiting.discard(extractor.name)
        ordered.append(extractor)

    for extractor in extractors:
        visit(extractor)
    return ordered


@lru_cache(maxsize=None)
def _ordered() -> tuple[Extractor, ...]:
    return tuple(execution_order(EXTRACTORS))


def run_extractors(doc: ContractDoc) -> ContractDoc:
    for extractor in _ordered():
        doc = extractor.run(doc)
    return doc
