"""The review pages' small parts: marking a value in its snippet, check descriptions, number display."""
from __future__ import annotations

from pipeline.document import ContractDoc
from pipeline.review.descriptions import CHECKS, describe
from pipeline.review.formatting import difference, figure, show
from pipeline.review.snippets import cited_text, excerpt, mark
from schemas.record import CHECK_CODES


def cited(raw: str, value: str):
    """The evidence `ContractDoc.cite` records for the first `value` in `raw`."""
    doc = ContractDoc(name="t.txt", raw=raw)
    start = raw.index(value)
    doc.cite("x", doc.span(start, start + len(value)))
    return doc.evidence["x"]


def test_a_value_is_marked_where_the_source_states_it():
    raw = "服务费总计 合同总价 1,234.50 元。" + "其余条款" * 20
    evidence = cited(raw, "1,234.50")
    assert mark(evidence.snippet, evidence.start, evidence.end).value == "1,234.50"


def test_collapsed_whitespace_and_full_width_digits_are_found_by_value():
    raw = "前文" * 20 + "单价\t\t\t  １６５９.００   数量  4\n\n\n金额 72996.00" + "后文" * 20
    evidence = cited(raw, "１６５９.００")
    marked = mark(evidence.snippet, evidence.start, evidence.end, 1659.0)
    assert marked.value == "１６５９.００" and marked.before.endswith("单价 ")
    assert mark(evidence.snippet, evidence.start, evidence.end, None) is None  # no value: not guessed
    dated = cited("前文" * 20 + "自  2025年1月15日  起" + "后文" * 20, "2025年1月15日")
    assert mark(dated.snippet, dated.start, dated.end, "2025-01-15").value == "2025年1月15日"


def test_a_quantity_is_never_marked_inside_a_larger_figure():
    # collapsing the spaces puts the 1 inside 312752.00 nearer the quantity's uncollapsed place than the quantity
    raw = "前文" * 20 + "服务器数量" + " " * 10 + "1 套 312752.00 元" + "后文" * 20
    start = raw.index("1 套")
    doc = ContractDoc(name="t.txt", raw=raw)
    doc.cite("x", doc.span(start, start + 1))
    evidence = doc.evidence["x"]
    marked = mark(evidence.snippet, evidence.start, evidence.end, 1)
    assert marked.value == "1" and marked.before.endswith("数量 ") and marked.after.startswith(" 套 312752.00")
    alone = "前文" * 20 + "金额   312752.00 元" + "后文" * 20  # the only 1 is inside a figure: none marked
    doc = ContractDoc(name="t.txt", raw=alone)
    inside = alone.index("312752") + 2
    doc.cite("y", doc.span(inside, inside + 1))
    assert mark(doc.evidence["y"].snippet, inside, inside + 1, 1) is None


def test_a_snippet_at_the_end_of_the_text_is_marked_by_value():
    raw = "前文" * 20 + "金额合计  3127.50 元"
    evidence = cited(raw, "3127.50")
    assert mark(evidence.snippet, evidence.start, evidence.end) is None  # not guessed without the value
    marked = mark(evidence.snippet, evidence.start, evidence.end, 3127.5)
    assert marked.value == "3127.50" and marked.after == " 元"


def test_with_the_text_the_exact_span_is_marked_with_the_lines_around_it():
    raw = "第一条 服务内容\n第二条 金额 312752.00 元\n第三条 数量 1 套\n第四条 单价 1 元\n第五条 其他\n第六条 附则"
    start = raw.index("数量 1") + 3
    marked = excerpt(raw, start, start + 1)
    assert marked == ("第二条 金额 312752.00 元\n第三条 数量 ", "1", " 套\n第四条 单价 1 元")
    assert cited_text(raw, "unused", start, start + 1) == marked
    assert excerpt(raw, len(raw), len(raw) + 2) is None  # a span from another version of the file
    assert cited_text(None, None, start, start + 1) is None


def test_every_check_code_has_a_description():
    assert set(CHECKS) == set(CHECK_CODES)
    assert describe("new_check").name == "new_check"


def test_numbers_read_with_separators_and_signed_differences():
    assert figure("79632.0") == "79,632" and figure("869299.2") == "869,299.20" and figure("0.001") == "0.001"
    assert figure("2025-01-15") == "2025-01-15" and figure(None) == "—" and figure("nan") == "nan"
    assert difference("79632.0", "72996.0") == "−6,636" and difference("1", "x") is None
    assert show("2024001") == "2024001" and show(12) == "12" and show(None) == "—"
