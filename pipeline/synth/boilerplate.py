"""Clause headings and the legal boilerplate that pads real contracts.

Pure data, written for the generator: each clause has heading synonyms and a
pool of sentences the composer samples from. None of it carries a figure the
record holds, so it can vary freely.
"""
from __future__ import annotations

HEADINGS: dict[str, tuple[str, ...]] = {
    "content": ("服务内容", "服务事项及内容", "服务范围及内容"),
    "term": ("服务期限", "合同期限", "服务期限及地点"),
    "quality": ("服务质量", "服务要求", "服务质量及验收要求"),
    "money": ("合同金额及支付方式", "服务费用及支付方式", "合同价款与支付"),
    "client": ("甲方的权利义务", "甲方权利和义务"),
    "supplier": ("乙方的权利义务", "乙方权利和义务"),
    "contacts": ("项目联系人", "项目小组及人员要求"),
    "secrecy": ("保密条款", "保密义务", "知识产权及保密"),
    "liability": ("违约责任", "违约责任及合同解除"),
    "dispute": ("争议的解决", "争议解决"),
    "misc": ("其他", "附则", "其他约定"),
}

PREAMBLES: tuple[str, ...] = (
    "甲、乙双方根据《中华人民共和国民法典》及相关法律法规的规定，本着平等互利、诚实信用的原则，经友好协商，就乙方为甲方提供{project}相关服务事宜达成如下协议，以资共同遵守。",
    "依据《中华人民共和国民法典》《中华人民共和国政府采购法》等有关规定，甲乙双方在平等自愿的基础上，就{project}有关事项协商一致，签订本合同。",
    "甲方通过公开招标方式采购{project}，经评审确定乙方为成交供应商。为明确双方权利义务，经协商一致，订立本合同。",
)

CONTENT: tuple[str, ...] = (
    "乙方按照甲方的业务需求，依托其政务云平台为甲方提供计算、存储、网络及安全等云资源服务，并负责资源的开通、运行维护和安全保障。",
    "乙方应根据甲方提交的资源申请及时完成云资源的创建、变更和回收，服务期内可按甲方要求对资源配置进行动态调整。",
    "乙方提供的云资源应部署在符合国家相关标准的数据中心内，业务数据不得存储于境外。",
)

QUALITY: tuple[str, ...] = (
    "乙方应建立 7×24 小时运维值守和技术支持热线，接到故障报告后 15 分钟内响应，2 小时内恢复服务。",
    "乙方应每月向甲方提交资源使用报告和运行监测报告，并配合甲方开展安全检查和等级保护测评。",
    "乙方提供的服务应符合国家及行业相关标准，满足网络安全等级保护三级要求。",
)
SLA_FORMS: tuple[str, ...] = (
    "乙方提供的云平台整体可用性应不低于 {a}{r_part}。",
    "云平台月度服务可用性不低于 {a}{r_part}。",
    "服务可用性：不低于 {a}{r_part}。",
)
RELIABILITY_PARTS: tuple[str, ...] = ("，数据可靠性应不低于 {r}", "；数据可靠性不低于 {r}")

