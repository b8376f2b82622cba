"""The stated-amounts extractor on small cases: parts of a total in prose, and caps."""
from __future__ import annotations

from pipeline.language import extract_text

HEAD = "数据服务合同\n甲方：某市数据局\n乙方：某云科技有限公司\n第一条 服务费\n"


def test_the_parts_a_total_breaks_into_are_subtotals_nested_ones_included():
    text = HEAD + ("1、本合同服务费总额为人民币 500000.00 元。其中：（1）资源服务费为人民币 400000.00 元，"
                   "包括：计算服务费为人民币 300000.00 元；存储服务费为人民币 100000.00 元。\n"
                   "（2）运维服务费用为人民币 100000.00 元。\n2、甲方按季度支付。\n")
    record = extract_text(text, "p.txt").record
    assert [s.amount for s in record.subtotals] == [400000, 300000, 100000, 100000]
    assert record.findings == []


def test_a_tax_amount_or_a_single_figure_after_the_total_is_no_breakdown():
    text = HEAD + ("1、本合同服务费总额为人民币 106000.00 元，其中不含税金额为人民币 100000.00 元，"
                   "税额为人民币 6000.00 元。\n")
    assert extract_text(text, "t.txt").record.subtotals == []


def test_caps_are_kept_with_their_labels_for_the_checks():
    text = HEAD + "1、本合同服务费总额为人民币 80000.00 元，结算金额不得超过 80000.00 元。\n"
    doc = extract_text(text, "c.txt")
    assert [(a.key, a.statement.value) for a in doc.statements.labelled_amounts] == [("结算金额", 80000)]
