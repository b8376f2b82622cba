"""Layouts the generator does not produce: parties side by side, sums inside one cell,
¥ figures without 元, tax stated as "含6%增值税", dates in Chinese numerals, yearly payments."""
from __future__ import annotations

import pytest
import regex

from pipeline.language import extract_text

SIDE_BY_SIDE = """政务云资源租用服务合同
甲方：某市大数据中心                              乙方：某某数字科技股份有限公司
法定代表人：赵六                                  法定代表人：钱七
地址：某市中山路1号                               地址：某市软件园2期
联系电话：0571-12345678                          联系电话：0571-87654321

一、服务内容
乙方为甲方提供政务云计算资源租用服务，服务期为2年。

二、合同金额
本合同总价为人民币（大写）贰拾肆万元整（¥240,000.00），含6%增值税。
序号  资源名称        计量单位   单价（元/年）   数量   金额（元）
1     云服务器        台         6000           20     240000
合计：240000元

三、付款方式
甲方于每年度开始后30日内支付当年度服务费120,000.00元（大写：壹拾贰万元整）。

甲方（盖章）                                      乙方（盖章）
签订日期：二〇二三年十二月一日
"""


@pytest.fixture(scope="module", params=["spaces", "tabs"])
def record(request):
    text = SIDE_BY_SIDE
    if request.param == "tabs":  # the same form as a text layer or OCR gives it, cells parted by tabs
        lines = text.split("\n")
        text = "\n".join([regex.sub(r" {2,}", "\t", ln) if i < 5 else ln for i, ln in enumerate(lines)])
        assert text.count("\t") == 4
    return extract_text(text, "layout.txt").record


def test_parties_side_by_side_each_get_their_own_column(record):
    client, supplier = record.parties
    assert (client.role, client.name, client.representative, client.address, client.phone) == (
        "client", "某市大数据中心", "赵六", "某市中山路1号", "0571-12345678")
    assert (supplier.role, supplier.name, supplier.representative, supplier.address, supplier.phone) == (
        "supplier", "某某数字科技股份有限公司", "钱七", "某市软件园2期", "0571-87654321")


def test_total_in_yen_without_yuan_tax_before_its_label_and_a_chinese_numeral_date(record):
    meta = record.contract
    assert (meta.total_amount, meta.total_amount_in_words) == (240000, "贰拾肆万元整")
    assert meta.tax_rate == 0.06
    assert meta.signed_date == "2023-12-01"
    assert meta.term_months == 24


def test_a_sum_in_one_cell_closes_the_table_and_yearly_payments_are_not_summed(record):
    assert [item.service for item in record.line_items] == ["云服务器"]
    assert record.payments[0].amount == 120000
    assert record.findings == []


def test_a_wrong_sum_in_one_cell_is_a_finding():
    record = extract_text(SIDE_BY_SIDE.replace("合计：240000元", "合计：250000元"), "wrong.txt").record
    assert [(f.check, f.expected, f.found) for f in record.findings] == [
        ("items_total", 240000, 250000), ("restated_amount", 240000, 250000)]
