"""Stable ids for the review pages: a finding's key survives re-extraction of the same content.

Row ids change when `run --force` reloads a contract; a finding's key is derived
from what does not: the document's SHA-256, the check, the subject, and the
finding's occurrence among findings of the same check and subject (usually 0).
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

#: Hex characters kept of the hash: 64 bits, ample for one archive.
KEY_LENGTH = 16


def finding_key(document_sha256: str, check: str, subject: str, occurrence: int = 0) -> str:
    """The stable key of a finding."""
    text = "\x1f".join((document_sha256, check, subject, str(occurrence)))
    return hashlib.sha256(text.encode()).hexdigest()[:KEY_LENGTH]


def finding_keys(document_sha256: str, findings: Iterable[tuple[str, str]]) -> list[str]:
    """Keys of a contract's findings, given as (check, subject) in record order."""
    seen: Counter[tuple[str, str]] = Counter()
    keys = []
    for check, subject in findings:
        keys.append(finding_key(document_sha256, check, subject, seen[(check, subject)]))
        seen[(check, subject)] += 1
    return keys
