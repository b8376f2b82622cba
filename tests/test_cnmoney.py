"""Tests for extractors.values.cnmoney (大写 money amounts)."""

import itertools
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.values.cnmoney import (
    CN_AMOUNT_PATTERN,
    OCR_CONFUSIONS,
    find_cn_amounts,
    format_cn_amount,
    parse_cn_amount,
)
from extractors.values.numbers import MONEY, money_end, money_value

D = Decimal

PARSE_CASES = [
    # plain forms, 元/圆, 整/正
    ("壹佰元整", D("100")),
    ("壹佰圆整", D("100")),
    ("壹佰元正", D("100")),
    ("壹佰元", D("100")),
    ("零元整", D("0")),
    ("柒元", D("7")),
    # prefixes
    ("人民币壹佰元整", D("100")),
    ("人民币（大写）壹佰元整", D("100")),
    ("人民币(大写)：壹佰元整", D("100")),
    ("（大写）人民币壹佰元整", D("100")),
    ("(大写)壹佰元整", D("100")),
    ("大写:壹佰元整", D("100")),
    ("大写：壹佰元整", D("100")),
    ("  人民币 （大写） 壹 佰 元 整 ", D("100")),
    # 角 / 分 / 整 after them
    ("捌拾陆元叁角", D("86.3")),
    ("捌拾陆元叁角贰分", D("86.32")),
    ("捌拾陆元叁角整", D("86.3")),
    ("捌拾陆元叁角贰分整", D("86.32")),
    ("叁角伍分", D("0.35")),
    ("伍角", D("0.5")),
    ("伍分", D("0.05")),
    ("伍分整", D("0.05")),
    ("零元伍分", D("0.05")),
    ("零元零伍分", D("0.05")),
    ("叁仟元零伍分", D("3000.05")),
    ("叁仟元伍分", D("3000.05")),
    ("叁仟元零伍分整", D("3000.05")),
    ("壹仟陆佰捌拾元零叁角贰分", D("1680.32")),
    ("壹仟陆佰捌拾元叁角贰分", D("1680.32")),
    ("壹佰元零角伍分", D("100.05")),
    ("壹佰元伍角零分", D("100.5")),
    # 零 in every legal place
    ("壹万零伍元", D("10005")),
    ("壹仟零伍拾元", D("1050")),
    ("壹仟零伍元", D("1005")),
    ("壹佰零伍元", D("105")),
    ("壹拾万零叁仟元", D("103000")),
    ("壹拾万叁仟元", D("103000")),
    ("贰万元", D("20000")),
    ("贰万元整", D("20000")),
    ("贰万零叁佰元", D("20300")),
    ("伍万零捌拾元", D("50080")),
    ("壹佰万零壹仟零壹元零壹分", D("1001001.01")),
    ("壹佰万壹仟零壹元", D("1001001")),
    ("壹亿零伍佰万元", D("105000000")),
    ("壹亿零伍万元", D("100050000")),
    ("壹亿零伍元", D("100000005")),
    ("壹亿元伍角", D("100000000.5")),
    ("壹万元零伍分", D("10000.05")),
    ("柒佰零贰万叁仟零捌拾元伍角", D("7023080.5")),
    ("玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分", D("999999999999.99")),
    ("壹万亿元整", D("1000000000000")),
    ("壹万贰仟亿零叁元", D("1200000000003")),
    # 拾 at the start
    ("拾元", D("10")),
    ("拾伍元", D("15")),
    ("拾伍万元", D("150000")),
    ("拾亿元", D("1000000000")),
    ("壹拾伍万元", D("150000")),
    # lowercase numerals and variants
    ("一百二十三元", D("123")),
    ("两万元", D("20000")),
    ("二万零五元", D("20005")),
    ("十五元五角", D("15.5")),
    ("三千元零五分", D("3000.05")),
    ("壹萬元整", D("10000")),
    ("贰千叁百肆十元", D("2340")),
    ("叁億元", D("300000000")),
    ("陆佰圆整", D("600")),
]

