"""The contract generator: determinism, variety, and true records that are valid,
consistent, and whose planted findings are exactly what the arithmetic gives."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.values.cnmoney import parse_cn_amount
from pipeline.cli import app
from pipeline.synth.generate import generate, write_contract
from pipeline.synth.render_text import render_text
from schemas import ContractRecord

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BATCH = 240


def D(value) -> Decimal:
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
        if item.quantity is not None and item.periods is not None:
            add("line_amount", f"line_items[{i}]",
                cents(D(item.unit_price) * D(item.quantity) * D(item.periods)), item.amount)
    total = rec.contract.total_amount
    priced = [i for i in items if i.amount is not None]
    if rec.subtotals:
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
        if p.percent is not None and p.amount is not None:
            add("payment_percent", f"payments[{k}].amount", cents(D(p.percent) * D(total)), p.amount)
    if pays and all(p.amount is not None and p.percent is None for p in pays):
        add("payments_total", "payments", total, sum(D(p.amount) for p in pays))
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
            if item["price_basis"] in ("time", "piece"):
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
                                       "unit", "wrap", "signature", "header", "contract_no")}
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
    assert set(seen["layout"]) == {"order_form", "detail", "full", "grouped", "remarks",
                                   "catalogue_coded", "catalogue_plain"}
    assert set(seen["format"]) == {"tab", "pipe", "spaces"}
    assert set(seen["numbers"]) == {"plain", "fixed2", "thousands"}
    assert set(seen["sections"]) == {"none", "rows", "cell_first", "cell_middle"}
    assert set(seen["subtotals"]) == {None, "row", "row_next_line"}
    assert set(seen["total"]) == {None, "row", "row_next_line", "after_table"}
    assert set(seen["encoding"]) == {"utf-8", "gb18030"}
    assert set(seen["fullwidth"]) == {True, False}
    assert len(seen["roles"]) == 6
    assert set(seen["scheme"]) == {"percent_amount", "amount_only", "percent_only", "usage"}
    assert set(seen["term"]) == {"relative", "one_year", "plain", "dates", "dates_term"}
    assert set(seen["basis"]) == {"month", "year", "time", "piece"}
    assert set(seen["base"]) >= {"contract_total", "monthly_fee", "overdue_amount", "service_fee",
                                 "settlement_fee", "unpaid_part", None}
    assert {"gb", "100gb", "tb", "mb", "gbps", "pflops", "gpu", "rack", "channel"} <= set(seen["unit"])
    assert set(seen["wrap"]) == {True, False}
    assert set(seen["signature"]) == {"lines", "table"}
    assert set(seen["header"]) == {"none", "contract_no", "logo"}
    assert set(seen["contract_no"]) == {"stated", "blank", "absent"}


def test_text_states_what_the_record_holds(clean):
    for c in clean:
        opts = c.style.text
        if opts.wrap_width or opts.fullwidth_share:
            continue
        text = render_text(c.document, opts)
        rec = c.record
        assert rec.contract.title in text
        for party in rec.parties:
            for value in (party.name, party.representative, party.address, party.contact_person, party.phone,
                          party.bank_name, party.tax_id):
                assert value is None or value in text, (c.stem, value)
            if party.bank_account:
                assert party.bank_account in text.replace(" ", "")
        for item in rec.line_items:
            assert item.service in text, (c.stem, item.service)
        if rec.contract.total_amount_in_words:
            assert rec.contract.total_amount_in_words in text


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
