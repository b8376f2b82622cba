"""The resolver on small cases: readings that reconcile the figures are not contradictions."""
from __future__ import annotations

from decimal import Decimal

from pipeline.language import extract_text
from pipeline.document import ContractDoc
from pipeline.resolve import base_of_percent, parts_reconcile, period_readings, subset_sums

HEAD = """云资源服务合同
合同编号：RS-01
甲方：某市数据局
乙方：某云科技有限公司
第一条 服务费
"""


def findings(text: str) -> list[tuple]:
    return [(f.check, f.found, f.severity) for f in extract_text(HEAD + text, "r.txt").record.findings]


def test_subset_sums_cover_every_combination_of_two_or_more():
    sums = {total for total, _ in subset_sums([Decimal(1), Decimal(2), Decimal(4)])}
    assert sums == {Decimal(3), Decimal(5), Decimal(6), Decimal(7)}


def test_nested_parts_reconcile_when_some_of_them_add_up():
    parts = [Decimal(900), Decimal(300), Decimal(600), Decimal(100)]  # 900 = 300 + 600; total 1000
    assert parts_reconcile(parts, Decimal(1000))
    assert not parts_reconcile([Decimal(300), Decimal(600)], Decimal(1000))


def test_period_readings_offer_a_year_twelve_months_and_the_term():
    assert period_readings(Decimal(12), 6) == [Decimal(1), Decimal(6), Decimal("0.5")]


def test_a_percent_of_one_part_is_not_a_payment_percent_error():
    text = ("1、本合同服务费总额为人民币 100000.00 元。其中：（1）计算服务费为人民币 60000.00 元；"
            "（2）存储服务费为人民币 40000.00 元。\n"
            "2、合同签订后支付计算服务费的50%即人民币 30000.00 元；验收后支付其余款项人民币 70000.00 元。\n")
    assert [f for f in findings(text) if f[0] == "payment_percent"] == []


def test_a_percent_of_the_total_that_disagrees_is_an_error():
    text = ("1、本合同服务费总额为人民币 100000.00 元。\n第二条 付款方式\n"
            "1、合同签订后10日内，甲方向乙方支付合同总额的50%，即人民币40000.00元。\n"
            "2、验收合格后10日内，甲方向乙方支付合同总额的50%，即人民币60000.00元。\n")
    assert ("payment_percent", 40000.0, "error") in findings(text)


def test_a_cap_stated_twice_with_two_values_is_a_restated_amount():
    text = ("1、本合同服务费总额为人民币 100000.00 元。其中：（1）算力服务费为人民币 70000.00 元"
            "（最终结算金额不得超过 70000.00 元）；（2）存储服务费为人民币 30000.00 元。\n"
            "第二条 结算\n按月结算算力服务费用，最终结算金额不得超过72000元。\n")
    assert findings(text) == [("restated_amount", 72000.0, "error")]


def test_a_budget_stated_beside_the_total_is_not_a_restatement():
    text = ("1、本合同总金额为人民币 95000.00 元。\n"
            "2、本项目采购预算金额为人民币 100000.00 元。\n")
    assert [f for f in findings(text) if f[0] == "restated_amount"] == []


def test_a_stated_periods_cell_is_not_read_away_by_the_twelve_month_reading():
    text = ("本合同服务期为10个月。\n"
            "序号\t服务名称\t单价（元/月）\t数量\t月数\t金额（元）\n"
            "1\t云主机\t200\t10\t10\t24000\n"
            "合计\t\t\t\t\t24000\n")
    assert ("line_amount", 24000.0, "error") in findings(text)


def test_a_percent_of_a_total_read_in_wan_yuan_finds_its_base():
    doc = ContractDoc(name="w.txt", raw="")
    doc.record.contract.total_amount = 74.0  # a table in 万元 whose caption said so
    assert base_of_percent(doc, Decimal("0.3"), Decimal(222000), Decimal("0.01")) == "the contract total read in 万元"
    assert base_of_percent(doc, Decimal("0.3"), Decimal(200000), Decimal("0.01")) is None


def test_a_later_total_the_installments_bear_out_is_the_total():
    text = ("1、本合同总价为人民币 80000.00 元。\n"
            "2、合同签订后支付合同总价的50%，即人民币 25000.00 元；验收后支付合同总价的50%，即人民币 25000.00 元。\n"
            "3、本合同总价款为人民币 50000.00 元。\n")
    doc = extract_text(HEAD + text, "r.txt")
    assert doc.record.contract.total_amount == 50000
    assert [(f.check, f.expected, f.found) for f in doc.record.findings] == [("restated_amount", 80000, 50000)]


def test_a_tie_keeps_the_first_statement_of_the_total():
    text = "1、本合同总价为人民币 80000.00 元。\n2、本合同总价款为人民币 50000.00 元。\n"
    doc = extract_text(HEAD + text, "r.txt")
    assert doc.record.contract.total_amount == 80000
    assert [(f.check, f.found) for f in doc.record.findings] == [("restated_amount", 50000)]



def ocr_findings(text: str, doubtful: str) -> list[tuple[str, str]]:
    """Findings on `text` read by OCR, every character surely but those of `doubtful`."""
    from pipeline.document import PageText
    from pipeline.language import default_pipeline
    at = text.index(doubtful)
    confidences = [None if ch == "\n" else 0.5 if at <= n < at + len(doubtful) else 0.97
                   for n, ch in enumerate(text)]
    page = PageText(text, confidences=confidences, source="ocr:test")
    doc = default_pipeline()(ContractDoc.from_pages("scan.pdf", [page]))
    return [(f.check, f.severity) for f in doc.record.findings]


def test_a_total_that_disagrees_only_through_a_doubtful_row_is_a_warning():
    """A seal over a row: its amount 48000 read as 48900 and its quantity doubtful. The
    row disagrees with its own arithmetic (a warning, on a doubtful figure); taken at
    that arithmetic the rows add up to the total, so the total's disagreement rests on
    the same doubtful reading and is a warning too. Printed so in a text file, with no
    doubt, both are errors."""
    from tests.helpers import MINI_CONTRACT
    misread = MINI_CONTRACT.replace("\t200\t12个月\t48000", "\t200\t12个月\t48900")
    assert ocr_findings(misread, "\t200\t") == [("line_amount", "warning"), ("items_total", "warning")]
    assert [(f.check, f.severity) for f in extract_text(misread, "r.txt").record.findings] == [
        ("line_amount", "error"), ("items_total", "error")]
