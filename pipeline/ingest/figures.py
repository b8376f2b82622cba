"""Figure shape checks on OCR tokens: digit groupings no printed amount can have.

A faded comma read as a period turns "204,739.20" into "204.739.20", a lost digit
or a speck turns "1,234.00" into "1,2345.00" or "276,48". Such a figure is
impossible as printed, so what the recognizer read cannot be trusted: its glyphs'
confidence is lowered to `DOUBTFUL_FIGURE_CONFIDENCE`, below the resolver's
low-confidence threshold, so that a finding built on it is a warning, never an
error. One misreading is unambiguous and put right as well: periods between
three-digit groups before a final decimal part ("204.739.20") are commas.
Dates ("2024.3.18"), version numbers and lists ("1,2,3") are left alone.
"""
from __future__ import annotations

import re

from pipeline.ingest.layout import Glyph, Token

DOUBTFUL_FIGURE_CONFIDENCE = 0.5   # below pipeline.resolve.LOW_CONFIDENCE (0.80)
FIGURE = re.compile(r"\d[\d,.]*\d")
GROUP_SIZE = 3
PERIODS_FOR_COMMAS = re.compile(r"\d{1,3}(?:\.\d{3})+\.\d{1,2}")   # "204.739.20": 204,739.20
MIN_GROUPED_DIGITS = 3             # a comma after a group shorter than this everywhere is a list


def is_impossible(figure: str) -> bool:
    """Whether the separators and digit groups of `figure` cannot be a printed number."""
    if "," in figure:
        head, _, decimals = figure.partition(".")
        groups = head.split(",")
        if "." in decimals or "," in decimals:
            return True
        if max(len(g) for g in groups) < MIN_GROUPED_DIGITS:
            return False
        return len(groups[0]) > GROUP_SIZE or any(len(g) != GROUP_SIZE for g in groups[1:])
    return PERIODS_FOR_COMMAS.fullmatch(figure) is not None


def repaired(figure: str) -> str:
    """The figure with an unambiguous misreading put right, else unchanged."""
    if PERIODS_FOR_COMMAS.fullmatch(figure):
        head, _, decimals = figure.rpartition(".")
        return head.replace(".", ",") + "." + decimals
    return figure


def check_figures(token: Token) -> Token:
    """The token with impossible figures repaired where that is unambiguous and
    their glyphs' confidence lowered."""
    glyphs = list(token.glyphs)
    if len("".join(g.char for g in glyphs)) != len(glyphs):   # a ligature glyph: offsets would not line up
        return token
    changed = False
    for match in FIGURE.finditer(token.text):
        figure = match.group()
        if not is_impossible(figure):
            continue
        changed = True
        for offset, char in enumerate(repaired(figure), match.start()):
            old = glyphs[offset]
            conf = DOUBTFUL_FIGURE_CONFIDENCE if old.conf is None else min(old.conf, DOUBTFUL_FIGURE_CONFIDENCE)
            glyphs[offset] = Glyph(char, old.box, conf)
    return Token(glyphs) if changed else token
