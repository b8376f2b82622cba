"""Extractor: penalty (违约金) clauses: rate, base, per day, cap, fixed sum.

Sentences that speak of 违约金/违约责任 are read for percentages (each with the
base phrase before it), a per-day wording, a cap ("最高不超过合同总额的 10%"),
fixed sums ("违约金 5000 元") and month multiples ("相当于两个月服务费的违约金").
Annex tables whose header names 违约金 give one penalty per row, with the base
from the header's 取费基数. Penalties are kept once per distinct
(rate, base, per_day, cap_rate, fixed_amount), the first clause supplying the
trigger. Words live in extractors/vocab/clauses.toml.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import regex

from extractors.common import as_written, prose_lines, sentences
from extractors.lexicon import alternation, load
from extractors.values.numbers import RATE, parse_small_int, rate_value, to_decimal
from pipeline.document import ContractDoc, Span
from schemas import Penalty

NEAR_BASE_CHARS = 16
FIXED = regex.compile(r"违约金\s*(?:为|计)?\s*(?:人民币)?\s*[¥￥]?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<wan>万)?元"
                      r"|(?P<m>\d+(?:\.\d+)?)\s*(?P<wan2>万)?元\s*(?:的)?违约金")
FIXED_CELL = regex.compile(r"[¥￥]?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<wan>万)?\s*元?(?:/(?:日|天|次))?")
MONTHS = regex.compile(r"(?P<n>\d+|[一二两三四五六七八九十]+)\s*个月[^。；,，]{0,8}?(?:服务费|费用)[^。；,，]{0,4}?违约金")
MAX_TRIGGER_CHARS = 120


@lru_cache(maxsize=None)
def vocab() -> dict:
    spec = load("clauses")["penalties"]
    bases = {phrase: base for base, phrases in spec["bases"].items() for phrase in phrases}
    return {
        "keyword": regex.compile(alternation(spec["keywords"])),
        "per_day": regex.compile(alternation(spec["per_day"])),
        "cap": regex.compile(r"(?:" + alternation(spec["cap"]) + r")[^%‰‱。；]{0,24}?(?P<rate>" + RATE.pattern + r")"),
        "base": regex.compile(alternation(list(bases))),
        "bases": bases,
    }


def extract(doc: ContractDoc) -> ContractDoc:
    found: list[tuple[Penalty, list[Span]]] = []
    for sentence in sentences(doc, prose_lines(doc, ("clause", "annex", "preamble"))):
        if not vocab()["keyword"].search(sentence.text):
            continue
        found.extend(read_sentence(sentence))
    found.extend(read_tables(doc))
    doc.record.penalties = []
    seen: set[tuple] = set()
    for penalty, spans in found:
        if penalty.key() in seen:
            continue
        seen.add(penalty.key())
        index = len(doc.record.penalties)
        doc.record.penalties.append(penalty)
        doc.cite(f"penalties[{index}]", spans)
    return doc


def base_of(text: str) -> Optional[str]:
    """The base named last before a rate; a specific base beats the contract total
    when both stand right before it ("未履行部分合同金额的 30%")."""
    matches = list(vocab()["base"].finditer(text))
    if not matches:
        return None
    bases = [vocab()["bases"][m.group()] for m in matches]
    near = [b for m, b in zip(matches, bases) if m.end() >= len(text) - NEAR_BASE_CHARS]
    specific = [b for b in near if b != "contract_total"]
    return specific[-1] if specific else bases[-1]


def read_sentence(sentence: Span) -> list[tuple[Penalty, list[Span]]]:
    text = sentence.text
    results: list[tuple[Penalty, list[Span]]] = []
    caps = {m.start("rate"): m for m in vocab()["cap"].finditer(text)}
    cap_rate = None
    for cap in caps.values():
        value = rate_value(cap)
        if value is not None:
            cap_rate = float(value)
    trigger = _trigger(sentence)
    previous_end = 0
    for match in RATE.finditer(text):
        if match.start() in caps:
            continue
        value = rate_value(match)
        if value is None:
            continue
        before = text[previous_end:match.start()]
        previous_end = match.end()
        after = text[match.end():match.end() + 12]
        if not (vocab()["keyword"].search(after) or regex.search(r"的?\s*(?:违约金|违约责任)", after)
                or vocab()["keyword"].search(before[-12:])):
            if not regex.match(r"\s*(?:的|作为|计算|支付|承担)", after):
                continue
        base = base_of(before) or base_of(after) or "other"
        per_day = bool(vocab()["per_day"].search(before))
        results.append((Penalty(trigger=trigger, rate=float(value), base=base, per_day=per_day,
                                cap_rate=cap_rate), [sentence.sub(match.start(), match.end())]))
    for match in MONTHS.finditer(text):
        n = parse_small_int(match.group("n"))
        if n:
            results.append((Penalty(trigger=trigger, rate=float(n), base="monthly_fee"),
                            [sentence.sub(match.start(), match.end())]))
    for match in FIXED.finditer(text):
        raw = match.group("n") or match.group("m")
        value = to_decimal(raw)
        if value is None:
            continue
        if match.group("wan") or match.group("wan2"):
            value *= 10000
        per_day = bool(vocab()["per_day"].search(text[:match.start()]))
        results.append((Penalty(trigger=trigger, fixed_amount=float(value), base=None, per_day=per_day),
                        [sentence.sub(match.start(), match.end())]))
    return results


def _trigger(sentence: Span) -> Optional[str]:
    text = as_written(sentence) or ""
    text = regex.sub(r"^\s*(?:[-•]\s*)?(?:\d+[、.．)]|[(（]\d+[)）])\s*", "", text)
    return text[:MAX_TRIGGER_CHARS] or None


def read_tables(doc: ContractDoc) -> list[tuple[Penalty, list[Span]]]:
    """Rows of tables headed by a 违约金 column: one rate per row."""
    results: list[tuple[Penalty, list[Span]]] = []
    for table in doc.tables:
        rows = ([table.header] if table.header else []) + table.rows
        header_index = next((i for i, row in enumerate(rows)
                             if vocab()["keyword"].search(row.text) and not RATE.search(row.cells[-1].text)), None)
        if header_index is None:
            continue
        header_text = rows[header_index].text
        base = base_of(header_text) or "other"
        per_day = bool(vocab()["per_day"].search(header_text))
        fixed_column = bool(regex.search(r"违约金\s*[(（]\s*(?:万)?元", header_text))
        for row in rows[header_index + 1:]:
            last = row.cells[-1]
            texts = [c for c in row.cells[:-1] if not regex.fullmatch(r"\d+", c.text)]
            trigger = as_written([c.span for c in texts]) if texts else None
            row_per_day = per_day or bool(vocab()["per_day"].search(row.text))
            match = RATE.fullmatch(last.text.strip())
            if match:
                value = rate_value(match)
                if value is not None:
                    results.append((Penalty(trigger=trigger, rate=float(value), base=base,
                                            per_day=row_per_day), [last.span]))
                continue
            amount = FIXED_CELL.fullmatch(last.text.strip()) if fixed_column else None
            if amount:
                value = to_decimal(amount.group("n"))
                if value is not None:
                    if amount.group("wan") or "万元" in header_text:
                        value *= 10000
                    results.append((Penalty(trigger=trigger, fixed_amount=float(value), base=None,
                                            per_day=row_per_day), [last.span]))
    return results