NONE_CASES = [
    "",
    "   ",
    "元",
    "元整",
    "整",
    "人民币",
    "人民币（大写）",
    "壹佰",  # no 元/角/分
    "合同金额",
    "abc",
    "100元",
    "壹佰元整abc",
    "壹佰元元",
    "壹壹元",
    "零伍元",  # leading 零
    "壹仟零零伍元",  # doubled 零
    "壹仟零元",  # trailing 零
    "壹仟零伍佰元",  # 零 that marks no gap
    "壹仟伍元",  # ambiguous (colloquially 1500)
    "壹万伍元",  # ambiguous (colloquially 15000)
    "壹佰拾元",  # bare 拾 not at the start
    "伍拾佰元",  # units out of order
    "伍万叁万元",  # repeated 万
    "壹亿贰亿元",
    "壹万零亿伍元",  # 零 directly before a 万/亿
    "壹亿零万元",
    "亿元",
    "万元",
    "壹佰元零角",  # 零角 with nothing after
    "壹佰元零零分",
    "壹佰元零分",
    "壹角零伍分",  # 零 between 角 and 分
    "壹佰零伍元零伍角",  # 元零角 only when the 元 digit is 0
    "伍分伍角",
    "伍角伍角",
    "伍元整伍角",
    "参仟元",  # OCR confusions need lenient=True
    "壹什元",
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES)
def test_parse_cn_amount(text: str, expected: Decimal) -> None:
    value = parse_cn_amount(text)
    assert value == expected
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize("text", NONE_CASES)
def test_parse_cn_amount_rejects(text: str) -> None:
    assert parse_cn_amount(text) is None


@pytest.mark.parametrize("bad", [None, 123, b"\xe5\xa3\xb9\xe5\x85\x83", ["壹元"]])
def test_parse_cn_amount_non_str_is_none(bad: object) -> None:
    assert parse_cn_amount(bad) is None  # type: ignore[arg-type]


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from("零壹贰叁伍拾佰仟万亿元圆角分整正一十百两萬什参人民币大写（）:： x1"), max_size=16))
def test_parse_cn_amount_never_raises(text: str) -> None:
    value = parse_cn_amount(text)
    lenient = parse_cn_amount(text, lenient=True)
    for v in (value, lenient):
        assert v is None or parse_cn_amount(format_cn_amount(v)) == v
    if value is not None:
        assert lenient == value


