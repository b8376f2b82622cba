"""Extractor: quantities restated in the body ("云主机 vCPU 共 1200 核、内存 2400GB").

A figure with a unit in a body sentence is matched to the one price row whose
service and base unit it names; the cross-check compares the two after unit
normalization. A figure that could belong to several rows is left alone. Units and
words live in extractors/vocab/restatements.toml.
"""
from __future__ import annotations

import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import Optional

import regex

from extractors.common import prose_lines, sentences
from extractors.lexicon import alternation, load
from extractors.statements import Statement
from extractors.values.units import read_unit
from pipeline.document import ContractDoc

PIECE = regex.compile(r"[、，,；;：:]")
# A figure right after another figure is part of a number (an account "6222 0000 1111"), no quantity.
FIGURE_BEFORE = regex.compile(r"\d[\s\d]*$")
# The restating words must hold a letter or a Han character that names something.
NAMING = regex.compile(r"[\p{Han}A-Za-z]")
MIN_NAMED_CHARS = 2
BRACKETED = regex.compile(r"[(（][^()（）]*(?:[)）]|$)")
MIN_SIMILARITY = 0.8
MIN_MARGIN = 0.15


@lru_cache(maxsize=None)
def patterns() -> dict[str, regex.Pattern]:
    spec = load("restatements")
    return {
        "quantity": regex.compile(
            r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>" + alternation(spec["quantity_units"]) + r")(?![A-Za-z\d]|"
            + alternation(spec["time_words"]) + r")"),
        "lead": regex.compile(alternation(spec["service_verbs"] + spec["lead_words"])),
        "qualifiers": [regex.compile(alternation(group["words"]), regex.IGNORECASE) for group in spec["qualifiers"]],
        "sum": regex.compile(r"^(?:\s*(?:" + alternation(spec["sum_words"]) + r"))+|(?:(?:"
                             + alternation(spec["sum_words"]) + r")\s*)+$"),
    }


def extract(doc: ContractDoc) -> ContractDoc:
    items = doc.record.line_items
    found: list[tuple[int, Statement]] = []
    if not any(item.quantity is not None for item in items):
        doc.statements.restated_quantities = found
        return doc
    for sentence in sentences(doc, prose_lines(doc, ("preamble", "clause"))):
        text = sentence.text
        if "%" in text:
            continue
        previous_end = 0
        for match in patterns()["quantity"].finditer(text):
            if FIGURE_BEFORE.search(text, 0, match.start()):
                continue
            # the words naming a quantity start after the last separator, or after the
            # quantity before it when OCR lost the separator between them
            start = max([m.end() for m in PIECE.finditer(text, previous_end, match.start())], default=previous_end)
            previous_end = match.end()
            context = text[start:match.start()]
            reading = read_unit(match.group("n") + match.group("u"), context)
            if reading is None:
                continue
            index = matching_item(doc, context, _counted_base(context, match.group("u"), reading.base))
            if index is None:
                continue
            found.append((index, Statement(Decimal(reading.count), sentence.sub(match.start(), match.end()))))
    doc.statements.restated_quantities = found
    return doc


