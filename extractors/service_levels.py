"""Extractor: service levels (platform availability, data reliability).

The first commitment in the body ("可用性应不低于 99.99%", "数据持久性 99.9999999%") counts; penalty
thresholds in annexes ("可用性低于 99.99% 的") restate levels and come later.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from extractors.common import doc_lines, sentences
from extractors.lexicon import alternation, load
from extractors.values.numbers import to_decimal
from pipeline.document import ContractDoc

MAX_GAP = 12


@lru_cache(maxsize=None)
def patterns() -> dict[str, regex.Pattern]:
    spec = load("clauses")["service_levels"]
    threshold = alternation(spec["threshold_words"])
    return {
        name: regex.compile(
            r"(?<!数据)(?:" + alternation(spec[name]) + r")(?:[^。；;\d%]{0," + str(MAX_GAP) + r"}?(?:" + threshold
            + r")|\s*[:：]?)\s*(?P<n>\d+(?:\.\d+)?)\s*%")
        for name in ("availability", "data_reliability")
    }


def extract(doc: ContractDoc) -> ContractDoc:
    levels = doc.record.service_levels
    for name, pattern in patterns().items():
        for sentence in sentences(doc, doc_lines(doc, ("preamble", "clause", "annex"))):
            match = pattern.search(sentence.text)
            if not match:
                continue
            value = to_decimal(match.group("n"))
            if value is None or value > 100:
                continue
            setattr(levels, name, float(value / 100))
            doc.cite(f"service_levels.{name}", sentence.sub(match.start("n"), match.end()))
            break
    return doc
