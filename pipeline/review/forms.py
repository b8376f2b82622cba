"""The forms of the review pages: what was posted, and what is wrong with it (messages in Chinese)."""
from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData

from pipeline.db.models import REVIEW_STATUSES
from pipeline.review.labels import STATUS_NAMES

OPEN = REVIEW_STATUSES[0]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class ReviewForm:
    status: str
    note: str
    seen: str = ""  # the review_token of the decision the form was opened on

    @classmethod
    def parse(cls, form: FormData) -> ReviewForm:
        return cls(_text(form, "review_status"), _text(form, "review_note"), _text(form, "seen"))

    def errors(self) -> list[str]:
        """Why the review cannot be saved as posted; empty when it can."""
        if self.status not in REVIEW_STATUSES:
            return [f"请选择审核结论：{'、'.join(STATUS_NAMES[s] for s in REVIEW_STATUSES)}。"]
        return []


@dataclass(frozen=True)
class LoginForm:
    name: str
    password: str
    next: str

    @classmethod
    def parse(cls, form: FormData) -> LoginForm:
        password = form.get("password")
        return cls(_text(form, "name"), password if isinstance(password, str) else "", _text(form, "next"))
