"""Header roles read from word endings, price columns chosen by the row arithmetic, a 计费单位
column read by what its cells hold, and two-line headers merged into one."""
from __future__ import annotations

import pytest

from pipeline.document import ContractDoc
from pipeline.segment import segment
from pipeline.tables import find_tables, header_role
from pipeline.textnorm import normalize


def tables_of(text: str):
    return find_tables(segment(normalize(ContractDoc(name="t.txt", raw=text)))).tables


def roles(table) -> dict[int, str]:
    return {c.column: c.role for c in table.columns}


@pytest.mark.parametrize("word, role", [
    ("执行单价", "unit_price"), ("人月单价(元/人·月)", "unit_price"), ("月租(元/条·月)", "unit_price"),
    ("值守人数", "quantity"), ("线缆条数", "quantity"), ("设备台数", "quantity"), ("站点数量", "quantity"),
    ("驻场月数", "periods"), ("巡检次数", "periods"), ("分期期数", "periods"),
    ("费用金额", "amount"), ("含税总价", "amount"), ("分项小计", "amount"),
    ("岗位", "service"), ("检测对象", "service"),
])
def test_word_endings(word, role):
    assert header_role(word)[0] == role


def test_rent_implies_a_month():
    assert header_role("月租") == ("unit_price", "元/月")


@pytest.mark.parametrize("word", ["优惠率", "折扣率", "技术等级", "带宽(Mbps)"])
def test_no_role(word):
    assert header_role(word) is None


TWO_PRICES = """序号\t名称\t计费单位\t标准单价\t优惠率\t执行单价\t数量\t月数\t金额
1\t计算实例\t台\t300\t80%\t240\t10\t6\t14400
2\t归档存储\t1TB\t90\t90%\t81\t30\t6\t14580
"""


def test_arithmetic_chooses_the_price():
    table = tables_of(TWO_PRICES)[0]
    prices = [c.column for c in table.columns if c.role == "unit_price"]
    assert prices == [5]


def test_undecided_prices_are_dropped():
    text = TWO_PRICES.replace("\t240\t", "\t250\t")  # neither column gives the amount on row 1
    table = tables_of(text)[0]
    assert "unit_price" not in table.roles


def test_billing_column_of_units_is_the_unit():
    table = tables_of(TWO_PRICES)[0]
    assert roles(table)[2] == "billing_unit"


def test_billing_column_of_bases_stays_the_basis():
    text = "序号\t名称\t计费单位\t单价\t数量\t金额\n1\t计算实例\t元/台·月\t240\t10\t2400\n"
    table = tables_of(text)[0]
    assert roles(table)[2] == "price_basis"


def test_two_line_header_is_one_table():
    text = ("序号\t服务内容\t价格（元）\t\t\n"
            "\t\t单价\t数量\t金额\n"
            "1\t巡检\t800\t24\t19200\n"
            "2\t检测\t650\t6\t3900\n")
    tables = tables_of(text)
    assert len(tables) == 1 and tables[0].is_price_table
    assert roles(tables[0]) == {0: "seq", 1: "service", 2: "unit_price", 3: "quantity", 4: "amount"}
    assert len(tables[0].rows) == 2


def test_figure_under_a_price_group_is_the_price():
    text = ("序号\t服务类别\t服务内容\t协议单价\t\t备注\n"
            "\t\t\t金额（元）\t计价单位\n"
            "1\t维修\t上门维修\t850\t元/台·次\t不含配件\n")
    table = tables_of(text)[0]
    assert roles(table)[3] == "unit_price" and roles(table)[4] == "billing_unit"


def test_header_after_rows_is_not_merged():
    text = ("序号\t名称\t单价\t数量\t金额\n"
            "1\t巡检\t800\t24\t19200\n"
            "\t\t单价\t数量\t金额\n")
    assert len(tables_of(text)) >= 1
    assert roles(tables_of(text)[0]) == {0: "seq", 1: "service", 2: "unit_price", 3: "quantity", 4: "amount"}