CLIENT_DUTIES: tuple[str, ...] = (
    "甲方有权对乙方提供服务的情况进行监督、检查和评价。",
    "甲方应按本合同约定及时向乙方支付服务费用。",
    "甲方负责本单位业务系统应用软件的日常维护和管理，并对其上传至云平台的数据内容负责。",
    "甲方应为乙方履行本合同提供必要的协助和配合。",
)
SUPPLIER_DUTIES: tuple[str, ...] = (
    "乙方应按本合同约定提供各项服务，确保服务质量符合合同约定及甲方的合理要求。",
    "乙方负责云平台基础环境的运行维护和安全防护，未经甲方授权不得访问甲方业务系统和数据。",
    "乙方应配合甲方完成业务系统的迁移上云工作，并在合同终止后配合完成数据迁移和销毁。",
    "乙方应指定专人作为本项目负责人，项目团队人员未经甲方同意不得随意更换。",
)
SECRECY: tuple[str, ...] = (
    "乙方对履行本合同过程中知悉的甲方业务数据、技术资料及其他未公开信息负有保密义务，未经甲方书面同意不得向任何第三方披露。",
    "保密义务不因本合同的终止或解除而免除，至相关信息依法公开之日止。",
    "本合同履行过程中形成的业务数据及相关文档的所有权归甲方所有。",
)
LIABILITY: tuple[str, ...] = (
    "甲乙双方均应全面履行本合同，任何一方不履行或不按约定履行均构成违约，违约方应赔偿由此给守约方造成的损失。",
    "违约金不足以弥补守约方损失的，违约方还应就不足部分承担赔偿责任。",
)
DISPUTE: tuple[str, ...] = (
    "因履行本合同发生的争议，双方应友好协商解决；协商不成的，任何一方均可向甲方所在地人民法院提起诉讼。",
    "在争议解决期间，除争议事项外，双方应继续履行本合同其他条款。",
)
MISC: tuple[str, ...] = (
    "本合同自双方法定代表人或授权代表签字并加盖公章或合同专用章之日起生效。",
    "本合同未尽事宜，由双方协商签订补充协议，补充协议与本合同具有同等法律效力。",
    "本合同一式肆份，甲乙双方各执贰份，具有同等法律效力。",
    "本合同的附件为本合同不可分割的组成部分，与合同正文具有同等法律效力。",
)
LATER_TOTAL: tuple[str, ...] = (
    "本合同总价款为人民币 {amount} 元，已包含乙方履行本合同所需的全部费用。",
    "双方确认，本合同项下服务费用合计 {amount} 元，甲方无需另行支付其他费用。",
)
CONTACTS_INTRO = "双方各指派一名代表作为本项目负责人："
CONTACT_LINES: tuple[str, ...] = ("{side}项目负责人及联系方式{colon}{name}，{phone}", "{side}联系人{colon}{name}，联系电话{colon}{phone}")
RESTATE_BEFORE = "乙方为甲方提供{parts}等云资源服务。"
RESTATE_AFTER = "乙方应确保上述{parts}等资源在合同签订后按时开通并稳定运行。"
TABLE_INTRO_BODY = ("服务明细及价格如下：", "本合同服务清单如下：")
TABLE_INTRO_CATALOGUE = "服务目录及单价如下（单价为最高限价，按实际使用量结算）："
TABLE_REFERENCE = "服务明细及价格详见附件{n}。"
QUANTITY_TABLE_REFERENCE = ("具体服务内容及数量详见附件{n}《服务清单》。", "本项目云资源服务清单详见附件{n}。")
PENALTY_ANNEX_REFERENCE = "其他违约情形及违约金标准详见附件{n}。"
NO_MORE_TEXT = "（以下无正文）"
ANNEX_TITLES: dict[str, tuple[str, ...]] = {
    "table": ("服务明细及报价", "云服务产品清单", "政务云服务明细"),
    "form": ("政务云服务订单", "云服务产品订购单"),
    "penalty": ("违约责任及违约金标准", "违约责任——一般违约行为"),
    "quantity": ("服务清单", "云资源服务清单", "政务云服务租赁清单"),  # a quantity-only table
}
PAYMENT_INTRO: tuple[str, ...] = ("支付方式：分期支付。", "甲方按以下方式向乙方支付服务费：")
INSTALLMENT_NAMES: tuple[str, ...] = ("首期付款", "第二期付款", "第三期付款", "第四期付款")
FINAL_NAME = "尾款"
# A total broken down into parts, a cap on one part restated in a later clause, installments by share.
BREAKDOWN_PROVISIONAL = "（该金额为暂定金额，最终以双方据实结算为准）"
CAP_CLAUSE = "（该金额为暂定金额，最终以双方据实结算为准，但最终结算金额不得超过{cap}元）"
CAP_RESTATEMENTS: tuple[str, ...] = (
    "甲方按合同约定的支付方式和支付周期结算{label}，最终结算金额不得超过{cap}元。",
    "{label}按月据实结算，乙方应每月提交使用情况报告，最终结算金额不得超过{cap}元。",
)
BREAKDOWN_CLOSING = "前述服务费已包含乙方完成本合同项下全部服务的一切费用，甲方无需另行支付其他任何费用。"
SHARE_INTRO = "支付方式：分期支付（{n}次）。"
PART_NAME = "第{k}次付款"
BANK_INTRO: tuple[str, ...] = ("乙方收款账户信息：", "乙方指定的收款账户如下：")
TAX_ALONE = "以上报价已含 {r} 增值税。"  # no sentence states the total: no total label here
TAX_ALONE_EXCLUDED = "以上报价含 {r} 增值税，不含税金额为人民币 {x} 元。"
CATALOGUE_TOTAL = "本合同总金额（最高限价）为人民币 {amount} 元，最终按双方确认的实际服务量结算，且不超过合同总金额。"
