"""Extractor: payment installments (percent, amount in figures, 大写, 万元, trigger).

Installments are sentences of the payment clauses that pay (支付, 付款, …) and
state a share, an amount or a schedule step, or that a label names as an
installment ("第 3 次付款：…"); invoicing sentences that pay nothing are not
installments. A figure bounded by a cap ("核算费用最高不超过 N 元") is not an installment's
amount, and a percent of a guarantee ("合同总价 8% 的履约保函") is not its share.

Rows of a payment schedule table (extractors/payment_schedules.py) are installments
too, in reading order with the sentences; a sentence that only points to the table
("按下表支付：") or restates one of its rows is then none.

Each installment leaves a `PaymentStatement` in `doc.statements.payments` (same
order as `record.payments`) for the checks: its figures with their spans, its
condition, whether it recurs, and `base`, what the percent is a share of as the
sentence says it: ``"contract_total"``, ``"other"`` (a yearly fee, a part of the
services …) or None (not said).
Words live in extractors/vocab/clauses.toml.
"""
from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal
from functools import lru_cache
from typing import Iterator, Optional

import regex

from extractors.common import WHITESPACE, as_written, doc_lines, sentences, spelled_as_written
from extractors.lexicon import alternation, load
from extractors.payment_schedules import ScheduleRow, schedule_rows
from extractors.statements import PaymentStatement, Statement
from extractors.values.cnmoney import find_cn_amounts
from extractors.values.numbers import (MONEY, MONEY_PREFIX, RATE, as_float, money_end, money_value,
                                      parse_small_int, rate_value, to_decimal)
from pipeline.document import ContractDoc, Line, Span
from schemas import Payment

LEADING_LABEL = regex.compile(r"^\s*(?:[-•]\s*)?[^:：,，。]{1,8}[:：]\s*")
ITEM_NUMBER = regex.compile(r"^\s*(?:[\d一二三四五六七八九十]+[、.．)]|[(（][\d一二三四五六七八九十]+[)）])?\s*")
ORDINAL = r"第\s*[\d一二三四五六七八九十]+\s*"
CLAUSE_BREAK = regex.compile(r"[,，;；:：、]")
CAP_REACH = 20
#: Characters an installment label may carry before its pay verb ("第1次分期支付").
LABEL_TAIL = 4
#: The most installments one recurring sentence may stand for (monthly over five years).
MAX_REPEATS = 60


