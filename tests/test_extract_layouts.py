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


TWO_TABLES = """某某县政务云服务项目合同书
合同编号：[2024]某政数采字第015号
甲方（采购人）：
某某县政务服务和数据管理局
乙方（成交供应商）：
某某信息产业有限公司

第一条 服务期限
服务期限：自合同签订之日起三年。

第二条 服务内容及费用
（一）基础资源
序号\t服务项目\t配置\t数量\t单价(元/月)\t服务期\t金额(元)
1\t计算资源\tvCPU\t100核\t30\t36个月\t108000
2\t存储资源\tSSD云盘\t20TB\t400\t36个月\t288000
小计\t\t\t\t\t\t396000
（二）增值服务
序号\t服务项目\t配置\t数量\t单价(元/年)\t服务期\t金额(元)
1\t等保测评\t三级\t1项\t50000\t3年\t150000
小计\t\t\t\t\t\t150000
合同总价：546000元（大写：伍拾肆万陆仟元整）。

第三条 违约责任
乙方逾期提供服务的，每逾期一日按合同总价的0.5‰支付违约金。

甲方（公章）：                 乙方（公章）：
2024年3月15日                  2024年3月15日
"""


@pytest.fixture(scope="module")
def two_tables():
    return extract_text(TWO_TABLES, "two_tables.txt").record


def test_names_under_bare_anchors_and_a_signing_line_of_two_dates(two_tables):
    assert [(p.role, p.name) for p in two_tables.parties] == [
        ("client", "某某县政务服务和数据管理局"), ("supplier", "某某信息产业有限公司")]
    assert two_tables.contract.signed_date == "2024-03-15"


def test_quantities_with_units_configuration_columns_and_numbered_sections(two_tables):
    rows = [(i.section, i.service, i.quantity, i.billing_unit, i.price_basis, i.periods, i.amount)
            for i in two_tables.line_items]
    assert rows == [("基础资源", "计算资源", 100, "核", "month", 36, 108000),
                    ("基础资源", "存储资源", 20, "TB", "month", 36, 288000),
                    ("增值服务", "等保测评", 1, "项", "year", 3, 150000)]
    assert two_tables.line_items[1].normalized.unit == "GB"
    assert two_tables.findings == []


def test_a_rate_in_per_mille(two_tables):
    (penalty,) = two_tables.penalties
    assert (penalty.rate, penalty.base, penalty.per_day) == (0.0005, "contract_total", True)


OCR_FLAT = """政务云服务合同
合同编号：BJZW-2025-112
甲方：某区城市管理委员会
乙方：某某云科技有限公司

一、服务期限
本合同服务期限为12个月，自2025年1月1日起至
2025年12月31日止。

二、合同价款
本合同总金额为人民币
壹佰零捌万元整（¥1,080,000.00元），该价
款已包含6%增值税。
三、服务内容
序号 服务名称 单位 单价（元/月） 数量 月数 总价（元）
1 云主机（4核8G） 台 800 50 12 480000
2 云数据库 高可用版 套 5000 10 12 600000
合计 1080000
"""


def test_single_space_tables_and_statements_wrapped_over_lines():
    record = extract_text(OCR_FLAT, "flat.txt").record
    meta = record.contract
    assert (meta.start_date, meta.end_date, meta.total_amount, meta.total_amount_in_words) == (
        "2025-01-01", "2025-12-31", 1080000, "壹佰零捌万元整")
    assert [(i.service, i.billing_unit, i.unit_price, i.quantity, i.periods, i.amount) for i in record.line_items] == [
        ("云主机（4核8G）", "台", 800, 50, 12, 480000), ("云数据库 高可用版", "套", 5000, 10, 12, 600000)]
    assert record.findings == []
    wrong = extract_text(OCR_FLAT.replace("5000 10 12 600000", "5000 10 12 650000"), "flat.txt").record
    assert {f.check for f in wrong.findings} == {"line_amount", "items_total"}


COMPOUND_LABELS = """云服务采购合同
甲方（采购人）：某市卫生健康委员会
地址/邮编：某市文化路9号 100000
开户行及账号：中国建设银行某分行 1100 2233 4455 6677 88
乙方（供应商）：某某网络技术有限公司
电话/传真：010-66668888
第一条 合同金额
本合同总金额为人民币50万元（大写：伍拾万元整）。
第二条 付款
验收合格后一次性支付全部合同款。该金额包含乙方履行本合同的全部费用，甲方无需另行支付其他费用。
"""


def test_labels_joining_two_fields_and_a_payment_of_the_whole_price():
    record = extract_text(COMPOUND_LABELS, "compound.txt").record
    client, supplier = record.parties
    assert (client.address, client.bank_name, client.bank_account) == (
        "某市文化路9号", "中国建设银行某分行", "110022334455667788")
    assert supplier.phone == "010-66668888"
    assert record.contract.total_amount == 500000
    assert [(p.percent, p.amount, p.condition) for p in record.payments] == [(1.0, None, "验收合格后")]


