"""Value normalization: 大写 money amounts.

Parses Chinese uppercase (大写) money strings such as ``人民币（大写）壹万零伍元整``
into exact ``Decimal`` 元 amounts, formats amounts back into the standard
financial 大写 form, finds 大写 amounts in running text, and reads figures
written in 万元 (``12.5 万元``).

Design note (wrap vs replace): this module replaces ``cn2an`` for money
parsing instead of wrapping it. ``cn2an`` rejects several legal 大写 forms
(叁仟元零伍分, 叁仟元伍分, a trailing 分整, a 人民币 prefix, 贰万元 in strict
mode), returns floats, which are inexact for large amounts with 角/分, and
costs about 20 µs per call before any pre- or post-processing. The 大写
grammar is small and fixed, so a table-driven scanner that works in integer
分 and checks where 零 may stand is simpler to get right, exact, and takes a
few µs per call.
"""

from decimal import Decimal, InvalidOperation

import regex

from extractors.lexicon import load

_DIGITS: dict[str, int] = {
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}
_DIGIT_CHARS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS: dict[str, int] = {"拾": 1, "佰": 2, "仟": 3}
_SMALL_UNIT_CHARS = ("", "拾", "佰", "仟")
_POW10 = tuple(10**i for i in range(16))
_MAX_AMOUNT = Decimal(10) ** 16
_CENT = Decimal("0.01")

# Lowercase numerals and simplified / traditional variants, folded to the
# canonical 大写 characters before parsing (always applied).
_VARIANTS = str.maketrans({
    "一": "壹", "二": "贰", "两": "贰", "三": "叁", "四": "肆", "五": "伍",
    "六": "陆", "七": "柒", "八": "捌", "九": "玖", "〇": "零",
    "十": "拾", "百": "佰", "千": "仟", "萬": "万", "億": "亿",
    "貳": "贰", "參": "叁", "陸": "陆", "圆": "元", "圓": "元",
})

OCR_CONFUSIONS: dict[str, str] = load("ocr_terms")["capital_numerals"]
"""Known OCR misreadings of 大写 characters (extractors/vocab/ocr_terms.toml), applied
only with ``lenient=True``."""

_LENIENT = str.maketrans(OCR_CONFUSIONS)

# Prefixes such as 人民币, （大写）, (大写), 大写:, 人民币（大写）：, in any order.
_PREFIX = regex.compile(r"(?:人民币|RMB|[（(]大写[）)]|大写|[:：])*")

_AMOUNT = regex.compile(
    r"(?:(?P<int>[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]+)元)?"
    r"(?:(?P<jz>零)?(?P<jiao>[零壹贰叁肆伍陆柒捌玖])角)?"
    r"(?:(?P<fz>零)?(?P<fen>[零壹贰叁肆伍陆柒捌玖])分)?"
    r"[整正]?"
)

CN_MONEY_CHARS = "零壹贰叁肆伍陆柒捌玖拾佰仟万萬亿元圆角分整正"
CAPITAL_LOOK_ALIKE = regex.compile(
    f"(?<=[{CN_MONEY_CHARS}])[{''.join(OCR_CONFUSIONS)}](?=[{CN_MONEY_CHARS}])")
"""A character OCR reads for a 大写 money character, standing between two of them."""
_SPACES = " \t\u3000"
CN_AMOUNT_PATTERN = regex.compile(
    f"(?=[{CN_MONEY_CHARS}])"  # fail at once where no 大写 character stands (linear over long blank runs)
    f"(?=[{CN_MONEY_CHARS}{_SPACES}]*?[零壹贰叁肆伍陆柒捌玖拾])"
    f"(?=[{CN_MONEY_CHARS}{_SPACES}]*?[元圆角分])"
    f"[{CN_MONEY_CHARS}](?:[{_SPACES}]*[{CN_MONEY_CHARS}])*"
)
"""Candidate 大写 amounts in running text: a run of 大写 money characters
(spaces allowed between them) holding at least one numeral and one of 元/圆/角/分."""

def _parse_int(s: str) -> int | None:
    """Value of the 元 part (canonical characters), or None if malformed.

    Each numeral becomes an item ``[digit, exponent, after_zero, bare]``;
    exponents must strictly decrease, a 零 must mark a skipped position, and a
    numeral without its own 拾/佰/仟 unit must follow the next-higher position
    or a 零 (so 壹仟伍元, colloquially 1500, is rejected as ambiguous).
    """
    if s == "零":
        return 0
    done: list[list] = []
    group: list[list] = []
    section: list[list] = []
    digit: int | None = None
    zero = False
    for c in s:
        d = _DIGITS.get(c)
        if d is not None:
            if digit is not None:
                return None
            digit = d
        elif c == "零":
            if digit is not None or zero or not (section or group or done):
                return None
            zero = True
        elif c in _SMALL_UNITS:
            e = _SMALL_UNITS[c]
            if digit is None:
                if c != "拾" or zero or section or group or done:
                    return None
                digit = 1
            if section and section[-1][1] <= e:
                return None
            section.append([digit, e, zero, False])
            digit, zero = None, False
        else:  # 万 or 亿: the caller's pattern admits nothing else
            if digit is None:
                if zero:
                    return None
            else:
                section.append([digit, 0, zero, True])
                digit, zero = None, False
            if c == "万":
                if not section:
                    return None
                for item in section:
                    item[1] += 4
                group += section
            else:
                group += section
                if not group:
                    return None
                for item in group:
                    item[1] += 8
                done += group
                group = []
            section = []
    if digit is not None:
        section.append([digit, 0, zero, True])
    elif zero:
        return None
    items = done + group + section
    if not items:
        return None
    total = 0
    prev: int | None = None
    for d, e, after_zero, bare in items:
        if prev is not None:
            if e >= prev:
                return None
            gap = prev - e > 1
            if (after_zero and not gap) or (bare and gap and not after_zero):
                return None
        total += d * _POW10[e]
        prev = e
    return total