@lru_cache(maxsize=None)
def words() -> dict:
    spec = load("clauses")["payments"]
    verbs = alternation(spec["pay_verbs"])
    guarantee = alternation(spec["guarantee_words"])
    return {
        "verb": regex.compile(verbs),
        "verb_noun": regex.compile(alternation(spec["verb_nouns"])),
        "schedule": regex.compile(alternation(spec["schedule_words"]) + r"|[前后]\s*\d+\s*个月"),
        "label": regex.compile(ORDINAL + r"(?:" + alternation(spec["installment_counters"]) + r")|"
                               + alternation(spec["schedule_words"])),
        "exclude": regex.compile(alternation(spec["exclude_words"])),
        "tax": regex.compile(alternation(spec["tax_words"])),
        "recurring": regex.compile(alternation(spec["recurring_words"])),
        "repeat": regex.compile(r"(?:" + alternation(spec["repeat_words"]) + r")\s*(?P<n>[\d一二三四五六七八九十两]{1,3})\s*(?:"
                                + alternation(spec["repeat_counters"]) + r")"),
        "full": regex.compile(
            r"(?:" + alternation(spec["at_once_words"]) + r")\s*(?:" + verbs + r")"
            r"|(?:" + verbs + r")\s*(?:" + alternation(spec["full_words"]) + r")"),
        "payer_tail": regex.compile(
            r"[,，]?\s*(?:" + alternation(spec["by_words"]) + r")?\s*(?:" + alternation(spec["payer_words"])
            + r")?\s*(?:" + alternation(spec["modal_words"]) + r")?\s*(?:(?:" + alternation(spec["to_words"])
            + r")\S{1,4})?\s*(?:" + alternation(spec["pay_adverbs"]) + r")?\s*$"),
        "capped": regex.compile(r"(?:" + alternation(spec["cap_words"]) + r")\s*" + MONEY_PREFIX + r"$"),
        "labelled_amount": regex.compile(
            r"(?:" + alternation(spec["amount_labels"]) + r")\s*(?:" + alternation(spec["amount_links"])
            + r")?\s*[¥￥]?\s*(?P<n>\d+(?:\.\d+)?)(?![\d.]|\s*(?:[%‰万元]|[¥￥]))"),
        "guarantee": regex.compile(guarantee),
        "share_link": regex.compile(r"\s*[,，]?\s*(?:" + alternation(spec["share_amount_links"]) + r")\s*(?:人民币)?\s*"),
        "guarantee_after": regex.compile(r"\s*的?\s*(?:" + guarantee + r")"),
        "guarantee_before": regex.compile(r"(?:" + guarantee + r")\s*(?:" + alternation(spec["amount_links"]) + r")"),
        "base_link": regex.compile(alternation(spec["percent_base"]["links"])),
        "total_phrase": regex.compile(r"(?:" + alternation(spec["percent_base"]["total_words"]) + r"|\s)+"),
        "section_words": spec["section_words"],
        "table_pointer": regex.compile(alternation(spec["table_pointers"])),
    }


def payment_lines(doc: ContractDoc) -> list[Line]:
    sections = [s for s in doc.sections if s.kind == "clause"
                and any(w in s.title for w in words()["section_words"])]
    if not sections:
        return doc_lines(doc, ("clause",)) or doc.lines
    return [ln for s in sections for ln in s.lines(doc)]


def extract(doc: ContractDoc) -> ContractDoc:
    schedule = schedule_rows(doc)
    placed: list[tuple[int, PaymentStatement]] = [(row.line_number, row.statement) for row in schedule]
    for sentence in sentences(doc, payment_lines(doc)):
        found = read_installment(sentence)
        if found is None or (schedule and restates_schedule(sentence.text, found, schedule)):
            continue
        placed += [(line_at(doc, sentence.start), found)] * times_paid(sentence.text, found)
    placed.sort(key=lambda entry: entry[0])
    doc.statements.payments = [found for _, found in placed]
    doc.record.payments = [to_payment(doc, found, k) for k, found in enumerate(doc.statements.payments)]
    return doc


def line_at(doc: ContractDoc, offset: int) -> int:
    """The number of the line holding text offset `offset`."""
    return bisect_right([line.start for line in doc.lines], offset) - 1


def restates_schedule(text: str, found: PaymentStatement, schedule: list[ScheduleRow]) -> bool:
    """Whether an installment sentence adds nothing to the schedule table: it states no
    figure and only leads to the table ("甲方按下表向乙方支付："), or it states the share
    and sum of one of its rows again."""
    if found.percent is None and found.amount is None:
        return words()["table_pointer"].search(text) is not None or text.rstrip().endswith((":", "："))
    return any(figures(found) == figures(row.statement) for row in schedule)


def figures(found: PaymentStatement) -> tuple[Optional[Decimal], Optional[Decimal]]:
    """The share and the sum an installment states, as values."""
    return (found.percent.value if found.percent is not None else None,
            found.amount.value if found.amount is not None else None)


def to_payment(doc: ContractDoc, found: PaymentStatement, index: int) -> Payment:
    """The record entry of one installment statement, its values cited."""
    payment = Payment(seq=index + 1)
    path = f"payments[{index}]"
    if found.percent is not None:
        payment.percent = float(found.percent.value)
        doc.cite(f"{path}.percent", found.percent.span)
    if found.amount is not None:
        payment.amount = as_float(found.amount.value)
        doc.cite(f"{path}.amount", found.amount.span)
    if found.words is not None:
        payment.amount_in_words = WHITESPACE.sub("", spelled_as_written(found.words.span) or "")
        doc.cite(f"{path}.amount_in_words", found.words.span)
    payment.condition = as_written(found.condition) if found.condition is not None else None
    doc.cite(f"{path}.condition", found.condition)
    return payment


