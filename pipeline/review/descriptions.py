"""What each cross-check means, in plain Chinese words, for the people who review its findings.

One entry per check code of `pipeline.checks` (a test keeps the two in step):
what the check compares, and what its `expected` and `found` values are. The
codes stay as stored; only what the pages say about them is Chinese.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckDescription:
    name: str
    meaning: str
    expected: str
    found: str


CHECKS: dict[str, CheckDescription] = {
    "line_amount": CheckDescription(
        "分项金额",
        "价格表中一行的金额应等于单价 × 数量 × 期数。",
        "该行的单价 × 数量 × 期数", "该行写明的金额"),
    "items_total": CheckDescription(
        "分项合计",
        "价格表各行金额之和应等于其小计；表中没有小计时，应等于表格或合同的总价。",
        "各行金额之和", "文件写明的小计或总价"),
    "subtotals_total": CheckDescription(
        "小计合计",
        "价格表各小计之和应等于总价。",
        "各小计之和", "文件写明的总价"),
    "amount_in_words": CheckDescription(
        "大写金额",
        "中文大写金额应与旁边的小写数字金额一致。",
        "小写数字金额", "大写金额所表示的数额"),
    "payments_total": CheckDescription(
        "付款合计",
        "各期付款之和应等于合同总价。",
        "合同总价", "各期付款之和"),
    "payment_percent": CheckDescription(
        "付款比例",
        "按总价比例约定的一期付款，其金额应等于总价乘以该比例。",
        "合同总价 × 该期比例", "该期写明的金额"),
    "tax": CheckDescription(
        "不含税金额",
        "不含税金额应等于总价 ÷（1 + 税率）。",
        "总价 ÷（1 + 税率）", "文件写明的不含税金额"),
    "restated_quantity": CheckDescription(
        "数量前后不一",
        "正文中再次提到的数量应与价格表中的数量一致。",
        "首次出现处的数量", "再次出现处的数量"),
    "restated_amount": CheckDescription(
        "总价前后不一",
        "合同总价在多处出现时，每处都应相同。",
        "首次出现处的总价", "后文中不一致的总价"),
    "term": CheckDescription(
        "服务期限",
        "以月计的服务期限应与服务的起止日期相符。",
        "起止日期之间的月数", "文件写明的服务期限"),
}


def describe(code: str) -> CheckDescription:
    """The description of `code`; a plain one for a code this version does not know."""
    return CHECKS.get(code) or CheckDescription(code, "对本合同数字的一项交叉核对。",
                                                "核对计算所得的数值", "文件写明的数值")
