"""The contract generator: determinism, variety, and true records that are valid,
consistent, and whose planted findings are exactly what the arithmetic gives."""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.values.cnmoney import format_cn_amount, parse_cn_amount
from pipeline.cli import app
from pipeline.synth.generate import generate, write_contract
from pipeline.synth.model import Document, Heading, Paragraph, Table, TwoColumns
from pipeline.synth.render_text import render_text
from pipeline.synth.penalties import CN_FRACTIONS
from pipeline.synth.style import FAMILY_CHANCES, HEADER_SPLITS, SECTION_ROW_NUMERALS, VARIANT_CHANCES
from pipeline.synth.tabulate import BASIS_TEXT
from pipeline.synth.textforms import amount, chinese_rate, cn_number, percent, plain
from schemas import ContractRecord, Finding

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BATCH = 240


def D(value) -> Decimal:
    if isinstance(value, str):  # a figure as a cell writes it
        return Decimal(value.replace(",", ""))
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def months_between(start: str, end: str) -> int:
    s, e = date.fromisoformat(start), date.fromisoformat(end) + timedelta(days=1)
    return (e.year - s.year) * 12 + e.month - s.month


def recheck(contract) -> Counter:
    """Findings recomputed from the record (and, for restatements, the facts), as
    (check, subject, expected, found) with amounts in Decimal."""
    rec, facts = contract.record, contract.facts
    out: Counter = Counter()

    def add(check, subject, expected, found):
        if D(expected) != D(found):
            out[(check, subject, D(expected), D(found))] += 1

    items = rec.line_items
    for i, item in enumerate(items):
        if item.quantity is not None and item.periods is not None and item.amount is not None:
            add("line_amount", f"line_items[{i}]",
                cents(D(item.unit_price) * D(item.quantity) * D(item.periods)), item.amount)
    total = rec.contract.total_amount
    priced = [i for i in items if i.amount is not None]
    if facts.parts:  # a fee breakdown: parts of parts, parts of the total, parts of the rows
        for j, part in enumerate(facts.parts):
            assert rec.subtotals[j].amount == float(part.amount) and rec.subtotals[j].label == part.label
            nested = [D(rec.subtotals[k].amount) for k, p in enumerate(facts.parts) if p.parent == j]
            if nested:
                add("subtotals_total", f"subtotals[{j}]", sum(nested), rec.subtotals[j].amount)
            if priced:
                add("items_total", f"subtotals[{j}]", sum(D(items[i].amount) for i in part.items),
                    rec.subtotals[j].amount)
        tops = [D(rec.subtotals[j].amount) for j, p in enumerate(facts.parts) if p.parent is None]
        add("subtotals_total", "contract.total_amount", sum(tops), total)
        if priced:
            add("items_total", "contract.total_amount", sum(D(i.amount) for i in priced), total)
        if facts.capped_part is not None:
            j = facts.capped_part
            add("restated_amount", f"subtotals[{j}]", rec.subtotals[j].amount, facts.parts[j].cap_later)
    elif rec.subtotals:
        sections = list(dict.fromkeys(i.section for i in items))
        assert len(sections) == len(rec.subtotals)
        consistent = True
        for j, (section, sub) in enumerate(zip(sections, rec.subtotals)):
            covered = sum((D(i.amount) for i in items if i.section == section), Decimal(0))
            consistent &= covered == D(sub.amount)
            add("items_total", f"subtotals[{j}]", covered, sub.amount)
        if consistent:
            add("subtotals_total", "contract.total_amount", sum(D(s.amount) for s in rec.subtotals), total)
    elif priced:
        add("items_total", "contract.total_amount", sum(D(i.amount) for i in priced), total)
    if rec.contract.total_amount_in_words:
        add("amount_in_words", "contract.total_amount_in_words", total,
            parse_cn_amount(rec.contract.total_amount_in_words))
    pays = rec.payments
    for k, p in enumerate(pays):
        if p.amount_in_words:
            add("amount_in_words", f"payments[{k}].amount_in_words", p.amount, parse_cn_amount(p.amount_in_words))
        part = facts.installments[k].part  # a percent of one part of the total
        base = total if part is None else rec.subtotals[part].amount
        if p.percent is not None and p.amount is not None:
            add("payment_percent", f"payments[{k}].amount", cents(D(p.percent) * D(base)), p.amount)
    if pays and all(p.amount is not None and p.percent is None for p in pays) and facts.payment_scheme != "yearly":
        add("payments_total", "payments", total, sum(D(p.amount) for p in pays))  # a yearly fee is paid again
    if rec.contract.amount_excl_tax is not None:
        add("tax", "contract.amount_excl_tax", cents(D(total) / (1 + D(rec.contract.tax_rate))),
            rec.contract.amount_excl_tax)
    if rec.contract.start_date and rec.contract.end_date:
        add("term", "contract.term_months", months_between(rec.contract.start_date, rec.contract.end_date),
            rec.contract.term_months)
    for r in facts.restatements:
        table = facts.items[r.item].normalized_quantity
        first, later = (r.value, table) if facts.restate_first else (table, r.value)
        add("restated_quantity", f"line_items[{r.item}].quantity", first, later)
    if facts.total_later is not None:
        add("restated_amount", "contract.total_amount", facts.total, facts.total_later)
    return out


