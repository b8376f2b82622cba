"""How one synthetic contract is written: label synonyms and layout choices.

The tables below are the vocabulary real contracts vary in (role names, party
field labels, price-table headers and layouts, sum rows, number formats); the
`Style` drawn for a contract fixes one choice of each, so that every statement
of the same thing in one document uses the same words.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from pipeline.synth.render_text import TextOptions

ROLE_LABELS: tuple[tuple[str, str], ...] = (
    ("甲方", "乙方"),
    ("委托人（甲方）", "受托人（乙方）"),
    ("用户单位（甲方）", "服务提供单位（乙方）"),
    ("采购单位（甲方）", "供应商（乙方）"),
    ("采购人（甲方）", "供应商（乙方）"),
    ("甲方（采购人）", "乙方（供应商）"),
)

FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "representative": ("法定代表人", "负责人", "法定代表人/负责人"),
    "address": ("住所", "地址", "通讯地址", "住 所"),
    "contact_person": ("联系人", "项目联系人", "项目负责人"),
    "phone": ("联系电话", "电话", "手机"),
    "bank_name": ("开户行", "开户银行", "开户银行名称"),
    "bank_account": ("账号", "银行账号"),
    "tax_id": ("纳税人识别号", "统一社会信用代码"),
}

HEADERS: dict[str, tuple[str, ...]] = {
    "seq": ("序号",),
    "code": ("编号", "服务编码"),
    "section": ("服务类别", "类别", "服务分类"),
    "service": ("服务项", "分项名称", "服务名称", "服务内容", "产品名称"),
    "unit": ("计价单位", "单位", "规格"),
    "basis": ("报价单位", "计费方式"),
    "unit_price": ("单价", "单价(元)", "单价（元）", "综合单价（元）"),
    "quantity": ("数量", "采购数量"),
    "periods": ("周期", "服务期限", "服务期"),
    "amount": ("合价", "金额", "合价(元)", "金额（元）"),
    "note": ("备注", "说明", "备注/说明"),
}
MONTHS_HEADER = "服务期(月)"  # a periods header that makes month cells bare numbers

# Price-table layouts: the columns, in order. Quantity tables first, then catalogues.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "order_form": ("section", "service", "unit_price", "quantity", "amount", "note"),
    "detail": ("seq", "service", "unit_price", "quantity", "periods", "amount"),
    "full": ("seq", "service", "unit", "basis", "unit_price", "quantity", "periods", "amount"),
    "grouped": ("seq", "section", "service", "unit", "unit_price", "quantity", "periods", "amount"),
    "remarks": ("seq", "service", "unit", "unit_price", "quantity", "amount", "note"),
}
CATALOGUE_LAYOUTS: dict[str, tuple[str, ...]] = {
    "catalogue_coded": ("section", "code", "service", "unit", "basis", "unit_price"),
    "catalogue_plain": ("seq", "service", "unit", "unit_price"),
}
CATALOGUE_PRICE_HEADER = "单价（元/月）"  # catalogue_plain states the basis in its header

TIER_NAMES: tuple[tuple[str, str], ...] = (("基础部分", "扩展部分"), ("基础服务", "扩展服务"),
                                          ("基础资源服务", "安全及软件服务"))
SECTION_ROW_NUMERALS = "一二三四五六七八"
SUBTOTAL_LABELS: tuple[str, ...] = ("{section}总价（元）", "{section}小计", "小计")
TOTAL_LABELS: tuple[str, ...] = ("合计", "总价（元）", "项目总价（元）", "合计（元）", "总计")
COLONS: tuple[str, ...] = ("：", ":", ": ")


@dataclass
class Style:
    roles: tuple[str, str]
    labels: dict[str, str]
    colon: str
    layout: str
    columns: tuple[str, ...]
    headers: dict[str, str]
    catalogue: bool
    number_format: str        # plain | fixed2 | thousands
    sections: str             # none | cell_first | cell_middle | rows
    grouping: str             # none | category | tier
    tier_names: tuple[str, str]
    subtotal_form: str | None  # row | row_next_line
    subtotal_label: str
    total_form: str | None     # row | row_next_line | after_table
    total_label: str
    table_place: str          # body | annex
    restate: bool
    restate_place: str        # before | after (the table)
    clause_numbering: str     # chinese | arabic | list
    signature: str            # lines | table
    order_form: bool          # a key/value annex of party details
    penalty_annex: bool
    page_header: str          # none | contract_no | logo
    cover_page: bool
    text: TextOptions = field(default_factory=TextOptions)

    @property
    def has(self) -> set[str]:
        return set(self.columns)

    @property
    def states_units(self) -> bool:
        return bool({"unit", "note"} & self.has)


def choose_style(rng: random.Random, catalogue: bool) -> Style:
    labels = {name: rng.choice(options) for name, options in FIELD_LABELS.items()}
    if catalogue:
        layout = rng.choice(sorted(CATALOGUE_LAYOUTS))
        columns = CATALOGUE_LAYOUTS[layout]
    else:
        layout = rng.choice(sorted(LAYOUTS))
        columns = LAYOUTS[layout]
    headers = {kind: rng.choice(HEADERS[kind]) for kind in columns}
    if "basis" in columns and "periods" in columns and rng.random() < 0.5:
        headers["periods"] = MONTHS_HEADER
    if layout == "catalogue_plain":
        headers["unit_price"] = CATALOGUE_PRICE_HEADER
    if "section" in columns:
        sections = rng.choice(("cell_first", "cell_first", "cell_middle"))
    else:
        sections = rng.choice(("none", "rows", "rows"))
    grouping = "none" if sections == "none" else rng.choice(("category", "tier"))
    many_groups = grouping != "none"
    table_place = rng.choice(("body", "annex"))
    return Style(
        roles=rng.choice(ROLE_LABELS),
        labels=labels,
        colon=rng.choice(COLONS),
        layout=layout,
        columns=columns,
        headers=headers,
        catalogue=catalogue,
        number_format=rng.choice(("plain", "plain", "fixed2", "thousands")),
        sections=sections,
        grouping=grouping,
        tier_names=rng.choice(TIER_NAMES),
        subtotal_form=(rng.choice(("row", "row_next_line")) if many_groups and not catalogue
                       and rng.random() < 0.6 else None),
        subtotal_label=rng.choice(SUBTOTAL_LABELS),
        total_form=None if catalogue else rng.choice(("row", "row", "row_next_line", "after_table", None)),
        total_label=rng.choice(TOTAL_LABELS),
        table_place=table_place,
        restate=not catalogue and rng.random() < 0.5,
        restate_place="after" if table_place == "body" and rng.random() < 0.4 else "before",
        clause_numbering=rng.choice(("chinese", "chinese", "arabic", "list")),
        signature=rng.choice(("lines", "lines", "table")),
        order_form=rng.random() < 0.35,
        penalty_annex=rng.random() < 0.35,
        page_header=rng.choice(("none", "contract_no", "logo")),
        cover_page=rng.random() < 0.4,
        text=TextOptions.choose(rng),
    )
