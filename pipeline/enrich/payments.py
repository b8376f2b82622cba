"""Payment installments by time: due date or due period, and the amount when only a percent is written.

`schedule(payment, record)` reads the installment's condition as written:

- `due_date`: a date the condition states as the deadline ("2026年9月30日前",
  "2026 年 12 月 5 日前完成", "2025年底前" → 2025-12-31, "3月底" of a stated year → the
  month's last day); or a date computed from a stated anchor date plus an offset
  ("2026年1月1日起10个工作日内"); or, when the offset counts from the contract's
  signature ("合同签订后15日内") and the record has `signed_date`, signed_date + offset.
  Working days skip Saturdays and Sundays only: public holidays and the make-up
  working weekends of the Chinese calendar are not known, so a computed date can be
  a few days early around holidays.
- `due_period`: the rule when it is a period or an event rather than a date, as short
  English text: "10 working days after acceptance", "15 days after signing",
  "15 working days after FY2027 budget approval", "after final acceptance",
  "in 2026", "30 days after start of each year", "within 5 working days". The trigger
  is the event named nearest before the offset (in "合同签订后，甲方收到发票后5个工作日内"
  the invoice, not the signature). A condition can have both: a stated deadline
  and a rule ("2025年底前 …部署… 收到发票后5个工作日内"), or a rule counted from the
  signature with its computed date.
- `amount`: the stated amount as Decimal (to the 分); else percent × the contract's
  total when only the percent is written (`amount_computed` True). A Payment does not
  say what its percent is a share of, so the amount is computed only when the record's
  installments are consistent with the contract total as the base: their percents sum
  to at most 1, every installment stating both a percent and an amount has
  amount = percent × total within a cent, and the fixed amounts plus the percent shares
  do not exceed the total. Otherwise (a percent of a year's fee, of part of the
  services …) the amount stays None.

Words live in extractors/vocab/schedule.toml; this module is generic.
"""
from __future__ import annotations

import calendar
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Optional

import regex

from extractors.lexicon import alternation, load
from extractors.values.dates import DATE, parse_date
from extractors.values.numbers import parse_small_int
from schemas import ContractRecord, Payment

__all__ = ["Schedule", "schedule", "due", "installment_amount", "add_working_days"]

CENT = Decimal("0.01")
WHITESPACE = regex.compile(r"\s+")
CN_COUNT = r"[0-9]+|[一二三四五六七八九十百两零〇]+"


@dataclass
class Schedule:
    """When an installment is due and how much it is."""
    due_date: Optional[date]
    due_period: Optional[str]
    amount: Optional[Decimal]
    amount_computed: bool


@dataclass(frozen=True)
class _Trigger:
    label: str
    fiscal_year: bool
    signing: bool


@dataclass(frozen=True)
class _Vocab:
    before: regex.Pattern
    after: regex.Pattern
    range_mark: regex.Pattern
    end_of: regex.Pattern
    year_within: regex.Pattern
    year_joiner: regex.Pattern
    offset: regex.Pattern
    units: dict[str, tuple[str, str, str]]
    figure_brackets: regex.Pattern
    trigger_pattern: regex.Pattern
    triggers: dict[str, _Trigger]
    labels: dict[str, str]
    year_within_label: str


def _squash(word: str) -> str:
    return WHITESPACE.sub("", unicodedata.normalize("NFKC", word))


def _alt(words: list[str]) -> str:
    return alternation([_squash(w) for w in words if w])


