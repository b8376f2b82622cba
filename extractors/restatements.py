"""Extractor: quantities restated in the body ("云主机 vCPU 共 1200 核、内存 2400GB").

A figure with a unit in a body sentence is matched to the one price row whose
service and base unit it names; the cross-check compares the two after unit
normalization. A figure that could belong to several rows is left alone.
"""
from __future__ import annotations

from decimal import Decimal

import regex

from extractors.common import Statement, prose_lines, sentences
from extractors.values.units import read_unit, service_unit_rule
from pipeline.document import ContractDoc

QUANTITY = regex.compile(
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>核|vCPU|个IP|IP|GB|TB|PB|Gb|Mb|Mbps|G|T|M|兆|台|套|路|个站点|站点|账号|个)(?![A-Za-z\d]|月|工作日|小时|自然日|季度)")
PIECE = regex.compile(r"[、，,；;：:]")
MIN_WORDS = 2


def extract(doc: ContractDoc) -> ContractDoc:
    items = doc.record.line_items
    found: list[tuple[int, Statement]] = []
    if not any(item.quantity is not None for item in items):
        doc.facts["restated_quantities"] = found
        return doc
    for sentence in sentences(doc, prose_lines(doc, ("preamble", "clause"))):
        text = sentence.text
        if "%" in text:
            continue
        for match in QUANTITY.finditer(text):
            start = max([m.end() for m in PIECE.finditer(text, 0, match.start())], default=0)
            context = text[start:match.start()]
            index = matching_item(doc, context, match.group("u"))
            if index is None:
                continue
            reading = read_unit(match.group("n") + match.group("u"), context)
            if reading is None:
                continue
            found.append((index, Statement(Decimal(reading.count), sentence.sub(match.start(), match.end()))))
    doc.facts["restated_quantities"] = found
    return doc


def matching_item(doc: ContractDoc, context: str, unit: str):
    """The one price row the context names, if exactly one fits."""
    rule = service_unit_rule(context + unit)
    if rule is None:
        return None
    candidates = []
    compact = context.replace(" ", "")
    for i, item in enumerate(doc.record.line_items):
        if item.normalized.unit != rule.base or item.normalized.quantity is None or not item.service:
            continue
        service = item.service.replace(" ", "")
        shared = _shared_words(compact, service)
        if shared >= MIN_WORDS:
            candidates.append((shared, i))
    if not candidates:
        return None
    candidates.sort(reverse=True)
    if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
        return None
    return candidates[0][1]


def _shared_words(context: str, service: str) -> int:
    """Length of the longest run of characters the two texts share."""
    best = 0
    for i in range(len(context)):
        for j in range(i + best + 1, len(context) + 1):
            if context[i:j] in service:
                best = j - i
            else:
                break
    return best
