"""Clause wordings of payments, penalties and service levels, one small piece at a time.

Each test swaps the body of one clause of the small hand-written contract
(tests/helpers.py) for another wording with invented figures and checks what the
extractor reads from it. Whole-contract layouts of the same families are in
tests/layouts/clause_*.txt.
"""
from __future__ import annotations

import pytest

from extractors.payments import percent_base
from extractors.values.numbers import SUM, sum_value
from pipeline.language import extract_text
from tests.helpers import MINI_CONTRACT


def clause_body(heading: str) -> str:
    """The lines of the clause of MINI_CONTRACT headed `heading`, up to the blank line after it."""
    lines = MINI_CONTRACT.splitlines()
    start = next(i for i, line in enumerate(lines) if heading in line) + 1
    end = lines.index("", start)
    return "\n".join(lines[start:end])


PAYMENTS = clause_body("支付方式")
PENALTIES = clause_body("违约责任")
LEVELS = next(line for line in MINI_CONTRACT.splitlines() if "可用性" in line)


def with_clause(old: str, new: str):
    return extract_text(MINI_CONTRACT.replace(old, new), "clause.txt")


def error_checks(doc) -> list[str]:
    return [f.check for f in doc.record.findings if f.severity == "error"]


@pytest.mark.parametrize("text,base", [
    ("乙方按期交付后，由甲方付给乙方本合同约定价款的 ", "contract_total"),
    ("甲方向乙方拨付本项目合同总价的", "contract_total"),
    ("第2期款项合计5000元，所占总合同金额", "contract_total"),
    ("甲方付给乙方首笔款项，即 2041 年度运维费用的 ", "other"),
    ("向乙方支付主机租用、备份服务及监控服务费用的 ", "other"),
    ("甲方支付乙方当年服务费的", "other"),
    ("验收通过后支付", None),
])
def test_percent_base_names_what_the_share_is_of(text, base):
    assert percent_base(text, len(text)) == base


def test_payment_statements_say_the_base_of_their_percent():
    doc = with_clause(PAYMENTS, "签约后 7 日内，甲方付给乙方 2030 年度服务费的 50%，计 30000 元；\n"
                                "期满验收后，甲方付给乙方合同总价的 50%，计 30000 元。")
    assert [s.base for s in doc.statements.payments] == ["other", "contract_total"]
    assert [(p.percent, p.amount) for p in doc.record.payments] == [(0.5, 30000), (0.5, 30000)]


def test_counted_installments_with_percent_in_words():
    doc = with_clause(PAYMENTS, "第1次分期支付金额为36000.00元，所占总合同金额百分之60，说明：系统上线后支付；\n"
                                "第2次分期支付金额为24000.00，所占总合同金额百分之40，说明：终验通过后支付。")
    assert [(p.percent, p.amount) for p in doc.record.payments] == [(0.6, 36000), (0.4, 24000)]
    assert [p.condition for p in doc.record.payments] == ["系统上线后", "终验通过后"]
    assert error_checks(doc) == []


def test_a_guarantee_percent_is_no_installment():
    doc = with_clause(PAYMENTS, PAYMENTS + "\n第二期款项支付之前，乙方须递交合同总价 8% 的履约担保。")
    assert [(p.percent, p.amount) for p in doc.record.payments] == [(0.6, 36000), (0.4, 24000)]


def test_a_settlement_cap_is_not_the_installment_amount():
    doc = with_clause(PAYMENTS, "首付款：签约后，甲方付给乙方合同总价的 60%，计人民币 36000 元；\n"
                                "尾款：期满后双方按实际用量核算，核算费用最高不超过 24000 元。")
    assert [(p.percent, p.amount) for p in doc.record.payments] == [(0.6, 36000), (None, None)]


def test_a_verb_used_as_a_noun_pays_nothing():
    doc = with_clause(PAYMENTS, PAYMENTS + "\n双方依本合同的付款方式核对账单，账单合计不得超过 60000 元。")
    assert len(doc.record.payments) == 2


SCHEDULE = ("甲方按下表向乙方支付：\n"
            "期次\t付款条件\t支付比例\t支付金额（元）\n"
            "第1期\t签约后10日内\t60%\t36000.00\n"
            "第2期\t验收合格后\t{second}\t24000.00\n"
            "合计\t\t100%\t60000.00")


def test_schedule_table_rows_are_the_installments():
    doc = with_clause(PAYMENTS, SCHEDULE.format(second="40%"))
    assert [(p.percent, p.amount, p.condition) for p in doc.record.payments] == [
        (0.6, 36000, "签约后10日内"), (0.4, 24000, "验收合格后")]
    assert error_checks(doc) == []


