"""Penalty clauses: sentence templates and the (rate, base, per_day, cap, fixed) they state.

Each template is a row of data: where the clause sits, the trigger, the sentence
with `{rate}`/`{cap}`/`{fixed}`/`{n}` slots, and the value lists it draws from.
`draw` picks a contract's clauses and, optionally, the rows of a penalty annex
table whose column header names the fee base (取费基数). A contract writes the
clauses' rates as figures (0.05%), in Chinese (万分之五) or per mille (0.5‰).

`draw_families` adds the clauses of the penalty families a contract's style
draws (style.PENALTY_FAMILIES): a share of the month's fee (扣减当月服务费的5%:
rate 0.05 on monthly_fee), fixed sums (扣除1000元, 罚金2000元, 按照人民币5万元赔偿:
fixed_amount, no rate or base) and an overdue-payment penalty with its cap
(每迟延一日…拖欠款项0.1%的违约金（违约金总额不超过合同总价的5%）: rate 0.001 on
overdue_amount, per day, cap_rate 0.05).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from pipeline.synth.textforms import chinese_rate, per_mille, percent, plain

PLACES = ("obligations", "confidentiality", "liability", "annex")


@dataclass
class PenaltyTerm:
    place: str
    trigger: str
    sentence: str  # the clause (for annex rows: the 违约金 cell)
    rate: Decimal | None
    base: str | None
    per_day: bool
    cap_rate: Decimal | None
    fixed_amount: Decimal | None
    column: str = ""  # annex rows: the 违约金 column header


@dataclass(frozen=True)
class Template:
    place: str
    trigger: str
    sentence: str
    base: str | None
    rates: tuple[str, ...] = ()
    per_day: bool = False
    caps: tuple[str, ...] = ()
    fixed: tuple[int, ...] = ()
    monthly_counts: tuple[int, ...] = ()


def _d(*values: str) -> tuple[str, ...]:
    return values


TEMPLATES: tuple[Template, ...] = (
    Template("liability", "因乙方原因造成服务延迟",
             "如因乙方原因造成服务延迟，每延迟一日，乙方应按合同总金额的 {rate} 向甲方支付违约金{cap}。",
             "contract_total", _d("0.0005", "0.0003", "0.001", "0.0001"), per_day=True,
             caps=_d("0.05", "0.1", "0.2")),
    Template("liability", "因乙方的服务缺陷造成服务中断",
             "因乙方的服务缺陷造成甲方业务系统中断的，每中断一日（不足一日按一日计）按服务费总额的 {rate} 支付违约金。",
             "contract_total", _d("0.0001", "0.0005", "0.001"), per_day=True),
    Template("obligations", "未经甲方书面同意，乙方将本合同项下服务转包或分包",
             "未经甲方书面同意，乙方不得将本合同项下服务转包或分包给第三方，否则甲方有权解除合同，乙方应按合同总金额的 {rate} 支付违约金。",
             "contract_total", _d("0.1", "0.2", "0.3")),
    Template("confidentiality", "乙方或其工作人员违反保密义务",
             "乙方或其工作人员违反保密义务的，乙方应按本合同总金额的 {rate} 向甲方支付违约金，并赔偿由此给甲方造成的损失。",
             "contract_total", _d("0.1", "0.2")),
    Template("liability", "乙方驻场人员未经甲方同意擅自更换",
             "乙方驻场人员未经甲方同意擅自更换的，每人次向甲方支付违约金 {fixed} 元。",
             None, fixed=(2000, 3000, 5000, 10000)),
    Template("liability", "乙方未按约定时间完成云资源开通",
             "乙方未按约定时间完成云资源开通的，每延误一日向甲方支付违约金 {fixed} 元。",
             None, per_day=True, fixed=(500, 1000, 2000)),
    Template("liability", "服务连续中断超过 24 小时",
             "服务连续中断超过 24 小时的，甲方有权解除合同，乙方须承担相当于{n}个月服务费的违约金。",
             "monthly_fee", monthly_counts=(1, 2, 3)),
    Template("liability", "甲方逾期付款",
             "甲方无正当理由逾期付款的，每逾期一日，应按逾期金额的 {rate} 向乙方支付违约金{cap}。",
             "overdue_amount", _d("0.0003", "0.0005"), per_day=True, caps=_d("0.05",)),
    Template("liability", "因乙方原因导致某项服务不可用超过 8 小时",
             "因乙方原因导致某项服务不可用超过 8 小时的，乙方应按该项服务费用的 {rate} 支付违约金。",
             "service_fee", _d("0.05", "0.1", "0.2")),
    Template("liability", "月度服务考核不合格",
             "月度服务考核不合格的，乙方应按当期结算服务费的 {rate} 支付违约金。",
             "settlement_fee", _d("0.05", "0.1")),
    Template("liability", "乙方未能履行部分服务",
             "乙方未能履行部分服务的，应按未履行部分合同金额的 {rate} 支付违约金。",
             "unpaid_part", _d("0.1", "0.2", "0.3")),
    Template("liability", "乙方提供的服务不符合合同约定，经甲方催告后仍未改正",
             "乙方提供的服务不符合本合同约定，经甲方催告后仍未改正的，乙方应按本合同总金额的 {rate} 支付违约金，甲方同时保留解除本合同的权利。",
             "contract_total", _d("0.1", "0.2", "0.3")),
)

ANNEX_TRIGGERS: tuple[str, ...] = (
    "云服务可用性低于约定标准，出现问题并造成重大损失的",
    "未做好系统和数据互备，导致业务系统无法正常使用的",
    "安全服务出现故障，导致业务系统网页被篡改的",
    "安全服务出现故障，导致业务系统数据丢失的",
    "在安全监管方发出整改通知后未按期处置的",
    "运维需求平均响应时间超过 30 分钟的",
    "故障平均恢复时间超过 60 分钟的",
    "重大活动保障期间驻场人员未到岗的",
    "连续两次月度考核不合格的",
)
ANNEX_COLUMNS: dict[str, tuple[str, ...]] = {
    "monthly_fee": ("违约金（取费基数：合同总金额/服务月数）", "违约金（取费基数：服务协议总金额/服务月数）"),
    "contract_total": ("违约金（取费基数：合同总金额）",),
    "fixed": ("违约金（元）",),
}
ANNEX_RATES: dict[str, tuple[str, ...]] = {
    "monthly_fee": _d("0.2", "0.3", "0.5", "1", "2"),
    "contract_total": _d("0.01", "0.02", "0.05"),
}
CN_COUNTS = {1: "一", 2: "两", 3: "三"}
CN_FRACTIONS = {Decimal("0.0001"): "万分之一", Decimal("0.0003"): "万分之三", Decimal("0.0005"): "万分之五",
                Decimal("0.001"): "千分之一"}


def rate_text(rate: Decimal, rng: random.Random, form: str) -> str:
    """The rate as written; `form` is the contract's (figures | chinese | per_mille)."""
    if rate in CN_FRACTIONS and rng.random() < 0.25:
        return CN_FRACTIONS[rate]
    if form == "chinese":
        return chinese_rate(rate) or percent(rate)
    if form == "per_mille" and rate < Decimal("0.01"):
        return per_mille(rate)
    return percent(rate)