def matching_item(doc: ContractDoc, context: str, base: str) -> Optional[int]:
    """The one price row in the quantity's base unit that the restating words name, or
    None when the pairing is doubtful.

    Being the only row in that unit is not enough: the body may count something the
    table lists under another name, or not at all ("负载均衡 6 个" beside a row of
    public IPs, both counted in IP). Rows of another kind (service_units in units.toml)
    or with a conflicting qualifier ("政务外网" against "互联网") are never the one.
    Among the others, a row is named when its service holds the words (MIN_SIMILARITY,
    clearly ahead of the next row by MIN_MARGIN), or when it is the only row of the
    named kind and shares a kind word with them ("公网 IP 地址" for "互联网 IP 地址").
    """
    named = _compact(_service_words(context))
    if len(named) < MIN_NAMED_CHARS or not NAMING.search(named):
        return None
    named_kind = _kind(named)
    candidates = []
    for i, item in enumerate(doc.record.line_items):
        if item.normalized.unit != base or not item.service:
            continue  # a row whose quantity is unknown still competes: it may be the one named
        service = _compact(_core(item.service))
        kind = _kind(_compact(item.service))
        if named_kind and kind and named_kind[0] != kind[0] or _conflicting(named, service):
            continue
        candidates.append((_similarity(named, service), i, kind))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0], reverse=True)
    best_score, best, _ = candidates[0]
    if best_score >= MIN_SIMILARITY and (len(candidates) == 1 or best_score - candidates[1][0] >= MIN_MARGIN):
        return _counted(doc, best)
    if named_kind is None:
        return None
    same_kind = [(i, kind) for _, i, kind in candidates if kind and kind[0] == named_kind[0]]
    if len(same_kind) == 1 and same_kind[0][1][1] & named_kind[1]:
        return _counted(doc, same_kind[0][0])
    return None


def _counted(doc: ContractDoc, index: int) -> Optional[int]:
    """The row, when its quantity is known."""
    return index if doc.record.line_items[index].normalized.quantity is not None else None


def _counted_base(context: str, unit: str, base: str) -> str:
    """"防护站点 3 个": a bare 个 counts the unit noun right before the figure (站点 → site)."""
    if unit != "个":
        return base
    tail = _compact(context)
    for word, counted in _count_nouns():
        if tail.endswith(word):
            return counted
    return base


@lru_cache(maxsize=None)
def _count_nouns() -> tuple[tuple[str, str], ...]:
    """Unit nouns of two or more Han characters (units.toml counts), longest first."""
    counts = load("units")["counts"]
    words = [w for w in counts if len(w) >= 2 and regex.fullmatch(r"\p{Han}+", w)]
    return tuple((w, counts[w]) for w in sorted(words, key=len, reverse=True))


def _kind(text: str) -> Optional[tuple[int, frozenset[str]]]:
    """The kind of service compact words name: the first service_units rule (units.toml)
    whose words they hold, with the words of it they hold."""
    for number, words in enumerate(_kind_words()):
        held = frozenset(word for word in words if word in text)
        if held:
            return number, held
    return None


@lru_cache(maxsize=None)
def _kind_words() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_compact(word) for word in rule["words"]) for rule in load("units")["service_units"])


def _conflicting(named: str, service: str) -> bool:
    """Whether the words and the service carry different qualifiers of one group
    ("互联网带宽" and "政务外网带宽"): then they name different things."""
    for pattern in patterns()["qualifiers"]:
        mine = set(pattern.findall(named))
        theirs = set(pattern.findall(service))
        if mine and theirs and not any(a in b or b in a for a in mine for b in theirs):
            return True
    return False


def _service_words(context: str) -> str:
    """The words naming the service: what follows the last verb or lead word ("上述"),
    without 共/合计 around them."""
    named = patterns()["lead"].split(context)[-1].strip()
    return patterns()["sum"].sub("", named).strip()


def _core(service: str) -> str:
    """A row's service name without the specification in brackets ("普通存储（IOPS 不低于 1500）"
    names 普通存储): the body names the thing, not its figures."""
    core = BRACKETED.sub("", service)
    return core if NAMING.search(core) else service


def _compact(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return regex.sub(r"[\s\-—_()（）]", "", text)


def _similarity(named: str, service: str) -> float:
    """How much of the restating words the service name holds: the mean of the
    shares of their characters and of their character pairs."""
    if not named:
        return 0.0
    chars = sum(1 for ch in named if ch in service) / len(named)
    pairs = {named[i:i + 2] for i in range(len(named) - 1)}
    pair_share = sum(1 for p in pairs if p in service) / len(pairs) if pairs else chars
    return (chars + pair_share) / 2
