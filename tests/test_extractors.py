"""Extractors and checks on small hand-written contracts."""
from __future__ import annotations

import pytest

from pipeline.errors import NotAContract
from pipeline.language import extract_text
from tests.helpers import MINI_CONTRACT


@pytest.fixture(scope="module")
def mini():
    return extract_text(MINI_CONTRACT, "mini.txt")


def test_metadata(mini):
    meta = mini.record.contract
    assert meta.title == "云服务采购合同"
    assert meta.project_name == "测试区云资源租用服务"
    assert meta.contract_no == "TEST-2030-001"
    assert meta.signed_date == "2030-03-05"
    assert meta.term_months == 12
    assert meta.total_amount == 60000
    assert meta.total_amount_in_words == "陆万元整"


def test_parties(mini):
    client, supplier = mini.record.parties
    assert (client.role, client.name, client.representative, client.phone) == (
        "client", "测试市数据管理中心", "王一", "13900000001")
    assert (supplier.name, supplier.contact_person, supplier.bank_name, supplier.bank_account) == (
        "星云科技有限公司", "钱四", "测试银行科技支行", "6222000011112222")


def test_line_items_normalized(mini):
    first, second = mini.record.line_items
    assert (first.seq, first.unit_price, first.quantity, first.periods, first.amount) == (1, 10, 100, 12, 12000)
    assert first.normalized.unit == "vCPU"
    assert second.normalized.unit == "GB"
    assert second.price_basis == "month"


def test_payments_penalties_levels(mini):
    assert [(p.percent, p.amount) for p in mini.record.payments] == [(0.6, 36000), (0.4, 24000)]
    penalty = mini.record.penalties[0]
    assert (penalty.rate, penalty.base, penalty.per_day, penalty.cap_rate) == (
        0.0005, "contract_total", True, 0.1)
    assert mini.record.service_levels.availability == pytest.approx(0.9995)
    assert mini.record.service_levels.data_reliability == pytest.approx(0.999999)


def test_consistent_contract_has_no_findings(mini):
    assert mini.record.findings == []


def test_evidence_points_into_the_source(mini):
    evidence = mini.evidence["contract.total_amount"]
    assert MINI_CONTRACT[evidence.start:evidence.end] == "60000"
    assert evidence.page == 1
    assert "line_items[1].amount" in mini.evidence


@pytest.mark.parametrize("old,new,check,expected,found", [
    ("1\t云主机 vCPU\t10\t100\t12个月\t12000", "1\t云主机 vCPU\t10\t100\t12个月\t13000",
     "line_amount", 12000, 13000),
    ("陆万元整", "陆万伍仟元整", "amount_in_words", 60000, 65000),
    ("即人民币 24000 元", "即人民币 25000 元", "payment_percent", 24000, 25000),
])
def test_injected_inconsistency_is_found(old, new, check, expected, found):
    doc = extract_text(MINI_CONTRACT.replace(old, new), "bad.txt")
    errors = [(f.check, f.expected, f.found) for f in doc.record.findings if f.severity == "error"]
    assert (check, expected, found) in errors


def test_rounded_unit_price_is_a_warning_not_an_error():
    text = MINI_CONTRACT.replace("1\t云主机 vCPU\t10\t100\t12个月\t12000", "1\t云主机 vCPU\t10.00\t100\t12个月\t12000.4")
    doc = extract_text(text, "round.txt")
    assert [f.severity for f in doc.record.findings if f.check == "line_amount"] in ([], ["warning"])


def test_not_a_contract_is_refused():
    with pytest.raises(NotAContract, match="no contract found"):
        extract_text("春天来了，花开了。我们一起去公园散步，看看湖边的柳树。\n" * 20, "prose.txt")


def test_truncated_contract_is_extracted_with_a_warning():
    cut = MINI_CONTRACT[: MINI_CONTRACT.index("第二条")]
    doc = extract_text(cut, "cut.txt")
    assert doc.record.line_items
    assert any("truncated" in w for w in doc.warnings)


def test_title_on_two_lines_and_price_with_basis():
    text = MINI_CONTRACT.replace("云服务采购合同", "云服务采购\n合同书").replace(
        "1\t云主机 vCPU\t10\t", "1\t云主机 vCPU\t10元/年\t").replace("12个月\t12000", "1年\t1000")
    doc = extract_text(text, "variant.txt")
    assert doc.record.contract.title == "云服务采购 合同书"
    item = doc.record.line_items[0]
    assert (item.unit_price, item.price_basis, item.periods) == (10, "year", 1)
    assert item.normalized.unit_price_month == round(10 / 12, 6)


def test_header_repeated_on_next_page_continues_the_table():
    header = "序号\t服务项\t单价(元)\t数量\t周期\t合价(元)\n"
    text = MINI_CONTRACT.replace("2\t云主机 内存", "\n\n\n\n" + header + "2\t云主机 内存")
    doc = extract_text(text, "paged.txt")
    assert len(doc.record.line_items) == 2
    assert doc.record.findings == []


def test_space_aligned_table_without_blank_lines_or_page_breaks():
    text = MINI_CONTRACT.replace("\t", "    ")
    doc = extract_text(text, "spaces.txt")
    assert [i.amount for i in doc.record.line_items] == [12000, 48000]