def _from_template(rng: random.Random, t: Template, form: str, same_as: PenaltyTerm | None = None) -> PenaltyTerm:
    rate = Decimal(rng.choice(t.rates)) if t.rates else None
    cap = Decimal(rng.choice(t.caps)) if t.caps and rng.random() < 0.5 else None
    if same_as is not None:
        rate, cap = same_as.rate, same_as.cap_rate
    fixed = Decimal(rng.choice(t.fixed)) if t.fixed else None
    count = rng.choice(t.monthly_counts) if t.monthly_counts else None
    if count is not None:
        rate = Decimal(count)
    cap_text = f"，违约金累计最高不超过合同总额的 {percent(cap)}" if cap is not None else ""
    written_count = CN_COUNTS[count] if count and rng.random() < 0.5 else f" {count} "
    sentence = t.sentence.format(rate=rate_text(rate, rng, form) if rate is not None and not count else "",
                                 cap=cap_text, fixed=fixed, n=("近" + written_count.strip()) if count == 2
                                 and rng.random() < 0.3 else written_count)
    return PenaltyTerm(t.place, t.trigger, sentence, rate, t.base, t.per_day, cap, fixed)


def _annex(rng: random.Random) -> list[PenaltyTerm]:
    kind = rng.choice(("monthly_fee", "monthly_fee", "contract_total", "fixed"))
    column = rng.choice(ANNEX_COLUMNS[kind])
    rows = []
    for trigger in rng.sample(ANNEX_TRIGGERS, rng.randint(3, 7)):
        if kind == "fixed":
            fixed = Decimal(rng.choice((1000, 2000, 5000, 10000)))
            rows.append(PenaltyTerm("annex", trigger, str(fixed), None, None, False, None, fixed, column))
        else:
            rate = Decimal(rng.choice(ANNEX_RATES[kind]))
            rows.append(PenaltyTerm("annex", trigger, percent(rate), rate, kind, False, None, None, column))
    return rows


