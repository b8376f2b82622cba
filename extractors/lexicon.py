"""Loads the vocabulary tables in extractors/vocab/*.toml (labels, synonyms, units).

What to look for lives in those data files; the extractors stay generic. Tables
are read once per process and cached.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

VOCAB_DIR = Path(__file__).with_name("vocab")


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The parsed table `extractors/vocab/<name>.toml`."""
    with (VOCAB_DIR / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first."""
    import regex
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))
