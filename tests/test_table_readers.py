"""Tables copied out of web pages or OCR'd cell by cell: one cell per line, or a header and its
rows run together on one line. The small pieces (header cells, what a cell may hold, placing a
row's cells under the header, sum labels) and the tables they give."""
from __future__ import annotations

import pytest

from pipeline.document import ContractDoc
from pipeline.language import extract_text
from pipeline.segment import segment
from pipeline.tables import (Cell, cell_fits, find_tables, fit_row, header_piece, header_start, is_sum_cell,
                             looks_like_row, read_copied_tables, table_blocks)
from pipeline.textnorm import normalize


def prepared(text: str) -> ContractDoc:
    return find_tables(segment(normalize(ContractDoc(name="t.txt", raw=text))))


def cells_of(text: str) -> list[Cell]:
    """One cell per word of a one-line text, as spans of a document."""
    doc = segment(normalize(ContractDoc(name="t.txt", raw=text)))
    line = doc.lines[0]
    cells, at = [], 0
    for word in line.text.split():
        at = line.text.index(word, at)
        cells.append(Cell(line.span.sub(at, at + len(word)), len(cells)))
        at += len(word)
    return cells


def table_texts(doc: ContractDoc, n: int = 0) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in doc.tables[n].rows]


GOODS = ["seq", "service", "brand", "spec", "quantity", "billing_unit", "unit_price", "amount"]
SERVICES = ["seq", "service", "unit_price", "quantity", "amount"]


# -- the small pieces ------------------------------------------------------------------------

@pytest.mark.parametrize("text, role", [
    ("序号", "seq"), ("标的名称", "service"), ("标的 名称", "service"), ("单价(元)", "unit_price"),
    ("总价（元）", "amount"), ("规格型号", "spec"), ("品牌", "brand"), ("单 价（元/月）", "unit_price"),
    ("标的名称：会议平板", None), ("单价为每台9800元。", None), ("云主机", None), ("12", None),
    ("本合同所列全部服务项目名称", None),
])
def test_a_line_is_one_header_cell_when_it_names_a_column_and_nothing_else(text, role):
    assert header_piece(text) == role


def test_a_title_that_opens_with_a_column_name_does_not_start_a_header():
    assert header_piece("标的信息") == "service"  # may stand inside a header
    assert not header_start("标的信息")
    assert header_start("序号") and header_start("标的 名称")


@pytest.mark.parametrize("role, text, fits", [
    ("seq", "2", True), ("seq", "3", False), ("unit_price", "26800.00", True), ("unit_price", "台", False),
    ("amount", "120元/月", True), ("quantity", "20TB", True), ("quantity", "台", False),
    ("periods", "12个月", True), ("billing_unit", "台", True), ("billing_unit", "1vCPU", True),
    ("billing_unit", "3200", False), ("service", "电子书借阅机", True), ("service", "9800", False),
    ("service", "合计", False), ("brand", "3200", True), (None, "随便什么", True),
])
def test_a_cell_fits_a_column_by_what_it_holds(role, text, fits):
    assert cell_fits(role, text, 2) is fits


@pytest.mark.parametrize("text, is_sum", [
    ("合计", True), ("合计：2200元", True), ("合计2200", True), ("价格合计（元）", True), ("合计人民币", True),
    ("合计金额（大写）：贰仟贰佰元整", True), ("合计/", True), ("总价", True),
    ("本合同总金额为人民币2200元。", False), ("云主机", False), ("2200", False),
])
def test_a_sum_label_is_short_and_ends_with_a_sum_word(text, is_sum):
    assert is_sum_cell(text) is is_sum


def test_a_row_with_as_many_cells_as_columns_is_placed_as_it_stands():
    cells = cells_of("1 会议平板 澄影 MX-86 2 台 9800 19600")
    placed = fit_row(cells, GOODS, 1)
    assert [c.text for c in placed] == ["1", "会议平板", "澄影", "MX-86", "2", "台", "9800", "19600"]
    assert [c.column for c in placed] == list(range(8))


def test_a_row_that_does_not_hold_its_columns_figures_is_not_placed():
    assert fit_row(cells_of("1 会议平板 澄影 MX-86 台 2 9800 19600"), GOODS, 1) is None
    assert fit_row(cells_of("2 会议平板 澄影 MX-86 2 台 9800 19600"), GOODS, 1) is None  # not row 1


