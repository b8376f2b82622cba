"""Fuzzing the extractor with mutated contracts: never a traceback, never a pathological case.

Mutations splice long runs (digits, tabs, brackets, 大写 characters, labels) and random
text into a real-looking contract, or cut it anywhere. The extractor must return a
record or refuse the input with an `InputError`; a mutated contract stays within the
deadline. How time grows with size is tests/test_linear_time.py's job; absolute speed on
a megabyte is a benchmark's, not a timed test's.
"""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.language import extract_text

CONTRACT = (Path(__file__).parent / "layouts" / "clause_installments_counted.txt").read_text(encoding="utf-8")
PIECES = ["1", "\t", " ", "（", "）", "元", "壹", "%", ".", ",", "：", "甲方：", "合计", "违约金", "第一条 ", "\n",
          "单价", "|", "万元", "¥"]
DEADLINE_MS = 5000


@st.composite
def mutated(draw) -> str:
    text = CONTRACT
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["run", "noise", "cut"]))
        if kind == "run":
            piece = draw(st.sampled_from(PIECES)) * draw(st.integers(1, 5000))
            text = text[:at] + piece + text[at:]
        elif kind == "noise":
            text = text[:at] + draw(st.text(min_size=1, max_size=200)) + text[at:]
        else:
            text = text[:at]
    return text


@settings(max_examples=60, deadline=DEADLINE_MS, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_contracts_give_a_record_or_a_clear_refusal(text):
    try:
        record = extract_text(text, "fuzz.txt").record
    except InputError as err:
        assert err.message
        return
    assert record.to_json_dict()["schema_version"] == 1


@settings(max_examples=10, deadline=None)
@given(st.sampled_from(PIECES), st.integers(1, 8))
def test_a_megabyte_of_one_piece_repeated_gives_a_record_or_a_refusal(piece, stride):
    filler = (piece * stride + "合同 ") * (1_000_000 // (len(piece) * stride + 3))
    try:
        extract_text(filler, "big.txt")
    except InputError:
        pass


def test_figures_too_long_to_be_amounts_give_a_warning_not_a_traceback():
    for digits in (23, 400):
        figure = "9" * digits
        doc = extract_text(f"服务合同\n甲方：某局\n乙方：某公司\n本合同总价为人民币{figure}元。\n"
                           f"序号\t服务\t单价\t数量\t金额\n1\t云主机\t{figure}\t2\t{figure}\n", "long.txt")
        assert doc.record.contract.total_amount is None
        assert any("too long to be an amount" in w for w in doc.warnings)
