"""Small pieces behind the party and metadata layouts: letter-spaced labels, run-on text cut
into lines (offsets still into the raw text), party anchors repeated as page furniture, account
blocks in clauses, page chrome above a title, wrapped project names and the contract total
among installments. Whole layouts are in tests/layouts/parties_*.txt and meta_*.txt."""
from __future__ import annotations

import pytest

from extractors import metadata
from pipeline import keyvalues
from pipeline.document import ContractDoc
from pipeline.language import extract_text
from pipeline.textnorm import merge_edits, normalize, run_on_breaks, spaced_label_edits


def normalized(raw: str) -> ContractDoc:
    return normalize(ContractDoc(name="t.txt", raw=raw))


# -- text normalization ----------------------------------------------------

def test_a_letter_spaced_label_loses_its_spaces_and_its_value_keeps_them():
    doc = normalized("项 目 名 称：某区 2025 年政务云服务\n账 号：6222 0000 1111\n")
    assert doc.text.split("\n")[:2] == ["项目名称:某区 2025 年政务云服务", "账号:6222 0000 1111"]


def test_spaced_label_edits_leave_prose_alone():
    assert spaced_label_edits("甲方 乙方 双方 均同意如下条款。\n") == []


def test_merge_edits_drops_repeated_and_overlapping_edits():
    assert merge_edits([(5, 6, ""), (1, 2, ""), (5, 6, ""), (5, 7, "x"), (9, 9, "\n")]) == [
        (1, 2, ""), (5, 6, ""), (9, 9, "\n")]


RUN_ON = ("云资源服务合同 合同编号：AB-2025-9 签订时间：2025年3月2日 采购人（甲方）：某区数据局 地址：某区一路1号 "
          "供应商（乙方）：某某云科技有限公司 地址：某市二路2号 根据《中华人民共和国民法典》及采购文件（项目编号：XY-1），"
          "双方签订本合同。一、项目名称：某区云资源服务项目 二、服务期限：自合同签订之日起12个月。"
          "三、合同金额：本合同总价为人民币120,000.00元。甲方（盖章）：某区数据局 乙方（盖章）：某某云科技有限公司")


def test_a_run_on_contract_is_cut_into_lines_before_its_labels_and_headings():
    lines = [line.strip() for line in normalized(RUN_ON).text.split("\n")]
    assert lines[:6] == ["云资源服务合同", "合同编号:AB-2025-9", "签订时间:2025年3月2日", "采购人(甲方):某区数据局",
                         "地址:某区一路1号", "供应商(乙方):某某云科技有限公司"]
    assert "一、项目名称:某区云资源服务项目" in lines  # not cut between the list marker and its label
    assert any(line.startswith("根据《") and "(项目编号:XY-1)," in line for line in lines)  # nor inside brackets


def test_cutting_a_run_on_line_keeps_offsets_into_the_raw_text():
    doc = normalized(RUN_ON)
    start = doc.text.index("某某云科技有限公司")
    assert doc.span(start, start + 9).raw_text == "某某云科技有限公司"
    end = doc.text.index("120000.00") + len("120000.00")
    assert doc.span(end - 9, end).raw_text == "120,000.00"


def test_labels_that_abut_their_values_still_start_lines():
    line = ("服务合同合同编号:签订时间:年月日采购人(甲方):某州政务局供应商(乙方):某某通信有限公司某州分公司"
            "依据《中华人民共和国民法典》签订本合同。") * 3
    starts = [line[at:at + 4] for at in run_on_breaks(line)[:5]]
    assert starts == ["合同编号", "签订时间", "采购人(", "供应商(", "依据《中"]


def test_a_long_paragraph_is_not_a_run_on_line():
    paragraph = ("甲方应在合同签订后十个工作日内向乙方支付合同总价的百分之三十，乙方收到款项后开始部署，"
                 "部署完成后双方共同验收，验收合格后甲方支付剩余款项。") * 4
    assert len(paragraph) > 200
    assert run_on_breaks(paragraph) == []


def test_a_side_by_side_party_line_is_not_cut():
    line = "甲方：某市大数据中心" + " " * 30 + "乙方：某某数字科技股份有限公司" + " " * 30 + "日期：2025年1月2日"
    assert normalized(line + "\n").text.count("\n") == 1


# -- parties ---------------------------------------------------------------

def test_anchor_role_names_the_party_a_line_opens():
    assert keyvalues.anchor_role("甲方：某局") == "client"
    assert keyvalues.anchor_role("  乙方名称：某公司") == "supplier"
    assert keyvalues.anchor_role("采购人（甲方）：某局") == "client"
    assert keyvalues.anchor_role("法定代表人：张三") is None
    assert keyvalues.anchor_role("甲方负责提供场地") is None


def test_a_label_after_a_single_space_ends_the_value_before_it():
    assert [k.label for k in keyvalues.find_keys("项目联系人: 张三 联系电话: 0571-1234567")] == ["项目联系人", "联系电话"]
    assert [k.label for k in keyvalues.find_keys("账 号: 6222 0000")] == ["账 号"]


