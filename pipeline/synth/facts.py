"""What one synthetic contract states: the facts behind its text and its record.

Built in three stages so that error injection (errors.py) can step in between
them: `plan` draws the parties, metadata, price rows (amounts exact) and the
shape of every later statement; `derive_sums` adds subtotals, the parts of a fee
breakdown and the total from the rows as stated; `derive_statements` writes the
payment, tax, 大写 and restatement figures from the total as stated. Every figure
is a `Decimal`; truth.py turns the facts into the record, compose.py into a
document.

The layout families of the style (style.choose_families) shape the facts too:
a quantity-only 服务清单 keeps each row's price and amount unstated (they still
make up the total), possibly with one later section served fewer months; a fee
breakdown splits the rows into parts (by tier, then by category or GPU
services), one of them perhaps capped; part installments pay a percent of the
total and then a percent of one part; share installments fix the scheme to
percents with amounts; year notes price rows of the note-column layouts per
year. Which rows, parts and penalty clauses a family adds or changes is drawn
from the `families` stream; the part scheme's installments come from the main
stream like every scheme's.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from pipeline.synth import penalties as penalty_terms
from pipeline.synth.catalog import (
    CATALOGUE_ONLY, CATEGORIES, CONFIGURATIONS, CORE_SERVICES, DEFAULT_CONFIGURATIONS, SERVICES, TIMES_CHOICES,
    UNITS, Offer, Service, Unit,
)
from pipeline.synth.parties import Party, make_client, make_supplier
from pipeline.synth.style import SECTION_ROW_NUMERALS, Style
from pipeline.synth.textforms import money
from schemas import Finding

PAYMENT_SPLITS: tuple[tuple[int, ...], ...] = (
    (100,), (50, 50), (30, 70), (40, 60), (80, 20), (60, 40), (30, 40, 30), (60, 30, 10),
    (50, 40, 10), (40, 30, 30), (30, 30, 30, 10))
TAX_RATES = (Decimal("0.06"), Decimal("0.06"), Decimal("0.06"), Decimal("0.09"), Decimal("0.13"))
AVAILABILITY = (Decimal("0.999"), Decimal("0.9995"), Decimal("0.9999"), Decimal("0.995"))
RELIABILITY = (Decimal("0.999999"), Decimal("0.9999999"), Decimal("0.99999"), None)
TERM_MONTHS = (12, 12, 12, 12, 6, 24, 36)
TERM_FORMS = ("relative", "relative", "plain", "dates", "dates_term", "dates_term")
FIRST_CONDITIONS = ("合同签订生效后 {n} 个工作日内", "合同签订后，甲方收到乙方开具的合法有效发票后 {n} 个工作日内",
                    "云资源开通并经甲方书面确认后 {n} 个工作日内")
MIDDLE_CONDITIONS = ("服务满 6 个月且经甲方考核合格后 {n} 个工作日内", "项目初验合格后 {n} 日内")
LAST_CONDITIONS = ("服务期满并经甲方终验合格后 {n} 个工作日内", "合同期满经考核合格，甲方收到乙方发票后 {n} 日内")
USAGE_CONDITIONS = ("每季度结束后 {n} 个工作日内，甲方按当季实际使用量与乙方结算",
                    "合同期内前 6 个月服务费，甲方应于 {y} 年内完成账单核对及支付",
                    "合同期内后 6 个月服务费，甲方应于 {y2} 年内完成账单核对及支付")
AT_ONCE_CONDITIONS = ("验收合格后", "云资源开通并经甲方验收合格后", "合同签订生效后 {n} 个工作日内")
YEARLY_CONDITION = "每年度开始后{n}日内"
PART_CONDITIONS = ("项目阶段验收合格，甲方收到乙方开具的合法有效发票后 {n} 个工作日内",
                   "服务满 6 个月并经甲方考核合格后 {n} 个工作日内")
SETTLE_CONDITIONS = ("乙方完成本合同项下全部服务并经甲方终验合格后 {n} 个工作日内",
                     "服务期满经甲方确认后 {n} 个工作日内")
# Fee-breakdown part labels: a tier's fee, a category group's fee, GPU compute's fee.
BASIC_PART_LABELS = ("政务云基础服务费", "基础资源服务费", "云资源基础服务费")
EXTENDED_PART_LABELS = ("政务云扩展服务费用", "增值服务费", "扩展服务费用")
SECURITY_PART_LABELS = ("安全服务费", "云安全服务费用")
SOFTWARE_PART_LABELS = ("基础软件及其他服务费", "软件支撑服务费")
GPU_PART_LABELS = ("GPU 算力服务费", "智能算力租赁服务费")
GPU_SERVICES = ("gpu", "ai_compute")
TABLE_BASIS = {"basic": "month", "extended": "year"}  # one table per tier: its price basis
TITLES = ("{client}政务云服务合同", "{city}市政务云服务协议", "云资源租赁服务合同", "{client} 服务采购合同",
          "政务云服务项目合同书", "{city}市电子政务云平台服务合同")
PROJECTS = ("{client}{year} 年政务云服务", "{client}云资源租用项目", "{year}年{city}市政务云扩容项目",
            "{client}业务系统上云服务")
CONTRACT_NO_FORMS = ("ZWY-{year}-{n:04d}", "{abbr}CG{year}{n:05d}", "HT{year}{n:06d}", "{abbr}-ZF-{year}-{n:03d}")


@dataclass
class Item:
    service: Service
    name: str
    group: int
    unit: Unit
    unit_text: str | None  # as written; None when the row states no unit
    basis: str              # month | year | time | piece
    unit_price: Decimal
    quantity: Decimal | None
    periods: int | None
    amount: Decimal | None  # as stated
    code: str = ""
    configuration: str = ""  # what a 配置 column says of it
    priced: bool = True      # False: a quantity-only row; price and amount are not stated
    note_form: str = ""      # year_note: a note cell 单位：套/年；服务期限：12个月。

    def computed(self) -> Decimal | None:
        """unit price × quantity × periods, rounded to the 分."""
        if self.quantity is None or self.periods is None:
            return None
        return money(self.unit_price * self.quantity * self.periods)

    @property
    def normalized_quantity(self) -> Decimal | None:
        return None if self.quantity is None else self.quantity * self.unit.factor

    @property
    def unit_price_month(self) -> Decimal | None:
        if self.basis == "month":
            return self.unit_price / self.unit.factor
        if self.basis == "year":
            return self.unit_price / 12 / self.unit.factor
        return None


@dataclass
class Group:
    label: str | None
    subtotal_label: str | None = None
    subtotal: Decimal | None = None  # as stated


@dataclass
class Part:
    """One part of the total stated in prose; a nested part names its parent."""
    label: str
    items: list[int]                   # the rows it covers
    parent: int | None = None          # index of the part it belongs to, in facts.parts
    capped: bool = False               # the statement adds 最终结算金额不得超过<amount>元
    amount: Decimal | None = None      # as stated
    cap_later: Decimal | None = None   # the cap as a later clause restates it


@dataclass
class Installment:
    condition: str
    percent: Decimal | None
    amount: Decimal | None
    form: str                           # figure | words | wan | none | at_once | yearly | settle
    words_value: Decimal | None = None  # what its 大写 spells
    part: int | None = None             # its percent is a share of facts.parts[part], not of the total


@dataclass
class Term:
    months: int
    form: str  # relative | one_year | plain | dates | dates_term
    start: date | None = None
    end: date | None = None
    stated_months: int | None = None  # the figure written; None when only dates are given


@dataclass
class Restatement:
    item: int
    value: Decimal  # in the base unit


@dataclass
class Facts:
    client: Party
    supplier: Party
    placements: dict[tuple[str, str], tuple[str, ...]]
    title: str
    project: str
    contract_no: str
    contract_no_form: str  # stated | blank | absent
    signed: date
    signed_full: bool
    term: Term
    catalogue: bool
    items: list[Item]
    groups: list[Group]
    with_subtotals: bool  # the price table states a sum per section
    payment_scheme: str  # percent_amount | amount_only | percent_only | usage | at_once | yearly | of_part
    last_amount: bool
    total_words: bool
    tax_stated: bool
    excl_tax_stated: bool
    later_total: bool
    total_in_body: bool  # False: stated only under the price table
    penalties: list[penalty_terms.PenaltyTerm]
    availability: Decimal
    reliability: Decimal | None
    restated: list[int]  # items restated in the body
    restate_first: bool  # the body restatement comes before the table
    total: Decimal | None = None
    total_words_value: Decimal | None = None
    total_later: Decimal | None = None
    tax_rate: Decimal | None = None
    excl_tax: Decimal | None = None
    installments: list[Installment] = field(default_factory=list)
    restatements: list[Restatement] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)  # the fee breakdown, in document order

    def party(self, role: str) -> Party:
        return self.client if role == "client" else self.supplier

    def where(self, role: str, name: str) -> tuple[str, ...]:
        return self.placements.get((role, name), ())

    def group_items(self, index: int) -> list[Item]:
        return [item for item in self.items if item.group == index]

    @property
    def subtotal_groups(self) -> list[Group]:
        return [g for g in self.groups if g.subtotal is not None]

    @property
    def capped_part(self) -> int | None:
        return next((j for j, p in enumerate(self.parts) if p.capped), None)


# -- stage 1: plan ---------------------------------------------------------

def plan(rng: random.Random, style: Style, variants: random.Random, families: random.Random) -> Facts:
    """The facts; what only a layout variant needs is drawn from `variants`, and what
    only a layout family needs from `families`, so that the main stream runs as it
    would without them wherever it can."""
    client = make_client(rng)
    supplier = make_supplier(rng, client.city)
    signed = date(rng.randint(2023, 2026), rng.randint(1, 12), rng.randint(1, 28))
    term = _term(rng, signed, style.whole_years)
    groups, items = _rows(rng, variants, style, term.months, families)
    year = signed.year + (1 if signed.month > 10 else 0)
    fill = {"client": client.name, "city": client.city, "year": year}
    scheme = rng.choice(("usage", "percent_only") if style.catalogue else
                        ("percent_amount", "percent_amount", "amount_only", "percent_only", "usage"))
    if style.payments != "drawn":
        scheme = style.payments
    elif style.part_installments:
        scheme = "of_part"
    elif style.share_installments:
        scheme = "percent_amount"
    tax_stated = rng.random() < 0.5
    facts = Facts(
        client=client, supplier=supplier, placements=_placements(rng, style),
        title=rng.choice(TITLES).format(**fill), project=rng.choice(PROJECTS).format(**fill),
        contract_no=rng.choice(CONTRACT_NO_FORMS).format(
            year=year, n=rng.randint(1, 99999), abbr=rng.choice(("ZW", "SJ", "XX", "YZ", "DS"))),
        contract_no_form=rng.choice(("stated", "stated", "stated", "blank", "absent")),
        signed=signed, signed_full=rng.random() < 0.75, term=term, catalogue=style.catalogue,
        items=items, groups=groups, payment_scheme=scheme,
        with_subtotals=(bool(style.subtotal_form) and len(groups) > 1 and not style.catalogue
                        and not style.fee_breakdown), last_amount=rng.random() < 0.5,
        total_words=rng.random() < 0.75, tax_stated=tax_stated,
        excl_tax_stated=tax_stated and rng.random() < 0.5,
        later_total=rng.random() < 0.3 and style.total_in_body, total_in_body=style.total_in_body,
        penalties=penalty_terms.draw(rng, style.penalty_annex, style.rate_form),
        availability=rng.choice(AVAILABILITY), reliability=rng.choice(RELIABILITY),
        restated=_restated(rng, items) if style.restate else [],
        restate_first=style.restate_place == "before",
    )
    facts.penalties += penalty_terms.draw_families(families, style.penalty_forms, style.rate_form)
    if style.fee_breakdown:
        facts.parts = _parts(families, items, style.part_cap)
    return facts


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def months_between(start: date, end: date) -> int:
    """Whole months from start to the day after end (2025-01-01..2025-12-31 is 12)."""
    after = end + timedelta(days=1)
    return (after.year - start.year) * 12 + after.month - start.month


def dated_term(term: Term, start: date) -> None:
    term.start = start
    term.end = add_months(start, term.months) - timedelta(days=1)


def _term(rng: random.Random, signed: date, whole_years: bool) -> Term:
    months = rng.choice(TERM_MONTHS)
    form = rng.choice(TERM_FORMS + (("one_year",) if months == 12 else ()))
    if whole_years:
        months = max(12, months - months % 12)
    term = Term(months, form, stated_months=None if form == "dates" else months)
    if form.startswith("dates"):
        start = date(signed.year + 1, 1, 1) if signed.month > 10 else signed + timedelta(days=rng.randint(1, 20))
        dated_term(term, date(start.year, start.month, min(start.day, 28)))
    return term


def _draw(rng: random.Random, spec: tuple[str, str, int]) -> Decimal:
    low, high, places = spec
    scale = 10 ** places
    return Decimal(rng.randint(int(Decimal(low) * scale), int(Decimal(high) * scale))) / scale


def _offer(rng: random.Random, variants: random.Random, service: Service, style: Style, months: int) -> Offer:
    """The offer a row is sold under; rows that state no unit keep the customary one."""
    if not style.states_units and style.sections != "tables":
        return service.offers[0]
    offers = [o for o in service.offers if _offer_fits(o, service, style, months)]
    return (variants if style.quantity_units else rng).choice(offers or service.offers[:1])


def _offer_fits(offer: Offer, service: Service, style: Style, months: int) -> bool:
    """Whether the style can write a row of this offer."""
    if offer.basis == "year" and months % 12:
        return False
    if style.layout in ("catalogue_plain", "quantity_only") and offer.basis != "month":
        return False
    if style.sections == "tables" and offer.basis != TABLE_BASIS[CATEGORIES[service.category][1]]:
        return False
    if not style.states_units and offer.unit != service.offers[0].unit:
        return False
    return not style.quantity_units or bool(UNITS[offer.unit].counted)


def _priced_as_header(service: Service, style: Style) -> bool:
    """Whether a service has an offer on the price basis its table's header names:
    per month under catalogue_plain's 单价（元/月） and a quantity table's 报价单位 (元/套·月),
    its tier's basis in one table per tier."""
    if style.layout in ("catalogue_plain", "quantity_only"):
        return any(o.basis == "month" for o in service.offers)
    if style.sections == "tables":
        return any(o.basis == TABLE_BASIS[CATEGORIES[service.category][1]] for o in service.offers)
    return True


