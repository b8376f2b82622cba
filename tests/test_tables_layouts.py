"""The small pieces behind line-item tables: header words with OCR's spaces, column content
that makes an order table, price bases written with their unit (元/台·月), price notes,
group rows and the reading a row's own arithmetic bears out."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.line_items import (PriceTable, agreeing_reading, group_name, infer_periods, is_interjection,
                                   note_pricing)
from extractors.values.units import basis_unit, cell_kind, read_basis
from pipeline.document import ContractDoc
from pipeline.segment import segment
from pipeline.tables import Cell, find_tables, header_role, holds_orders, is_order_row, loose_row, split_cells
from pipeline.textnorm import normalize


def prepared(text: str) -> ContractDoc:
    return find_tables(segment(normalize(ContractDoc(name="t.txt", raw=text))))


def row_of(text: str):
    """The cells of one tab-separated line, as the table stage cuts them."""
    doc = prepared(text)
    return split_cells(doc.lines[0]) or loose_row(doc.lines[0])


@pytest.mark.parametrize("cell, role, hint", [
    ("计价 单位", "billing_unit", ""), ("报价单 位", "price_basis", ""), ("计价单 位", "billing_unit", ""),
    ("服务期 (月)", "periods", "月"), ("单 价（元/月）", "unit_price", "元/月"),
    ("资源项", "service", ""), ("资源类", "section", ""), ("规格说明", "spec", ""),
    ("服务描述或规格型号", "spec", ""), ("标的 名称", "service", ""), ("品牌", "brand", ""),
])
def test_header_cells_are_matched_with_ocr_spaces_removed(cell, role, hint):
    assert header_role(cell) == (role, hint)


@pytest.mark.parametrize("cell", ["姓名", "性别", "年龄", "职称", "承担工作"])
def test_a_staff_list_header_names_no_role(cell):
    assert header_role(cell) is None


def test_header_words_split_by_single_spaces_are_rejoined():
    doc = prepared("序号 服务名称 计价 单位 单价 (元/月) 数量 报价单 位\n1 云主机 1vCPU 20 50 元/月\n")
    header = doc.tables[0].header
    assert [c.text for c in header.cells] == ["序号", "服务名称", "计价 单位", "单价 (元/月)", "数量", "报价单 位"]
    assert [c.column for c in header.cells] == list(range(6))
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["1", "云主机", "1vCPU", "20", "50", "元/月"]


@pytest.mark.parametrize("text, kind", [
    ("65.82", "number"), ("1128", "number"), ("7000元/月", "number"), ("12个月", "period"), ("8 次", "period"),
    ("元 /CPU·月", "basis"), ("元/ 套·月", "basis"), ("元 /100GB·月", "basis"), ("元/账 号·月", "basis"),
    ("元/月", "basis"), ("每月", "basis"), ("元/套", "basis"),
    ("1vCPU", "unit"), ("100 GB", "unit"), ("1 账号", "unit"), ("1 TFLOPS", "unit"), ("1 套", "unit"),
    ("计算服务", "text"), ("高级", "text"),
])
def test_cells_are_typed_by_content(text, kind):
    assert cell_kind(text) == kind


@pytest.mark.parametrize("text, basis, unit", [
    ("元/台·月", "month", "台"), ("元 /100GB·月", "month", "100GB"), ("元/年/套", "year", "套"),
    ("元/月/P", "month", "P"), ("元/月", "month", None), ("元/次", "time", None), ("元/（套·年）", "year", "套"),
])
def test_a_basis_cell_gives_its_period_and_the_unit_it_prices(text, basis, unit):
    assert read_basis(text) == basis
    found = basis_unit(text)
    assert (text[found[0]:found[1]] if found else None) == unit


def test_rows_holding_counts_with_units_make_an_order_table_and_a_staff_list_does_not():
    order = [row_of("1.1\t云主机\tvCPU\t6\t1vCPU\t元 /CPU·月\t1128"),
             row_of("2.1\t存储\t普通存储\t6\t100 GB\t元 /100GB·月\t65.82")]
    staff = [row_of("林知远\t男\t38\t高级\t项目经理"), row_of("周若溪\t女\t31\t中级\t运维工程师")]
    assert all(is_order_row(row) for row in order) and holds_orders(order)
    assert not any(is_order_row(row) for row in staff) and not holds_orders(staff)


def test_an_order_table_is_a_line_item_table_and_lists_beside_it_are_not():
    doc = prepared("序号\t附件名称\n1\t资源清单\n2\t人员名单\n\n第二条 清单\n\n"
                   "序号\t服务项\t服务期 (月)\t计价 单位\t报价单 位\t数量\n"
                   "一\t计算服务\t\t\t\t\n1.1\tvCPU\t6\t1vCPU\t元 /CPU·月\t120\n\n第三条 人员\n\n"
                   "姓名\t性别\t年龄\t职称\n林知远\t男\t38\t高级\n")
    kinds = [table.is_price_table for table in doc.tables]
    assert kinds == [False, True, False]
    assert doc.tables[1].roles == ["seq", "service", "periods", "billing_unit", "price_basis", "quantity"]


def test_a_quantity_column_alone_does_not_make_an_order_table():
    doc = prepared("序号\t名称\t数量\n1\t周报\t52\n2\t月报\t12\n")
    assert [table.is_price_table for table in doc.tables] == [False]


@pytest.mark.parametrize("note, unit, basis", [
    ("单位：1CPU/元/月, 服务期 12 个月", "1CPU", "month"), ("单位：套/年；服务期限：12个月。", "套", "year"),
    ("单位：元/年；服务期限：12个月。", None, "year"), ("单位：套；服务期限：6个月。", "套", None),
    ("单位：元/100GB·月", "100GB", "month"), ("服务期限：12个月。", None, None),
])
def test_a_price_note_gives_the_unit_and_basis_it_names(note, unit, basis):
    doc = prepared(note + "\n")
    cell = Cell(doc.lines[0].span, 0)
    found_unit, found_basis = note_pricing(cell, "")
    assert (found_unit.text if found_unit else None, found_basis) == (unit, basis)


def test_the_rows_arithmetic_picks_a_yearly_reading_only_when_the_monthly_one_fails():
    assert agreeing_reading(Decimal(60000), Decimal(60000), "month", Decimal(12)) == ("year", Decimal(1))
    assert agreeing_reading(Decimal(500), Decimal(6000), "month", Decimal(12)) == ("month", Decimal(12))
    assert agreeing_reading(Decimal(500), Decimal(5900), "month", Decimal(12)) == ("month", Decimal(12))


def test_without_a_term_a_row_that_does_not_add_up_bills_the_periods_nearest_its_figures():
    assert infer_periods(Decimal(18600), Decimal(2), Decimal(36200), "month", None) == 1
    assert infer_periods(Decimal(10), Decimal(2), Decimal(230), "month", None) == 12
    assert infer_periods(Decimal(10), Decimal(2), Decimal(230), "month", 12) == 12


def test_group_rows_and_lines_that_interrupt_a_table():
    parsed = PriceTable()
    assert group_name(row_of("一\t计算服务\t\t\t"), parsed) == "计算服务"
    assert group_name(row_of("（二）\tGPU 算力服务\t\t"), parsed) == "GPU 算力服务"
    assert group_name(row_of("1\t计算服务\t\t"), parsed) is None
    assert group_name(row_of("一\t合计\t\t"), parsed) is None
    assert is_interjection(row_of("1.1.2 存储服务"))
    assert is_interjection(row_of("以下资源按实际开通量据实结算，按月核对用量。"))
    assert not is_interjection(row_of("2.4GHz 以上"))
    assert not is_interjection(row_of("安装及维护。"))


def test_a_wrapped_header_hint_under_the_header_is_no_group():
    assert group_name(row_of("（元）"), PriceTable()) is None
    assert group_name(row_of("（一）基础服务"), PriceTable()) == "基础服务"
