"""OCR token cleanup: specks of dirt read as dots, doubtful marks, look-alikes.

Scans carry specks that the recognizer reads as "·", "." or "'", and table rules
or dirt at a line's end that it reads, with little confidence, as "-" or ")".
Such marks are dropped where a real one cannot stand (a dot between Chinese
characters, before a list number, after a number). Two look-alikes are put right:
a zero between capital letters is the letter O, and a "一" the recognizer is unsure
of is a dash. Decimal points, "1. 总则", "Co." and words like "O'Brien" are kept.
A Latin word that is no known technical word but becomes exactly one when look-alike
characters are swapped is that word ("10PS" → IOPS); the words and the look-alikes
live in extractors/vocab/ocr_terms.toml.
"""
from __future__ import annotations

import re
from functools import lru_cache

from extractors.lexicon import load
from pipeline.ingest.layout import Glyph, Token, is_wide

DOTS = set("·•˙`'_")             # read from specks of dirt; kept only inside a Latin word or a run
CLOSERS = set(")]）】》」")
DOUBTFUL_MARK_CONFIDENCE = 0.5   # punctuation read with less confidence at a line's end is dropped
DASH_CONFIDENCE = 0.7            # a "一" read with less confidence is a dash
LATIN_WORD = re.compile(r"[A-Za-z0-9]+")


def is_speck(char: str, left: str | None, right: str | None) -> bool:
    """A dot the scanner's dirt made: a "·", "'" or "_" not inside a Latin word or a
    run of its own kind, or a "." that starts a line, ends a number, or follows a
    Chinese character, a bracket or a slash ("元/.套月"; a decimal point, "1. 总则"
    and "Co." are kept)."""
    if char in DOTS:
        inside_word = bool(left and right and left.isascii() and left.isalnum() and right.isascii() and right.isalnum())
        return not (inside_word or char in (left, right))
    if char != ".":
        return False
    if left is None or (left.isdigit() and right is None):
        return True
    return is_wide(left) or left in CLOSERS or left == "/"


def is_doubtful_mark(glyph: Glyph) -> bool:
    """Punctuation the recognizer barely believes in (a speck or a rule read as "-", ")")."""
    return (glyph.conf is not None and glyph.conf < DOUBTFUL_MARK_CONFIDENCE
            and not glyph.char.isalnum() and not glyph.char.isspace())


def drop_specks(token: Token) -> Token:
    """The token without speck dots (neighbours are looked at past dropped dots) and
    without doubtful marks at its ends."""
    ink = [g for g in token.glyphs if not g.char.isspace()]
    dropped: set[int] = set()
    left: str | None = None
    for n, glyph in enumerate(ink):
        right = ink[n + 1].char if n + 1 < len(ink) else None
        if is_speck(glyph.char, left, right):
            dropped.add(id(glyph))
        else:
            left = glyph.char
    kept = [g for g in token.glyphs if id(g) not in dropped]
    while kept and (kept[0].char.isspace() or is_doubtful_mark(kept[0])):
        kept.pop(0)
    while kept and (kept[-1].char.isspace() or is_doubtful_mark(kept[-1])):
        kept.pop()
    return Token(kept)


def fix_confusions(token: Token) -> Token:
    """Look-alikes the recognizer confuses: a zero between two capital letters is the
    letter O (IOPS, TFLOPS); a "一" it is unsure of is a dash (服务—内存)."""
    glyphs = token.glyphs
    fixed = []
    for i, g in enumerate(glyphs):
        if (g.char == "0" and 0 < i < len(glyphs) - 1 and is_capital(glyphs[i - 1].char)
                and is_capital(glyphs[i + 1].char)):
            g = Glyph("O", g.box, g.conf)
        elif g.char == "一" and g.conf is not None and g.conf < DASH_CONFIDENCE:
            g = Glyph("—", g.box, g.conf)
        fixed.append(g)
    return Token(fixed)


def is_capital(ch: str) -> bool:
    return "A" <= ch <= "Z"


@lru_cache(maxsize=None)
def known_terms() -> tuple[frozenset[str], dict[int, tuple[str, ...]], frozenset[tuple[str, str]]]:
    """The technical words; those a correction may make (at least `min_chars` long),
    by length; and the look-alike pairs, both ways."""
    spec = load("ocr_terms")
    targets: dict[int, tuple[str, ...]] = {}
    for term in spec["terms"]:
        if len(term) >= spec["min_chars"]:
            targets[len(term)] = targets.get(len(term), ()) + (term,)
    pairs = {(a, b) for a, b in spec["look_alikes"]}
    return frozenset(spec["terms"]), targets, frozenset(pairs | {(b, a) for a, b in pairs})


def term_reading(word: str) -> str | None:
    """The word with its middle read as a known technical word, when exactly one
    such reading swaps look-alikes; a figure may stand before and after the middle
    ("10PS3000" → IOPS3000). None when the word holds a known word as it is."""
    terms, targets, look_alike = known_terms()
    readings = set()
    for start in range(len(word)):
        if not word[:start].isdigit() and start:
            break
        for end in range(len(word), start, -1):
            if end < len(word) and not word[end:].isdigit():
                break
            middle = word[start:end]
            if middle in terms:
                return None
            for term in targets.get(len(middle), ()):
                if all(a == b or (a, b) in look_alike for a, b in zip(middle, term)):
                    readings.add(word[:start] + term + word[end:])
    return readings.pop() if len(readings) == 1 else None


def fix_terms(token: Token) -> Token:
    """The token with its Latin words read as known technical words where OCR
    swapped look-alike characters."""
    text = token.text
    if len(text) != len(token.glyphs):
        return token
    glyphs = list(token.glyphs)
    for match in LATIN_WORD.finditer(text):
        reading = term_reading(match.group())
        if reading is None:
            continue
        for offset, char in enumerate(reading, match.start()):
            if glyphs[offset].char != char:
                glyphs[offset] = Glyph(char, glyphs[offset].box, glyphs[offset].conf)
    return Token(glyphs)


def clean(token: Token) -> Token:
    """The token with speck marks dropped and look-alikes put right."""
    return fix_terms(fix_confusions(drop_specks(token)))