def _services(rng: random.Random, style: Style) -> list[Service]:
    if style.catalogue:
        pool = [s for s in SERVICES + (CATALOGUE_ONLY if "basis" in style.has else ())
                if _priced_as_header(s, style)]
        chosen = rng.sample(pool, rng.randint(10, min(24, len(pool))))
    else:
        core = [s for s in SERVICES if s.key in CORE_SERVICES]
        extra = [s for s in SERVICES if s.key not in CORE_SERVICES and _priced_as_header(s, style)]
        chosen = core + rng.sample(extra, rng.randint(2, 14))
        if not any(CATEGORIES[s.category][1] == "extended" for s in chosen):
            chosen.append(rng.choice([s for s in extra if CATEGORIES[s.category][1] == "extended"]))
    order = {s.key: i for i, s in enumerate(SERVICES + CATALOGUE_ONLY)}
    return sorted(chosen, key=lambda s: order[s.key])


def _group_key(style: Style, service: Service) -> str | None:
    if style.grouping == "category":
        return service.category
    if style.grouping == "tier":
        return CATEGORIES[service.category][1]
    return None


def _group_label(style: Style, key: str | None, position: int) -> str | None:
    if key is None:
        return None
    name = CATEGORIES[key][0] if style.grouping == "category" else \
        style.tier_names[0 if key == "basic" else 1]
    if style.sections == "rows":
        return f"{SECTION_ROW_NUMERALS[position]}、{name}"
    return name


