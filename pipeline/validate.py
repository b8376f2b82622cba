"""Stage 6, validation: refuse texts that are not contracts, warn on truncated ones.

A text with no party, no price row, no total and hardly any contract wording is
not a contract ("no contract found"). A contract whose signature area, total or
parties are missing was probably cut short: its record is kept, with a warning.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from pipeline.document import ContractDoc
from pipeline.errors import NotAContract

CONTRACT_WORDS = regex.compile(r"合同|协议|甲方|乙方|委托人|受托人|采购人|供应商|违约|服务费|价款")
MIN_CONTRACT_WORDS = 3
SIGNATURE_WORDS = regex.compile(r"盖章|签字|签章|签署|公章|授权代表|法定代表人")
TAIL_SHARE = 0.5
#: A run of this many digits or more (with a point or not) is read as no figure at all.
NUMBER_LABEL_REACH = 16
LONG_FIGURE = regex.compile(r"(?<![\d.])\d{17,}(?:\.\d+)?")


def validate(doc: ContractDoc) -> ContractDoc:
    record = doc.record
    evidence_of_contract = sum((
        bool(record.parties), bool(record.line_items), record.contract.total_amount is not None,
        bool(record.payments), bool(record.penalties)))
    wording = len(CONTRACT_WORDS.findall(doc.text))
    if evidence_of_contract == 0 or (evidence_of_contract == 1 and wording < MIN_CONTRACT_WORDS):
        raise NotAContract(f"{doc.name}: no contract found (no parties, price table, total or contract wording)")
    tail = doc.text[int(len(doc.text) * (1 - TAIL_SHARE)):]
    missing = []
    if not SIGNATURE_WORDS.search(tail):
        missing.append("signature block")
    if len(record.parties) < 2:
        missing.append("both parties")
    if record.contract.total_amount is None and not record.line_items:
        missing.append("total or price table")
    if missing:
        doc.warn("the contract looks truncated or incomplete: no " + ", no ".join(missing) + " found")
    for match in LONG_FIGURE.finditer(doc.text):
        if not is_account_number(doc.text, match.start()):
            doc.warn(f"a figure of {len(match.group())} characters at offset {doc.span(match.start(), match.end()).raw_start} "
                     "is too long to be an amount and was not read as one")
            break
    return doc


def is_account_number(text: str, at: int) -> bool:
    """Whether a long run of digits follows an account, tax-id or code label (账号, 税号 …)."""
    return number_label().search(text[max(0, at - NUMBER_LABEL_REACH):at]) is not None


@lru_cache(maxsize=1)
def number_label() -> regex.Pattern:
    """A label of a long number, from the parties' vocabulary, ending where the number starts."""
    from extractors.lexicon import alternation, load
    vocab = load("parties")
    words = vocab["fields"]["bank_account"] + vocab["fields"]["tax_id"] + vocab["number_labels"]
    return regex.compile(r"(?:" + alternation(words) + r")\s*[:：]?\s*$")
