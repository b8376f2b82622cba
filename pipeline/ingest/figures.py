"""Figure shape checks on OCR tokens: digit groupings no printed amount can have.

A faded comma read as a period turns "204,739.20" into "204.739.20", a lost digit
or a speck turns "1,234.00" into "1,2345.00" or "276,48". Such a figure is
impossible as printed, so what the recognizer read cannot be trusted: its glyphs'
confidence is lowered to `DOUBTFUL_FIGURE_CONFIDENCE`, below the resolver's
low-confidence threshold, so that a finding built on it is a warning, never an
error. One misreading is unambiguous and put right as well: periods between
three-digit groups before a final decimal part ("204.739.20", "27,492.567.00") are
commas; when the first group is longer than three digits ("27492.567.00"), the comma
that split it was lost as well, and the periods are dropped ("27492567.00"); a
comma before the last two digits, where no period follows ("3,65", "1,234,56"), is a
decimal point (a faint period reads as a comma).
Dates ("2024.3.18"), version numbers and lists ("1,2,3") are left alone.
"""
from __future__ import annotations

import re

from pipeline.ingest.layout import Glyph, Token

DOUBTFUL_FIGURE_CONFIDENCE = 0.5   # below pipeline.resolve.LOW_CONFIDENCE (0.80)
FIGURE = re.compile(r"\d[\d,.]*\d")
GROUP_SIZE = 3
PERIODS_FOR_COMMAS = re.compile(r"\d{1,3}(?:[.,]\d{3})*\.\d{3}(?:[.,]\d{3})*\.\d{1,2}")  # "204.739.20",
                                                                    # "27,492.567.00": commas
PERIODS_LOST_COMMAS = re.compile(r"\d{4,}(?:[.,]\d{3})+\.\d{1,2}")  # "27492.567.00": 27492567.00
COMMA_FOR_PERIOD = re.compile(r"\d{1,3}(?:,\d{3})*,\d{2}")  # "3,65", "1,234,56": the last comma a period
MIN_GROUPED_DIGITS = 3             # a comma after a group shorter than this everywhere is a list


def is_impossible(figure: str) -> bool:
    """Whether the separators and digit groups of `figure` cannot be a printed number."""
    if COMMA_FOR_PERIOD.fullmatch(figure):
        return True
    if "," in figure:
        head, _, decimals = figure.partition(".")
        groups = head.split(",")
        if "." in decimals or "," in decimals:
            return True
        if max(len(g) for g in groups) < MIN_GROUPED_DIGITS:
            return False
        return len(groups[0]) > GROUP_SIZE or any(len(g) != GROUP_SIZE for g in groups[1:])
    return any(p.fullmatch(figure) for p in (PERIODS_FOR_COMMAS, PERIODS_LOST_COMMAS))


def repaired(figure: str) -> list[str]:
    """For each character of the figure, what it reads as with an unambiguous
    misreading put right ("" where a character goes)."""
    commas = PERIODS_FOR_COMMAS.fullmatch(figure) is not None
    if commas or PERIODS_LOST_COMMAS.fullmatch(figure):
        separator = "," if commas else ""
        last = figure.rindex(".")
        return [separator if ch in ".," and i < last else ch for i, ch in enumerate(figure)]
    if COMMA_FOR_PERIOD.fullmatch(figure):
        last = figure.rindex(",")
        return [("." if i == last else ch) for i, ch in enumerate(figure)]
    return list(figure)


def check_figures(token: Token) -> Token:
    """The token with impossible figures repaired where that is unambiguous and
    their glyphs' confidence lowered."""
    glyphs = list(token.glyphs)
    if len("".join(g.char for g in glyphs)) != len(glyphs):   # a ligature glyph: offsets would not line up
        return token
    impossible = [m for m in FIGURE.finditer(token.text) if is_impossible(m.group())]
    if not impossible:
        return token
    out: list[Glyph] = []
    done = 0
    for match in impossible:
        out += glyphs[done:match.start()]
        for old, char in zip(glyphs[match.start():match.end()], repaired(match.group())):
            if char:
                conf = DOUBTFUL_FIGURE_CONFIDENCE if old.conf is None else min(old.conf, DOUBTFUL_FIGURE_CONFIDENCE)
                out.append(Glyph(char, old.box, conf))
        done = match.end()
    return Token(out + glyphs[done:])