def listed(record: ContractRecord) -> Counter:
    return Counter((f.check, f.subject, D(f.expected), D(f.found)) for f in record.findings)


def squeezed(text: str) -> str:
    return "".join(text.split())


def layout_variants(contract) -> set[str]:
    """The layout variants (style.VARIANT_CHANCES names) a contract was drawn with."""
    s = contract.style
    active = {
        "party_columns": s.party_columns, "name_below": s.name_below, "compound_labels": bool(s.compound_labels),
        "single_space": s.text.table_format == "single_space", "quantity_units": s.quantity_units,
        "spec_column": "spec" in s.columns, "section_tables": s.sections == "tables",
        "cell_total": s.total_form == "cell", "total_in_table_only": not s.total_in_body,
        "yen_total": s.yen_total, "tax_inline": s.tax_inline, "cn_dates": s.cn_dates,
        "signing_line": s.signing_line, "chinese_rates": s.rate_form == "chinese",
        "per_mille_rates": s.rate_form == "per_mille", "at_once": s.payments == "at_once",
        "yearly": s.payments == "yearly", "spaced_title": s.letter_spacing != "none",
        "spaced_parties": s.letter_spacing == "title_parties", "prose_wrap": s.text.prose_width is not None}
    return {name for name, on in active.items() if on}


def layout_families(contract) -> set[str]:
    """The layout families (style.FAMILY_CHANCES names) a contract states."""
    s, f = contract.style, contract.facts
    quantity = s.quantity_only
    active = {
        "quantity_table": quantity, "header_splits": quantity and s.header_splits,
        "short_section": quantity and len({i.periods for i in f.items}) > 1,
        "fee_breakdown": bool(f.parts), "quantity_breakdown": quantity and bool(f.parts),
        "part_cap": f.capped_part is not None, "part_installments": f.payment_scheme == "of_part",
        "share_installments": s.share_installments and f.payment_scheme == "percent_amount",
        "monthly_share_penalty": "monthly_share" in s.penalty_forms,
        "fixed_penalty": "fixed" in s.penalty_forms, "overdue_penalty": "overdue" in s.penalty_forms,
        "yearly_note": any(i.note_form == "year_note" for i in f.items)}
    return {name for name, on in active.items() if on}


def forced(monkeypatch, *names: str, rate: float = 0.0, where=lambda c: True, count: int = 3) -> list:
    """Contracts drawn with only the named layout variants and families switched on (chance 1),
    the first `count` that `where` accepts; each is checked to state exactly what its record holds."""
    for chances in (VARIANT_CHANCES, FAMILY_CHANCES):
        for name in chances:
            monkeypatch.setitem(chances, name, 1.0 if name in names else 0.0)
    found = []
    for index in range(1, 400):
        contract = generate(21, index, rate)
        if set(names) <= layout_variants(contract) | layout_families(contract) and where(contract):
            assert recheck(contract) == listed(contract.record), contract.stem
            found.append(contract)
            if len(found) == count:
                return found
    raise AssertionError(f"fewer than {count} contracts with {names}")


def text_of(contract) -> str:
    return render_text(contract.document, contract.style.text)


def blocks(contract, kind) -> list:
    return [b for b in contract.document.blocks if isinstance(b, kind)]


@pytest.fixture(scope="module")
def clean():
    return [generate(11, i, 0.0) for i in range(1, BATCH + 1)]


@pytest.fixture(scope="module")
def faulty():
    return [generate(12, i, 1.0) for i in range(1, BATCH + 1)]


def test_same_seed_same_contract_other_seed_other_contract():
    a, b, c = generate(5, 3, 0.5), generate(5, 3, 0.5), generate(6, 3, 0.5)
    assert render_text(a.document, a.style.text) == render_text(b.document, b.style.text)
    assert a.record == b.record
    assert a.record != c.record


def test_records_validate_and_follow_schema_rules(clean):
    for c in clean:
        data = c.record.to_json_dict()
        assert ContractRecord.model_validate(data) == c.record
        assert data["document"] == c.stem + ".txt"
        assert [i["seq"] for i in data["line_items"]] == list(range(1, len(data["line_items"]) + 1))
        for item in data["line_items"]:
            norm = item["normalized"]
            assert norm["unit"]
            if item["quantity"] is None:
                assert item["periods"] is None and item["amount"] is None
            if item["price_basis"] in ("time", "piece") or item["unit_price"] is None:
                assert norm["unit_price_month"] is None
            else:
                assert norm["unit_price_month"] is not None
        keys = [(p["rate"], p["base"], p["per_day"], p["cap_rate"], p["fixed_amount"]) for p in data["penalties"]]
        assert len(keys) == len(set(keys))
        assert {p["role"] for p in data["parties"]} == {"client", "supplier"}


def test_without_injection_every_record_is_consistent(clean):
    for c in clean:
        assert not c.record.findings
        assert recheck(c) == Counter(), c.stem