def _rows(rng: random.Random, variants: random.Random, style: Style, months: int,
          families: random.Random) -> tuple[list[Group], list[Item]]:
    services = _services(rng, style)
    keys: list[str | None] = []
    for service in services:
        key = _group_key(style, service)
        if key not in keys:
            keys.append(key)
    if style.grouping == "tier":
        keys.sort(key=lambda k: k != "basic")
    groups = [Group(_group_label(style, key, i)) for i, key in enumerate(keys)]
    section_months = {}  # a later section of a quantity table served fewer months than the term
    if style.short_section and len(groups) > 1 and months > 1:
        section_months[families.randrange(1, len(groups))] = months - families.randint(1, min(3, months - 1))
    items = []
    for service in sorted(services, key=lambda s: keys.index(_group_key(style, s))):
        offer = _offer(rng, variants, service, style, months)
        if style.year_notes and not months % 12 and offer.basis == "month" and families.random() < 0.7:
            offer = next((o for o in service.offers if o.basis == "year"), offer)
        unit = UNITS[offer.unit]
        group = keys.index(_group_key(style, service))
        price = _draw(rng, offer.price)
        if style.catalogue:
            quantity, periods = None, None
        else:
            quantity = _draw(rng, offer.quantity)
            periods = {"month": section_months.get(group, months), "year": months // 12}.get(offer.basis) \
                or rng.choice(TIMES_CHOICES)
        name = rng.choice(service.names)
        if offer.basis == "time" and periods and rng.random() < 0.5:
            name += f"（合同期内至少 {periods} 次）"
        item = Item(service, name, group, unit, _unit_text(rng, variants, unit, style), offer.basis, price,
                    quantity, periods, None, priced=not style.quantity_only)
        if style.year_notes and offer.basis == "year":  # the note names the bare unit: 单位：套/年
            item.note_form, item.unit_text = "year_note", bare_unit(unit.texts[0])
        if "spec" in style.has:
            item.configuration = variants.choice(CONFIGURATIONS.get(service.key, DEFAULT_CONFIGURATIONS))
        item.amount = item.computed()
        items.append(item)
    for index in range(len(groups)):
        for n, item in enumerate([i for i in items if i.group == index], start=1):
            item.code = f"{index + 1}{n:03d}"
    return groups, items


def bare_unit(text: str) -> str:
    """A unit without its count: 1套 -> 套, 1 vCPU -> vCPU, 100GB stays."""
    return text[1:].strip() if text.startswith("1") and not text[1:2].isdigit() else text.strip()


def _unit_text(rng: random.Random, variants: random.Random, unit: Unit, style: Style) -> str | None:
    """The unit as the row writes it: after the quantity ("20TB"), in a unit or note
    cell (without its space where single spaces part the cells: "1 TB" -> "1TB"), or not at all."""
    if style.quantity_units:
        return variants.choice(unit.counted)
    if not style.states_units:
        return None
    text = rng.choice(unit.texts)
    return text.replace(" ", "") if style.text.table_format == "single_space" else text


def _restated(rng: random.Random, items: list[Item]) -> list[int]:
    by_key: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        if item.service.restate and item.unit.base in ("vCPU", "GB", "Mbps", "IP"):
            by_key.setdefault(item.service.key, []).append(i)
    single = [idxs[0] for idxs in by_key.values() if len(idxs) == 1
              and items[idxs[0]].normalized_quantity == items[idxs[0]].normalized_quantity.to_integral_value()]
    return sorted(rng.sample(single, min(len(single), rng.randint(2, 4))))


def _parts(families: random.Random, items: list[Item], capped: bool) -> list[Part]:
    """The parts a fee breakdown states, in document order: one per tier (the extended
    tier sometimes as security and the rest), a tier sometimes split again (GPU compute
    apart, or by category); the cap, if any, on one part that is not split."""
    def tier(name: str) -> list[int]:
        return [i for i, item in enumerate(items) if CATEGORIES[item.service.category][1] == name]

    def categories(rows: list[int]) -> list[str]:
        return list(dict.fromkeys(items[i].service.category for i in rows))

    def split(rows: list[int]) -> list[tuple[str, list[int]]]:
        gpu = [i for i in rows if items[i].service.key in GPU_SERVICES]
        if gpu and len(gpu) < len(rows):
            rest = [i for i in rows if i not in gpu]
            return [(_category_label(families, items, rest), rest), (families.choice(GPU_PART_LABELS), gpu)]
        cats = categories(rows)
        if len(cats) < 2:
            return []
        k = families.randint(1, len(cats) - 1)
        groups = [[i for i in rows if items[i].service.category in cats[:k]],
                  [i for i in rows if items[i].service.category in cats[k:]]]
        return [(_category_label(families, items, g), g) for g in groups]

    basic, extended = tier("basic"), tier("extended")
    security = [i for i in extended if items[i].service.category == "security"]
    others = [i for i in extended if i not in security]
    top: list[tuple[str, list[int], float]] = [(families.choice(BASIC_PART_LABELS), basic, 0.7)]
    if security and others and families.random() < 0.35:
        top += [(families.choice(SECURITY_PART_LABELS), security, 0.0),
                (families.choice(SOFTWARE_PART_LABELS), others, 0.0)]
    else:
        top.append((families.choice(EXTENDED_PART_LABELS), extended, 0.3))
    parts: list[Part] = []
    for label, rows, chance in top:
        parent = len(parts)
        parts.append(Part(label, rows))
        if families.random() < chance:
            parts += [Part(sub_label, sub_rows, parent) for sub_label, sub_rows in split(rows)]
    if capped:
        leaves = [j for j in range(len(parts)) if not any(p.parent == j for p in parts)]
        gpu = [j for j in leaves if all(items[i].service.key in GPU_SERVICES for i in parts[j].items)]
        parts[(gpu or [families.choice(leaves)])[0]].capped = True
    return parts


def _category_label(families: random.Random, items: list[Item], rows: list[int]) -> str:
    """计算服务、存储服务费: the fee of the categories the rows fall in."""
    names = [CATEGORIES[c][0] for c in dict.fromkeys(items[i].service.category for i in rows)]
    return "、".join(names) + families.choice(("费", "费用"))


def _placements(rng: random.Random, style: Style) -> dict[tuple[str, str], tuple[str, ...]]:
    """Where each party field is written (empty: not stated). Contact person and
    phone go together, as do bank and account."""
    where = {"opening"}
    if style.order_form:
        where.add("form")
    if style.signature == "table":
        where.add("signature")
    chance = {("client", "representative"): 0.85, ("supplier", "representative"): 0.9,
              ("client", "address"): 0.9, ("supplier", "address"): 0.9,
              ("client", "contact"): 0.8, ("supplier", "contact"): 0.8,
              ("client", "bank"): 0.3, ("supplier", "bank"): 0.85,
              ("client", "tax_id"): 0.3, ("supplier", "tax_id"): 0.4}
    extra = {"contact": {"contacts"}, "bank": {"payment"}}
    placements = {}
    for (role, name), p in chance.items():
        if rng.random() >= p:
            continue
        options = set(where) - ({"form"} if name == "representative" else set())
        options |= extra.get(name, set()) - ({"payment"} if role == "client" else set())
        options = sorted(options)
        placements[(role, name)] = tuple(sorted(rng.sample(options, rng.randint(1, min(2, len(options))))))
    return placements


# -- stage 2: sums -----------------------------------------------------------

def derive_sums(facts: Facts, rng: random.Random, style: Style) -> None:
    if facts.catalogue:
        facts.total = money(Decimal(rng.randint(50, 3000) * 10000))
        return
    if facts.with_subtotals:
        for index, group in enumerate(facts.groups):
            section = (group.label or "").split("、")[-1]
            group.subtotal_label = style.subtotal_label.format(section=section)
            group.subtotal = sum((i.amount for i in facts.group_items(index)), Decimal(0))
    for part in facts.parts:  # quantity-only rows add up too: their amounts are not stated, but made up
        part.amount = sum((facts.items[i].amount for i in part.items), Decimal(0))
        part.cap_later = part.amount if part.capped else None
    facts.total = sum((i.amount for i in facts.items), Decimal(0))


# -- stage 3: statements ---------------------------------------------------------

def derive_statements(facts: Facts, rng: random.Random) -> None:
    total = facts.total
    facts.total_words_value = total if facts.total_words else None
    facts.total_later = total if facts.later_total else None
    if facts.tax_stated:
        facts.tax_rate = rng.choice(TAX_RATES)
        if facts.excl_tax_stated:
            facts.excl_tax = money(total / (1 + facts.tax_rate))
    facts.installments = _installments(rng, facts)
    facts.restatements = [Restatement(i, facts.items[i].normalized_quantity) for i in facts.restated]


def _conditions(rng: random.Random, count: int) -> list[str]:
    n = rng.choice((5, 10, 15, 30))
    if count == 1:
        return [rng.choice(FIRST_CONDITIONS).format(n=n)]
    middle = [rng.choice(MIDDLE_CONDITIONS).format(n=n) for _ in range(count - 2)]
    return [rng.choice(FIRST_CONDITIONS).format(n=n)] + middle + [rng.choice(LAST_CONDITIONS).format(n=n)]


def _installments(rng: random.Random, facts: Facts) -> list[Installment]:
    total = facts.total
    if facts.payment_scheme == "at_once":  # the whole price in one payment: 100 %, no amount written
        return [Installment(rng.choice(AT_ONCE_CONDITIONS).format(n=rng.choice((5, 10, 15))), Decimal(1), None,
                            "at_once")]
    if facts.payment_scheme == "yearly":  # the year's fee, paid again each year: no payments_total
        fee = money(total * 12 / facts.term.months)
        words = fee if rng.random() < 0.5 else None
        return [Installment(YEARLY_CONDITION.format(n=rng.choice((15, 30))), None, fee, "yearly", words)]
    if facts.payment_scheme == "of_part":
        return _part_installments(rng, facts)
    if facts.payment_scheme == "usage":
        year = facts.signed.year
        forms = USAGE_CONDITIONS[1:] if rng.random() < 0.5 else USAGE_CONDITIONS[:1]
        return [Installment(c.format(n=rng.choice((10, 15, 30)), y=year, y2=year + 1), None, None, "none")
                for c in forms]
    split = rng.choice(PAYMENT_SPLITS[1:] if facts.payment_scheme == "percent_amount" else PAYMENT_SPLITS)
    percents = [Decimal(p) / 100 for p in split]
    conditions = _conditions(rng, len(split))
    if facts.payment_scheme == "percent_only":
        return [Installment(c, p, None, "none") for c, p in zip(conditions, percents)]
    if facts.payment_scheme == "amount_only":
        amounts = [money(p * total) for p in percents[:-1]]
        amounts.append(total - sum(amounts, Decimal(0)))
        form = rng.choice(("words", "words", "figure"))
        return [Installment(c, None, a, form, a if form == "words" else None)
                for c, a in zip(conditions, amounts)]
    out = []
    for i, (c, p) in enumerate(zip(conditions, percents)):
        form = rng.choice(("figure", "figure", "words", "wan"))
        out.append(Installment(c, p, money(p * total), form, money(p * total) if form == "words" else None))
    if not facts.last_amount or sum(i.amount for i in out) != total:
        last = out[-1]
        last.amount, last.form, last.words_value = None, "none", None
    return out


def _part_installments(rng: random.Random, facts: Facts) -> list[Installment]:
    """A percent of the total, then a percent of one part (not the capped one nor its
    parent), then often the rest settled on usage with no amount. The second
    installment's percent is a share of its part, so neither payment_percent nor
    payments_total compares it with the total."""
    n = rng.choice((5, 10, 15))
    first = Decimal(rng.choice((30, 40, 50))) / 100
    share = Decimal(rng.choice((60, 70, 80))) / 100
    capped = facts.capped_part
    parts = [j for j, p in enumerate(facts.parts)  # a part settled on usage is not paid by percent
             if capped is None or j not in (capped, facts.parts[capped].parent)]
    within = [j for j in parts if first * facts.total + share * facts.parts[j].amount <= facts.total]
    if not within:  # the two payments never exceed the total: 30 % + 60 % of a part always fit
        first, share, within = Decimal("0.3"), Decimal("0.6"), parts
    k = rng.choice(within)
    out = []
    for percent, base, condition, part in ((first, facts.total, rng.choice(FIRST_CONDITIONS), None),
                                           (share, facts.parts[k].amount, rng.choice(PART_CONDITIONS), k)):
        amount = money(percent * base)
        words = rng.random() < 0.7
        out.append(Installment(condition.format(n=n), percent, amount, "words" if words else "figure",
                               amount if words else None, part=part))
    if rng.random() < 0.7:
        out.append(Installment(rng.choice(SETTLE_CONDITIONS).format(n=n), None, None, "settle"))
    return out