def test_a_label_joined_to_the_value_before_it_ends_that_value():
    keys = keyvalues.find_keys("联系人:王小川电话:0571-1234567")
    assert [(k.label, k.start) for k in keys] == [("联系人", 0), ("电话", 7)]
    assert [k.label for k in keyvalues.find_keys("如需变更联系人:请书面通知")] == ["如需变更联系人"]


@pytest.mark.parametrize("gap", [" ", ""])
def test_account_details_after_a_party_context_label_with_or_without_a_gap(gap):
    text = ("服务合同\n甲方：某区教育中心\n乙方：某某数科有限公司\n"
            f"乙方收款账户：开户行{gap}某某银行城西支行，账号{gap}6222 0101 3344，纳税人识别号{gap}91330100MA2B3C4D5E。\n")
    supplier = {p.role: p for p in extract_text(text, "t.txt").record.parties}["supplier"]
    assert (supplier.bank_name, supplier.bank_account, supplier.tax_id) == (
        "某某银行城西支行", "622201013344", "91330100MA2B3C4D5E")


def test_a_credit_code_reads_the_letters_it_never_holds_as_digits():
    assert keyvalues.credit_code_read("91150100MAOQ7N3K1C") == "91150100MA0Q7N3K1C"
    assert keyvalues.credit_code_read("9I33O1OSMA2ZXXXX0K") == "91330105MA22XXXX0K"
    assert keyvalues.credit_code_read("330106OI2345678") == "330106OI2345678"  # not 18 characters: an older number


@pytest.mark.parametrize("scanned, expected", [(True, "91150100MA0Q7N3K1C"), (False, "91150100MAOQ7N3K1C")])
def test_a_credit_code_read_by_ocr_is_put_right_and_a_typed_one_kept_as_written(scanned, expected):
    from pipeline.document import PageText
    from pipeline.language import default_pipeline
    text = "服务合同\n甲方：某区数据中心\n乙方：某某云科技有限公司\n统一社会信用代码：91150100MAOQ7N3K1C\n"
    if scanned:
        page = PageText(text, confidences=[None if ch == "\n" else 0.97 for ch in text], source="ocr:test")
        record = default_pipeline()(ContractDoc.from_pages("scan.pdf", [page])).record
    else:
        record = extract_text(text, "typed.txt").record
    assert {p.role: p for p in record.parties}["supplier"].tax_id == expected


def test_a_party_name_drops_a_trailing_role_and_the_sentence_run_on_after_it():
    doc = extract_text("服务合同\n采购人（全称）：某市政务中心（甲方）\n"
                       "供应商（乙方）：某某科技有限公司依据《中华人民共和国民法典》签订本合同。\n", "t.txt")
    assert [p.name for p in doc.record.parties] == ["某市政务中心", "某某科技有限公司"]


BLOCKS = """云服务合同

委托方（甲方）：某市运行中心
受托方（乙方）：某某数据有限公司

甲方：某市运行中心
法定代表人：甲一
地址：某市一路1号

乙方：某某数据有限公司
法定代表人：乙一
地址：某市二路2号

第一条 服务
乙方为甲方提供云服务，服务期限为12个月。

第二条 费用
1. 本合同总价为人民币12,000.00元。
2. 乙方收款账户信息
乙方：某某数据有限公司
单位地址：某市二路 2 号 附楼
开户行：某某银行二路支行
账 号：6222 3333 4444 5555

第三条 其他
甲方：负责提供必要的场地和电力保障。
法定代表人：丙一

甲方：某市运行中心
乙方：某某数据有限公司
甲方：某市运行中心
乙方：某某数据有限公司
"""


@pytest.fixture(scope="module")
def blocks():
    return extract_text(BLOCKS, "blocks.txt").record.parties


def test_detail_blocks_go_to_the_party_of_the_nearest_anchor_even_when_it_repeats_as_furniture(blocks):
    client, supplier = blocks
    assert (client.name, client.representative, client.address) == ("某市运行中心", "甲一", "某市一路1号")
    assert (supplier.name, supplier.representative) == ("某某数据有限公司", "乙一")


def test_an_account_heading_in_a_clause_opens_the_party_and_keeps_its_address(blocks):
    supplier = blocks[1]
    assert (supplier.bank_name, supplier.bank_account) == ("某某银行二路支行", "6222333344445555")
    assert supplier.address == "某市二路2号"


def test_a_role_opening_prose_in_a_clause_is_no_anchor(blocks):
    assert blocks[0].representative == "甲一"
    assert blocks[1].representative == "乙一"


def test_a_date_under_an_empty_signature_key_is_no_signatory():
    doc = extract_text("服务合同\n第一条 服务\n乙方为甲方提供服务。\n第二条 其他\n本合同一式两份。\n"
                       "甲方：某市中心\n乙方（盖章）：某某有限公司\n授权代表（签字）：\n二〇二五年三月一日\n", "t.txt")
    assert doc.record.parties[1].representative is None


