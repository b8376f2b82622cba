"""Party blocks, titles and stated totals in the layouts a tester's holdout set showed:
role headers without a colon, labels padded with spaces, letter-spaced names, running
page headers that carry a page marker, two-line headings, a total stated right under a
price table or after the figure ("…，为本合同总价"), and prose fee items summed into the
total. Whole layouts are in tests/layouts/parties_role_header_blocks.txt,
parties_padded_labels_page_header.txt, meta_two_line_heading_total_under_table.txt and
meta_prose_fee_items.txt; these are the pieces, with what must not be read."""
from __future__ import annotations

from pipeline import keyvalues
from pipeline.document import ContractDoc
from pipeline.language import extract_text
from pipeline.textnorm import normalize


def normalized(raw: str) -> ContractDoc:
    return normalize(ContractDoc(name="t.txt", raw=raw))


PARTIES = "甲方：某县数据局\n乙方：某某云科技有限公司\n"


# -- labels padded with spaces, letter-spaced names ------------------------------

def test_a_label_padded_to_the_width_of_the_longest_loses_its_spaces():
    doc = normalized("甲    方：某县数据局\n地    址：某县一路1号\n账    号：6222 0000 1111\n")
    assert doc.text.split("\n")[:3] == ["甲方:某县数据局", "地址:某县一路1号", "账号:6222 0000 1111"]


def test_two_words_before_a_colon_and_spaces_inside_a_value_are_kept():
    doc = normalized("单位  名称：某县数据局\n项目名称：某县  云服务\n")
    assert doc.text.split("\n")[:2] == ["单位  名称:某县数据局", "项目名称:某县  云服务"]


def test_padded_labels_give_the_party_details():
    doc = extract_text("云服务合同\n甲    方：某县数据局\n地    址：某县一路1号\n"
                       "乙    方：某某云科技有限公司\n开 户 行：某某银行某县支行\n账    号：6222 0000 1111\n", "t.txt")
    client, supplier = doc.record.parties
    assert (client.name, client.address) == ("某县数据局", "某县一路1号")
    assert (supplier.bank_name, supplier.bank_account) == ("某某银行某县支行", "622200001111")


def test_a_letter_spaced_name_comes_out_without_its_spaces():
    doc = extract_text("云服务合同\n甲方：某县数据局\n法定代表人：石 若 松\n联系人：章 一\n"
                       "乙方：某某云科技有限公司\n负 责 人：欧 阳 青 禾\n", "t.txt")
    client, supplier = doc.record.parties
    assert (client.representative, client.contact_person) == ("石若松", "章一")
    assert supplier.representative == "欧阳青禾"


def test_a_letter_spaced_name_is_never_cut_out_of_a_word():
    doc = extract_text("云服务合同\n甲方：某县数据局\n联系人：王 经理\n" + "乙方：某某云科技有限公司\n", "t.txt")
    assert doc.record.parties[0].contact_person != "王经"  # "王 经" is no letter-spaced name: 经 runs on


# -- role headers without a colon ---------------------------------------------

def test_a_role_alone_on_its_line_is_a_block_header():
    assert keyvalues.is_role_heading("甲方（采购人）")
    assert keyvalues.is_role_heading("乙方")
    assert keyvalues.is_role_heading("供应商（乙方）")
    assert not keyvalues.is_role_heading("甲方（盖章）")
    assert not keyvalues.is_role_heading("甲方负责提供场地")
    assert not keyvalues.is_role_heading("甲方（采购人）：某县数据局")


def test_the_keys_under_a_role_header_belong_to_its_party():
    doc = extract_text("云服务合同\n项目名称：某县云资源租用项目\n甲方（采购人）\n单位名称：某县数据局\n法定代表人：张甲\n\n"
                       "乙方（供应商）\n单位名称：某某云科技有限公司\n法定代表人：李乙\n开户银行：某某银行某县支行\n", "t.txt")
    client, supplier = doc.record.parties
    assert (client.name, client.representative) == ("某县数据局", "张甲")
    assert (supplier.name, supplier.representative, supplier.bank_name) == ("某某云科技有限公司", "李乙", "某某银行某县支行")
    assert doc.record.contract.project_name == "某县云资源租用项目"


# -- running page headers and titles --------------------------------------------

HEADED = ("某县云服务合同          第 1 页 共 2 页\n\n某县云服务合同\n\n" + PARTIES
          + "一、服务内容\n乙方为甲方提供云服务。\n某县云服务合同          第 2 页 共 2 页\n二、其他\n本合同一式两份。\n")


