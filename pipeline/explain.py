"""What each stage saw in one document, as plain text: `contracts explain`.

Three views, so that a misread can be traced in a minute:

* lines: every line with its number, page, section kind and flags (furniture,
  table row), as the text stage and the segmenter left them;
* tables: each table with its header's column roles and its rows' cells;
* keys: the key/value statements of the parties, with the party whose context
  each stands in (the layout stage's reading, before the extractor chooses);
* candidates: the statements the extractors proposed (totals, table totals,
  labelled amounts, payment statements), the readings the resolver chose, and
  the findings the checks raised.
"""
from __future__ import annotations

from typing import Iterator

from pipeline.document import ContractDoc

STAGES = ("lines", "tables", "keys", "candidates")
CELL_SEPARATOR = " | "
MAX_LINE_CHARS = 110


def explain(doc: ContractDoc, stages: tuple[str, ...] = STAGES) -> Iterator[str]:
    """The report's lines for the given stages, in pipeline order."""
    views = {"lines": line_view, "tables": table_view, "keys": key_view, "candidates": candidate_view}
    for stage in stages:
        yield f"== {stage} =="
        yield from views[stage](doc)


def _clip(text: str) -> str:
    text = text.replace("\t", " ⇥ ")
    return text if len(text) <= MAX_LINE_CHARS else text[:MAX_LINE_CHARS - 1] + "…"


def line_view(doc: ContractDoc) -> Iterator[str]:
    kind_of = {}
    for section in doc.sections:
        for number in range(section.first_line, section.end_line):
            kind_of[number] = section.kind
    for line in doc.lines:
        flags = "F" if line.furniture else ("T" if doc.rows and doc.rows[line.number] is not None else " ")
        yield (f"{line.number:5d} p{line.span.page:<3d} {kind_of.get(line.number, '?'):9s} {flags} "
               f"{_clip(line.text)}")
    yield "flags: F page furniture (headers, footers, page numbers), T table row"


def table_view(doc: ContractDoc) -> Iterator[str]:
    if not doc.tables:
        yield "no tables"
    for n, table in enumerate(doc.tables):
        kind = "price/order table" if table.is_price_table else "other table"
        first = table.header.line.number if table.header else table.rows[0].line.number
        yield f"table {n} ({kind}) from line {first}, {len(table.rows)} rows"
        roles = ", ".join(f"col {c.column}: {c.role}" + (f" ({c.hint})" if c.hint else "") for c in table.columns)
        yield f"  columns: {roles or 'no header'}"
        for row in table.rows:
            yield f"  {row.line.number:5d}  " + _clip(CELL_SEPARATOR.join(c.text for c in row.cells))


def key_view(doc: ContractDoc) -> Iterator[str]:
    if not doc.key_values:
        yield "no key/value statements"
    for statement in doc.key_values:
        label = statement.label.text if statement.label is not None else "(key on the line above)"
        line = doc.text.count("\n", 0, statement.value.start)
        yield f"{line:5d}  {statement.party:8s} {statement.field:15s} {_clip(label)} → {_clip(statement.value.text)}"


def candidate_view(doc: ContractDoc) -> Iterator[str]:
    stated = doc.statements
    for statement, words in stated.totals:
        spelled = f" (大写 {words.value})" if words is not None else ""
        yield f"total statement: {statement.value}{spelled} at {statement.span.start} «{_clip(statement.span.text)}»"
    for statement in stated.table_totals:
        yield f"table total: {statement.value} at {statement.span.start}"
    for amount in stated.labelled_amounts:
        yield f"labelled amount: {amount.label} = {amount.statement.value} at {amount.statement.span.start}"
    for k, found in enumerate(stated.payments):
        parts = ", ".join(f"{key}={figure.value}" for key, figure in
                          (("percent", found.percent), ("amount", found.amount), ("大写", found.words)) if figure)
        yield f"payment {k + 1}: {parts or 'no figure'}" + (f" base={found.base}" if found.base else "")
    meta = doc.record.contract
    yield f"chosen: total {meta.total_amount}, term {meta.term_months} months, tax rate {meta.tax_rate}"
    for resolution in doc.resolutions:
        yield f"resolver: {resolution.subject}: {resolution.reading}"
    for finding in doc.record.findings:
        yield (f"finding: {finding.severity} {finding.check} on {finding.subject}: "
               f"expected {finding.expected}, found {finding.found}")
    for warning in doc.warnings:
        yield f"warning: {warning}"
