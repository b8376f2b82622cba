"""Extractor: service levels (platform availability, data reliability).

The first commitment in the body counts: "平台可用性须不低于 99.95%", "可用率≥99.5%",
"数据持久性达到 99.999%", and the LaTeX that PDF-to-markdown OCR writes,
"主机可用率 $\\geqslant 99.95 \\%$". A level after a negation ("可用率未达到 99.5% 时")
is a breach, not a commitment; penalty thresholds in annexes ("可用率低于 99.5% 的")
restate levels and come later. Words live in extractors/vocab/clauses.toml.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import regex

from extractors.common import doc_lines, sentences
from extractors.lexicon import alternation, load
from extractors.values.numbers import to_decimal
from pipeline.document import ContractDoc, Span

MAX_GAP = 12
#: Between a threshold and its figure: spaces and the `$` of inline LaTeX.
MATH_SPACE = r"[\s$]*"
#: A percent sign as written, LaTeX-escaped ("\%") or full-width included.
PERCENT_SIGN = r"\s*\\?[%％]"


@lru_cache(maxsize=None)
def patterns() -> dict[str, regex.Pattern]:
    spec = load("clauses")["service_levels"]
    threshold = alternation(spec["threshold_words"])
    not_after = {"availability": spec["availability_not_after"], "data_reliability": []}
    return {
        name: regex.compile(
            (r"(?<!" + alternation(not_after[name]) + r")" if not_after[name] else "")
            + r"(?:" + alternation(spec[name]) + r")(?:(?P<gap>[^。；;\d%％]{0," + str(MAX_GAP) + r"}?)(?:"
            + threshold + r")|\s*[:：]?)" + MATH_SPACE + r"(?P<n>\d+(?:\.\d+)?)" + PERCENT_SIGN)
        for name in ("availability", "data_reliability")
    }


@lru_cache(maxsize=None)
def negation() -> regex.Pattern:
    return regex.compile(r"(?:" + alternation(load("clauses")["service_levels"]["negations"]) + r")\s*$")


def extract(doc: ContractDoc) -> ContractDoc:
    levels = doc.record.service_levels
    body = list(sentences(doc, doc_lines(doc, ("preamble", "clause", "annex"))))
    for name, pattern in patterns().items():
        for sentence in body:
            found = commitment(sentence, pattern)
            if found is None:
                continue
            value, span = found
            setattr(levels, name, value)
            doc.cite(f"service_levels.{name}", span)
            break
    return doc


def commitment(sentence: Span, pattern: regex.Pattern) -> Optional[tuple[float, Span]]:
    """The first level a sentence commits to, as a fraction, with the span of its figure."""
    for match in pattern.finditer(sentence.text):
        if match.group("gap") and negation().search(match.group("gap")):
            continue
        value = to_decimal(match.group("n"))
        if value is None or value > 100:
            continue
        return float(value / 100), sentence.sub(match.start("n"), match.end())
    return None
