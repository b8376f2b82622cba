"""Party details laid out as a two-column table (a header row naming both roles, then one
row per field with each party's value in its column), party anchors that put the role in
brackets after another noun ("服务单位（乙方）："), and an installment that states its sum
right after its share, before its condition. Whole layouts: tests/layouts/parties_table_*.txt
and tests/layouts/clause_pay_*.txt."""
from __future__ import annotations

from pipeline import keyvalues
from pipeline.language import extract_text


HEAD = "某某服务合同\n合同编号：XY-0001\n本合同总价为人民币10,000.00元，双方签订本合同。\n\n"


def statements(text: str) -> set[tuple[str, str, str]]:
    doc = extract_text(HEAD + text)
    return {(kv.party, kv.field, kv.value.text) for kv in doc.key_values}


def parties(text: str) -> dict[str, dict]:
    doc = extract_text(HEAD + text)
    return {p.role: p for p in doc.record.parties}


TABLE = ("{corner}\t甲方（委托方）\t乙方（服务方）\n"
         "单位名称\t某县数据局\t某某网络有限公司\n"
         "法定代表人\t钱一\t孙二\n"
         "地址\t某县一路1号\t某市二路2号\n"
         "账号\t6200111122223333\t6200444455556666\n")


def test_each_column_of_a_party_table_goes_to_the_party_its_header_names():
    for corner in ("项目", ""):
        found = parties(TABLE.format(corner=corner))
        assert found["client"].name == "某县数据局"
        assert found["client"].representative == "钱一"
        assert found["client"].address == "某县一路1号"
        assert found["client"].bank_account == "6200111122223333"
        assert found["supplier"].name == "某某网络有限公司"
        assert found["supplier"].representative == "孙二"
        assert found["supplier"].address == "某市二路2号"
        assert found["supplier"].bank_account == "6200444455556666"


def test_a_party_table_with_the_supplier_column_first():
    text = "项目\t乙方\t甲方\n单位名称\t某某网络有限公司\t某县数据局\n"
    assert statements(text) >= {("supplier", "name", "某某网络有限公司"), ("client", "name", "某县数据局")}


def test_a_value_missing_in_one_column_leaves_that_party_empty():
    text = "项目\t甲方\t乙方\n单位名称\t某县数据局\t某某网络有限公司\n电话\t\t0571-88001122\n"
    found = statements(text)
    assert ("supplier", "phone", "0571-88001122") in found
    assert not any(party == "client" and field == "phone" for party, field, _ in found)


def test_a_header_row_needs_two_different_roles():
    assert keyvalues.read_label("甲方（委托方）")[:2] == ("client", None)
    found = statements("项目\t甲方\t甲方\n单位名称\t某县数据局\t某某网络有限公司\n")
    assert ("supplier", "name", "某某网络有限公司") not in found


def test_a_row_of_another_shape_ends_the_party_table():
    text = ("项目\t甲方\t乙方\n单位名称\t某县数据局\t某某网络有限公司\n"
            "序号\t服务名称\t金额（元）\n1\t专线租赁\t12000\n")
    found = statements(text)
    assert {party for party, field, _ in found if field != "name"} == set()


def test_a_role_in_brackets_after_a_noun_for_a_party_opens_its_block():
    assert keyvalues.read_label("测评机构（乙方）")[:2] == ("supplier", None)
    assert keyvalues.read_label("服务单位（乙方）")[:2] == ("supplier", None)
    assert keyvalues.read_label("采购单位（甲方）")[:2] == ("client", None)
    assert keyvalues.read_label("审计人（乙方）")[:2] == ("supplier", None)
    assert keyvalues.read_label("建设管理者（甲方）")[:2] == ("client", None)
    assert keyvalues.anchor_role("服务单位（乙方）：某某网络有限公司") == "supplier"
    # a field under a role in brackets stays a field, another noun stays unread
    assert keyvalues.read_label("联系人（甲方）")[:2] == ("client", "contact_person")
    assert keyvalues.read_label("违约责任（乙方）")[1:] == (None, "违约责任")


def test_details_under_a_bracketed_role_anchor_go_to_that_party():
    text = ("委托人（甲方）：某县数据局\n联系电话：0571-11112222\n\n"
            "测评机构（乙方）：某某测评有限公司\n开户行：某银行某支行\n账号：6200777788889999\n")
    found = parties(text)
    assert found["supplier"].name == "某某测评有限公司"
    assert found["supplier"].bank_account == "6200777788889999"
    assert found["client"].bank_account is None


def test_an_installment_keeps_the_sum_stated_after_its_share_before_its_condition():
    from extractors.common import sentences
    from extractors.payments import read_installment
    doc = extract_text(HEAD + "二、付款方式\n1. 尾款：合同总价的10%，计25,000.00元，运行满一年后15个工作日内支付。\n")
    sentence = next(s for s in sentences(doc, doc.lines) if "尾款" in s.text)
    found = read_installment(sentence)
    assert float(found.percent.value) == 0.1
    assert float(found.amount.value) == 25000


def test_a_sum_not_linked_to_the_share_is_not_taken_for_it():
    from extractors.common import sentences
    from extractors.payments import read_installment
    doc = extract_text(HEAD + "二、付款方式\n1. 尾款：合同总价的10%，待甲方收到专项资金5,000.00元后支付。\n")
    sentence = next(s for s in sentences(doc, doc.lines) if "尾款" in s.text)
    found = read_installment(sentence)
    assert found.amount is None