def read_installment(sentence: Span) -> Optional[PaymentStatement]:
    """The statement of an installment sentence (see the module doc), or None."""
    text = sentence.text
    label = LEADING_LABEL.match(text)
    body = label.end() if label else 0
    verb = pay_verb(text, body)
    named = label is not None and words()["label"].search(label.group()) is not None
    if verb is None and (not named or not text[body:].strip()):
        return None
    if words()["exclude"].search(text) or words()["tax"].search(text):
        return None
    anchor = verb.start() if verb is not None else body
    found = read_figures(sentence, anchor)
    stated = found.percent is not None or found.amount is not None
    if not stated and (words()["guarantee"].search(text) or not (named or words()["schedule"].search(text))):
        return None
    found.recurring = words()["recurring"].search(text) is not None
    found.condition = trigger(sentence, body, verb)
    return found


def times_paid(text: str, found: PaymentStatement) -> int:
    """How many installments a sentence stands for: the count a recurring installment
    states with its share or amount ("每季度支付…25%，…，共支付四次" → 4), else 1."""
    if not found.recurring or (found.percent is None and found.amount is None):
        return 1
    match = words()["repeat"].search(text)
    times = parse_small_int(match.group("n")) if match else None
    return times if times is not None and 1 < times <= MAX_REPEATS else 1


def read_figures(sentence: Span, anchor: int) -> PaymentStatement:
    """The percent (with its base), the amount and its 大写 an installment sentence states
    from its pay verb at `anchor` on."""
    text = sentence.text
    found = PaymentStatement()
    share = percent_share(sentence, anchor)
    if share is not None:
        found.percent, found.base = share
    whole = words()["full"].search(text) if share is None else None
    if whole is not None:
        found.percent = Statement(Decimal(1), sentence.sub(whole.start(), whole.end()))
        found.base = "contract_total"
    found.amount = amount_after(sentence, anchor)
    if found.amount is None and share is not None:
        found.amount = amount_of_share(sentence, share[0])
    spelled = [(start, end, value) for start, end, value in find_cn_amounts(text[anchor:].replace("\n", " "))
               if not capped(text, anchor + start)]
    if spelled:
        start, end, value = spelled[0]
        found.words = Statement(value, sentence.sub(anchor + start, anchor + end))
        found.amount = found.amount or found.words
    return found


def pay_verb(text: str, start: int) -> Optional[regex.Match]:
    """The first pay verb from `start`."""
    return next(pay_verbs(text, start, len(text)), None)


def pay_verbs(text: str, start: int, end: int) -> Iterator[regex.Match]:
    """The pay verbs between `start` and `end` that are not part of a noun ("支付方式")."""
    nouns = [(m.start(), m.end()) for m in words()["verb_noun"].finditer(text)]
    for match in words()["verb"].finditer(text, start, end):
        if not any(s <= match.start() < e for s, e in nouns):
            yield match


def trigger(sentence: Span, body: int, verb: Optional[regex.Match]) -> Optional[Span]:
    """What the installment waits for: the words before the pay verb, or the whole
    sentence after its label when a label names the installment. When only an
    installment label stands before the verb ("第1次分期支付金额为…，说明：验收后支付…"),
    the words before the next pay verb, after its clause break."""
    text = sentence.text
    end = verb.start() if verb is not None else len(text)
    label = words()["label"].match(text, body, end) if verb is not None else None
    if label is not None and label.end() >= end - LABEL_TAIL:
        later = pay_verb(text, verb.end())
        if later is not None:
            breaks = [m.end() for m in CLAUSE_BREAK.finditer(text, verb.end(), later.start())]
            body, end = (breaks[-1] if breaks else verb.end()), later.start()
    condition = ITEM_NUMBER.sub("", text[body:end].rstrip(" ,，、。；;"))
    if verb is not None:
        condition = words()["payer_tail"].sub("", condition)
    if not condition.strip():
        return None
    start = text.index(condition, body)
    return sentence.sub(start, start + len(condition))


