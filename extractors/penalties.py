"""Extractor: penalty (违约金) clauses: rate, base, per day, cap, fixed sum.

Sentences that speak of 违约金/违约责任 are read for percentages (each with the
base phrase before it), a per-day wording ("每逾期 1 天"), a cap on the rate it
follows ("累计不超过协议总金额的 3%", "以合同总价款的 6% 为上限"), fixed sums ("违约金
3 万元", "违约金人民币（大写）肆万元", "按人民币 6 万元赔偿") and month multiples
("相当于三个月服务费的违约金"). In penalty sections (违约责任, 考核 …) deductions
count without the word 违约金, the verb before or after the rate: "扣减当月服务费的 2%",
"按当月服务费的 6% 扣减", "每单扣除 800 元". A cap ends up on the penalty whose rate it
bounds; a cap stated in a sentence of its own bounds the per-day rate of the
sentence before. Annex tables whose header names 违约金 give one penalty per row,
with the base from the header's 取费基数. Penalties are kept once per distinct
(rate, base, per_day, cap_rate, fixed_amount), the first clause supplying the
trigger. Words live in extractors/vocab/clauses.toml.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import regex

from extractors.common import as_written, paragraph_sentences, prose_lines
from extractors.lexicon import alternation, load
from extractors.values.numbers import RATE, SUM, parse_small_int, rate_value, sum_value, to_decimal
from pipeline.document import ContractDoc, Span
from schemas import Penalty

NEAR_BASE_CHARS = 16
NEAR_KEYWORD_CHARS = 12
CAP_REACH = 12
FIXED_CELL = regex.compile(r"[¥￥]?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<wan>万)?\s*元?(?:/(?:日|天|次))?")
MAX_TRIGGER_CHARS = 120
CLAUSE_BREAK = regex.compile(r"[,，;；:：(（]")

Found = tuple[Penalty, list[Span]]


@lru_cache(maxsize=None)
def vocab() -> dict:
    spec = load("clauses")["penalties"]
    bases = {phrase: base for base, phrases in spec["bases"].items() for phrase in phrases}
    keyword = alternation(spec["keywords"])
    nouns = alternation(spec["fixed_nouns"])
    return {
        "keyword": regex.compile(keyword),
        "section": regex.compile(alternation(spec["section_words"])),
        "deduct": regex.compile(alternation(spec["deduct_verbs"])),
        "deduct_after": regex.compile(r"\s*(?:" + alternation(spec["deduct_links"]) + r")?\s*(?:"
                                      + alternation(spec["deduct_verbs"]) + r")"),
        "compensate": regex.compile(alternation(spec["fixed_verbs"])),
        "per_day": regex.compile(
            alternation(spec["per_day"]) + r"|(?:" + alternation(spec["every"]) + r")\s*(?:"
            + alternation(spec["delay_words"]) + r")?\s*(?:" + alternation(spec["one"]) + r")\s*(?:"
            + alternation(spec["day_units"]) + r")"),
        "cap": regex.compile(r"(?:" + alternation(spec["cap"]) + r")(?P<phrase>[^%‰‱。；]{0,24}?)(?P<rate>"
                             + RATE.pattern + r")"),
        "cap_after": regex.compile(r"(?P<rate>" + RATE.pattern + r")\s*(?:" + alternation(spec["cap_after"]) + r")"),
        "capped": regex.compile(r"(?:" + alternation(spec["cap"]) + r")\s*$"),
        "level": regex.compile(r"(?:" + alternation(spec["level_words"]) + r")\s*$"),
        "follow": regex.compile(r"\s*(?:" + alternation(spec["rate_follow_words"]) + r")"),
        "months": regex.compile(r"(?P<n>\d+|[一二两三四五六七八九十]+)\s*个月[^。；,，]{0,8}?(?:"
                                + alternation(spec["month_fee_words"]) + r")[^。；,，]{0,4}?(?:" + keyword + r")"),
        "fixed": {
            "after_noun": regex.compile(r"(?:" + nouns + r")\s*+(?:" + alternation(spec["fixed_links"]) + r")?\s*+"
                                        + SUM.pattern),
            "before_noun": regex.compile(SUM.pattern + r"\s*的?\s*(?:" + nouns + r")"),
            "compensation": regex.compile(r"(?:" + alternation(spec["fixed_by"]) + r")\s*" + SUM.pattern
                                          + r"\s*(?:" + alternation(spec["fixed_verbs"]) + r")"),
        },
        "deducted": regex.compile(r"(?:" + alternation(spec["deduct_verbs"]) + r")[^\d，,。；;%‰]{0,8}?" + SUM.pattern),
        "fixed_column": regex.compile(r"(?:" + nouns + r")\s*[(（]\s*(?:万)?元"),
        "base": regex.compile(alternation(list(bases)) + "".join(
            f"|(?P<{base}>{'|'.join(patterns)})" for base, patterns in spec["base_patterns"].items())),
        "bases": bases,
    }


def extract(doc: ContractDoc) -> ContractDoc:
    found: list[Found] = []
    previous: list[Found] = []
    for sentence, in_section in penalty_sentences(doc):
        results, cap = read_sentence(sentence, in_section)
        if cap is not None and not results:
            bound_previous(previous, cap)
        if results or cap is not None:
            previous = results
        found.extend(results)
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


def penalty_sentences(doc: ContractDoc) -> list[tuple[Span, bool]]:
    """Prose sentences that may state a penalty, in document order, each with whether
    it sits in a penalty section (where deductions count without the word 违约金)."""
    wanted = {line.number for line in prose_lines(doc, ("clause", "annex", "preamble"))}
    in_sections = {line.number for s in doc.sections if vocab()["section"].search(s.title)
                   for line in s.lines(doc)}
    chosen: list[tuple[Span, bool]] = []
    for first, found in paragraph_sentences(doc):
        if first not in wanted:
            continue
        in_section = first in in_sections
        for sentence in found:
            text = sentence.text
            if (vocab()["keyword"].search(text) or (in_section and vocab()["deduct"].search(text))
                    or (vocab()["compensate"].search(text) and vocab()["fixed"]["compensation"].search(text))):
                chosen.append((sentence, in_section))
    return chosen


def bound_previous(previous: list[Found], cap: float) -> None:
    """A cap stated on its own bounds the last uncapped per-day rate before it."""
    for penalty, _ in reversed(previous):
        if penalty.rate is not None and penalty.per_day and penalty.cap_rate is None:
            penalty.cap_rate = cap
            return


def base_of(text: str) -> Optional[str]:
    """The base named last before a rate; a specific base beats the contract total
    when both stand right before it ("未履行部分合同金额的 30%"). A base is named by a
    listed phrase or, failing one at that place, by a base pattern ("该软件当年维保费")."""
    matches = list(vocab()["base"].finditer(text))
    if not matches:
        return None
    bases = [vocab()["bases"].get(m.group()) or m.lastgroup for m in matches]
    near = [b for m, b in zip(matches, bases) if m.end() >= len(text) - NEAR_BASE_CHARS]
    specific = [b for b in near if b != "contract_total"]
    return specific[-1] if specific else bases[-1]


def read_sentence(sentence: Span, in_section: bool) -> tuple[list[Found], Optional[float]]:
    """The penalties one sentence states, and the last cap it states on the contract total."""
    text = sentence.text
    trigger = _trigger(sentence)
    caps = caps_of(text)
    rated = read_rates(sentence, trigger, set(caps), in_section)
    attach_caps(rated, caps, sentence.start)
    results = rated + read_months(sentence, trigger) + read_fixed(sentence, trigger, in_section)
    stated = [cap for cap in caps.values() if cap is not None]
    return results, (stated[-1] if stated else None)


def attach_caps(rated: list[Found], caps: dict[int, Optional[float]], offset: int) -> None:
    """Each cap bounds the last rate stated before it, or the first one when it comes first."""
    for position, cap in caps.items():
        if cap is None or not rated:
            continue
        before = [penalty for penalty, spans in rated if spans[0].end - offset <= position]
        (before[-1] if before else rated[0][0]).cap_rate = cap


def caps_of(text: str) -> dict[int, Optional[float]]:
    """Where each cap's rate starts, with the cap as a fraction of the contract total
    (None when it bounds by another base, which SCHEMA.md's cap_rate cannot hold).
    The cap words stand before the rate ("累计不超过合同总额的 6%") or after it
    ("以合同总价款的 6% 为上限")."""
    caps: dict[int, Optional[float]] = {}
    for match in vocab()["cap"].finditer(text):
        caps[match.start("rate")] = cap_value(match, match.group("phrase"))
    for match in vocab()["cap_after"].finditer(text):
        breaks = [m.end() for m in CLAUSE_BREAK.finditer(text, 0, match.start())]
        caps[match.start("rate")] = cap_value(match, text[breaks[-1] if breaks else 0:match.start()])
    return caps


def cap_value(match: regex.Match, phrase: str) -> Optional[float]:
    """A cap's rate as a fraction of the contract total, when the phrase before it names the total."""
    value = rate_value(match)
    return float(value) if value is not None and base_of(phrase) == "contract_total" else None


def read_rates(sentence: Span, trigger: Optional[str], caps: set[int], in_section: bool) -> list[Found]:
    """One penalty per rate that is not a cap, with the base phrase before it."""
    text = sentence.text
    results: list[Found] = []
    previous_end = 0
    for match in RATE.finditer(text):
        if match.start() in caps:
            continue
        value = rate_value(match)
        if value is None:
            continue
        before = text[previous_end:match.start()]
        previous_end = match.end()
        after = text[match.end():match.end() + NEAR_KEYWORD_CHARS]
        if not is_penalty_rate(before, after, in_section):
            continue
        base = base_of(before) or base_of(after) or "other"
        per_day = bool(vocab()["per_day"].search(before))
        results.append((Penalty(trigger=trigger, rate=float(value), base=base, per_day=per_day),
                        [sentence.sub(match.start(), match.end())]))
    return results


def is_penalty_rate(before: str, after: str, in_section: bool) -> bool:
    """Whether a rate is a penalty's: 违约金 beside it, a word that applies it
    ("的", "作为", "计算" …) after it, or, in a penalty section, a deduction before it
    ("扣减当月服务费的 5%") or right after it ("按月服务费的 3% 进行扣减");
    never a service level a breach is measured by ("可用率低于 99.5% 的")."""
    if vocab()["level"].search(before):
        return False
    if vocab()["keyword"].search(after) or vocab()["keyword"].search(before[-NEAR_KEYWORD_CHARS:]):
        return True
    if vocab()["follow"].match(after):
        return True
    if not in_section:
        return False
    return vocab()["deduct"].search(before) is not None or vocab()["deduct_after"].match(after) is not None


def read_months(sentence: Span, trigger: Optional[str]) -> list[Found]:
    """"相当于三个月服务费的违约金": a multiple of the monthly fee."""
    results: list[Found] = []
    for match in vocab()["months"].finditer(sentence.text):
        n = parse_small_int(match.group("n"))
        if n:
            results.append((Penalty(trigger=trigger, rate=float(n), base="monthly_fee"),
                            [sentence.sub(match.start(), match.end())]))
    return results


def read_fixed(sentence: Span, trigger: Optional[str], in_section: bool) -> list[Found]:
    """Fixed sums, each once: after or before 违约金/罚金, before 赔偿, after a deduction
    verb in a penalty section. A sum a cap bounds ("不超过 5 万元") is no penalty."""
    text = sentence.text
    patterns = list(vocab()["fixed"].values())
    if in_section or vocab()["keyword"].search(text):
        patterns.append(vocab()["deducted"])
    sums: dict[int, regex.Match] = {}
    for pattern in patterns:
        for match in pattern.finditer(text):
            sums.setdefault(_sum_start(match), match)
    results: list[Found] = []
    for start in sorted(sums):
        match = sums[start]
        value = sum_value(match)
        if value is None or value <= 0 or vocab()["capped"].search(text[max(0, start - CAP_REACH):start]):
            continue
        per_day = bool(vocab()["per_day"].search(text[:match.start()]))
        results.append((Penalty(trigger=trigger, fixed_amount=float(value), base=None, per_day=per_day),
                        [sentence.sub(match.start(), match.end())]))
    return results


def _sum_start(match: regex.Match) -> int:
    """Where the sum of a fixed-penalty match starts (its figure or its 大写)."""
    return match.start("cn") if match.group("cn") else match.start("n")


def _trigger(sentence: Span) -> Optional[str]:
    text = as_written(sentence) or ""
    text = regex.sub(r"^\s*(?:[-•]\s*)?(?:\d+[、.．)]|[(（]\d+[)）])\s*", "", text)
    return text[:MAX_TRIGGER_CHARS] or None


def read_tables(doc: ContractDoc) -> list[Found]:
    """Rows of tables headed by a 违约金 column: one rate per row."""
    results: list[Found] = []
    for table in doc.tables:
        rows = ([table.header] if table.header else []) + table.rows
        header_index = next((i for i, row in enumerate(rows)
                             if vocab()["keyword"].search(row.text) and not RATE.search(row.cells[-1].text)), None)
        if header_index is None:
            continue
        header_text = rows[header_index].text
        base = base_of(header_text) or "other"
        per_day = bool(vocab()["per_day"].search(header_text))
        fixed_column = bool(vocab()["fixed_column"].search(header_text))
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