FORMAT_CASES = [
    (0, "零元整"),
    (D("0.05"), "伍分"),
    (D("0.3"), "叁角"),
    (D("0.35"), "叁角伍分"),
    (1, "壹元整"),
    (10, "壹拾元整"),
    (15, "壹拾伍元整"),
    (100, "壹佰元整"),
    (105, "壹佰零伍元整"),
    (1050, "壹仟零伍拾元整"),
    (20000, "贰万元整"),
    (D("10000.05"), "壹万元零伍分"),
    (103000, "壹拾万零叁仟元整"),
    (D("1001001.01"), "壹佰万零壹仟零壹元零壹分"),
    (D("1680.32"), "壹仟陆佰捌拾元叁角贰分"),
    (D("100000000.5"), "壹亿元伍角"),
    (105000000, "壹亿零伍佰万元整"),
    (100000005, "壹亿零伍元整"),
    (D("7023080.5"), "柒佰零贰万叁仟零捌拾元伍角"),
    (D("5120487.26"), "伍佰壹拾贰万零肆佰捌拾柒元贰角陆分"),
    (7023080.5, "柒佰零贰万叁仟零捌拾元伍角"),
    ("7,023,080.50", "柒佰零贰万叁仟零捌拾元伍角"),
    (1200000000003, "壹万贰仟亿零叁元整"),
    (D("9999999999999999.99"), "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize(("value", "expected"), FORMAT_CASES)
def test_format_cn_amount(value: Decimal | float | int | str, expected: str) -> None:
    assert format_cn_amount(value) == expected
    assert parse_cn_amount(expected) == D(str(value).replace(",", ""))


@pytest.mark.parametrize("bad", [-1, D("0.001"), 0.1 + 0.2, "abc", "", D("NaN"), float("inf"), 10**16, None])
def test_format_cn_amount_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        format_cn_amount(bad)  # type: ignore[arg-type]


@settings(max_examples=3000, deadline=None)
@given(st.decimals(min_value=D("0.01"), max_value=D("999999999999.99"), places=2))
def test_round_trip_hypothesis(value: Decimal) -> None:
    assert parse_cn_amount(format_cn_amount(value)) == value


_LOWERCASE = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟元", "一二三四五六七八九十百千圆")


@settings(max_examples=500, deadline=None)
@given(st.decimals(min_value=D("0.01"), max_value=D("999999999999.99"), places=2))
def test_round_trip_lowercase_variants(value: Decimal) -> None:
    text = format_cn_amount(value).translate(_LOWERCASE)
    assert parse_cn_amount("人民币（大写）" + text) == value


def _sweep_cents() -> list[int]:
    """Deterministic amounts in 分: dense small values, sparse digit patterns, random zero masks."""
    cents = [n * 100 + (n * 37) % 100 for n in range(10000)]
    for k in (1, 2, 3):
        for positions in itertools.combinations(range(12), k):
            for digit_of in (lambda p: 1, lambda p: p % 9 + 1):
                yuan = sum(digit_of(p) * 10**p for p in positions)
                cents.extend(yuan * 100 + c for c in (0, 1, 10, 11, 99))
    rng = random.Random(20240601)
    for _ in range(10000):
        width = rng.randrange(1, 13)
        digits = [rng.randrange(1, 10)] + [rng.randrange(1, 10) if rng.random() < 0.5 else 0 for _ in range(width - 1)]
        cents.append(int("".join(map(str, digits))) * 100 + rng.choice((0, 0, 5, 30, 47)))
    return cents


def test_round_trip_sweep() -> None:
    cents = _sweep_cents()
    assert len(cents) >= 20000
    edges = ("10000.05", "100000000.5", "1001001.01", "20000", "100000.1", "10100100.01")
    for c in cents + [int(D(edge) * 100) for edge in edges]:
        value = D(c).scaleb(-2)
        text = format_cn_amount(value)
        assert parse_cn_amount(text) == value, (value, text)


def test_find_cn_amounts_in_sentence() -> None:
    text = "本合同总价款（含税）为：人民币（大写）柒佰零贰万叁仟零捌拾元伍角（小写：¥ 7023080.5 元）"
    found = find_cn_amounts(text)
    assert len(found) == 1
    start, end, value = found[0]
    assert text[start:end] == "柒佰零贰万叁仟零捌拾元伍角"
    assert value == D("7023080.5")


def test_find_cn_amounts_several_and_spaced() -> None:
    text = "首付款 贰万 零伍佰圆整，尾款伍仟元零伍分；第叁条 其他约定。"
    found = find_cn_amounts(text)
    assert [(text[s:e], v) for s, e, v in found] == [
        ("贰万 零伍佰圆整", D("20500")),
        ("伍仟元零伍分", D("5000.05")),
    ]


@pytest.mark.parametrize("text", ["", "第叁条 甲方义务", "壹、总则", "元元元", "金额：壹仟伍元整"])
def test_find_cn_amounts_none(text: str) -> None:
    assert find_cn_amounts(text) == []


def test_pattern_requires_digit_and_unit() -> None:
    assert CN_AMOUNT_PATTERN.search("整元角分") is None
    assert CN_AMOUNT_PATTERN.search("伍佰万") is None
    assert CN_AMOUNT_PATTERN.search("为拾元").group() == "拾元"


LENIENT_CASES = [
    ("参仟元", D("3000")),
    ("壹什零伍元", D("1005")),
    ("贡拾元", D("20")),
    ("武佰元整", D("200")),
    ("起万元", D("20000")),
    ("人民币（大写）参拾武万零陆元伍角", D("320006.5")),
]


@pytest.mark.parametrize(("text", "expected"), LENIENT_CASES)
def test_parse_cn_amount_lenient(text: str, expected: Decimal) -> None:
    assert parse_cn_amount(text, lenient=True) == expected
    assert parse_cn_amount(text) is None


@pytest.mark.parametrize("text", ["人民币（大写）参拾武万零什元", "参参元", "壹起元", "abc"])
def test_parse_cn_amount_lenient_rejects(text: str) -> None:
    assert parse_cn_amount(text, lenient=True) is None


def test_ocr_confusion_table() -> None:
    assert set("什任参贡武起") <= set(OCR_CONFUSIONS)
    assert set(OCR_CONFUSIONS.values()) <= set("壹贰叁肆伍陆柒捌玖拾佰仟万")
    assert not set(OCR_CONFUSIONS) & set(OCR_CONFUSIONS.values())


@pytest.mark.parametrize(
    "text, expected, cited",
    [
        ("合同总金额：人民币贰拾万元整（¥201600.00）", D("201600.00"), "201600.00"),
        ("即 100800 元", D("100800"), "100800"),
        ("金额为 37.205419 万元，", D("372054.19"), "37.205419 万元"),
        ("¥8.8万元", D("88000"), "8.8万元"),
        ("人民币：¥ 1843129.06", D("1843129.06"), "1843129.06"),
    ],
)
def test_money_figures_in_sentences(text: str, expected: Decimal, cited: str) -> None:
    match = MONEY.search(text)
    assert money_value(match) == expected
    assert text[match.start("n"):money_end(match)] == cited


@pytest.mark.parametrize("text", ["第12条", "12个月", "不少于 5 个工作日", "99.99%"])
def test_numbers_that_are_not_money(text: str) -> None:
    assert MONEY.search(text) is None
