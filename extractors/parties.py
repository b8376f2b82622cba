"""Extractor: the two parties (client and supplier) and their details.

The layout stage (pipeline/keyvalues.py) has read every key/value statement with
the party whose context it stands in; this extractor chooses each field's value.
The first statement of a field wins: the opening block comes first, order forms
and signature pages fill what it left open (a payment clause's account block adds
the bank details without replacing the address given above). A contact line that
also holds a phone number gives the phone. A signatory stands in for the
representative only when none is stated.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from pipeline.document import ContractDoc, Span
from pipeline.keyvalues import PHONE, clean_value
from schemas import Party

FIELD_ORDER = ("name", "representative", "address", "contact_person", "phone",
               "bank_name", "bank_account", "tax_id")


@dataclass
class PartyDraft:
    values: dict[str, tuple[str, list[Span]]] = field(default_factory=dict)

    def decided(self, name: str) -> bool:
        """Whether no later statement of field `name` can change the draft (a contact line
        may still give the phone)."""
        return name in self.values and (name != "contact_person" or "phone" in self.values)

    def offer(self, name: str, value: Optional[str], spans: list[Span]) -> None:
        if value and name not in self.values:
            self.values[name] = (value, spans)


def extract(doc: ContractDoc) -> ContractDoc:
    drafts = {"client": PartyDraft(), "supplier": PartyDraft()}
    for statement in doc.key_values:
        draft = drafts[statement.party]
        if not draft.decided(statement.field):
            offer(draft, statement.field, statement.value)
    doc.record.parties = []
    for role, draft in drafts.items():
        if "representative" not in draft.values and "signatory" in draft.values:
            draft.values["representative"] = draft.values["signatory"]
        if not draft.values:
            continue
        index = len(doc.record.parties)
        party = Party(role=role)
        for name in FIELD_ORDER:
            if name in draft.values:
                value, spans = draft.values[name]
                setattr(party, name, value)
                doc.cite(f"parties[{index}].{name}", spans)
        doc.record.parties.append(party)
    return doc


def offer(draft: PartyDraft, key: str, span: Span) -> None:
    """Offer a stated value for a field; a contact line holding a phone number offers the phone too."""
    value = clean_value(key, span)
    if value is None:
        return
    text, spans = value
    if key == "contact_person":
        phone = PHONE.search(span.text)
        if phone and "phone" not in draft.values:
            draft.offer("phone", phone.group(), [span.sub(phone.start(), phone.end())])
    draft.offer(key, text, spans)
