"""Clause patterns the holdout review found, each on invented wordings and figures.

Penalties whose deduction verb follows the rate ("按当月服务费的 6% 扣减"), and bases
named by a period's fee or by the unpaid amount. Quantities restated in the body are
paired with a price row only when the words name that row: being the only row in
the unit is not enough, and a doubtful pairing gives no statement and no finding.
Whole-contract fixtures of the same patterns: tests/layouts/clause_penalty_rate_before_verb
and tests/layouts/clause_restated_*.
"""
from __future__ import annotations

import pytest

from extractors.restatements import _counted_base
from pipeline.language import extract_text
from tests.helpers import MINI_CONTRACT

PENALTIES = "乙方逾期提供服务的，每逾期一日按合同总金额的 0.05% 支付违约金，累计不超过合同总金额的 10%。"
MINI_PENALTY = (0.0005, "contract_total", True, 0.1, None)
CONTENT = "服务期限：自合同签订之日起 12 个月。"
ROW_TWO = "2\t云主机 内存\t20\t200\t12个月\t48000"


def penalty_keys(doc) -> list[tuple]:
    return [(p.rate, p.base, p.per_day, p.cap_rate, p.fixed_amount) for p in doc.record.penalties]


def errors(doc) -> list[tuple]:
    return [(f.check, f.subject, f.expected, f.found) for f in doc.record.findings if f.severity == "error"]


@pytest.mark.parametrize("clause,expected", [
    ("服务中断超过 2 小时的，按当月服务费的 6% 扣减。", [(0.06, "monthly_fee", False, None, None)]),
    ("巡检缺失的，每次按照月服务费的 10% 予以扣款。", [(0.1, "monthly_fee", False, None, None)]),
    ("平台可用率低于 99.95% 的，按月服务费的 3% 进行扣减；低于 99.5% 的，按月服务费的 9% 进行扣减。",
     [(0.03, "monthly_fee", False, None, None), (0.09, "monthly_fee", False, None, None)]),
    ("季度考核不合格的，甲方有权扣除本季度服务费的 2%。", [(0.02, "settlement_fee", False, None, None)]),
    ("半年考评不达标的，扣减当季度服务费用的 4%。", [(0.04, "settlement_fee", False, None, None)]),
    ("甲方逾期付款的，每逾期一日，按未支付金额的 0.03% 向乙方支付违约金。",
     [(0.0003, "overdue_amount", True, None, None)]),
    ("甲方迟延付款的，每迟延 1 天按未付金额的 0.02% 计付违约金，但违约金总额不超过合同总额的 3%。",
     [(0.0002, "overdue_amount", True, 0.03, None)]),
    ("月度可用率低于 99.5% 扣减。", []),
])
def test_penalty_wordings(clause, expected):
    doc = extract_text(MINI_CONTRACT.replace(PENALTIES, clause), "clause.txt")
    assert penalty_keys(doc) == expected


def test_a_rate_before_a_deduction_outside_a_penalty_section_is_no_penalty():
    """A retention taken from a payment ("按合同总价的 5% 扣除质保金") is no penalty."""
    payment = "服务期满验收合格后，甲方向乙方支付合同总金额的 40%，即人民币 24000 元。"
    doc = extract_text(MINI_CONTRACT.replace(payment, payment + "\n尾款支付时，甲方按合同总金额的 5% 扣除。"),
                       "clause.txt")
    assert penalty_keys(doc) == [MINI_PENALTY]


def with_body(sentence: str, row_two: str = ROW_TWO):
    """MINI_CONTRACT with a sentence in its first clause and another second price row
    (one that keeps the row's amount, so the totals still agree)."""
    text = MINI_CONTRACT.replace(CONTENT, CONTENT + "\n" + sentence).replace(ROW_TWO, row_two)
    return extract_text(text, "restated.txt")


def pairs(doc) -> list[tuple[int, float]]:
    return [(index, float(statement.value)) for index, statement in doc.statements.restated_quantities]


def test_a_restatement_that_names_its_row_is_paired():
    doc = with_body("乙方为甲方提供云主机 vCPU 共 100 核、内存 200GB。")
    assert pairs(doc) == [(0, 100.0), (1, 200.0)]
    assert errors(doc) == []


def test_a_quantity_is_named_by_the_words_after_the_quantity_before_it():
    """OCR lost the "、" between two restated quantities: the second ("远程接入服务10个") is
    named only by the words after the first, not taken for more memory."""
    doc = with_body("云主机内存200GB)网络服务(远程接入服务10个。")
    assert pairs(doc) == [(1, 200.0)]
    assert errors(doc) == []


def test_a_restatement_that_disagrees_with_its_row_is_a_finding():
    doc = with_body("乙方为甲方提供云主机 vCPU 共 120 核、内存 200GB。")
    assert errors(doc) == [("restated_quantity", "line_items[0].quantity", 120, 100)]


@pytest.mark.parametrize("sentence,row_two", [
    # another kind in the same base unit: load balancers counted in IP beside a row of public IPs
    ("乙方另为甲方配置负载均衡 6 个。", "2\t弹性IP地址\t20\t200\t12个月\t48000"),
    # a kind no row holds: backup space beside the only row in GB, which is memory
    ("日志备份空间 3000GB 由甲方自行承担。", ROW_TWO),
    # one kind with a conflicting qualifier: ordinary storage beside a high-performance disk row
    ("乙方另提供普通存储 500GB。", "2\t高性能云盘\t20\t200\t12个月\t48000"),
    # a figure inside a number is no quantity
    ("资源编号 3100 2090 账号。", "2\t堡垒机账号\t20\t200\t12个月\t48000"),
    # words that name nothing
    ("其中 15 台。", "2\t物理服务器\t20\t200\t12个月\t48000"),
])
def test_a_doubtful_pairing_gives_no_statement(sentence, row_two):
    doc = with_body(sentence, row_two)
    assert [index for index, _ in pairs(doc)] == []
    assert errors(doc) == []


@pytest.mark.parametrize("context,unit,base,expected", [
    ("门户网站防护站点 ", "个", "set", "site"),      # 站点 3 个: sites, whatever the service is counted in
    ("堡垒机运维账号", "个", "set", "account"),
    ("弹性 IP 地址 ", "个", "IP", "IP"),           # no unit noun before the figure
    ("网站防护站点 ", "套", "set", "set"),         # a unit written after the figure stands
])
def test_a_bare_count_is_read_in_the_unit_noun_before_it(context, unit, base, expected):
    assert _counted_base(context, unit, base) == expected


def test_a_restatement_naming_rows_whose_count_ocr_lost_is_not_compared():
    from pipeline.language import extract_text
    text = ("软件租用合同\n甲方：某局\n乙方：某公司\n第一条 服务内容\n乙方提供国产数据库 9 套。\n"
            "序号\t服务项\t计价单位\t报价单位\t数量\n"
            "1\t国产数据库套餐\t1 套\t元/套·月\t6\n"
            "2\t国产数据库套餐\t1 套\t元/套·月\t\n")
    assert [f.check for f in extract_text(text, "r.txt").record.findings] == []