TOTAL_IN_TABLE = """数据中心托管服务协议书
甲方：某省政务服务中心
乙方：某某数据服务有限公司
一、服务内容及费用
序号\t服务名称\t单位\t单价（元/年）\t数量\t金额（元）
1\t机柜托管\t架\t36000\t4\t144000
2\t带宽\t100Mb\t24000\t2\t48000
合计（大写）：壹拾玖万贰仟元整\t192000
二、服务期限
自2024年7月1日至2025年6月30日。
三、服务质量
乙方保证网络可用率达到99.99%，数据持久性99.9999999%。
"""


def test_a_total_stated_only_under_the_price_table_and_levels_without_a_threshold_word():
    record = extract_text(TOTAL_IN_TABLE, "table_total.txt").record
    assert (record.contract.total_amount, record.contract.total_amount_in_words) == (192000, "壹拾玖万贰仟元整")
    assert [i.service for i in record.line_items] == ["机柜托管", "带宽"]
    assert all(i.section is None for i in record.line_items)  # 一、服务内容及费用 is a clause, not a section
    assert (record.service_levels.availability, record.service_levels.data_reliability) == (0.9999, 0.999999999)
    wrong = extract_text(TOTAL_IN_TABLE.replace("壹拾玖万贰仟元整", "壹拾玖万叁仟元整"), "t.txt").record
    assert [(f.check, f.expected, f.found) for f in wrong.findings] == [("amount_in_words", 192000, 193000)]


def test_letter_spaced_ocr_lines_read_as_words_and_values_come_out_without_the_spaces():
    text = ("政 务 云 服 务 合 同\n合 同 编 号 ： ZWY-2024-33\n甲 方 ： 某 市 政 务 服 务 管 理 局\n"
            "乙 方 ： 某 某 云 计 算 有 限 公 司\n合同总价：￥ 360,000.00 元（大写：叁拾陆万元整）\n"
            "序号 服务名称 单位 单价（元/月） 数量 月数 总价（元）\n1 云数据库 高可用版 套 2500 12 12 360000\n")
    record = extract_text(text, "spaced.txt").record
    assert (record.contract.title, record.contract.contract_no) == ("政务云服务合同", "ZWY-2024-33")
    assert [p.name for p in record.parties] == ["某市政务服务管理局", "某某云计算有限公司"]
    assert record.line_items[0].service == "云数据库 高可用版"  # words parted by one space stay parted
    assert record.contract.total_amount == 360000 and record.findings == []


def test_rates_written_in_chinese_numerals():
    text = ("云服务合同\n甲方：某局\n乙方：某公司\n第一条 合同总价为人民币100000元。\n第二条 付款方式\n"
            "合同签订后支付合同总价的百分之三十，即30000元；验收合格后支付百分之七十，即70000元。\n"
            "第三条 违约责任\n乙方逾期的，每日按合同总价的万分之五支付违约金。\n")
    record = extract_text(text, "rates.txt").record
    assert [(p.percent, p.amount) for p in record.payments] == [(0.3, 30000), (0.7, 70000)]
    assert [(p.rate, p.per_day) for p in record.penalties] == [(0.0005, True)]
    assert record.findings == []


def test_a_price_table_in_wan_yuan_and_rows_priced_per_year_or_per_visit():
    text = ("政务云平台运维服务合同\n甲方：某区行政审批局\n乙方：某某软件股份有限公司\n"
            "第一条 合同价款\n本合同总价款为人民币45.6万元（大写：肆拾伍万陆仟元整），明细详见附件1。\n"
            "第二条 合同期限\n本合同有效期一年。\n附件1：报价明细表\n"
            "序号\t服务内容\t单位\t数量\t单价（万元）\t金额（万元）\n1\t平台运维\t年\t1\t30\t30\n"
            "2\t安全巡检\t次\t12\t0.8\t9.6\n3\t应急保障\t项\t1\t6\t6\n合计\t\t\t\t\t45.6\n")
    record = extract_text(text, "wan.txt").record
    assert [(i.unit_price, i.amount, i.price_basis) for i in record.line_items] == [
        (300000, 300000, "year"), (8000, 96000, "time"), (60000, 60000, "piece")]  # no basis, billed once
    assert record.contract.total_amount == 456000
    assert record.findings == []  # the 合计 in 万元 agrees with the total in 元


WRAPPED = """政务云服务合同
服务提供单位（乙方）：某某云计算技术有限公司
2024年6月
甲方：某市档案馆
第一条 合同金额
本合同总金额为人民币壹佰零捌万元整（¥1,080,000.00），大写金额为人民币壹佰零捌万元整
，即（大写：壹佰零
捌万元整）。
第二条 服务质量
乙方保证云平台全年服务可用性应不低于
99.95%，数据可靠性不低于99.9999%。
第三条 违约责任
乙方每延误一日交付云平台服务的，应按本合同总
金额的0.05%向甲方支付违约金。
"""


def test_sentences_ocr_wrapped_at_the_page_width_read_as_one_line():
    record = extract_text(WRAPPED, "wrapped.txt").record
    assert record.contract.total_amount == 1080000 and record.findings == []
    assert record.service_levels.availability == 0.9995
    assert [(p.rate, p.base, p.per_day) for p in record.penalties] == [(0.0005, "contract_total", True)]
    assert [p.name for p in record.parties] == ["某市档案馆", "某某云计算技术有限公司"]  # the cover date stays apart