def test_injected_findings_are_exactly_what_the_arithmetic_gives(faulty):
    checks = Counter()
    for c in faulty:
        assert 1 <= len(c.record.findings) <= 2, c.stem
        assert all(f.severity == "error" for f in c.record.findings)
        assert recheck(c) == listed(c.record), c.stem
        checks.update(f.check for f in c.record.findings)
    assert set(checks) == {"line_amount", "items_total", "subtotals_total", "amount_in_words", "payments_total",
                           "payment_percent", "tax", "restated_quantity", "restated_amount", "term"}


def test_line_amount_error_is_clear_and_sums_use_stated_rows(faulty):
    for c in faulty:
        for f in c.record.findings:
            if f.check == "line_amount":
                assert abs(f.expected - f.found) >= 1
                assert c.record.line_items[int(f.subject[11:-1])].amount == f.found


def test_every_variant_appears_over_a_batch(clean):
    seen = {key: Counter() for key in ("layout", "format", "numbers", "sections", "subtotals", "total",
                                       "encoding", "fullwidth", "roles", "scheme", "term", "basis", "base",
                                       "unit", "wrap", "signature", "header", "contract_no", "layout_variants")}
    for c in clean:
        s, f = c.style, c.facts
        seen["layout"][s.layout] += 1
        seen["format"][s.text.table_format] += 1
        seen["numbers"][s.number_format] += 1
        seen["sections"][s.sections] += 1
        seen["subtotals"][s.subtotal_form if f.with_subtotals else None] += 1
        seen["total"][s.total_form] += 1
        seen["encoding"][s.text.encoding] += 1
        seen["fullwidth"][s.text.fullwidth_share > 0] += 1
        seen["roles"][s.roles[0]] += 1
        seen["scheme"][f.payment_scheme] += 1
        seen["term"][f.term.form] += 1
        seen["basis"].update(i.basis for i in f.items)
        seen["base"].update(p.base for p in f.penalties)
        seen["unit"].update(i.unit.key for i in f.items)
        seen["wrap"][s.text.wrap_width is not None] += 1
        seen["signature"][s.signature] += 1
        seen["header"][s.page_header] += 1
        seen["contract_no"][f.contract_no_form] += 1
        seen["layout_variants"].update(layout_variants(c))
    assert set(seen["layout"]) == {"order_form", "detail", "full", "grouped", "remarks",
                                   "catalogue_coded", "catalogue_plain", "quantity_only"}
    assert set(seen["format"]) == {"tab", "pipe", "spaces", "single_space"}
    assert set(seen["numbers"]) == {"plain", "fixed2", "thousands"}
    assert set(seen["sections"]) == {"none", "rows", "cell_first", "cell_middle", "tables", "numbered_rows"}
    assert set(seen["subtotals"]) == {None, "row", "row_next_line"}
    assert set(seen["total"]) == {None, "row", "row_next_line", "after_table", "cell"}
    assert set(seen["encoding"]) == {"utf-8", "gb18030"}
    assert set(seen["fullwidth"]) == {True, False}
    assert len(seen["roles"]) == 6
    assert set(seen["scheme"]) == {"percent_amount", "amount_only", "percent_only", "usage", "at_once", "yearly",
                                   "of_part"}
    assert set(seen["term"]) == {"relative", "one_year", "plain", "dates", "dates_term"}
    assert set(seen["basis"]) == {"month", "year", "time", "piece"}
    assert set(seen["base"]) >= {"contract_total", "monthly_fee", "overdue_amount", "service_fee",
                                 "settlement_fee", "unpaid_part", None}
    assert {"gb", "100gb", "tb", "mb", "gbps", "pflops", "gpu", "rack", "channel"} <= set(seen["unit"])
    assert set(seen["wrap"]) == {True, False}
    assert set(seen["signature"]) == {"lines", "table"}
    assert set(seen["header"]) == {"none", "contract_no", "logo"}
    assert set(seen["contract_no"]) == {"stated", "blank", "absent"}
    assert set(seen["layout_variants"]) == set(VARIANT_CHANCES)
    assert all(count < len(clean) / 4 for count in seen["layout_variants"].values())  # each one modest


def test_text_states_what_the_record_holds(clean):
    for c in clean:
        opts = c.style.text
        if opts.wrap_width or opts.fullwidth_share:
            continue
        text = squeezed(render_text(c.document, opts))  # letter spacing and wrapped lines aside
        rec = c.record
        assert squeezed(rec.contract.title) in text
        for party in rec.parties:
            for value in (party.name, party.representative, party.address, party.contact_person, party.phone,
                          party.bank_name, party.bank_account, party.tax_id):
                assert value is None or squeezed(value) in text, (c.stem, value)
        for item in rec.line_items:
            assert squeezed(item.service) in text, (c.stem, item.service)
        if rec.contract.total_amount_in_words:
            assert rec.contract.total_amount_in_words in text


# -- layout variants: each is drawn, and its text and truth agree -------------------------

