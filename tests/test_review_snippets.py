"""The review pages' small parts: marking a value in its snippet, check descriptions, number display."""
from __future__ import annotations

from pipeline.document import ContractDoc
from pipeline.review.descriptions import CHECKS, describe
from pipeline.review.formatting import difference, figure, show
from pipeline.review.snippets import mark
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


def test_every_check_code_has_a_description():
    assert set(CHECKS) == set(CHECK_CODES)
    assert describe("new_check").name == "new_check"


def test_numbers_read_with_separators_and_signed_differences():
    assert figure("79632.0") == "79,632" and figure("869299.2") == "869,299.20" and figure("0.001") == "0.001"
    assert figure("2025-01-15") == "2025-01-15" and figure(None) == "—" and figure("nan") == "nan"
    assert difference("79632.0", "72996.0") == "−6,636" and difference("1", "x") is None
    assert show("2024001") == "2024001" and show(12) == "12" and show(None) == "—"
