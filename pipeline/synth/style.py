"""How one synthetic contract is written: label synonyms and layout choices.

The tables below are the vocabulary real contracts vary in (role names, party
field labels, price-table headers and layouts, sum rows, number formats); the
`Style` drawn for a contract fixes one choice of each, so that every statement
of the same thing in one document uses the same words.

The layout variants at the end of `Style` (parties side by side, names under
their anchors, labels joining two fields, quantities with units, configuration
columns, one table per numbered section, totals stated only under the table,
Chinese rates and dates, letter-spaced lines, yearly or one-off payments) are
drawn from a second random stream, `variants`, with the chances in
`VARIANT_CHANCES`: a contract none of them applies to is the same as before
they existed, facts, errors and text.

The layout families after them (`choose_families`: quantity-only 服务清单 tables,
a total broken down into parts in prose with a settlement cap restated later,
installments written 第N次分期支付…百分之N or as a percent of one part,
penalties as a share of the monthly fee, fixed sums and overdue-payment
penalties, rows priced per year in a note column) are drawn likewise from a
third stream, `families`, with the chances in `FAMILY_CHANCES`; the same holds
for a contract none of them applies to.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from pipeline.synth.render_text import PROSE_WIDTHS, TextOptions

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
    "spec": ("配置", "规格配置", "配置要求"),
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

# -- layout variants ---------------------------------------------------------------
VARIANT_CHANCES: dict[str, float] = {
    "party_columns": 0.12, "name_below": 0.12, "compound_labels": 0.15, "single_space": 0.25,
    "quantity_units": 0.4, "spec_column": 0.2, "section_tables": 0.15, "cell_total": 0.12,
    "total_in_table_only": 0.12, "yen_total": 0.15, "tax_inline": 0.15, "cn_dates": 0.12,
    "signing_line": 0.15, "chinese_rates": 0.12, "per_mille_rates": 0.08, "at_once": 0.06, "yearly": 0.08,
    "spaced_title": 0.08, "spaced_parties": 0.5, "prose_wrap": 0.1,
}
# Layouts whose item rows fill every cell, so an extra text column stays aligned
# and a table flattened to single spaces keeps its cells apart.
FILLED_LAYOUTS = ("detail", "full", "remarks")
SINGLE_SPACE_LAYOUTS = ("detail", "full", "catalogue_plain")
QUANTITY_UNIT_LAYOUTS = ("detail",)  # no unit or note column: the quantity cell carries the unit
COMPOUND_LABELS: dict[str, tuple[str, ...]] = {  # labels that join two fields in one line
    "address": ("地址/邮编", "通讯地址/邮编"),
    "phone": ("电话/传真", "联系电话/传真"),
    "bank": ("开户行及账号", "开户银行及账号"),
}
SECTION_HEADINGS: tuple[tuple[str, str], ...] = (("基础资源", "增值服务"), ("云资源服务", "安全及软件服务"),
                                                 ("基础云服务", "增值服务"))
PRICE_HINT_HEADERS = ("单价({basis})", "单价（{basis}）", "综合单价（{basis}）")  # one table per price basis
SECTION_SUBTOTAL_LABELS = ("小计", "{section}小计")
CELL_TOTAL_FORMS = ("合计：{a}元", "合计：¥{a}", "总计：{a}元", "总价：{a}元")  # a sum in one cell

# -- layout families -----------------------------------------------------------------
# Chances per contract, drawn from the `families` stream. Those named after another
# family apply only within it: header_splits and short_section to quantity tables,
# quantity_breakdown (the breakdown's chance beside a quantity table), part_cap and
# part_installments to a fee breakdown.
FAMILY_CHANCES: dict[str, float] = {
    "quantity_table": 0.08, "header_splits": 0.5, "short_section": 0.3,
    "fee_breakdown": 0.1, "quantity_breakdown": 0.5, "part_cap": 0.5, "part_installments": 0.5,
    "share_installments": 0.15,
    "monthly_share_penalty": 0.15, "fixed_penalty": 0.15, "overdue_penalty": 0.12,
    "yearly_note": 0.35,
}
# A quantity-only order table (服务清单): no prices, a section row (一 计算服务) before each
# category's rows, numbered 1.1, 1.2, 2.1 …, the service period in months per row.
QUANTITY_LAYOUT: tuple[str, ...] = ("seq", "class", "service", "spec", "periods", "unit", "basis", "quantity")
QUANTITY_HEADERS: dict[str, tuple[str, ...]] = {
    "seq": ("序号",),
    "class": ("服务类", "服务分类", "服务类型"),
    "service": ("服务项", "服务名称", "服务子项"),
    "spec": ("规格", "规格型号", "规格及要求"),
    "periods": ("服务期(月)", "服务期 (月)", "服务期（月）"),
    "unit": ("计价单位",),
    "basis": ("报价单位",),
    "quantity": ("数量", "采购数量"),
}
HEADER_SPLITS: dict[str, tuple[str, ...]] = {  # how OCR splits a header over the cell's two lines
    "unit": ("计价 单位", "计价单 位"),
    "basis": ("报价单 位", "报价 单位"),
}
PENALTY_FAMILIES: tuple[str, ...] = ("monthly_share", "fixed", "overdue")


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
    sections: str             # none | cell_first | cell_middle | rows | tables (one per numbered heading)
    grouping: str             # none | category | tier
    tier_names: tuple[str, str]
    subtotal_form: str | None  # row | row_next_line
    subtotal_label: str
    total_form: str | None     # row | row_next_line | after_table | cell ("合计：X元", total_label the form)
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
    # layout variants (drawn from the variants stream)
    party_columns: bool = False      # the opening party block as two columns on the same lines
    name_below: bool = False         # a party's name on the line under its bare role anchor
    compound_labels: dict[str, str] = field(default_factory=dict)  # address | phone | bank -> joined label
    quantity_units: bool = False     # quantity cells carry their unit ("20TB"), the table has no unit column
    total_in_body: bool = True       # False: the total is stated only under the price table
    yen_total: bool = False          # the total as 人民币（大写）W（¥A）
    tax_inline: bool = False         # the tax rate as "含6%增值税" after the total
    cn_dates: bool = False           # the signing date in Chinese numerals
    signing_line: bool = False       # signatures side by side over one line of dates, one per party
    rate_form: str = "figures"       # figures | chinese (百分之三十, 万分之五) | per_mille (0.5‰)
    payments: str = "drawn"          # drawn | at_once (全部合同款) | yearly (每年度…当年度服务费)
    letter_spacing: str = "none"     # none | title | title_parties (政 务 云 服 务 合 同)
    # layout families (drawn from the families stream, `choose_families`)
    quantity_tables: str = "none"    # quantity-only layout: one (section rows) | per_section (a table each)
    header_splits: bool = False      # quantity tables: some headers split by OCR (计价 单位, 报价单 位)
    short_section: bool = False      # quantity tables: one later section is served fewer months than the term
    fee_breakdown: bool = False      # the total's parts stated in prose (其中：（1）A为人民币Y元，包括：…)
    part_cap: bool = False           # one part capped (最终结算金额不得超过Y元), the cap restated in a later clause
    part_installments: bool = False  # installments of the total, then of one part (支付A的70%即…)
    share_installments: bool = False  # installments as 第N次分期支付金额为X元，所占总合同金额百分之N
    penalty_forms: tuple[str, ...] = ()  # PENALTY_FAMILIES the penalty clauses add
    year_notes: bool = False         # note column: year-priced rows as 单位：套/年；服务期限：12个月。

    @property
    def has(self) -> set[str]:
        return set(self.columns)

    @property
    def states_units(self) -> bool:
        return bool({"unit", "note"} & self.has) or self.quantity_units

    @property
    def quantity_only(self) -> bool:
        """The price table is a quantity-only 服务清单: the rows state no price and no amount."""
        return self.layout == "quantity_only"

    @property
    def whole_years(self) -> bool:
        """The term must be whole years: a table priced per year, or fees paid per year."""
        return self.sections == "tables" or self.payments == "yearly"


def choose_style(rng: random.Random, catalogue: bool, variants: random.Random) -> Style:
    """The contract's style: the established choices from `rng`, the layout variants from `variants`."""
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
    style = Style(
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
    _choose_variants(style, variants)
    return style


def _chance(variants: random.Random, name: str) -> bool:
    return variants.random() < VARIANT_CHANCES[name]


def _choose_variants(style: Style, variants: random.Random) -> None:
    """Draw the layout variants: every chance first, then the choices the drawn ones need."""
    drawn = {name: _chance(variants, name) for name in VARIANT_CHANCES}
    quantities = not style.catalogue
    style.party_columns = drawn["party_columns"]
    style.name_below = drawn["name_below"]
    if drawn["compound_labels"]:
        style.compound_labels = {kind: variants.choice(labels) for kind, labels in COMPOUND_LABELS.items()
                                 if variants.random() < 0.7}
    if quantities and drawn["quantity_units"] and style.layout in QUANTITY_UNIT_LAYOUTS:
        style.quantity_units = True
    if quantities and drawn["spec_column"] and style.layout in FILLED_LAYOUTS:
        at = style.columns.index("service") + 1
        style.columns = style.columns[:at] + ("spec",) + style.columns[at:]
        style.headers["spec"] = variants.choice(HEADERS["spec"])
    if quantities and drawn["section_tables"] and style.layout in FILLED_LAYOUTS:
        _section_tables(style, variants)
    if quantities and drawn["cell_total"]:
        style.total_form, style.total_label = "cell", variants.choice(CELL_TOTAL_FORMS)
    style.total_in_body = not (quantities and style.total_form and drawn["total_in_table_only"])
    style.yen_total, style.tax_inline = drawn["yen_total"], drawn["tax_inline"]
    style.cn_dates = drawn["cn_dates"]
    style.signing_line = drawn["signing_line"] and style.signature == "lines"
    style.rate_form = "chinese" if drawn["chinese_rates"] else "per_mille" if drawn["per_mille_rates"] else "figures"
    if quantities:
        style.payments = "at_once" if drawn["at_once"] else "yearly" if drawn["yearly"] else "drawn"
    if drawn["spaced_title"]:
        style.letter_spacing = "title_parties" if drawn["spaced_parties"] else "title"
    if drawn["single_space"] and style.layout in SINGLE_SPACE_LAYOUTS:
        style.text.table_format, style.text.wrap_width = "single_space", None
    if drawn["prose_wrap"]:
        style.text.prose_width = variants.choice(PROSE_WIDTHS)
    style.text.column_gap = variants.choice(("spaces", "tab"))


def _section_tables(style: Style, variants: random.Random) -> None:
    """One price table per tier, each under a numbered heading and closed by its 小计;
    the first table prices per month, the second per year (its header says so)."""
    style.sections, style.grouping = "tables", "tier"
    style.tier_names = variants.choice(SECTION_HEADINGS)
    style.subtotal_form, style.subtotal_label = "row", variants.choice(SECTION_SUBTOTAL_LABELS)
    style.headers["unit_price"] = variants.choice(PRICE_HINT_HEADERS)


def choose_families(style: Style, families: random.Random) -> None:
    """Draw the layout families: every chance first, then the choices the drawn ones need.
    A family applies only where the contract can state it (prices with quantities, a
    total in the body, installments drawn rather than fixed by a variant)."""
    drawn = {name: families.random() < chance for name, chance in FAMILY_CHANCES.items()}
    quantities = not style.catalogue
    if quantities and drawn["quantity_table"]:
        _quantity_table(style, families, drawn)
    style.fee_breakdown = quantities and style.total_in_body and (
        drawn["fee_breakdown"] or (style.quantity_only and drawn["quantity_breakdown"]))
    style.part_cap = style.fee_breakdown and drawn["part_cap"]
    style.part_installments = style.fee_breakdown and drawn["part_installments"] and style.payments == "drawn"
    style.share_installments = quantities and drawn["share_installments"] and style.payments == "drawn"
    style.penalty_forms = tuple(kind for kind in PENALTY_FAMILIES if drawn[f"{kind}_penalty"])
    style.year_notes = (quantities and drawn["yearly_note"] and "note" in style.columns
                        and style.sections != "tables")


def _quantity_table(style: Style, families: random.Random, drawn: dict[str, bool]) -> None:
    """The price table becomes a quantity-only 服务清单 in an annex; the total is stated
    only in the body (no table states a sum), and the body restates quantities before it."""
    style.layout, style.columns = "quantity_only", QUANTITY_LAYOUT
    style.headers = {kind: families.choice(QUANTITY_HEADERS[kind]) for kind in QUANTITY_LAYOUT}
    style.sections, style.grouping = "numbered_rows", "category"
    style.subtotal_form, style.total_form, style.total_in_body = None, None, True
    style.table_place, style.restate_place, style.quantity_units = "annex", "before", False
    style.quantity_tables = families.choice(("one", "one", "per_section"))
    style.header_splits, style.short_section = drawn["header_splits"], drawn["short_section"]
    if style.text.table_format == "single_space":  # headers split by a space cannot part cells by one
        style.text.table_format = families.choice(("tab", "pipe", "spaces"))