def test_parties_side_by_side_share_lines_and_keep_their_own_values(monkeypatch):
    for c in forced(monkeypatch, "party_columns"):
        [columns] = blocks(c, TwoColumns)
        client, supplier = c.record.parties
        assert client.name in columns.rows[0][0] and supplier.name in columns.rows[0][1]
        for party, side in ((client, 0), (supplier, 1)):
            column = squeezed("".join(row[side] for row in columns.rows))
            for name, source in (("representative", "representative"), ("address", "address"),
                                 ("contact_person", "contact"), ("phone", "contact"), ("tax_id", "tax_id")):
                if "opening" in c.facts.where(party.role, source):
                    assert squeezed(getattr(party, name)) in column, (c.stem, name)
        lines = text_of(c).splitlines()
        gap = "\t" if c.style.text.column_gap == "tab" else "      "
        assert any(client.name in line and supplier.name in line and gap in line for line in lines)


def test_names_stand_under_their_bare_anchors(monkeypatch):
    for c in forced(monkeypatch, "name_below"):
        text = text_of(c)
        for party, label in zip(c.record.parties, c.style.roles):
            assert f"{label}{c.style.colon.rstrip()}\n{party.name}\n" in text


def test_labels_joining_two_fields_state_both_and_the_truth_keeps_the_record_field(monkeypatch):
    contracts = forced(monkeypatch, "compound_labels", count=6, where=lambda c: not c.style.text.fullwidth_share)
    for c in contracts:
        text = text_of(c)
        for role in ("client", "supplier"):
            party, where = c.facts.party(role), c.facts.where
            joined = c.style.compound_labels
            if "address" in joined and "opening" in where(role, "address"):
                assert f"{joined['address']}{c.style.colon}{party.address} {party.postcode}" in text
            if "bank" in joined and "opening" in where(role, "bank"):
                assert f"{joined['bank']}{c.style.colon}{party.bank_name} {party.account_written}" in text
            if "phone" in joined and "opening" in where(role, "contact"):
                assert f"{joined['phone']}{c.style.colon}{party.phone}" in text
        for truth in c.record.parties:
            assert truth.address is None or not truth.address.endswith(c.facts.party(truth.role).postcode)
    assert {kind for c in contracts for kind in c.style.compound_labels} == {"address", "bank", "phone"}


def test_single_space_price_tables_part_every_cell_by_one_space(monkeypatch):
    for c in forced(monkeypatch, "single_space", where=lambda c: not c.style.text.fullwidth_share):
        lines = text_of(c).splitlines()
        [table] = [b for b in blocks(c, Table) if b.price]
        for row in table.rows:
            cells = [cell for cell in row if cell]
            assert " ".join(cells) in lines
            assert all(" " not in cell for n, cell in enumerate(row) if n != table.wrap_column)
        assert c.style.text.wrap_width is None
        assert not any("\t" in line for line in lines if c.record.line_items[0].service in line)


def test_quantity_cells_carry_the_unit_the_truth_calls_the_billing_unit(monkeypatch):
    for c in forced(monkeypatch, "quantity_units", where=lambda c: not c.facts.catalogue):
        assert "unit" not in c.style.columns and "note" not in c.style.columns
        [table] = [b for b in blocks(c, Table) if b.price]
        at = c.style.columns.index("quantity")
        cells = [row[at] for row in table.rows[1:] if row[at]]
        for item, truth, cell in zip(c.facts.items, c.record.line_items, cells):
            assert truth.billing_unit == item.unit_text and item.unit_text in item.unit.counted
            assert cell.endswith(item.unit_text) and cell[:-len(item.unit_text)].replace(",", "") == \
                format(item.quantity.normalize(), "f")
            assert truth.normalized.unit == item.unit.base


def test_a_configuration_column_stands_between_the_service_and_the_figures(monkeypatch):
    for c in forced(monkeypatch, "spec_column"):
        columns = c.style.columns
        assert columns[columns.index("service") + 1] == "spec"
        [table] = [b for b in blocks(c, Table) if b.price]
        rows = [row for row in table.rows[1:] if row[columns.index("spec")]]
        assert [row[columns.index("spec")] for row in rows] == [i.configuration for i in c.facts.items]
        assert all(" " not in i.configuration and i.name == t.service
                   for i, t in zip(c.facts.items, c.record.line_items))


def test_numbered_section_tables_each_have_a_heading_a_price_basis_and_a_subtotal(monkeypatch):
    for c in forced(monkeypatch, "section_tables"):
        sections = [t.section for t in c.record.line_items]
        names = list(dict.fromkeys(sections))
        assert len(names) == 2 and c.facts.term.months % 12 == 0
        text = text_of(c)
        assert f"（一）{names[0]}" in text and f"（二）{names[1]}" in text
        tables = [b for b in blocks(c, Table) if b.price]
        at = c.style.columns.index("unit_price")
        assert [t.rows[0][at] for t in tables] == [
            c.style.headers["unit_price"].format(basis=BASIS_TEXT[basis]) for basis in ("month", "year")]
        assert [t.price_basis for t in c.record.line_items] == ["month" if s == names[0] else "year" for s in sections]
        assert len(c.record.subtotals) == 2 and [t.seq for t in c.record.line_items] == list(
            range(1, len(sections) + 1))