def with_capitals_put_right(text: str) -> str:
    """The text with each look-alike that stands between two 大写 money characters read
    as the 大写 character it stands for (捌任贰佰 → 捌仟贰佰)."""
    return CAPITAL_LOOK_ALIKE.sub(lambda match: OCR_CONFUSIONS[match.group()], text)


def parse_cn_amount(text: str, lenient: bool = False) -> Decimal | None:
    """Amount in 元 (a Decimal with two places) spelled by a 大写 money string.

    Accepts 人民币/（大写）/大写: prefixes, 元 or 圆, 角, 分, a trailing 整/正,
    lowercase numerals and simplified/traditional unit variants. With
    ``lenient=True`` the OCR misreadings in ``OCR_CONFUSIONS`` are corrected
    first. Returns None for anything that is not a well-formed amount; never
    raises.
    """
    if not isinstance(text, str):
        return None
    s = "".join(text.split())
    s = s[_PREFIX.match(s).end():]
    if lenient:
        s = s.translate(_LENIENT)
    s = s.translate(_VARIANTS)
    m = _AMOUNT.fullmatch(s)
    if m is None:
        return None
    int_part, jz, jiao, fz, fen = m.group("int", "jz", "jiao", "fz", "fen")
    if int_part is None and jiao is None and fen is None:
        return None
    if (jiao == "零" and fen in (None, "零")) or (fen == "零" and jiao is None):
        return None  # a 零角 needs a real 分 after it, a 零分 a real 角 before it
    if fz is not None and jiao is not None:
        return None
    if jz is not None and (int_part is None or jiao == "零"):
        return None
    yuan = 0
    if int_part is not None:
        parsed = _parse_int(int_part)
        if parsed is None:
            return None
        yuan = parsed
    if jz is not None and yuan % 10:
        return None  # 元零叁角 only when the 元 digit is zero
    cents = yuan * 100
    if jiao is not None:
        cents += _DIGIT_CHARS.index(jiao) * 10
    if fen is not None:
        cents += _DIGIT_CHARS.index(fen)
    return Decimal(cents).scaleb(-2)


def _to_cents(value: Decimal | float | int | str) -> int:
    """Whole number of 分 in ``value``; ValueError unless exact to the 分."""
    try:
        if isinstance(value, float):
            d = Decimal(repr(value))
        elif isinstance(value, str):
            d = Decimal(value.strip().replace(",", ""))
        else:
            d = Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not d.is_finite() or d < 0 or d >= _MAX_AMOUNT:
        raise ValueError(f"amount out of range [0, 10^16): {value!r}")
    if d != d.quantize(_CENT):
        raise ValueError(f"amount not exact to the 分: {value!r}")
    return int(d * 100)


def _format_int(n: int) -> str:
    """大写 numeral for a positive integer below 10^16 (no 元)."""
    digits = str(n)
    top = len(digits) - 1
    out: list[str] = []
    zero = False
    for i, ch in enumerate(digits):
        e = top - i
        d = ord(ch) - 48
        if d:
            if zero:
                out.append("零")
                zero = False
            out.append(_DIGIT_CHARS[d])
            out.append(_SMALL_UNIT_CHARS[e % 4])
        else:
            zero = True
        if e == 8:
            out.append("亿")
        elif e in (4, 12) and digits[max(0, i - 3):i + 1].strip("0"):
            out.append("万")
    return "".join(out)


def format_cn_amount(value: Decimal | float | int | str) -> str:
    """Standard financial 大写 form of an amount in 元.

    Convention (GB/T banking style): the integer part uses 亿/万 groups with
    壹拾 (never a bare 拾) and one 零 for each run of skipped positions
    (壹拾万零叁仟元); integer amounts end in 元整, zero is 零元整; amounts below
    1 元 omit 零元 (伍分, 叁角伍分); 角 follows 元 without 零 (壹佰元叁角) and
    no 整 is added after 角 or 分; a 分 without 角 is written 元零伍分.
    Floats are read through their repr. Raises ValueError for negative,
    non-finite or sub-分 values and for amounts of 10^16 元 or more.
    """
    cents = _to_cents(value)
    if cents == 0:
        return "零元整"
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    parts: list[str] = []
    if yuan:
        parts.append(_format_int(yuan) + "元")
    if jiao:
        parts.append(_DIGIT_CHARS[jiao] + "角")
    if fen:
        parts.append(("零" if yuan and not jiao else "") + _DIGIT_CHARS[fen] + "分")
    if not rest:
        parts.append("整")
    return "".join(parts)


def find_cn_amounts(text: str) -> list[tuple[int, int, Decimal]]:
    """(start, end, value) of every parseable 大写 amount in ``text``.

    The span covers the amount itself, not a 人民币（大写） prefix.
    """
    found: list[tuple[int, int, Decimal]] = []
    for m in CN_AMOUNT_PATTERN.finditer(text):
        value = parse_cn_amount(m.group())
        if value is not None:
            found.append((m.start(), m.end(), value))
    return found
