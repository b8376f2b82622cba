"""Table blocks: the price table(s), the order-form annex, the signature table and
the penalty annex, as rows of cell strings.

A quantity-only 服务清单 (style.quantity_only) is written by `quantity_tables`:
a section row (一 计算服务) before each category's rows, rows numbered 1.1, 1.2,
2.1 …, the service class, name, configuration, months served, billing unit,
报价单位 (元/套·月) and quantity; one table, or one per section under its own
heading; headers sometimes split as OCR reads a two-line cell (计价 单位).
A year-priced row of a style with year notes says 单位：套/年；服务期限：12个月。
in its note cell."""
from __future__ import annotations

import random

from extractors.values.cnmoney import format_cn_amount
from pipeline.synth import textforms
from pipeline.synth.catalog import CLASS_NAMES
from pipeline.synth.facts import Facts, Item, bare_unit
from pipeline.synth.model import Block, Paragraph, Table
from pipeline.synth.style import HEADER_SPLITS, MONTHS_HEADER, SECTION_ROW_NUMERALS, Style

BASIS_TEXT = {"month": "元/月", "year": "元/年", "time": "元/次", "piece": "元/张"}
BASIS_WORD = {"month": "月", "year": "年", "time": "次", "piece": "张"}
WORDS_TOTAL_LABELS = ("合计（大写）：{w}", "总计（大写）：{w}")  # a sum row that also spells the total
QUANTITY_BASIS_CELLS = ("元/{u}·月", "元 /{u}·月", "元/ {u}·月")  # 报价单位, as OCR spaces it


def _periods_cell(item: Item, style: Style, months: int, rng: random.Random) -> str:
    if item.basis == "time":
        cell = rng.choice(("{k}次", "{k} 次")).format(k=item.periods)
    elif style.headers.get("periods") == MONTHS_HEADER:
        cell = str(months)
    elif item.basis == "year":
        cell = f"{item.periods}年"
    else:
        cell = rng.choice(("{n}个月", "{n} 个月")).format(n=item.periods)
    return cell.replace(" ", "") if style.text.table_format == "single_space" else cell


def _note_cell(item: Item, style: Style) -> str:
    if item.note_form == "year_note":  # the unit per year, and the service period in months
        return f"单位：{item.unit_text}/年；服务期限：{item.periods * 12}个月。"
    times = f"每台主机服务期内至少 {item.periods} 次" if item.unit.base == "host" else \
        f"服务期内共 {item.periods} 次"
    if "unit" in style.has:  # the unit has its own column; the note gives basis and period
        return {"month": f"元/月，服务期 {item.periods} 个月", "year": f"元/年，服务期 {item.periods} 年",
                "time": f"元/次，{times}"}[item.basis]
    unit = f"单位: {item.unit_text}/元/{BASIS_WORD[item.basis]}"
    if item.basis == "time":
        hosts = f"共 {textforms.plain(item.quantity)} 台主机, " if item.unit.base == "host" else ""
        return f"{unit}, {hosts}{times}"
    period = f"服务期 {item.periods} 个月" if item.basis == "month" else f"服务期 {item.periods} 年"
    return f"{unit}, {period}"


def _item_cells(item: Item, seq: int, facts: Facts, style: Style, rng: random.Random) -> dict[str, str]:
    nf = style.number_format
    cells = {"seq": str(seq), "code": item.code, "service": item.name, "unit": item.unit_text or "",
             "basis": BASIS_TEXT[item.basis], "unit_price": textforms.amount(item.unit_price, nf),
             "section": "", "spec": item.configuration}
    if item.quantity is not None:
        counted = item.unit_text if style.quantity_units else ""
        cells["quantity"] = textforms.quantity(item.quantity, nf) + counted
        cells["amount"] = textforms.amount(item.amount, nf)
        cells["periods"] = _periods_cell(item, style, facts.term.months, rng)
        cells["note"] = _note_cell(item, style)
    return cells