def test_a_total_stated_only_under_the_table_is_the_records_total(monkeypatch):
    contracts = forced(monkeypatch, "total_in_table_only", rate=1.0, count=8)
    for c in contracts:
        rec, f = c.record, c.facts
        text = text_of(c)
        assert rec.contract.total_amount == float(f.total) and f.total_later is None
        assert "restated_amount" not in {x.check for x in rec.findings}
        if f.total_words:
            words = format_cn_amount(f.total_words_value)
            assert rec.contract.total_amount_in_words == words
            assert f"（大写）：{words}" in text and text.count(words) == 1
        assert "本合同总金额为" not in text and "本合同总价为" not in text
    assert any(c.facts.total_words for c in contracts)


def test_a_sum_in_one_cell_under_the_table(monkeypatch):
    for c in forced(monkeypatch, "cell_total", where=lambda c: c.facts.total_in_body):
        figure = c.style.total_label.format(a=amount(c.facts.total, c.style.number_format))
        assert figure.startswith(("合计：", "总计：", "总价：")) and figure in text_of(c).splitlines()


def test_a_yen_total_after_its_words_and_a_tax_rate_before_its_label(monkeypatch):
    for c in forced(monkeypatch, "yen_total", "tax_inline",
                    where=lambda c: c.facts.total_words and c.facts.tax_rate is not None and not c.facts.catalogue):
        f = c.facts
        words, figure, rate = format_cn_amount(f.total_words_value), format(f.total, ",.2f"), int(f.tax_rate * 100)
        assert f"人民币（大写）{words}（¥{figure}），含{rate}%增值税" in text_of(c)
        assert c.record.contract.tax_rate == float(f.tax_rate)


def test_a_chinese_signing_date_on_one_line_per_party(monkeypatch):
    for c in forced(monkeypatch, "cn_dates", "signing_line", where=lambda c: c.facts.signed_full):
        day = c.facts.signed
        assert c.record.contract.signed_date == day.isoformat()
        dates = blocks(c, TwoColumns)[-1].rows[-1]
        assert dates[0] == dates[1] and dates[0].startswith("二〇") and dates[0].endswith("日")
        assert dates[0].count("年") == dates[0].count("月") == 1


def test_sentences_wrap_over_short_lines_without_breaking_figures(monkeypatch):
    contracts = forced(monkeypatch, "prose_wrap", where=lambda c: not c.style.text.fullwidth_share)
    for c in contracts:
        width, text = c.style.text.prose_width, text_of(c)
        wrapped = [p for p in blocks(c, Paragraph) if p.text.endswith("。") and len(p.text) > width]
        assert wrapped
        for paragraph in wrapped:
            lines = render_text(Document([paragraph]), c.style.text).strip("\n").split("\n")
            assert len(lines) > 1 and "\n".join(lines) in text
            assert all(len(line) <= width for line in lines)
            assert squeezed("".join(lines)).removeprefix("-") == squeezed(paragraph.text)
            for figure in re.findall(r"[\d.,%]+", paragraph.text):  # never broken over two lines
                assert any(figure in line for line in lines)
    monkeypatch.setitem(VARIANT_CHANCES, "prose_wrap", 0.0)
    assert [c.record for c in contracts] == [generate(21, int(c.stem[4:]), 0.0).record for c in contracts]


def test_rates_in_chinese_and_per_mille_state_the_truths_rates(monkeypatch):
    cn = {Decimal("0.0001"): "万分之一", Decimal("0.0003"): "万分之三", Decimal("0.0005"): "万分之五",
          Decimal("0.001"): "千分之一", Decimal("0.1"): "百分之十", Decimal("0.2"): "百分之二十",
          Decimal("0.3"): "百分之三十", Decimal("0.05"): "百分之五"}
    tens = {Decimal(n) / 10: "百分之" + word for n, word in enumerate(
        ("", "十", "二十", "三十", "四十", "五十", "六十", "七十", "八十", "九十", "一百")) if n}
    for c in forced(monkeypatch, "chinese_rates", where=lambda c: any(t.rate in cn for t in c.facts.penalties
                                                                      if t.place != "annex")):
        clauses = " ".join(t.sentence for t in c.facts.penalties if t.place != "annex")
        assert any(cn[t.rate] in clauses for t in c.facts.penalties if t.rate in cn)
        shares = [i.percent for i in c.facts.installments if i.percent is not None and i.form != "at_once"]
        assert all("合同总金额的" + tens[share] in text_of(c) for share in shares)
    for c in forced(monkeypatch, "per_mille_rates", where=lambda c: any(
            t.rate is not None and t.rate < Decimal("0.001") for t in c.facts.penalties)):
        assert "‰" in text_of(c)


def test_the_whole_price_paid_at_once_is_one_installment_of_100_percent(monkeypatch):
    for c in forced(monkeypatch, "at_once", rate=1.0):
        [payment] = c.record.payments
        assert (payment.percent, payment.amount) == (1, None)
        assert "一次性支付全部合同款" in text_of(c)
        assert not {"payments_total", "payment_percent"} & {f.check for f in c.record.findings}


