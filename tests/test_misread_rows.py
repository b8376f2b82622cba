"""A row whose OCR'd figures disagree with its amount in a way a misreading explains is
a warning, not an error (`pipeline.checks.misread`): the product and the amount differ
by exactly a power of ten (a decimal point lost: 0.35 read as 35), or the body restates
a quantity under which the row agrees (3 read as 13). The same figures typed in a text
file stay errors: there the document itself says them."""
from __future__ import annotations

import pytest

from pipeline.document import ContractDoc, PageText
from pipeline.language import default_pipeline, extract_text

READ_CONFIDENCE = 0.97
PAGE = """云资源租用合同
甲方：塘西区数据管理中心
乙方：远帆云计算有限公司
第一条 服务内容：乙方提供云主机{body}，服务期12个月。
序号\t服务名称\t单位\t数量\t单价（元/月）\t服务期（月）\t金额（元）
1\t云主机\t台\t{quantity}\t{price}\t12\t{amount}
2\t块存储\tGB\t1000\t0.50\t12\t6,000.00
合计\t\t\t\t\t\t{total}
本合同总价为人民币{total}元。
"""


def ocr_page(text: str) -> PageText:
    """The page as OCR gives it: every character with a confidence."""
    confidences = [None if ch in "\n\t" else READ_CONFIDENCE for ch in text]
    return PageText(text, confidences=confidences, source="ocr:test")


def findings(quantity: str, price: str, amount: str, total: str, body: str = "", ocr: bool = True) -> list:
    text = PAGE.format(quantity=quantity, price=price, amount=amount, total=total, body=body)
    doc = (default_pipeline()(ContractDoc.from_pages("scan.pdf", [ocr_page(text)])) if ocr
           else extract_text(text, "typed.txt"))
    return [(f.check, f.severity) for f in doc.record.findings]


@pytest.mark.parametrize("ocr, severity", [(True, "warning"), (False, "error")])
def test_a_lost_decimal_point_is_a_misreading_on_a_scan(ocr, severity):
    # 10 × 0.35 × 12 = 42.00 is the amount; the price read as 35 makes the product 4,200.00
    assert findings("10", "35", "42.00", "6,042.00", ocr=ocr) == [("line_amount", severity)]


def test_a_quantity_the_body_restates_and_the_row_bears_out_is_a_misreading_on_a_scan():
    # the body and the amount say 3 hosts; the table's "13" is what OCR made of "3"
    assert findings("13", "100.00", "3,600.00", "9,600.00", body="3台") == [
        ("line_amount", "warning"), ("restated_quantity", "warning")]


def test_a_row_that_disagrees_otherwise_stays_an_error_on_a_scan():
    assert findings("10", "36", "42.00", "6,042.00") == [("line_amount", "error")]


def test_a_total_counting_a_row_read_off_by_a_power_of_ten_is_only_doubted_on_a_scan():
    # 150 × 10 × 12 = 18,000.00 read as 18.00 (the group comma and zeros lost); the stated
    # total also counts a row the scan lost, so no reading of the rows bears it out
    assert findings("10", "150", "18.00", "30,000.00") == [("line_amount", "warning"), ("items_total", "warning")]
    assert findings("10", "150", "18.00", "30,000.00", ocr=False) == [("line_amount", "error"), ("items_total", "error")]


TABLE_TOTAL_ONLY = """机房托管服务合同
甲方：塘西区数据管理中心
乙方：远帆云计算有限公司
序号\t服务名称\t单位\t数量\t单价（元/月）\t服务期（月）\t金额（元）
1\t机柜托管\t个\t2\t5,000.00\t12\t120,000.00
合计\t人民币壹拾贰万元整（¥{figure}）
"""


@pytest.mark.parametrize("ocr, total", [(True, 120000.0), (False, None)])
def test_a_table_total_whose_separators_ocr_misplaced_is_read_as_its_capital_amount_says(ocr, total):
    text = TABLE_TOTAL_ONLY.format(figure="120.00000")
    doc = (default_pipeline()(ContractDoc.from_pages("scan.pdf", [ocr_page(text)])) if ocr
           else extract_text(text, "typed.txt"))
    assert doc.record.contract.total_amount == total
    assert not [f for f in doc.record.findings if f.severity == "error"]


PIECEWORK = """数据标注服务合同
甲方：塘西区数据管理中心
乙方：远帆数据服务有限公司
序号\t标注类型\t计价单位\t单价\t数量\t金额（元）
1\t图像框选\t元/框\t0.50\t20000\t10000.00
2\t图像分割\t元/框\t2.00\t8000\t16000.00
3\t文本分类\t元/段\t0.40\t{quantity}\t12000.00
合计\t\t\t\t\t38000.00
"""


@pytest.mark.parametrize("ocr", [True, False])
def test_a_piecework_row_whose_quantity_lost_a_zero_bills_once_like_its_table_on_a_scan(ocr):
    text = PIECEWORK.format(quantity="3000")
    doc = (default_pipeline()(ContractDoc.from_pages("scan.pdf", [ocr_page(text)])) if ocr
           else extract_text(text, "typed.txt"))
    row = doc.record.line_items[2]
    if ocr:
        assert (row.price_basis, row.periods) == ("piece", 1)
        assert [(f.check, f.severity) for f in doc.record.findings] == [("line_amount", "warning")]
    else:
        assert row.periods == 10  # typed, the document's own arithmetic reads ten periods
        assert doc.record.findings == []