def test_a_schedule_row_whose_share_disagrees_is_a_finding():
    doc = with_clause(PAYMENTS, SCHEDULE.format(second="30%"))
    assert [(f.check, f.subject, f.found) for f in doc.record.findings if f.severity == "error"] == [
        ("payment_percent", "payments[1].amount", 24000)]


def test_a_sentence_restating_a_schedule_row_is_no_installment_of_its_own():
    doc = with_clause(PAYMENTS, "首期款为合同总价的60%，即36000元，签约后支付。\n" + SCHEDULE.format(second="40%"))
    assert [(p.percent, p.amount) for p in doc.record.payments] == [(0.6, 36000), (0.4, 24000)]


def test_a_price_table_is_no_schedule():
    doc = with_clause(PAYMENTS, PAYMENTS + "\n序号\t服务内容\t单价\t数量\t金额\n1\t驻场运维\t5000\t12\t60000")
    assert [(p.percent, p.amount) for p in doc.record.payments] == [(0.6, 36000), (0.4, 24000)]


def penalty_keys(doc) -> list[tuple]:
    return [(p.rate, p.base, p.per_day, p.cap_rate, p.fixed_amount) for p in doc.record.penalties]


@pytest.mark.parametrize("clause,expected", [
    ("甲方付款迟延的，每延期 1 天，按延期付款金额的 0.02% 计付违约金，违约金累计不超过合同总额的 4%。",
     [(0.0002, "overdue_amount", True, 0.04, None)]),
    ("甲方拖延付款的，每迟延 1 天，按欠款的 0.3‰ 向乙方支付违约金（以合同总价款的 6% 为上限）。",
     [(0.0003, "overdue_amount", True, 0.06, None)]),
    ("乙方逾期开通的，每逾一天按合同总金额的 0.03% 支付违约金。违约金累计不超过合同总额的 6%。",
     [(0.0003, "contract_total", True, 0.06, None)]),
    ("网络断开的，每中断 1 天计付合同总额 2% 的违约金，但当月累计不超过当月服务费的 30%。",
     [(0.02, "contract_total", True, None, None)]),
    ("巡检缺漏的，每发生一次，甲方有权扣减当月服务费的5%。", [(0.05, "monthly_fee", False, None, None)]),
    ("乙方应向甲方支付违约金3万元。", [(None, None, False, None, 30000)]),
    ("乙方须赔付违约金人民币（大写）肆万元整。", [(None, None, False, None, 40000)]),
    ("损失难以计算时，由乙方按人民币6万元赔偿。", [(None, None, False, None, 60000)]),
    ("工单超时未关闭的，每单扣除800元。", [(None, None, False, None, 800)]),
    ("乙方违反廉洁约定的，处以罚金2500元。", [(None, None, False, None, 2500)]),
    ("双方约定违约金总计最高不超过8万元的违约金。", []),
    ("可用率低于 99.5% 时，乙方按当月服务费的 10% 计付违约金。", [(0.1, "monthly_fee", False, None, None)]),
    ("模块故障未修复的，乙方按该模块当年运维费的 20% 支付违约金。", [(0.2, "service_fee", False, None, None)]),
    ("巡检缺漏的，按该月实际结算服务费的 5% 支付违约金。", [(0.05, "settlement_fee", False, None, None)]),
    ("乙方逾期的，每逾期一日按本变更协议金额的千分之二支付违约金。", [(0.002, "contract_total", True, None, None)]),
])
def test_penalty_wordings(clause, expected):
    assert penalty_keys(with_clause(PENALTIES, clause)) == expected


@pytest.mark.parametrize("clause,availability,reliability", [
    ("平台可用性须不低于 99.97%，数据持久性不小于99.9995%。", 0.9997, 0.999995),
    ("虚拟机可用率≥99.5%。", 0.995, None),
    ("(a) 主机可用率 $\\geq 99.5\\%$;", 0.995, None),
    ("(b) 存储数据可靠性 $\\geqslant 99.999 \\%$;", None, 0.99999),
    ("数据持久性须达到 99.999%。", None, 0.99999),
    ("平台可用性未达到 99.5% 时扣减当月服务费。", None, None),
    ("数据可用性不低于 99.95%。", None, None),
])
def test_service_level_wordings(clause, availability, reliability):
    levels = with_clause(LEVELS, clause).record.service_levels
    assert levels.availability == pytest.approx(availability) if availability else levels.availability is None
    assert levels.data_reliability == pytest.approx(reliability) if reliability else levels.data_reliability is None


@pytest.mark.parametrize("text,value", [
    ("违约金计人民币（大写）叁万元整，", 30000), ("按人民币6万元赔偿", 60000), ("扣除800元", 800),
    ("¥ 500", 500), ("（大写）：伍仟元整", 5000),
])
def test_sum_in_figures_or_in_words(text, value):
    assert sum_value(SUM.search(text)) == value
