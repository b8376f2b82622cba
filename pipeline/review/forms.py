"""The review form of a finding page: what was posted, and what is wrong with it."""
from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData

from pipeline.db.models import REVIEW_STATUSES

OPEN = REVIEW_STATUSES[0]


@dataclass(frozen=True)
class ReviewForm:
    status: str
    reviewer: str
    note: str
    seen: str = ""  # the review_token of the decision the form was opened on

    @classmethod
    def parse(cls, form: FormData) -> ReviewForm:
        def text(name: str) -> str:
            value = form.get(name)
            return value.strip() if isinstance(value, str) else ""

        return cls(text("review_status"), text("reviewer"), text("review_note"), text("seen"))

    def errors(self) -> list[str]:
        """Why the review cannot be saved as posted; empty when it can."""
        if self.status not in REVIEW_STATUSES:
            return [f"Choose a decision: {', '.join(REVIEW_STATUSES)}."]
        if self.status != OPEN and not self.reviewer:
            return [f"Enter your name as reviewer to mark this finding {self.status}."]
        return []
