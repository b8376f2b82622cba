"""A figure OCR read in an impossible shape cannot raise an error finding, only a warning.

The page is what OCR delivers: text with one confidence per character. An
installment's amount read as "1,2345.00" (a speck taken for a digit) disagrees with
its share of the total; `pipeline.ingest.figures` marks the figure doubtful, so the
finding is a warning. Read as "12.345.00" (a faded comma) it is put right and agrees.
The same installment read as a plausible figure of the wrong value stays an error:
the shape check is what makes the difference.
"""
from __future__ import annotations

import pytest

from pipeline.document import ContractDoc, PageText
from pipeline.ingest.figures import check_figures
from pipeline.ingest.layout import Glyph, Token
from pipeline.language import default_pipeline

READ_CONFIDENCE = 0.97
PAGE = """云资源租用合同
合同编号：TS-2040-118
甲方：塘西区数据管理中心
乙方：远帆云计算有限公司
一、合同总价
本合同总价为人民币 41,150.00 元。
二、付款方式
1、合同签订后10个工作日内，甲方支付合同总价的30%，即{amount}元；
2、验收合格后，甲方支付合同总价的70%，即28,805.00元。
"""


def ocr_page(text: str) -> PageText:
    """The page as OCR gives it: every character read with high confidence, then the figure check."""
    tokens = [check_figures(Token([Glyph(ch, None, READ_CONFIDENCE) for ch in line])) for line in text.split("\n")]
    confidences: list = []
    for n, token in enumerate(tokens):
        confidences += [g.conf for g in token.glyphs] + ([None] if n < len(tokens) - 1 else [])
    return PageText("\n".join(t.text for t in tokens), confidences=confidences, source="ocr:test")


def payment_findings(amount: str) -> list[tuple[str, str]]:
    doc = default_pipeline()(ContractDoc.from_pages("scan.pdf", [ocr_page(PAGE.format(amount=amount))]))
    return [(f.check, f.severity) for f in doc.record.findings]


@pytest.mark.parametrize("amount, findings", [
    ("1,2345.00", [("payment_percent", "warning")]),   # impossible grouping: doubtful, a warning
    ("12.345.00", []),                                 # periods for commas: put right, agrees
    ("12,345.00", []),                                 # as printed
    ("12,346.00", [("payment_percent", "error")]),     # a plausible figure that disagrees: an error
])
def test_findings_on_an_ocr_figure_follow_its_shape(amount, findings):
    assert payment_findings(amount) == findings