def test_a_whole_quantity_is_a_count_so_a_line_off_by_one_period_is_an_error_not_rounding():
    text = ("云服务合同\n甲方：某局\n乙方：某公司\n"
            "序号\t服务名称\t单价（元）\t数量\t金额（元）\t备注\n"
            "1\t云端抗 DDoS 服务\t2099.00\t1\t73465.00\t单位: 1站点/元/月, 服务期 36 个月\n"
            "第一条 服务期限\n服务期限为36个月。\n第二条 付款方式\n"
            "甲方于每年度开始后15日内支付当年度服务费24488.00元（大写：\n贰万肆仟肆佰捌拾捌元整）。\n")
    record = extract_text(text, "count.txt").record
    assert [(f.check, f.expected, f.found, f.severity) for f in record.findings] == [
        ("line_amount", 75564, 73465, "error")]
    assert record.payments[0].amount_in_words == "贰万肆仟肆佰捌拾捌元整"  # 大写 after a line ending in 大写：


def test_a_sum_label_wrapped_over_two_lines_takes_the_figure_under_it():
    text = ("云服务合同\n甲方：某局\n乙方：某公司\n"
            "序号\t服务类别\t服务名称\t单价（元/月）\t数量\t金额（元）\n"
            "1\t安全服务\tWAF 防护服务\t1559\t2\t37416\n"
            "2\t安全服务\t主机防护\t300\t10\t72000\n"
            "\t安全服务总\n\t价（元）\n\t\t\t\t\t109416\n")
    record = extract_text(text, "wrapped_sum.txt").record
    assert [i.service for i in record.line_items] == ["WAF 防护服务", "主机防护"]
    assert record.findings == []


def test_a_cap_written_in_words_is_the_cap_not_another_penalty():
    text = ("云服务合同\n甲方：某局\n乙方：某公司\n第一条 违约责任\n"
            "乙方逾期的，每日按合同总金额的万分之五支付违约金，累计最高不超过合同总金额的百分之十。\n")
    record = extract_text(text, "cap.txt").record
    assert [(p.rate, p.per_day, p.cap_rate) for p in record.penalties] == [(0.0005, True, 0.1)]


def test_a_group_row_that_lost_its_ordinal_after_a_heading_is_no_wrapped_cell():
    header = "序号\t服务类\t服务项\t服务期（月）\t计价单位\t报价单位\t数量\n"
    text = ("云资源租赁服务合同\n甲方：某市大数据中心\n乙方：某某云服务有限公司\n附件：服务清单\n1.1 计算服务\n" + header
            + "一\t计算服务\t\t\t\t\t\n1.1\t云主机\t内存\t6\t\t元/GB月\t512\n"
            "1.2 存储服务\n" + header
            + "\t存储服务\t\t\t\t\t\n2.1\t存储\t普通存储\t6\t100 GB\t元/100GB月\t20\n")
    items = extract_text(text, "ordinal.txt").record.line_items
    assert [i.service for i in items] == ["内存", "普通存储"]
    assert [i.quantity for i in items] == [512, 20]


def test_a_row_stating_an_amount_that_cannot_be_read_makes_the_sum_a_warning():
    """Cells run together (a price and a quantity in one cell) leave a row that is not
    read; it is not glued to the row above, and the total that counts it is only doubted."""
    text = ("会议服务合同\n甲方：某县应急局\n乙方：某某通信有限公司\n"
            "序号\t会议类型\t计费单位\t单价（元）\t参会方数\t会议次数\t金额（元）\n"
            "1\t常规会商\t元/方·次\t50\t20\t10\t10,000.00\n"
            "2\t平台年费\t元/年\t12,000 1\t1\t12,000.00\t\n"
            "合计\t\t\t\t\t\t22,000.00\n合同总价为人民币22,000.00元。\n")
    doc = extract_text(text, "unread.txt")
    assert [i.service for i in doc.record.line_items] == ["常规会商"]
    assert [(f.check, f.severity) for f in doc.record.findings] == [("items_total", "warning")]
    assert any("could not be read" in w for w in doc.warnings)


FLOOR_AREA = """物业服务合同
甲方：某区机关事务服务中心
乙方：某某物业管理有限公司
序号 服务区域 面积 单价 服务期（月） 金额（元）
1 综合楼 2400m2 3.50元/平方米月 12 100800.00
2 车库 1500㎡ 1.00元/平方米月 12 18000.00
合计 118800.00
"""


def test_floor_area_as_m2_or_square_metre_sign_is_a_quantity_in_sqm():
    record = extract_text(FLOOR_AREA, "floor_area.txt").record
    rows = [(i.quantity, i.billing_unit, i.normalized.unit, i.periods) for i in record.line_items]
    assert rows == [(2400, "m2", "sqm", 12), (1500, "㎡", "sqm", 12)]
    assert record.findings == []