def test_an_empty_description_cell_is_left_empty_and_the_unit_checks_which():
    placed = fit_row(cells_of("1 碎纸机 SD-9 2 台 850 1700"), GOODS, 1)
    assert [c.text if c else None for c in placed] == ["1", "碎纸机", None, "SD-9", "2", "台", "850", "1700"]
    placed = fit_row(cells_of("1 碎纸机 墨川 2000 2 850 1700"), GOODS, 1)
    assert [c.text if c else None for c in placed] == ["1", "碎纸机", "墨川", "2000", "2", None, "850", "1700"]


def test_extra_words_join_the_specification_when_run_together_and_the_longest_line_when_wrapped():
    words = cells_of("3 档案软件 云笺 V6.0 标准版 1 套 28800 28800")
    placed = fit_row(words, GOODS, 3, ("spec", "service", "note", None, "brand", "section"), prefer_long=False)
    assert [c.text for c in placed][1:4] == ["档案软件", "云笺", "V6.0 标准版"]
    wrapped = cells_of("4 数据库审计服务（按实例 计费） 1套 860")
    placed = fit_row(wrapped, ["seq", "service", "billing_unit", "unit_price"], 4)
    assert [c.text for c in placed] == ["4", "数据库审计服务(按实例 计费)", "1套", "860"]


def test_cells_that_hold_figures_where_a_row_holds_them_look_like_a_row():
    assert looks_like_row(["4", "投影仪", "3", "5000", "15000"], SERVICES)
    assert not looks_like_row(["二、付款方式", "验收合格后付款。"], SERVICES)


# -- one cell per line -------------------------------------------------------------------------

CELL_LINES = ("合同编号：T-1\n采购合同\n\n标的信息\n\n序号\n\n标的名称\n\n数量\n\n单位\n\n单价(元)\n\n总价(元)\n\n"
              "1\n\n会议平板\n\n2\n\n台\n\n9800.00\n\n19600.00\n\n2\n\n无线投屏器\n\n4\n\n个\n\n650\n\n2600\n\n"
              "合计\n\n22200.00\n\n二、付款方式\n验收合格后付款。\n")


def test_a_header_one_cell_a_line_and_its_rows_become_a_table_with_grounded_cells():
    doc = prepared(CELL_LINES)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.roles == ["seq", "service", "quantity", "billing_unit", "unit_price", "amount"]
    assert table_texts(doc) == [["1", "会议平板", "2", "台", "9800.00", "19600.00"],
                                ["2", "无线投屏器", "4", "个", "650", "2600"], ["合计", "22200.00"]]
    cell = table.rows[1].cells[1]
    assert doc.text[cell.span.start:cell.span.end] == "无线投屏器"
    assert table.rows[0].line.number == doc.text.count("\n", 0, table.rows[0].cells[0].span.start)
    assert all(doc.rows[n] is not None for n in range(table.header.line.number, table.rows[-1].line.number + 1)
               if doc.lines[n].text.strip())


def test_cell_lines_give_line_items_their_sum_and_no_findings():
    doc = extract_text(CELL_LINES)
    assert [(i.service, i.unit_price, i.quantity, i.billing_unit, i.amount) for i in doc.record.line_items] == [
        ("会议平板", 9800, 2, "台", 19600), ("无线投屏器", 650, 4, "个", 2600)]
    assert doc.record.contract.total_amount == 22200
    assert doc.record.findings == []
    assert doc.evidence["line_items[1].amount"].snippet.count("2600")


def test_without_blank_lines_a_header_word_the_joining_glued_to_the_first_number_is_cut():
    doc = prepared("合同编号：T-2\n采购合同\n序号\n名称\n单价\n数量\n金额\n1\n扫描仪\n1200\n2\n2400\n合计\n2400\n")
    assert doc.tables[0].roles == ["seq", "service", "unit_price", "quantity", "amount"]
    assert table_texts(doc)[0] == ["1", "扫描仪", "1200", "2", "2400"]


def test_a_column_name_wrapped_over_two_lines_is_one_header_cell():
    doc = prepared("序号\n服务名称\n计价\n单位\n单 价（元/月）\n1\n云主机\n1vCPU\n21.5\n2\n云内存\n1GB\n7.8\n")
    assert doc.tables[0].roles == ["seq", "service", "billing_unit", "unit_price"]
    assert doc.tables[0].columns[3].hint == "元/月"