@lru_cache(maxsize=None)
def _vocab() -> _Vocab:
    spec = load("schedule")
    dates, offset = spec["dates"], spec["offset"]
    units = {_squash(u["word"]): (u["label"], u.get("one", u["label"]), u["kind"]) for u in offset["units"]}
    triggers: dict[str, _Trigger] = {}
    for entry in spec["triggers"]:
        info = _Trigger(entry["label"], bool(entry.get("fiscal_year")), bool(entry.get("signing")))
        for word in entry["words"]:
            triggers.setdefault(_squash(word), info)
    year_end = _alt(dates["year_end"])
    month_end = _alt(dates["month_end"])
    return _Vocab(
        before=regex.compile(r"(?:" + _alt(dates["before"]) + r")"),
        after=regex.compile(r"(?:" + _alt(dates["after"]) + r")"),
        range_mark=regex.compile(r"(?:" + _alt(dates["range"]) + r")"),
        end_of=regex.compile(r"(?P<y>(?:19|20)\d{2})(?:年(?P<m>\d{1,2})(?:" + month_end + r")|(?:" + year_end + r"))"),
        year_within=regex.compile(
            r"(?:(?<=" + r"|".join(regex.escape(_squash(w)) for w in dates["year_within_before"]) + r")"
            r"(?P<y>(?:19|20)\d{2})年(?!\d))"
            r"|(?:(?P<y>(?:19|20)\d{2})年(?=" + _alt(dates["year_within_after"]) + r"))"),
        year_joiner=regex.compile(r"(?P<y>(?:19|20)\d{2})(?:" + _alt(dates["year_joiners"]) + r")$"),
        offset=regex.compile(
            r"(?P<after>" + _alt(offset["after_marks"]) + r")?"
            r"(?<![\d.])(?P<n>" + CN_COUNT + r")(?:" + _alt(offset["counters"]) + r")?"
            r"(?P<unit>" + alternation(list(units)) + r")"
            r"(?P<within>" + _alt(offset["within"]) + r")?"),
        units=units,
        figure_brackets=regex.compile(
            r"[" + regex.escape("".join(_squash(b) for b in offset["figure_brackets"])) + r"](?=\d)"
            r"|(?<=\d)[" + regex.escape("".join(_squash(b) for b in offset["figure_brackets"])) + r"]"),
        trigger_pattern=regex.compile(alternation(list(triggers))),
        triggers=triggers,
        labels=spec["labels"],
        year_within_label=dates["year_within_label"],
    )


def _clean(condition: str) -> str:
    """The condition as matched: NFKC, no spaces, no brackets around filled-in figures ("【15】")."""
    text = WHITESPACE.sub("", unicodedata.normalize("NFKC", condition))
    return _vocab().figure_brackets.sub("", text)


# --- day arithmetic -------------------------------------------------------------------------