def _sum_rows(label: str, value: str, columns: tuple[str, ...], label_column: str, next_line: bool) -> list[list[str]]:
    first = ["" for _ in columns]
    first[columns.index(label_column)] = label
    if not next_line:
        first[columns.index("amount")] = value
        return [first]
    second = ["" for _ in columns]
    second[columns.index("amount")] = value
    return [first, second]


def _group_rows(facts: Facts, style: Style, index: int, first_seq: int, rng: random.Random) -> list[list[str]]:
    """The rows of one section: its section row, its items, its subtotal."""
    columns, group = style.columns, facts.groups[index]
    items = facts.group_items(index)
    rows = []
    if style.sections == "rows" and group.label:
        rows.append([group.label] + ["" for _ in columns[1:]])
    label_at = 0 if style.sections == "cell_first" else (len(items) - 1) // 2
    for n, item in enumerate(items):
        cells = _item_cells(item, first_seq + n, facts, style, rng)
        if n == label_at and group.label and "section" in columns:
            cells["section"] = group.label
        rows.append([cells.get(k, "") for k in columns])
    if group.subtotal is not None:
        label_column = columns[0] if style.sections == "tables" else "service"
        rows += _sum_rows(group.subtotal_label, textforms.amount(group.subtotal, style.number_format),
                          columns, label_column, style.subtotal_form == "row_next_line")
    return rows


def _header(style: Style, basis: str | None = None) -> list[str]:
    """The header row; a table of one price basis names it in its price header (单价（元/年）)."""
    headers = [style.headers[k] for k in style.columns]
    return headers if basis is None else [h.format(basis=BASIS_TEXT[basis]) for h in headers]


def _table(rows: list[list[str]], style: Style) -> Table:
    return Table(rows, header_rows=1, wrap_column=style.columns.index("service"), price=True)


def price_table(facts: Facts, style: Style, rng: random.Random) -> list[Block]:
    """The price table with its section rows or cells, sums and total; or, with
    numbered sections, one table under each section's heading; or a quantity-only 服务清单."""
    if style.quantity_only:
        return quantity_tables(facts, style, rng)
    if style.sections != "tables":
        rows, seq = [_header(style)], 1
        for index in range(len(facts.groups)):
            rows += _group_rows(facts, style, index, seq, rng)
            seq += len(facts.group_items(index))
        blocks: list[Block] = [_table(rows, style)]
    else:
        blocks = []
        for index, group in enumerate(facts.groups):
            rows = [_header(style, facts.group_items(index)[0].basis)] + _group_rows(facts, style, index, 1, rng)
            blocks += [Paragraph(f"（{SECTION_ROW_NUMERALS[index]}）{group.label}"), _table(rows, style)]
    return blocks + _total_rows(facts, style, blocks[-1], rng)


def _total_rows(facts: Facts, style: Style, table: Table, rng: random.Random) -> list[Block]:
    """The total under the (last) table: a sum row added to it, or lines after it.
    A total stated only here also carries its 大写 here, in its sum row."""
    columns = style.columns
    total = textforms.amount(facts.total, style.number_format)
    if not facts.total_in_body and facts.total_words:
        label = rng.choice(WORDS_TOTAL_LABELS).format(w=format_cn_amount(facts.total_words_value))
        table.rows += _sum_rows(label, total, columns, columns[0], False)  # the first column never wraps
    elif style.total_form in ("row", "row_next_line"):
        table.rows += _sum_rows(style.total_label, total, columns, rng.choice((columns[0], "service")),
                                style.total_form == "row_next_line")
    elif style.total_form == "after_table":
        return [Paragraph(style.total_label), Paragraph(total)]
    elif style.total_form == "cell":
        return [Paragraph(style.total_label.format(a=total))]
    return []


