"""Extractors: stage 3 of the pipeline, and the value normalization behind it.

`run_extractors` runs each extractor over the segmented document in order; each
fills its part of `doc.record` and cites evidence for every value it sets.
"""
from __future__ import annotations

from pipeline.document import ContractDoc


def run_extractors(doc: ContractDoc) -> ContractDoc:
    from extractors import (line_items, metadata, parties, payments, penalties, restatements,
                            service_levels, stated_amounts)
    for extractor in (metadata.extract, parties.extract, line_items.extract, restatements.extract,
                      stated_amounts.extract, payments.extract, penalties.extract, service_levels.extract):
        doc = extractor(doc)
    return doc
