"""Value normalization: billing units and price bases to SCHEMA.md's base units.

A billing unit as written ("100GB", "1 TB", "1Mb 带宽", "1 个云主机", "1P") is
split into a count and a unit name; measures (storage, bandwidth, compute) are
converted with pint, count-like units map to fixed base names. The vocabulary
lives in extractors/vocab/units.toml.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional

import regex

from extractors.lexicon import alternation, load


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


def read_unit(written: str, context: str = "", tb_is_1024: bool = False) -> Optional[UnitReading]:
    """Parse a billing unit; `context` (service words) settles ambiguous names."""
    text = written.strip()
    match = _unit_pattern().match(text)
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
    base = table["counts"].get(name)
    if base is None:
        return None
    if base == "item":
        base = service_unit(context) or "item"
    return UnitReading(text, count, base)


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
    return regex.compile(r"元?\s*/\s*(?P<basis>" + alternation(list(load("units")["bases"])) + r")")


def read_basis(text: str) -> Optional[str]:
    """month, year, time or piece from '元/月', '/年', '元/次' and the like."""
    match = _basis_pattern().search(text)
    if not match:
        return None
    return load("units")["bases"][match.group("basis")]
