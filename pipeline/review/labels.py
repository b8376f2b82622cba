"""The Chinese words the review pages show for the codes stored in the database.

Codes stay as they are in the data (`open`, `error`, `unit_price`); the pages
show these names beside or instead of them. A code not listed here is shown as
it is stored.
"""
from __future__ import annotations

#: findings.review_status
STATUS_NAMES = {"open": "待审核", "confirmed": "已确认", "dismissed": "已排除", "all": "全部"}
#: What each decision means, on the review form.
STATUS_MEANINGS = {
    "confirmed": "文件确实前后矛盾：列为审计发现",
    "dismissed": "不是问题：数值识别有误，或差异可以接受",
    "open": "尚未决定",
}
#: findings.severity
SEVERITY_NAMES = {"error": "错误", "warning": "提示"}
SEVERITY_MEANINGS = {"error": "两处表述互相矛盾。", "warning": "差异在数字的舍入范围之内。"}
#: parties.role
ROLE_NAMES = {"client": "甲方", "supplier": "乙方"}
#: Record columns (contracts, parties, line items and the other record tables).
FIELD_NAMES = {
    "schema_version": "记录格式版本", "document_name": "文件名", "contract_no": "合同编号", "title": "合同名称",
    "project_name": "项目名称", "signed_date": "签订日期", "start_date": "服务开始日期", "end_date": "服务结束日期",
    "term_months": "服务期限（月）", "total_amount": "合同总价", "total_amount_in_words": "总价大写",
    "amount_excl_tax": "不含税金额", "tax_rate": "税率",
    "role": "角色", "name": "名称", "representative": "法定代表人", "address": "地址", "contact_person": "联系人",
    "phone": "电话", "bank_name": "开户银行", "bank_account": "银行账号", "tax_id": "纳税人识别号",
    "seq": "序号", "section": "分类", "service": "服务名称", "unit_price": "单价", "quantity": "数量",
    "billing_unit": "计费单位", "price_basis": "计价方式", "periods": "期数", "amount": "金额",
    "normalized_quantity": "折算数量", "normalized_unit": "折算单位", "normalized_unit_price_month": "折算月单价",
    "service_normalized": "规范服务名称", "service_category": "服务类别",
    "label": "名称", "percent": "比例", "amount_in_words": "金额大写", "condition": "付款条件",
    "due_date": "付款截止日期", "due_period": "付款时间", "amount_computed": "金额为计算所得",
    "trigger": "违约情形", "rate": "比例", "base": "计算基数", "per_day": "按日计", "cap_rate": "上限比例",
    "fixed_amount": "固定金额", "availability": "可用性", "data_reliability": "数据可靠性",
}
#: Yes and no, for boolean values.
YES, NO = "是", "否"


def status_name(code: str) -> str:
    return STATUS_NAMES.get(code, code)


def severity_name(code: str) -> str:
    return SEVERITY_NAMES.get(code, code)


def field_name(column: str) -> str:
    return FIELD_NAMES.get(column, column)


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)
