"""Extraction time grows linearly with the input, whatever its content.

Each case is run at two sizes; a pattern that rescans a run of digits, tabs or
brackets from every position (quadratic) takes ~16x as long at 4x the size, a
linear one ~4x. The bound of 8x leaves room for noise and fixed costs.
"""
from __future__ import annotations

import time

import pytest

from pipeline.errors import InputError
from pipeline.language import extract_text

MAX_GROWTH = 8.0
CASES = {
    "digits after a word": lambda n: "合同 " + "1" * n,
    "tabs after a penalty word": lambda n: "违约金" + "\t" * n,
    "open brackets": lambda n: "（" * n,
    "a total label before digits": lambda n: "合同总价为人民币" + "9" * n,
    "percent signs": lambda n: "税率" + "1%" * n,
}


def seconds(text: str) -> float:
    started = time.perf_counter()
    try:
        extract_text(text, "p.txt")
    except InputError:
        pass
    return time.perf_counter() - started


@pytest.mark.parametrize("name", CASES)
def test_time_grows_linearly(name):
    make = CASES[name]
    seconds(make(100))  # warm the caches and compiled patterns
    small, large = seconds(make(10000)), seconds(make(40000))
    assert large <= MAX_GROWTH * max(small, 0.02), (name, small, large)