def percent_share(sentence: Span, anchor: int) -> Optional[tuple[Statement, Optional[str]]]:
    """The installment's percent and its base: the one nearest the pay verb, unless
    another is stated as a share of the contract total."""
    text = sentence.text
    candidates = []
    for match in RATE.finditer(text):
        if match.group("sign") not in (None, "%") or match.group("scale") not in (None, "百"):
            continue
        value = rate_value(match)
        if value is None or not 0 < value <= 1 or is_guarantee(text, match):
            continue
        candidates.append((match, value, percent_base(text, match.start())))
    if not candidates:
        return None
    match, value, base = min(candidates, key=lambda c: (c[2] != "contract_total", abs(c[0].start() - anchor)))
    return Statement(value, sentence.sub(match.start(), match.end())), base


def is_guarantee(text: str, match: regex.Match) -> bool:
    """Whether a percent is the size of a guarantee ("8% 的履约保函", "履约保证金为合同价的 3%")."""
    if words()["guarantee_after"].match(text, match.end()):
        return True
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(text, 0, match.start())]
    return words()["guarantee_before"].search(text, breaks[-1] if breaks else 0, match.start()) is not None


def percent_base(text: str, end: int) -> Optional[str]:
    """What the percent ending the phrase before `end` is a share of: "contract_total"
    when the phrase is made of total words only, "other" when it names something
    else, None when there is no phrase ("支付 30%")."""
    starts = [m.end() for m in CLAUSE_BREAK.finditer(text, 0, end)]
    starts += [m.end() for m in pay_verbs(text, 0, end)]
    starts += [m.end() for m in words()["base_link"].finditer(text, 0, end)]
    phrase = text[max(starts, default=0):end].strip().rstrip("的").strip()
    if not phrase:
        return None
    return "contract_total" if words()["total_phrase"].fullmatch(phrase) else "other"


def amount_after(sentence: Span, start: int) -> Optional[Statement]:
    """The first figure in 元 (or 万元) after the pay verb that no cap bounds; else a
    figure without 元 under an amount label ("支付金额为 30000.00")."""
    text = sentence.text
    for match in MONEY.finditer(text, start):
        value = money_value(match)
        if value is None or value <= 0 or capped(text, match.start()):
            continue
        return Statement(value, sentence.sub(match.start("n"), money_end(match)))
    for match in words()["labelled_amount"].finditer(text):
        value = to_decimal(match.group("n"))
        if match.start("n") > start and value is not None and value > 0:
            return Statement(value, sentence.sub(match.start("n"), match.end("n")))
    return None


def amount_of_share(sentence: Span, share: Statement) -> Optional[Statement]:
    """The sum restating the installment's share right after it, when the sentence states
    both before its pay verb ("质保金：合同总价的5%，计38,200.00元，质保期满后…支付")."""
    text = sentence.text
    end = share.span.end - sentence.start
    link = words()["share_link"].match(text, end)
    if link is None:
        return None
    match = MONEY.match(text, link.end())
    if match is None:
        return None
    value = money_value(match)
    if value is None or value <= 0:
        return None
    return Statement(value, sentence.sub(match.start("n"), money_end(match)))


def capped(text: str, position: int) -> bool:
    """Whether a cap word stands right before the sum at `position` ("最高不超过 24000 元",
    "不超过人民币（大写）贰万元")."""
    return words()["capped"].search(text[max(0, position - CAP_REACH):position]) is not None