def test_a_value_repeated_down_a_column_that_was_taken_for_page_furniture_stays_a_cell():
    rows = "".join(f"{n}\n服务{n}\n{10 * n}\n{5 * n}\n12个月\n{600 * n * n}\n" for n in range(1, 6))
    doc = prepared("序号\n服务名称\n数量\n单价(元/月)\n服务期\n金额(元)\n" + rows)
    assert any(line.furniture for line in doc.lines)
    assert [row[4] for row in table_texts(doc)] == ["12个月"] * 5


def test_a_row_that_cannot_be_placed_leaves_the_whole_table_unread():
    text = ("合同编号：T-3\n服务合同\n序号\n服务名称\n数量\n单价\n总价\n1\n云主机\n10\n300\n3000\n"
            "2\n云硬盘\n（高效）\n（按需）\n（扩展）\n（另计）\n（三副本）\n20\n80\n1600\n"
            "合同总价：4600元。\n")
    doc = extract_text(text)
    assert doc.record.line_items == []
    assert doc.record.findings == []


def test_a_table_without_row_numbers_takes_rows_of_exactly_its_width():
    doc = prepared("服务名称\n数量\n单价(元)\n总价(元)\n网页防篡改\n3\n4000\n12000\n主机加固\n6\n500\n3000\n总价：15000元\n")
    assert table_texts(doc) == [["网页防篡改", "3", "4000", "12000"], ["主机加固", "6", "500", "3000"],
                                ["总价:15000元"]]


def test_key_value_lines_with_column_words_are_no_table():
    doc = prepared("数量\n以实际使用为准\n单价\n按投标报价执行\n金额\n1\n合同总价：2200元。\n")
    assert doc.tables == []


# -- run together --------------------------------------------------------------------------------

def test_a_header_and_its_rows_on_one_line_are_cut_by_the_row_numbers():
    doc = prepared("报价明细：序号 服务名称 单价 数量 金额 1 云主机 通用型 120 10 1200 2 对象存储 50 20 1000 合计 2200\n"
                   "合同总价：2200元。\n")
    assert doc.tables[0].roles == SERVICES
    assert table_texts(doc) == [["1", "云主机 通用型", "120", "10", "1200"], ["2", "对象存储", "50", "20", "1000"],
                                ["合计", "2200"]]


def test_rows_run_together_under_a_header_line_and_a_row_wrapped_to_the_next_line():
    doc = prepared("序号 服务名称 单价 数量 金额\n1 云主机 120 10 1200 2 对象存储 50 20 1000 3 视频\n"
                   "平台维保 300 2 600\n本合同总金额为人民币2800元。\n")
    assert table_texts(doc) == [["1", "云主机", "120", "10", "1200"], ["2", "对象存储", "50", "20", "1000"],
                                ["3", "视频\n平台维保", "300", "2", "600"]]
    assert [row.line.number for row in doc.tables[0].rows] == [1, 1, 1]


def test_one_row_a_line_under_a_spaced_header_is_left_to_the_single_space_reader():
    text = "序号 服务名称 单价 数量 金额\n1 云主机 120 10 1200\n2 对象存储 50 20 1000\n"
    doc = segment(normalize(ContractDoc(name="t.txt", raw=text)))
    assert read_copied_tables(doc.lines, doc.rows) == []
    assert table_texts(prepared(text)) == [["1", "云主机", "120", "10", "1200"], ["2", "对象存储", "50", "20", "1000"]]


def test_a_header_in_the_middle_of_a_line_of_prose_is_not_read():
    line = ("甲方委托乙方提供政务云服务，双方经友好协商，服务内容明细如下 序号 服务名称 单价 数量 金额 "
            "1 云主机 120 10 1200 合计 1200")
    assert prepared(line + "\n").tables == []


def test_lines_a_copied_table_takes_end_other_blocks_and_join_none():
    doc = segment(normalize(ContractDoc(name="t.txt", raw="a\tb\tc\n备注\nx\ty\tz\n")))
    rows = list(doc.rows)
    assert len(table_blocks(doc.lines, rows)) == 1
    assert [len(block) for block in table_blocks(doc.lines, rows, {1})] == [1, 1]


# -- the extractor on rows whose service is named like a unit ---------------------------------------

def test_a_service_named_like_a_unit_stays_the_service_when_the_table_has_no_unit_column():
    doc = extract_text("合同编号：T-4\n甲方：某某局\n乙方：某某公司\n"
                       "序号\t服务名称\t单价(元/月)\t数量\t服务期(月)\t金额(元)\n1\t云主机\t120\t10\t12\t14400\n")
    item = doc.record.line_items[0]
    assert (item.service, item.billing_unit, item.amount) == ("云主机", None, 14400)
    assert doc.record.findings == []
