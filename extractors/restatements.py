"""Extractor: quantities restated in the body ("云主机 vCPU 共 1200 核、内存 2400GB").

A figure with a unit in a body sentence is matched to the one price row whose
service and base unit it names; the cross-check compares the two after unit
normalization. A figure that could belong to several rows is left alone. Units and
words live in extractors/vocab/restatements.toml.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import regex

from extractors.common import prose_lines, sentences
from extractors.lexicon import alternation, load
from extractors.statements import Statement
from extractors.values.units import read_unit, service_unit_rule
from pipeline.document import ContractDoc

PIECE = regex.compile(r"[、，,；;：:]")
MIN_SIMILARITY = 0.8
MIN_MARGIN = 0.15


@lru_cache(maxsize=None)
def patterns() -> dict[str, regex.Pattern]:
    spec = load("restatements")
    return {
        "quantity": regex.compile(
            r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>" + alternation(spec["quantity_units"]) + r")(?![A-Za-z\d]|"
            + alternation(spec["time_words"]) + r")"),
        "verb": regex.compile(alternation(spec["service_verbs"])),
        "sum": regex.compile(alternation(spec["sum_words"])),
    }


def extract(doc: ContractDoc) -> ContractDoc:
    items = doc.record.line_items
    found: list[tuple[int, Statement]] = []
    if not any(item.quantity is not None for item in items):
        doc.statements.restated_quantities = found
        return doc
    for sentence in sentences(doc, prose_lines(doc, ("preamble", "clause"))):
        text = sentence.text
        if "%" in text:
            continue
        for match in patterns()["quantity"].finditer(text):
            start = max([m.end() for m in PIECE.finditer(text, 0, match.start())], default=0)
            context = text[start:match.start()]
            index = matching_item(doc, context, match.group("u"))
            if index is None:
                continue
            reading = read_unit(match.group("n") + match.group("u"), context)
            if reading is None:
                continue
            found.append((index, Statement(Decimal(reading.count), sentence.sub(match.start(), match.end()))))
    doc.statements.restated_quantities = found
    return doc


def matching_item(doc: ContractDoc, context: str, unit: str):
    """The one price row the context names: the only row in that base unit, or
    the one whose name clearly holds the restating words."""
    rule = service_unit_rule(context + unit)
    if rule is None:
        return None
    named = _compact(_service_words(context))
    candidates = []
    for i, item in enumerate(doc.record.line_items):
        if item.normalized.unit != rule.base or item.normalized.quantity is None or not item.service:
            continue
        candidates.append((_similarity(named, _compact(item.service)), i))
    if len(candidates) == 1:
        return candidates[0][1]
    if not candidates:
        return None
    candidates.sort(reverse=True)
    best = candidates[0]
    if best[0] < MIN_SIMILARITY:
        return None
    if len(candidates) > 1 and best[0] - candidates[1][0] < MIN_MARGIN:
        return None
    return best[1]


def _service_words(context: str) -> str:
    """The words naming the service: what follows the last verb, without 共/合计."""
    named = patterns()["verb"].split(context)[-1]
    return patterns()["sum"].sub("", named)


def _compact(text: str) -> str:
    return regex.sub(r"[\s\-—_()（）]", "", text)


def _similarity(named: str, service: str) -> float:
    """How much of the restating words the service name holds: the mean of the
    shares of their characters and of their character pairs."""
    if not named:
        return 0.0
    chars = sum(1 for ch in named if ch in service) / len(named)
    pairs = {named[i:i + 2] for i in range(len(named) - 1)}
    pair_share = sum(1 for p in pairs if p in service) / len(pairs) if pairs else chars
    return (chars + pair_share) / 2