# -- metadata --------------------------------------------------------------

def test_page_chrome_is_never_the_title():
    assert metadata.is_chrome("首页 > 政府采购 > 合同公告")
    assert metadata.is_chrome("公告摘要")
    assert metadata.is_chrome("合同公告")
    assert not metadata.is_chrome("某县政务云服务项目合同公告")


def test_a_line_naming_a_contract_wins_over_one_naming_only_a_service():
    doc = extract_text("政务云服务采购项目\n云资源租用合同\n甲方：某局\n乙方：某公司\n", "t.txt")
    assert doc.record.contract.title == "云资源租用合同"


def test_a_service_line_whose_next_line_ends_the_title_is_the_title():
    doc = extract_text("政务云资源租用服务\n合同书\n甲方：某局\n乙方：某公司\n", "t.txt")
    assert doc.record.contract.title == "政务云资源租用服务 合同书"


def test_a_signing_date_never_takes_its_day_from_the_next_cell():
    doc = extract_text("服务合同\n甲方：某局\n乙方：某公司\n签订日期：2026 年 5 月\t2026 年 5 月\n", "t.txt")
    assert doc.record.contract.signed_date is None
    doc = extract_text("服务合同\n甲方：某局\n乙方：某公司\n签订日期: 2026.04.08\t2026年4月8日\n", "t.txt")
    assert doc.record.contract.signed_date == "2026-04-08"


def test_a_wrapped_project_name_is_joined_without_a_space_inside_words():
    doc = extract_text("服务合同\n合同名称：某中心 2025 年某领域\n平台运行保障项目-第一包 云\n资源租赁服务\n\n甲方：某中心\n",
                       "t.txt")
    assert doc.record.contract.project_name == "某中心 2025 年某领域平台运行保障项目-第一包 云资源租赁服务"


def test_a_project_label_wins_over_a_contract_name_label():
    doc = extract_text("合同公告\n合同名称：某县云服务合同\n项目名称：某县云服务项目\n甲方：某局\n乙方：某公司\n", "t.txt")
    assert doc.record.contract.project_name == "某县云服务项目"


def test_a_contract_number_label_followed_by_another_label_has_no_number():
    doc = extract_text("服务合同\n合同编号：签订地点：某市\n项目编号：XM-2025-1\n甲方：某局\n乙方：某公司\n", "t.txt")
    assert doc.record.contract.contract_no is None


def test_the_term_stated_in_the_term_clause_wins_over_a_service_period_elsewhere():
    doc = extract_text("服务合同\n甲方：某局\n乙方：某公司\n第一条 服务内容\n云主机服务，服务期 6 个月；存储服务，服务期 8 个月。\n"
                       "第二条 服务期限\n乙方提供上述服务的期限为：自合同签订之日起10个月。\n", "t.txt")
    assert doc.record.contract.term_months == 10


@pytest.mark.parametrize(("before", "part"), [
    ("（2）政务云扩展", True), ("其中：计算", True), ("1. 本合同项下", False), ("- 1、本项目", False), ("", False)])
def test_words_before_a_fee_label_tell_a_part_from_the_whole(before, part):
    assert metadata.names_a_part(before) is part


TOTALS = """服务合同
甲方：某局
乙方：某公司

第一条 费用

1. 本合同含税金额共计人民币¥12,000.00元，大写：壹万贰仟元整。
2. 合同签订后，甲方支付第一笔合同款人民币¥6,000.00元。
3. 服务期满后，甲方向乙方支付全部服务费用人民币¥6,000.00元。
4. 政务云扩展服务费用为人民币2,000.00元。

第二条 价格

序号\t服务\t单价\t数量\t金额
1\t云主机\t100\t10\t12000
合计\t\t\t\t12000
"""


def test_installments_and_parts_are_no_statements_of_the_total():
    doc = extract_text(TOTALS, "t.txt")
    assert doc.record.contract.total_amount == 12000
    assert doc.record.contract.total_amount_in_words == "壹万贰仟元整"
    assert [s.value for s, _ in doc.statements.totals] == [12000]


def test_the_reading_the_price_table_supports_wins():
    text = TOTALS.replace("1. 本合同含税金额共计人民币¥12,000.00元，大写：壹万贰仟元整。",
                          "1. 本项目总计费用为人民币9,000.00元。\n5. 本合同总价款为人民币12,000.00元。")
    doc = extract_text(text, "t.txt")
    assert doc.record.contract.total_amount == 12000
    assert [s.value for s, _ in doc.statements.totals] == [12000, 9000]


def test_a_figure_under_a_label_in_yuan_and_its_words_stated_apart():
    doc = extract_text("合同公告\n合同金额（元）：312,800.00\n合同金额大写：叁拾壹万贰仟捌佰元整\n", "t.txt")
    meta = doc.record.contract
    assert (meta.total_amount, meta.total_amount_in_words) == (312800, "叁拾壹万贰仟捌佰元整")
