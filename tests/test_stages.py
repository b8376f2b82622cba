"""Each stage alone on small cases: text normalization, segmentation, tables."""
from __future__ import annotations

from pipeline.document import ContractDoc
from pipeline.segment import segment
from pipeline.tables import find_tables
from pipeline.textnorm import normalize


def prepared(text: str) -> ContractDoc:
    return find_tables(segment(normalize(ContractDoc(name="t.txt", raw=text))))


def test_fullwidth_and_thousands_map_back_to_raw():
    doc = normalize(ContractDoc(name="t.txt", raw="金额：１，２３４，５６７．８９元，单价 1 843 129.06 元"))
    assert "1234567.89" in doc.text
    assert "1843129.06" in doc.text
    start = doc.text.index("1234567.89")
    span = doc.span(start, start + len("1234567.89"))
    assert span.raw_text == "１，２３４，５６７．８９"


def test_spaced_decimal_point_is_joined():
    doc = normalize(ContractDoc(name="t.txt", raw="小写：¥ 4004736. 6 元"))
    assert "4004736.6" in doc.text


def test_capital_numeral_look_alike_between_capital_numerals_is_put_right():
    doc = normalize(ContractDoc(name="t.txt", raw="合同总价：人民币肆拾伍万捌任贰佰元整。乙方担任项目维护，参照执行。"))
    assert "肆拾伍万捌仟贰佰元整" in doc.text
    assert "担任" in doc.text and "参照" in doc.text


def test_repeated_page_headers_are_furniture():
    page = "编号:AB-1\n正文第{n}页内容，不重复的一行文字。\n更多内容{n}\n"
    raw = "\n\n\n\n".join(page.format(n=n) for n in range(4))
    doc = segment(normalize(ContractDoc(name="t.txt", raw=raw)))
    furniture = [ln.text for ln in doc.lines if ln.furniture]
    assert furniture == ["编号:AB-1"] * 4


def test_a_running_footer_counting_pages_is_furniture_without_a_gap_before_its_marker():
    raw = ("某某服务合同\n第一条 服务内容见附件第3页。\n某某数字化加工服务合同第1页共2页\n\f"
           "第二条 付款。\n某某数字化加工服务合同第2页共2页\n")
    doc = segment(normalize(ContractDoc(name="t.txt", raw=raw)))
    assert [ln.text for ln in doc.lines if ln.furniture] == [
        "某某数字化加工服务合同第1页共2页", "某某数字化加工服务合同第2页共2页"]


def test_sections_find_clauses_annexes_and_signature():
    doc = prepared("标题\n第一条 定义\n内容\n第二条 价款\n内容\n(以下无正文)\n甲方：\n附件1 服务明细\n表")
    kinds = [(s.kind, s.title) for s in doc.sections]
    assert kinds == [("preamble", ""), ("clause", "定义"), ("clause", "价款"),
                     ("signature", "(以下无正文)"), ("annex", "服务明细")]


def test_tab_pipe_and_space_tables_have_header_roles():
    for separator in ("\t", " | ", "    "):
        header = separator.join(["序号", "服务项", "单价(元/月)", "数量", "周期", "合价(元)"])
        row = separator.join(["1", "云主机 vCPU", "10", "100", "12个月", "12000"])
        if separator == " | ":
            header, row = f"| {header} |", f"| {row} |"
        doc = prepared(f"前言\n{header}\n{row}\n")
        assert len(doc.tables) == 1, separator
        table = doc.tables[0]
        assert table.roles == ["seq", "service", "unit_price", "quantity", "periods", "amount"]
        assert table.columns[2].hint == "元/月"
        assert [c.text for c in table.rows[0].cells][-1] == "12000"


def test_table_survives_page_break_and_keeps_trailing_sum_lines():
    text = ("服务项\t单价\t数量\t合价\n云主机\t10\t2\t240\n\n\n\n\n内存\t5\t4\t240\n"
            "合计 (元)\n\n480\n\n第二条 其他\n")
    doc = prepared(text)
    assert len(doc.tables) == 1
    assert [r.text for r in doc.tables[0].rows][-2:] == ["合计 (元)", "480"]


def test_a_capital_amount_read_with_a_look_alike_is_recorded_and_checked_as_meant():
    from pipeline.language import extract_text
    doc = extract_text("服务合同\n甲方：某区数据中心\n乙方：某云公司\n"
                       "合同总价：人民币肆拾伍万捌任贰佰元整（¥458200.00）。\n", "ocr.txt")
    assert doc.record.contract.total_amount_in_words == "肆拾伍万捌仟贰佰元整"
    assert not [f for f in doc.record.findings if f.check == "amount_in_words"]