def test_yearly_fees_are_never_summed_against_the_total(monkeypatch):
    contracts = forced(monkeypatch, "yearly", rate=1.0, count=12)
    for c in contracts:
        [payment] = c.record.payments
        years = c.facts.term.months // 12
        assert c.facts.term.months % 12 == 0
        assert D(payment.amount) == cents(c.facts.total / years) and payment.percent is None
        assert "每年度开始后" in text_of(c) and "当年度服务费" in text_of(c)
        assert "payments_total" not in {f.check for f in c.record.findings}
    assert any(c.facts.term.months > 12 for c in contracts)


def test_letter_spaced_title_and_party_lines_come_out_as_the_words(monkeypatch):
    for c in forced(monkeypatch, "spaced_title", "spaced_parties"):
        lines = text_of(c).splitlines()
        title = next(line for line in lines if line.strip())
        assert title == " ".join(squeezed(c.record.contract.title)) and c.record.contract.title == c.facts.title
        client = c.record.parties[0].name
        assert any(line.endswith(" ".join(client)) for line in lines)


# -- layout families: each is drawn, and its text and truth agree --------------------------

def readable(c) -> bool:
    """Text whose figures and sentences can be searched as written."""
    return not c.style.text.fullwidth_share and not c.style.text.prose_width


def test_every_family_appears_over_a_batch_and_leaves_other_contracts_as_they_were(clean, monkeypatch):
    seen = Counter()
    for c in clean:
        seen.update(layout_families(c))
    assert set(seen) == set(FAMILY_CHANCES)
    assert all(count < len(clean) / 4 for count in seen.values())  # each one modest
    untouched = [c for c in clean if not layout_families(c)]
    assert len(untouched) > len(clean) / 3
    for name in FAMILY_CHANCES:
        monkeypatch.setitem(FAMILY_CHANCES, name, 0.0)
    for c in untouched[:60]:
        again = generate(11, int(c.stem[4:]), 0.0)
        assert again.record == c.record and text_of(again) == text_of(c), c.stem


def test_quantity_only_order_tables_state_quantities_and_the_truth_no_prices(monkeypatch):
    contracts = forced(monkeypatch, "quantity_table", "header_splits", "short_section", rate=1.0, count=6)
    for c in contracts:
        rec, f, columns = c.record, c.facts, c.style.columns
        assert columns == ("seq", "class", "service", "spec", "periods", "unit", "basis", "quantity")
        tables = [b for b in blocks(c, Table) if b.price]
        rows = [row for t in tables for row in t.rows[1:]]
        sections = [row for row in rows if not row[columns.index("quantity")]]
        items = [dict(zip(columns, row)) for row in rows if row[columns.index("quantity")]]
        assert [row[:2] for row in sections] == [[SECTION_ROW_NUMERALS[n], name] for n, name in
                                                 enumerate(dict.fromkeys(t.section for t in rec.line_items))]
        assert all(not any(row[2:]) for row in sections)
        assert [t.seq for t in rec.line_items] == list(range(1, len(items) + 1))
        for cell, item, truth in zip(items, f.items, rec.line_items):
            assert re.fullmatch(r"\d\.\d+", cell["seq"]) and cell["service"] == truth.service
            assert truth.unit_price is None and truth.amount is None and truth.normalized.unit_price_month is None
            assert truth.price_basis == "month" and cell["basis"].replace(" ", "").endswith("·月")
            assert cell["unit"] == truth.billing_unit == item.unit_text
            assert D(cell["periods"]) == D(truth.periods) and D(cell["quantity"]) == D(truth.quantity)
            assert D(truth.normalized.quantity) == item.quantity * item.unit.factor
            assert truth.normalized.unit == item.unit.base
        assert not {"line_amount", "items_total", "subtotals_total"} & {x.check for x in rec.findings}
        assert D(rec.contract.total_amount) == sum(i.computed() for i in f.items)  # the unstated amounts
        assert len({t.periods for t in rec.line_items}) == 2 and max(t.periods for t in rec.line_items) == \
            f.term.months  # one later section is served fewer months
    headers = {t.rows[0][c.style.columns.index(kind)] for c in contracts for t in blocks(c, Table) if t.price
               for kind in HEADER_SPLITS}
    assert headers & {split for splits in HEADER_SPLITS.values() for split in splits}
    assert any(len([t for t in blocks(c, Table) if t.price]) > 1 for c in contracts)  # a table per section