def add_working_days(start: date, count: int) -> date:
    """`count` working days after `start`, skipping Saturdays and Sundays (holidays are not known)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _add_months(start: date, count: int) -> date:
    month0 = start.month - 1 + count
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _shift(start: date, count: int, kind: str) -> Optional[date]:
    if kind == "working_days":
        return add_working_days(start, count)
    if kind == "days":
        return start + timedelta(days=count)
    if kind == "weeks":
        return start + timedelta(weeks=count)
    if kind == "months":
        return _add_months(start, count)
    return None


# --- reading the condition ------------------------------------------------------------------

@dataclass(frozen=True)
class _Anchor:
    """Something a payment waits for: an event (trigger) or a stated date it counts from."""
    start: int
    end: int
    label: str
    signing: bool = False
    on: Optional[date] = None


def _dates(text: str) -> tuple[list[tuple[int, int, date]], list[_Anchor], str]:
    """Stated deadlines, stated dates counted from, and the text with every date blanked out."""
    vocab = _vocab()
    found: list[tuple[int, int, date]] = []
    for m in DATE.finditer(text):
        day = parse_date(m)
        if day is not None:
            found.append((m.start(), m.end(), day))
    for m in vocab.end_of.finditer(text):
        if any(s <= m.start() < e for s, e, _ in found):
            continue
        year = int(m.group("y"))
        month = int(m.group("m")) if m.group("m") else 12
        if 1 <= month <= 12:
            found.append((m.start(), m.end(), date(year, month, calendar.monthrange(year, month)[1])))
    found.sort()
    deadlines: list[tuple[int, int, date]] = []
    loose: list[tuple[int, int, date]] = []
    anchors: list[_Anchor] = []
    for start, end, day in found:
        tail = text[end:]
        if vocab.before.match(tail):
            deadlines.append((start, end, day))
        elif vocab.after.match(tail):
            anchors.append(_Anchor(start, end + vocab.after.match(tail).end(), day.isoformat(), on=day))
        elif not vocab.range_mark.match(tail) and not vocab.range_mark.search(text[max(0, start - 1):start]):
            loose.append((start, end, day))
    blanked = text
    for start, end, _ in found:
        blanked = blanked[:start] + "\0" * (end - start) + blanked[end:]
    return deadlines or loose, anchors, blanked


def _triggers(text: str) -> list[_Anchor]:
    vocab = _vocab()
    out = []
    for m in vocab.trigger_pattern.finditer(text):
        info = vocab.triggers[m.group()]
        label = info.label
        if info.fiscal_year:
            year = vocab.year_joiner.search(text[max(0, m.start() - 8):m.start()])
            if year:
                label = vocab.labels["fiscal_year"].format(year=year.group("y"), trigger=label)
        out.append(_Anchor(m.start(), m.end(), label, signing=info.signing))
    return out


def _offsets(text: str) -> list[regex.Match]:
    return [m for m in _vocab().offset.finditer(text)
            if (m.group("after") or m.group("within")) and parse_small_int(m.group("n")) is not None]



def due(condition: Optional[str], signed_date: Optional[date] = None) -> tuple[Optional[date], Optional[str]]:
    """(due_date, due_period) of an installment's condition; see the module's docstring."""
    if not condition:
        return None, None
    vocab = _vocab()
    text = _clean(condition)
    deadlines, date_anchors, blanked = _dates(text)
    due_date = deadlines[0][2] if deadlines else None
    anchors = sorted(_triggers(blanked) + date_anchors, key=lambda a: (a.end, a.start))
    # An offset without 内 counts only when it follows its anchor at once ("合同签订后30日支付");
    # "合同期内后6个月服务费" is no offset.
    offsets = [m for m in _offsets(blanked)
               if m.group("within") or any(a.end in (m.start(), m.start() + len(m.group("after"))) for a in anchors)]
    due_period: Optional[str] = None
    if offsets:
        offset = offsets[0]
        count = parse_small_int(offset.group("n"))
        plural, singular, kind = vocab.units[offset.group("unit")]
        unit_label = singular if count == 1 else plural
        before = [a for a in anchors if a.end <= offset.start() + (len(offset.group("after") or ""))]
        anchor = before[-1] if before else None
        if anchor is None:
            due_period = vocab.labels["offset_only"].format(count=count, unit=unit_label)
        else:
            due_period = vocab.labels["offset_after"].format(count=count, unit=unit_label, trigger=anchor.label)
            start = anchor.on if anchor.on is not None else (signed_date if anchor.signing else None)
            if due_date is None and start is not None and count is not None:
                due_date = _shift(start, count, kind)
    elif anchors:
        events = [a for a in anchors if a.on is None]
        if events:
            due_period = vocab.labels["after"].format(trigger=events[-1].label)
        elif due_date is None:
            due_date = anchors[-1].on
    if due_period is None and due_date is None:
        for m in vocab.year_within.finditer(blanked):
            due_period = vocab.year_within_label.format(year=m.group("y"))
            break
    return due_date, due_period


# --- amounts --------------------------------------------------------------------------------

def _decimal(value: Optional[float]) -> Optional[Decimal]:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _percent_base_is_total(record: ContractRecord) -> Optional[Decimal]:
    """The contract total when the installments' percents can be shares of it; else None."""
    total = _decimal(record.contract.total_amount)
    if total is None or total <= 0:
        return None
    percents = [_decimal(p.percent) for p in record.payments if p.percent is not None]
    if any(p is None or p < 0 for p in percents):
        return None
    if sum(percents, Decimal(0)) > 1:
        return None
    committed = Decimal(0)
    for p in record.payments:
        share, amount = _decimal(p.percent), _decimal(p.amount)
        if share is not None and amount is not None and abs(amount - share * total) > CENT:
            return None
        if share is not None:
            committed += share * total
        elif amount is not None:
            committed += amount
    if committed > total + CENT:
        return None
    return total


def installment_amount(payment: Payment, record: ContractRecord) -> tuple[Optional[Decimal], bool]:
    """(amount, computed): the stated amount, or percent × contract total when that is safe."""
    stated = _decimal(payment.amount)
    if stated is not None:
        return stated.quantize(CENT, rounding=ROUND_HALF_UP), False
    share = _decimal(payment.percent)
    if share is None:
        return None, False
    total = _percent_base_is_total(record)
    if total is None:
        return None, False
    return (share * total).quantize(CENT, rounding=ROUND_HALF_UP), True


def _signed(record: ContractRecord) -> Optional[date]:
    signed = record.contract.signed_date
    if signed is None or isinstance(signed, date):
        return signed
    try:
        return date.fromisoformat(str(signed))
    except ValueError:
        return None


def schedule(payment: Payment, record: ContractRecord) -> Schedule:
    """The installment's due date or due period and its amount (see the module's docstring)."""
    due_date, due_period = due(payment.condition, _signed(record))
    amount, computed = installment_amount(payment, record)
    return Schedule(due_date=due_date, due_period=due_period, amount=amount, amount_computed=computed)