def quantity_tables(facts: Facts, style: Style, rng: random.Random) -> list[Block]:
    """The quantity-only 服务清单: no price, no amount, no sum."""
    columns = style.columns

    def header() -> list[str]:
        cells = [style.headers[kind] for kind in columns]
        if style.header_splits:
            for kind, splits in HEADER_SPLITS.items():
                if rng.random() < 0.6:
                    cells[columns.index(kind)] = rng.choice(splits)
        return cells

    def table(rows: list[list[str]]) -> Table:
        return Table([header()] + rows, header_rows=1, wrap_column=columns.index("service"), price=True)

    sections = []
    for index, group in enumerate(facts.groups):
        rows = [[SECTION_ROW_NUMERALS[index], group.label or ""] + ["" for _ in columns[2:]]]
        items = facts.group_items(index)
        service_class = rng.choice(CLASS_NAMES[items[0].service.category])
        for n, item in enumerate(items, start=1):
            cells = {"seq": f"{index + 1}.{n}", "class": service_class, "service": item.name,
                     "spec": item.configuration, "periods": str(item.periods), "unit": item.unit_text or "",
                     "basis": rng.choice(QUANTITY_BASIS_CELLS).format(u=bare_unit(item.unit_text or "")),
                     "quantity": textforms.quantity(item.quantity, style.number_format)}
            rows.append([cells[kind] for kind in columns])
        sections.append(rows)
    if style.quantity_tables == "one":
        return [table([row for rows in sections for row in rows])]
    blocks: list[Block] = []
    form = rng.choice(("1.{n} {label}", "（{cn}）{label}"))
    for index, (group, rows) in enumerate(zip(facts.groups, sections)):
        heading = form.format(n=index + 1, cn=SECTION_ROW_NUMERALS[index], label=group.label)
        blocks += [Paragraph(heading), table(rows)]
    return blocks


def order_form(facts: Facts, style: Style) -> Table:
    """The key/value table of party details an order-form annex opens with."""
    colon, labels = style.colon.strip(), style.labels
    rows = []
    for role, title in (("client", "甲方（客户）名称"), ("supplier", "乙方名称")):
        party = facts.party(role)
        placed = {name for (r, name), where in facts.placements.items() if r == role and "form" in where}
        rows.append([title, party.name, "", ""])
        if "address" in placed:
            rows.append([f"通信地址{colon}", party.address, f"邮编{colon}", party.postcode])
        if "bank" in placed:
            rows.append([f"{labels['bank_name']}{colon}", party.bank_name, f"行号{colon}", ""])
            rows.append([f"{labels['bank_account']}{colon}", party.account_written, f"开户单位{colon}", party.name])
        if "contact" in placed:
            rows.append([f"{labels['contact_person']}{colon}", party.contact_person,
                         f"{labels['phone']}{colon}", party.phone])
        if "tax_id" in placed:
            rows.append([f"{labels['tax_id']}{colon}", party.tax_id, "", ""])
    return Table(rows, header_rows=0)


def signature_table(facts: Facts, style: Style) -> Table:
    """A signature page laid out as a table (role, label, value, label, value)."""
    labels = style.labels
    rows = []
    for role, role_label in zip(("client", "supplier"), style.roles):
        party = facts.party(role)

        def value(name: str, text: str) -> str:
            return text if "signature" in facts.where(role, name) else ""

        rows.append([role_label, "名称", party.name, "", ""])
        rows.append(["", labels["representative"], value("representative", party.representative), "", ""])
        rows.append(["", labels["address"], value("address", party.address), "邮政编码",
                     value("address", party.postcode)])
        rows.append(["", labels["contact_person"], value("contact", party.contact_person), "", ""])
        rows.append(["", labels["phone"], value("contact", party.phone), "传真", ""])
        if "signature" in facts.where(role, "bank"):
            rows.append(["", labels["bank_name"], party.bank_name, "", ""])
            rows.append(["", labels["bank_account"], party.account_written, "", ""])
        if "signature" in facts.where(role, "tax_id"):
            rows.append(["", labels["tax_id"], party.tax_id, "", ""])
    return Table(rows, header_rows=0, ruled=False)


def penalty_annex(facts: Facts) -> Table | None:
    rows = [t for t in facts.penalties if t.place == "annex"]
    if not rows:
        return None
    header = ["序号", "违约情形", rows[0].column]
    return Table([header] + [[str(i), t.trigger, t.sentence] for i, t in enumerate(rows, start=1)],
                 header_rows=1, wrap_column=1)
