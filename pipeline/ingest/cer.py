"""Character error rate of OCR output against a reference text, for benchmarks and tests.

Both texts are NFKC-normalized (full-width and half-width forms compare equal) and
stripped of whitespace, tabs and newlines, so that only the characters read count,
not the layout. The edit distance is Hyyrö's bit-parallel Levenshtein algorithm on
Python integers: fast enough for whole pages.
"""
from __future__ import annotations

import unicodedata


def normalized(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions) between two strings."""
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    masks: dict[str, int] = {}
    for i, ch in enumerate(b):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    full = (1 << m) - 1
    last = 1 << (m - 1)
    pv, mv, score = full, 0, m
    for ch in a:
        eq = masks.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = (ph << 1) | 1
        mh <<= 1
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
    return score


def errors(hypothesis: str, reference: str) -> tuple[int, int]:
    """(edit distance, reference length) after normalization."""
    ref = normalized(reference)
    return levenshtein(normalized(hypothesis), ref), len(ref)


def cer(hypothesis: str, reference: str) -> float:
    distance, length = errors(hypothesis, reference)
    return distance / length if length else float(distance > 0)