def _restating(term: PenaltyTerm, t: Template) -> bool:
    """Whether template `t` can state the same penalty as `term` in other words."""
    return (t.trigger != term.trigger and t.base == term.base and t.per_day == term.per_day
            and term.rate is not None and str(term.rate) in t.rates
            and (term.cap_rate is None or str(term.cap_rate) in t.caps))


def draw(rng: random.Random, annex: bool, form: str) -> list[PenaltyTerm]:
    chosen = rng.sample(TEMPLATES, rng.randint(2, 5))
    terms = [_from_template(rng, t, form) for t in chosen]
    if rng.random() < 0.4:  # the same penalty stated again by another clause
        pairs = [(term, t) for term in terms for t in TEMPLATES if t not in chosen and _restating(term, t)]
        if pairs:
            term, t = rng.choice(pairs)
            terms.append(_from_template(rng, t, form, same_as=term))
    return terms + (_annex(rng) if annex else [])


# The penalty families: kind -> templates. `{fixed}` is written in 元, `{wan}` the same sum in 万元;
# the overdue penalty always states its cap, as a bare percent of the contract price.
FAMILY_TEMPLATES: dict[str, tuple[Template, ...]] = {
    "monthly_share": (
        Template("liability", "月度服务可用性低于约定标准",
                 "月度服务可用性低于约定标准的，甲方有权扣减当月服务费的{rate}。",
                 "monthly_fee", _d("0.05", "0.1", "0.03")),
        Template("liability", "故障未在承诺时限内恢复",
                 "故障未在承诺时限内恢复的，每发生一次，扣减当月服务费的{rate}。",
                 "monthly_fee", _d("0.02", "0.05", "0.1")),
    ),
    "fixed": (
        Template("liability", "运维人员未按要求到场处置故障",
                 "乙方运维人员未按要求到场处置故障的，每次扣除{fixed}元。",
                 None, fixed=(500, 1000, 2000)),
        Template("liability", "乙方未按时提交月度运行报告",
                 "乙方未按时提交月度运行报告的，每次罚金{fixed}元。",
                 None, fixed=(1000, 2000, 3000)),
        Template("confidentiality", "乙方违反保密义务且损失数额无法确定",
                 "乙方违反保密义务给甲方造成损失且损失数额无法确定的，乙方同意按照人民币{wan}万元赔偿甲方的损失。",
                 None, fixed=(20000, 50000, 100000)),
    ),
    "overdue": (
        Template("liability", "甲方未按约定支付服务费",
                 "甲方未按本合同约定向乙方支付服务费的，每迟延一日，应向乙方支付拖欠款项{rate}的违约金（违约金总额不超过合同总价的{cap}）。",
                 "overdue_amount", _d("0.001", "0.0005", "0.0003"), per_day=True, caps=_d("0.05", "0.1")),
    ),
}


def _family_term(rng: random.Random, t: Template, form: str) -> PenaltyTerm:
    rate = Decimal(rng.choice(t.rates)) if t.rates else None
    cap = Decimal(rng.choice(t.caps)) if t.caps else None
    fixed = Decimal(rng.choice(t.fixed)) if t.fixed else None
    sentence = t.sentence.format(rate=rate_text(rate, rng, form) if rate is not None else "",
                                 cap=percent(cap) if cap is not None else "",
                                 fixed=fixed, wan=plain(fixed / 10000) if fixed is not None else "")
    return PenaltyTerm(t.place, t.trigger, sentence, rate, t.base, t.per_day, cap, fixed)


def draw_families(rng: random.Random, kinds: tuple[str, ...], form: str) -> list[PenaltyTerm]:
    """One or two clauses of each penalty family in `kinds`."""
    terms = []
    for kind in kinds:
        pool = FAMILY_TEMPLATES[kind]
        terms += [_family_term(rng, t, form) for t in rng.sample(pool, rng.randint(1, min(2, len(pool))))]
    return terms


def key(term: PenaltyTerm) -> tuple:
    return (term.rate, term.base, term.per_day, term.cap_rate, term.fixed_amount)