def test_a_total_broken_down_in_prose_lists_every_part_nested_ones_in_document_order(monkeypatch):
    contracts = forced(monkeypatch, "fee_breakdown", rate=1.0, count=10, where=readable)
    for c in contracts:
        rec, f = c.record, c.facts
        text = squeezed(text_of(c))
        assert "本合同项下服务费总额为人民币" in text
        assert [(s.label, D(s.amount)) for s in rec.subtotals] == [(p.label, p.amount) for p in f.parts]
        stated = [text.index(squeezed(f"{p.label}为人民币{amount(p.amount, c.style.number_format)}元"))
                  for p in f.parts]
        assert stated == sorted(stated) and text.index("其中：（1）") < stated[0]
        tops = [j for j, p in enumerate(f.parts) if p.parent is None]
        assert sum(D(rec.subtotals[j].amount) for j in tops) == D(rec.contract.total_amount)
        for j, part in enumerate(f.parts):
            nested = [k for k, p in enumerate(f.parts) if p.parent == j]
            if nested:  # right after their part, and adding up to it
                assert nested == list(range(j + 1, j + 1 + len(nested)))
                assert sum(D(rec.subtotals[k].amount) for k in nested) == D(rec.subtotals[j].amount)
                assert sorted(i for k in nested for i in f.parts[k].items) == sorted(part.items)
        assert sorted(i for j in tops for i in f.parts[j].items) == list(range(len(rec.line_items)))
        assert not {"items_total", "subtotals_total"} & {x.check for x in rec.findings}
    assert any(p.parent is not None for c in contracts for p in c.facts.parts)
    assert any(len([p for p in c.facts.parts if p.parent is None]) == 3 for c in contracts)


def test_a_cap_restated_with_another_figure_is_a_restated_amount_finding_on_its_part(monkeypatch):
    def cap_finding(c) -> bool:
        return any(x.subject.startswith("subtotals") for x in c.record.findings)

    changed = forced(monkeypatch, "fee_breakdown", "part_cap", rate=1.0, count=3,
                     where=lambda c: readable(c) and cap_finding(c))
    same = forced(monkeypatch, "fee_breakdown", "part_cap", rate=1.0, count=3,
                  where=lambda c: readable(c) and not cap_finding(c))
    for c in changed + same:
        f = c.facts
        j = f.capped_part
        part = f.parts[j]
        text = squeezed(text_of(c))
        caps = re.findall(r"最终结算金额不得超过([\d,.]+)元", text)
        assert [D(x) for x in caps] == [part.amount, part.cap_later]
        stating = [n for n, b in enumerate(c.document.blocks) if "最终结算金额不得超过" in getattr(b, "text", "")]
        assert len(stating) == 2 and c.document.blocks[stating[0]].text.startswith(("其中：（1）", "（2）", "（3）"))
        assert any(isinstance(b, Heading) and b.level == 1 for b in c.document.blocks[stating[0]:stating[1]])
        findings = [x for x in c.record.findings if x.subject == f"subtotals[{j}]"]
        if c in same:
            assert part.cap_later == part.amount and not findings
        else:
            assert findings == [Finding(check="restated_amount", subject=f"subtotals[{j}]",
                                        expected=float(part.amount), found=float(part.cap_later))]
            assert "contract.total_amount" not in {x.subject for x in c.record.findings if x.check == "restated_amount"}


def test_installments_by_share_of_the_total_or_of_a_part(monkeypatch):
    for c in forced(monkeypatch, "share_installments", rate=1.0, count=6, where=readable):
        text, nf = text_of(c), c.style.number_format
        assert f"分期支付（{len(c.record.payments)}次）" in text
        for k, (truth, inst) in enumerate(zip(c.record.payments, c.facts.installments), start=1):
            count = inst.percent * 100
            share = cn_number(int(count)) if c.style.rate_form == "chinese" else plain(count)
            assert f"所占总合同金额百分之{share}" in text
            if truth.amount is not None:
                assert f"第{k}次分期支付金额为{amount(inst.amount, nf)}元" in text
            assert truth.percent == float(inst.percent) and inst.part is None
    for c in forced(monkeypatch, "fee_breakdown", "part_installments", rate=1.0, count=8, where=readable):
        f, rec, text = c.facts, c.record, squeezed(text_of(c))
        assert f.installments[0].part is None and rec.payments[0].percent is not None
        [(k, inst)] = [(k, i) for k, i in enumerate(f.installments) if i.part is not None]
        part = f.parts[inst.part]
        assert k == 1 and D(rec.payments[k].amount) == cents(inst.percent * part.amount)
        assert f.installments[0].percent * f.total + inst.percent * part.amount <= f.total  # never over the total
        rate = percent(inst.percent) if c.style.rate_form != "chinese" else chinese_rate(inst.percent)
        assert f"支付{squeezed(part.label)}的{rate}" in text
        assert D(rec.payments[k].amount) != cents(inst.percent * f.total)  # not a share of the total
        for x in rec.findings:
            assert x.check != "payments_total" and x.subject != f"payments[{k}].amount"
        assert all(p.amount is None and p.percent is None for p in rec.payments[2:])
    payment_findings = [x for c in forced(monkeypatch, "fee_breakdown", "part_installments", rate=1.0, count=3,
                                          where=lambda c: any(x.check == "payment_percent" for x in c.record.findings))
                        for x in c.record.findings if x.check == "payment_percent"]
    assert {x.subject for x in payment_findings} == {"payments[0].amount"}