def test_a_running_header_with_a_page_marker_is_furniture_and_the_title_line_is_not():
    doc = extract_text(HEADED, "t.txt")
    furniture = [line.text.strip()[:7] for line in doc.lines if line.furniture]
    assert furniture == ["某县云服务合同", "某县云服务合同"]
    assert doc.record.contract.title == "某县云服务合同"


def test_a_page_marker_inside_a_sentence_is_no_page_furniture():
    doc = extract_text("某县云服务合同\n" + PARTIES + "费用明细详见本合同第 3 页。\n", "t.txt")
    assert not any(line.furniture for line in doc.lines)


def test_an_organisation_line_right_above_the_contract_name_is_part_of_the_title():
    doc = extract_text("某县数据管理局\n政务云服务合同\n" + PARTIES, "t.txt")
    assert doc.record.contract.title == "某县数据管理局 政务云服务合同"


def test_a_line_that_is_no_organisation_or_stands_apart_is_not_joined():
    assert extract_text("2027年度\n政务云服务合同\n" + PARTIES, "t.txt").record.contract.title == "政务云服务合同"
    assert extract_text("某县数据管理局\n\n政务云服务合同\n" + PARTIES, "t.txt").record.contract.title == "政务云服务合同"
    assert extract_text("某县数据管理局（盖章）\n政务云服务合同\n" + PARTIES,
                        "t.txt").record.contract.title == "政务云服务合同"


# -- totals -------------------------------------------------------------------

TABLE = ("序号\t服务名称\t单价（元/月）\t数量\t服务期（月）\t金额（元）\n"
         "1\t云主机vCPU\t20\t10\t12\t2400\n2\t云主机内存\t10\t20\t12\t2400\n\t合计\t\t\t\t4800\n\n")


def test_the_total_written_in_words_first_right_under_the_table_is_read_with_its_words():
    doc = extract_text("云服务合同\n" + PARTIES + "第一条 费用\n" + TABLE
                       + "合同总额：人民币肆仟捌佰元整（¥4,800.00）。\n第二条 其他\n本合同一式两份。\n", "t.txt")
    meta = doc.record.contract
    assert (meta.total_amount, meta.total_amount_in_words) == (4800, "肆仟捌佰元整")
    assert [f.check for f in doc.record.findings] == []


def test_an_installment_line_under_the_table_is_no_total():
    doc = extract_text("云服务合同\n" + PARTIES + "第一条 费用\n" + TABLE
                       + "首期款：人民币贰仟肆佰元整（¥2,400.00）。\n第二条 其他\n本合同一式两份。\n", "t.txt")
    assert doc.record.contract.total_amount == 4800  # the table's total, not the installment


def test_a_figure_before_the_total_label_that_sums_the_items_is_the_total():
    doc = extract_text("云服务合同\n" + PARTIES + "第一条 费用\n以上各项费用合计人民币叁仟元整（¥3,000.00），为本合同总价。\n",
                       "t.txt")
    assert (doc.record.contract.total_amount, doc.record.contract.total_amount_in_words) == (3000, "叁仟元整")


def test_a_part_or_a_payment_stated_before_the_total_label_is_no_total():
    for sentence in ("首期款人民币900元，为合同总价的30%。", "甲方已累计支付人民币3000元，为本合同总价。",
                     "以上费用合计人民币3000元，为本合同总价的一部分。", "云主机费用为人民币3000元，为本合同总价。"):
        doc = extract_text("云服务合同\n" + PARTIES + "第一条 费用\n" + sentence + "\n", "t.txt")
        assert doc.record.contract.total_amount is None, sentence


FEES = ("云服务合同\n" + PARTIES + "第一条 服务内容与价格\n"
        "1. 云主机：乙方提供云主机10台，每台每月320元，服务期12个月，本项费用合计38,400元。\n"
        "2. 短信：按每条0.05元计费，本项费用暂定为{second}元，据实结算。\n"
        "以上两项费用合计人民币肆万叁仟肆佰元整（¥43,400.00），为本合同总价。\n第二条 其他\n本合同一式两份。\n")


def test_the_fee_of_each_item_a_total_sums_up_is_a_subtotal():
    doc = extract_text(FEES.format(second="5,000"), "t.txt")
    assert [(s.label, s.amount) for s in doc.record.subtotals] == [("云主机", 38400), ("短信", 5000)]
    assert doc.record.findings == []


def test_item_fees_that_do_not_add_up_to_the_total_are_no_subtotals():
    doc = extract_text(FEES.format(second="6,000"), "t.txt")
    assert doc.record.contract.total_amount == 43400
    assert doc.record.subtotals == []
    assert doc.record.findings == []
