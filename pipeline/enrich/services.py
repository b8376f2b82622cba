"""Normalized service names and service categories for price-table rows.

OCR spaces, full-width digits and bracket styles split one service into many
spellings ("普通存储（IOPS 不低于 1500）", "普通存储(IOPS不低于1500)",
"普通 存储（IOPS 不低于 １５００）"). `describe_service` gives them one name and puts
the service in a category (compute, memory, storage, bandwidth, GPU, security,
software, operations, other), so that unit prices compare across contracts.

The normalized name is NFKC-folded (full-width → half-width), brackets are "(" and
")", dashes "-", known Latin terms are respelled ("vCP U" → "vCPU", see `terms`),
and a space is kept only between two Latin letters or digits ("SSL VPN",
"Windows Server"), never next to a Chinese character, a bracket or a punctuation
mark, nor between a figure and its unit ("2.5 GHz" → "2.5GHz").

Words (brackets, terms, category keywords, unit hints) live in
extractors/vocab/services.toml; this module is generic.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex

from extractors.lexicon import load

__all__ = ["CATEGORIES", "category_of", "describe_service", "normalize_service"]

WHITESPACE = regex.compile(r"\s+")
#: A space next to anything that is not a Latin letter or digit (Chinese, brackets, punctuation).
LOOSE_SPACE = regex.compile(r" (?=[^A-Za-z0-9])|(?<=[^A-Za-z0-9]) ")
#: A figure and the Latin unit after it ("2.5 GHz", "512 GB").
FIGURE_UNIT_SPACE = regex.compile(r"(?<=\d) (?=[A-Za-z])")
#: A bracketed part, innermost first (the name's qualifiers: "（IOPS不低于1500）").
BRACKETED = regex.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class _Vocab:
    brackets: dict[int, str]
    terms: Optional[regex.Pattern]
    term_spelling: dict[str, str]
    categories: tuple[tuple[str, regex.Pattern], ...]
    unit_categories: dict[str, str]
    gb_memory: Optional[regex.Pattern]
    gb_memory_category: str
    gb_other_category: str
    resource: frozenset[str]
    fallback: str


def _squash(word: str) -> str:
    """A vocabulary word in the form it is matched in (NFKC, no spaces)."""
    return WHITESPACE.sub("", unicodedata.normalize("NFKC", word))


def _keywords(words: list[str]) -> Optional[regex.Pattern]:
    """Words as one pattern: case-insensitive, Latin words only as whole words."""
    if not words:
        return None
    def bounded(word: str) -> str:
        head = r"(?<![A-Za-z])" if word[:1].isascii() and word[:1].isalpha() else ""
        tail = r"(?![A-Za-z])" if word[-1:].isascii() and word[-1:].isalpha() else ""
        return head + regex.escape(word) + tail
    squashed = sorted({_squash(w) for w in words if _squash(w)}, key=len, reverse=True)
    return regex.compile("|".join(bounded(w) for w in squashed), regex.IGNORECASE)


@lru_cache(maxsize=None)
def _vocab() -> _Vocab:
    spec = load("services")
    norm = spec.get("normalize", {})
    brackets: dict[int, str] = {}
    for ch in norm.get("open_brackets", []):
        brackets[ord(ch)] = "("
    for ch in norm.get("close_brackets", []):
        brackets[ord(ch)] = ")"
    for ch in norm.get("dashes", []):
        brackets[ord(ch)] = "-"
    terms = [t for t in norm.get("terms", []) if t]
    term_pattern = None
    if terms:
        spaced = [r"\s*".join(regex.escape(ch) for ch in t) for t in sorted(set(terms), key=len, reverse=True)]
        term_pattern = regex.compile(r"(?<![A-Za-z])(?:" + "|".join(spaced) + r")(?![A-Za-z])", regex.IGNORECASE)
    categories = tuple((c["name"], _keywords(c.get("keywords", []))) for c in spec.get("categories", []))
    units = spec.get("units", {})
    gb = units.get("GB", {})
    resolve = spec.get("resolve", {})
    return _Vocab(
        brackets=brackets,
        terms=term_pattern,
        term_spelling={t.lower(): t for t in terms},
        categories=tuple((name, pattern) for name, pattern in categories if pattern is not None),
        unit_categories={k: v for k, v in units.items() if isinstance(v, str)},
        gb_memory=_keywords(gb.get("memory_words", [])),
        gb_memory_category=gb.get("memory", "memory"),
        gb_other_category=gb.get("otherwise", "storage"),
        resource=frozenset(resolve.get("resource_categories", [])),
        fallback=resolve.get("fallback", "other"),
    )


#: The category names, in priority order, as the vocabulary lists them (plus the fallback).
def _category_names() -> tuple[str, ...]:
    vocab = _vocab()
    names = [name for name, _ in vocab.categories]
    return tuple(names + ([vocab.fallback] if vocab.fallback not in names else []))


CATEGORIES: tuple[str, ...] = _category_names()


def normalize_service(name: Optional[str]) -> Optional[str]:
    """The service name in its one normalized spelling; None for None or a blank name."""
    if name is None:
        return None
    vocab = _vocab()
    text = unicodedata.normalize("NFKC", name).translate(vocab.brackets)
    text = WHITESPACE.sub(" ", text).strip()
    if vocab.terms is not None:
        text = vocab.terms.sub(lambda m: vocab.term_spelling[WHITESPACE.sub("", m.group()).lower()], text)
    text = LOOSE_SPACE.sub("", text)
    text = FIGURE_UNIT_SPACE.sub("", text)
    return text or None


def _name_category(name: str) -> Optional[str]:
    """The first category (by priority) whose keywords the name says: outside brackets first."""
    main = name
    while True:
        stripped = BRACKETED.sub("", main)
        if stripped == main:
            break
        main = stripped
    for text in (main, name):
        for category, pattern in _vocab().categories:
            if pattern.search(text):
                return category
    return None


def _unit_category(name: str, unit: Optional[str]) -> Optional[str]:
    if not unit:
        return None
    vocab = _vocab()
    unit = unit.strip()
    if unit == "GB":
        if vocab.gb_memory is not None and vocab.gb_memory.search(name):
            return vocab.gb_memory_category
        return vocab.gb_other_category
    return vocab.unit_categories.get(unit)


def category_of(normalized_name: Optional[str], unit: Optional[str] = None) -> str:
    """The category of an already normalized name, with the normalized unit as a hint.

    The name's keywords decide, except that a unit that stands for a category (vCPU,
    TFLOPS, Mbps, GB …) overrides a resource category (compute, memory, storage,
    bandwidth) or a name that names none.
    """
    vocab = _vocab()
    name = normalized_name or ""
    by_name = _name_category(name) if name else None
    by_unit = _unit_category(name, unit)
    if by_unit is not None and (by_name is None or by_name in vocab.resource):
        return by_unit
    return by_name or vocab.fallback


def describe_service(name: Optional[str], unit: Optional[str] = None) -> tuple[Optional[str], str]:
    """(normalized service name, category) of a price-table row's service.

    `unit` is the row's normalized unit (`normalized.unit`: vCPU, GB, Mbps, TFLOPS …),
    used as a hint: vCPU → compute, TFLOPS → GPU, Mbps → bandwidth, GB → memory when the
    name says 内存, else storage. A None or blank name gives (None, category from the unit
    or "other").
    """
    normalized = normalize_service(name)
    return normalized, category_of(normalized, unit)