def test_penalty_families_state_their_rates_bases_and_fixed_sums(monkeypatch):
    contracts = forced(monkeypatch, "monthly_share_penalty", "fixed_penalty", "overdue_penalty", count=6,
                       where=readable)
    for c in contracts:
        keys = {(p.rate, p.base, p.per_day, p.cap_rate, p.fixed_amount) for p in c.record.penalties}
        text = text_of(c)
        for t in c.facts.penalties:
            assert t.place == "annex" or t.sentence in text
            written = {percent(t.rate), CN_FRACTIONS.get(t.rate), chinese_rate(t.rate)} if t.rate else set()
            if "当月服务费" in t.sentence:
                assert (float(t.rate), "monthly_fee", False, None, None) in keys
                assert any(f"当月服务费的{w}" in t.sentence for w in written if w)
            elif "拖欠款项" in t.sentence:
                assert (float(t.rate), "overdue_amount", True, float(t.cap_rate), None) in keys
                assert t.sentence.endswith(f"（违约金总额不超过合同总价的{percent(t.cap_rate)}）。")
                assert any(f"拖欠款项{w}的违约金" in t.sentence for w in written if w)
            elif re.search("扣除|罚金|万元赔偿", t.sentence):
                assert t.rate is None and t.base is None and (None, None, False, None, float(t.fixed_amount)) in keys
                figure = f"{plain(t.fixed_amount / 10000)}万元" if "万元" in t.sentence else f"{t.fixed_amount}元"
                assert figure in t.sentence
    sentences = " ".join(t.sentence for c in contracts for t in c.facts.penalties)
    assert all(word in sentences for word in ("扣减当月服务费的", "扣除", "罚金", "万元赔偿", "每迟延一日"))


def test_rows_priced_per_year_in_a_note_column(monkeypatch):
    contracts = forced(monkeypatch, "yearly_note", count=6)
    for c in contracts:
        columns, months = c.style.columns, c.facts.term.months
        [table] = [b for b in blocks(c, Table) if b.price]
        notes = {row[columns.index("service")]: row[columns.index("note")] for row in table.rows[1:]}
        for item, truth in zip(c.facts.items, c.record.line_items):
            if not item.note_form:
                continue
            assert notes[item.name] == f"单位：{truth.billing_unit}/年；服务期限：{months}个月。"
            assert truth.billing_unit in ("套", "台") and truth.price_basis == "year"
            assert truth.periods == months // 12 and months % 12 == 0
            assert D(truth.normalized.unit_price_month) == round(D(truth.unit_price) / 12, 6)
            assert D(truth.amount) == D(truth.unit_price) * D(truth.quantity) * D(truth.periods)
    assert any(c.facts.term.months == 12 for c in contracts)  # 服务期限：12个月 is one year
    assert {c.style.layout for c in contracts} == {"order_form", "remarks"}


def test_gbk_files_decode_with_gb18030(tmp_path):
    contract = next(c for c in (generate(11, i) for i in range(1, 200)) if c.style.text.encoding == "gb18030")
    [path] = write_contract(contract, tmp_path, ("txt",))
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert contract.record.contract.title in raw.decode("gb18030")


def test_pdf_has_the_text_and_the_scan_only_images(tmp_path):
    import pdfplumber

    contract = generate(11, 2)
    pdf, scan = write_contract(contract, tmp_path, ("pdf", "scan"))
    assert (pdf.name, scan.name) == ("syn_0002_text.pdf", "syn_0002_scan.pdf")
    with pdfplumber.open(pdf) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
        pages = len(doc.pages)
    squeezed = "".join(text.split())
    assert "".join(contract.record.contract.title.split()) in squeezed
    assert "".join(contract.record.parties[1].name.split()) in squeezed
    with pdfplumber.open(scan) as doc:
        assert len(doc.pages) == pages
        assert all(not (page.extract_text() or "").strip() and page.images for page in doc.pages)
    for path in (pdf, scan):
        truth = json.loads((tmp_path / "truth" / (path.stem + ".json")).read_text(encoding="utf-8"))
        assert truth["document"] == path.name


def test_samples_command_writes_sources_and_truths(tmp_path):
    result = CliRunner().invoke(app, ["samples", "--count", "3", "--out", str(tmp_path), "--seed", "4",
                                      "--inject-errors", "0.5"])
    assert result.exit_code == 0, result.output
    truths = sorted((tmp_path / "truth").glob("*.json"))
    assert [t.name for t in truths] == ["syn_0001.json", "syn_0002.json", "syn_0003.json"]
    for t in truths:
        assert (tmp_path / json.loads(t.read_text(encoding="utf-8"))["document"]).is_file()
    bad = CliRunner().invoke(app, ["samples", "--out", str(tmp_path), "--formats", "docx"])
    assert bad.exit_code != 0


def test_committed_samples_have_truths_for_every_source():
    truths = sorted((SAMPLES / "truth").glob("*.json"))
    assert truths, "samples/ is empty: run the command in samples/README.md"
    kinds = Counter()
    for t in truths:
        record = ContractRecord.model_validate_json(t.read_text(encoding="utf-8"))
        source = SAMPLES / record.document
        assert source.is_file() and source.stem == t.stem
        kinds[source.suffix] += 1
        kinds["errors"] += bool(record.findings)
        kinds["catalogue"] += all(i.quantity is None for i in record.line_items)
    assert kinds[".txt"] and kinds[".pdf"] and kinds["errors"] and kinds["catalogue"]
    assert any(not _utf8(p) for p in SAMPLES.glob("*.txt"))


def _utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
