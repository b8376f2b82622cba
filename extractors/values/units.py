"""Value normalization: billing units and price bases to SCHEMA.md's base units.

A billing unit as written ("100GB", "1 TB", "1Mb 带宽", "1 个云主机", "1P") is
split into a count and a unit name; measures (storage, bandwidth, compute) are
converted with pint, count-like units map to fixed base names. Price bases are
read from 元/月, 元/年/套 or 元/100GB·月 (the unit priced before the period). A
table cell's kind (number, period, basis, unit or text) comes from the same
readers. The vocabulary lives in extractors/vocab/units.toml.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional

import regex

from extractors.lexicon import alternation, load
from extractors.values.numbers import parse_plain_number

#: A count of periods in a cell: "12个月", "8 次", "3年".
PERIOD_CELL = regex.compile(r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>个月|月|年|次|期|天|个季度|季度)$")
#: A price basis in words only: "每月", "按年".
BASIS_WORDS = regex.compile(r"^(?:每|按)(?:月|年|次)$")
#: A figure followed by its price basis: "7000元/月", "¥12 元/GB".
PRICE_WITH_BASIS = regex.compile(r"^\s*[¥￥]?\s*(?P<n>\d+(?:\.\d+)?)\s*元?\s*/\s*[^\d\s]{1,8}$")
#: The unit a price is per, after 元/: "元/套", "元 / 1 台".
PER_UNIT = regex.compile(r"^(?:元|人民币)\s*/\s*(?P<unit>[^/]{1,12})$")


@dataclass(frozen=True)
class UnitReading:
    """A billing unit: `count` base units per billing unit, named `base`."""

    written: str
    count: Decimal
    base: str


@lru_cache(maxsize=None)
def _registry():
    import pint
    registry = pint.UnitRegistry()
    registry.define("FLOPS = [compute]")
    return registry


@lru_cache(maxsize=None)
def conversion_factor(source: str, target: str) -> Decimal:
    """How many `target` units one `source` unit is (pint expressions)."""
    registry = _registry()
    magnitude = registry.Quantity(1, source).to(target).magnitude
    return Decimal(repr(round(magnitude, 9))).normalize()


@lru_cache(maxsize=None)
def _unit_pattern() -> regex.Pattern:
    table = load("units")
    names: list[str] = list(table["counts"])
    for measure in table["measures"].values():
        names.extend(measure["names"])
    return regex.compile(
        r"^(?P<n>\d+(?:\.\d+)?)?\s*个?\s*(?P<unit>" + alternation(names) + r")(?P<rest>\s*(?:\(.{0,12}\)|带宽|互联网|内网|/[^\d]{0,6})?)\s*$")


def measure_for(name: str, context: str) -> Optional[str]:
    """Which measure (storage, bandwidth, compute) a unit name means here."""
    table = load("units")
    candidates = [m for m, spec in table["measures"].items() if name in spec["names"]]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    hints = table["measure_hints"]
    for measure in candidates:
        if any(word in context for word in hints.get(measure, [])):
            return measure
    return candidates[0]


#: A space a text layer or OCR put inside a Latin unit name ("1 TFLO PS", "10 G B").
LATIN_SPLIT = regex.compile(r"(?<=[A-Za-z])\s+(?=[A-Za-z])")


def read_unit(written: str, context: str = "", tb_is_1024: bool = False) -> Optional[UnitReading]:
    """Parse a billing unit; `context` (service words) settles ambiguous names."""
    text = written.strip()
    match = _unit_pattern().match(text) or _unit_pattern().match(LATIN_SPLIT.sub("", text))
    if not match:
        return None
    count = Decimal(match.group("n")) if match.group("n") else Decimal(1)
    name = match.group("unit")
    table = load("units")
    measure = measure_for(name, context + " " + text)
    if measure is not None:
        spec = table["measures"][measure]
        factor = conversion_factor(spec["names"][name], spec["pint_base"])
        if tb_is_1024 and measure == "storage" and name.startswith("T"):
            factor = Decimal(1024)
        return UnitReading(text, count * factor, spec["base"])
    base = counted_base(name, context + " " + text)
    if base is None:
        return None
    if base == "item":
        base = service_unit(context) or "item"
    return UnitReading(text, count, base)


def counted_base(name: str, context: str) -> Optional[str]:
    """The base name of a count-like unit, read in its context where the unit counts
    different things ([count_hints]: 条 of messages, else of lines)."""
    for base, words in load("units").get("count_hints", {}).get(name, {}).items():
        if any(word in context for word in words):
            return base
    return load("units")["counts"].get(name)


@dataclass(frozen=True)
class ServiceUnit:
    base: str
    factor: Decimal


def service_unit(service: str) -> Optional[str]:
    found = service_unit_rule(service)
    return found.base if found else None


def service_unit_rule(service: str) -> Optional[ServiceUnit]:
    """The base unit a service is usually counted in (rows without a unit)."""
    compact = service.replace(" ", "")
    for rule in load("units")["service_units"]:
        if any(word.replace(" ", "") in compact for word in rule["words"]):
            return ServiceUnit(rule["unit"], Decimal(rule.get("factor", 1)))
    return None


@lru_cache(maxsize=None)
def _basis_pattern() -> regex.Pattern:
    """元/月, 元/年/套 and 元/100GB·月: the basis word, and the unit priced when one is written.
    OCR may drop the dot or read it as a dash (元/GB月, 元/ 台- 月)."""
    words = alternation(list(load("units")["bases"]))
    return regex.compile(
        r"(?P<lead>(?:元|人民币)?)\s*/\s*[(（]?\s*(?:"
        r"(?!(?:" + words + r")\s*[)）]?$)(?:(?P<unit>[^/·•・‧()（）\s，,；;。:：]{1,12}?)\s*[·•・‧\-－.．]"
        r"|(?P<unit>\d*\s*(?:[A-Za-z]{1,8}|\p{Han}{1,3})))\s*(?P<per>" + words + r")"
        r"|\d*\s*(?P<basis>" + words + r")(?:\s*/\s*(?P<after>[^/\s,，;；。()（）]{1,8}))?)\s*[)）]?")


def read_basis(text: str) -> Optional[str]:
    """month, year, time or piece from '元/月', '/年', '元/次', '元/100GB·月' and the like."""
    match = _basis_pattern().search(text)
    if not match:
        return None
    return load("units")["bases"][match.group("per") or match.group("basis")]


def basis_unit(text: str) -> Optional[tuple[int, int]]:
    """Where a basis cell names the unit priced ("台" in 元/台·月, "套" in 元/年/套 or 元/套)."""
    match = _basis_pattern().fullmatch(text.strip())
    if match is not None:
        group = "unit" if match.group("unit") else "after"
    else:
        match, group = PER_UNIT.match(text.strip()), "unit"
    if match is None or not match.group(group):
        return None
    offset = text.index(text.strip())
    return offset + match.start(group), offset + match.end(group)


def is_basis_cell(text: str) -> bool:
    """A cell that only states a price basis: 元/月, 每月, 元 /100GB·月, 元/套."""
    compact = text.replace(" ", "")
    if BASIS_WORDS.match(compact) or _basis_pattern().fullmatch(compact):
        return True
    match = PER_UNIT.match(compact)
    return match is not None and read_unit(match.group("unit")) is not None


def price_figure(text: str) -> Optional[Decimal]:
    """A cell's figure, also when a price basis follows it ("7000元/月")."""
    value = parse_plain_number(text)
    if value is None:
        match = PRICE_WITH_BASIS.match(text)
        if match:
            value = parse_plain_number(match.group("n"))
    return value


@lru_cache(maxsize=16384)
def cell_kind(text: str) -> str:
    """What a table cell holds: number, period, basis, unit or text."""
    if price_figure(text) is not None:
        return "number"
    if PERIOD_CELL.match(text):
        return "period"
    if is_basis_cell(text):
        return "basis"
    if read_unit(text) is not None:
        return "unit"
    return "text"
