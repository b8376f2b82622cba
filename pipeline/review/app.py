"""The review web app: Starlette routes that read and write through `queries` and render the templates.

SQLAlchemy is synchronous, so database work runs in Starlette's thread pool; a
review is saved in a transaction of its own. The list's filters travel in the
query string of every link and form, so that "back to the list" and the finding
shown after a save keep them. Reviews are accepted only from these pages: a
form posted by another site (its Origin header says so) is refused.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, TypeVar
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader
from sqlalchemy import Connection, Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from pipeline.db.engine import WRITE_OPTIONS
from pipeline.db.models import REVIEW_STATUSES
from pipeline.review import formatting, queries
from pipeline.review.descriptions import CHECKS, describe
from pipeline.review.forms import ReviewForm
from pipeline.review.queries import ALL_STATUSES, FindingFilter

T = TypeVar("T")
#: Ids beyond a 32-bit integer column cannot exist; asking the database would fail instead of finding none.
MAX_ID = 2**31 - 1


def create_app(engine: Engine, reviewer: Optional[str] = None) -> Starlette:
    """The review pages over `engine`; `reviewer` pre-fills the reviewer field of the forms."""
    pages = ReviewPages(engine, reviewer or "")
    return Starlette(
        routes=[
            Route("/", pages.findings),
            Route("/findings/{finding_id:int}", pages.finding, methods=["GET"]),
            Route("/findings/{finding_id:int}", pages.save_review, methods=["POST"]),
            Route("/contracts/{contract_id:int}", pages.contract),
            Mount("/static", StaticFiles(packages=[("pipeline.review", "static")]), name="static"),
        ],
        exception_handlers={404: pages.not_found},
    )


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("pipeline.review", "templates"), autoescape=True)
    env.filters.update(show=formatting.show, figure=formatting.figure, when=formatting.show_time,
                       token=queries.review_token)
    env.globals.update(difference=formatting.difference, describe=describe, STATUSES=REVIEW_STATUSES,
                       ALL_STATUSES=ALL_STATUSES)
    return env


class ReviewPages:
    """The request handlers, sharing the engine and the templates."""

    def __init__(self, engine: Engine, reviewer: str):
        self.engine = engine
        self.reviewer = reviewer
        self.templates = Jinja2Templates(env=_environment())

    async def findings(self, request: Request) -> Response:
        where = FindingFilter.from_params(request.query_params)
        page = _int(request.query_params.get("page")) or 1

        def read(connection: Connection) -> tuple[dict, queries.Page]:
            return queries.counts(connection), queries.list_findings(connection, where, page)

        counts, listed = await self._db(read)
        totals = {status: sum(by_status.get(status, 0) for by_status in counts.values())
                  for status in REVIEW_STATUSES}
        return self._render(request, "findings.html", counts=counts, totals=totals, page=listed, where=where,
                            checks=sorted(set(CHECKS) | set(counts)),
                            saved=_int(request.query_params.get("saved")))

    async def finding(self, request: Request) -> Response:
        return await self._finding_page(request, _id(request, "finding_id"))

    async def save_review(self, request: Request) -> Response:
        finding_id = _id(request, "finding_id")
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
            raise HTTPException(403, "reviews are saved only from the review pages themselves")
        form = ReviewForm.parse(await request.form())
        errors = form.errors()
        if errors:
            return await self._finding_page(request, finding_id, form, errors)
        where = FindingFilter.from_params(request.query_params)

        def write(connection: Connection) -> tuple[str, Optional[int]]:
            outcome = queries.save_review(connection, finding_id, form.status, form.reviewer or None,
                                          form.note or None, form.seen)
            if outcome != queries.SAVED:
                return outcome, None
            return outcome, queries.next_open(connection, finding_id, where)

        outcome, following = await self._db(write, write=True)
        if outcome == queries.MISSING:
            raise HTTPException(404, f"There is no finding #{finding_id} (any more) in this database.")
        if outcome == queries.CHANGED:
            return await self._finding_page(request, finding_id, form, [
                "Someone saved a decision on this finding after you opened it (shown above); yours was not "
                "saved. Read theirs, then save again to replace it."], status=409)
        target = "/" if following is None else f"/findings/{following}"
        return RedirectResponse(f"{target}?{urlencode(where.params() | {'saved': finding_id})}", status_code=303)

    async def contract(self, request: Request) -> Response:
        contract_id = _id(request, "contract_id")
        view = await self._db(queries.contract_view, contract_id)
        if view is None:
            raise HTTPException(404, f"There is no contract #{contract_id} in this database.")
        return self._render(request, "contract.html", view=view)

    async def not_found(self, request: Request, exc: Exception) -> Response:
        detail = exc.detail if isinstance(exc, HTTPException) else "Not found."
        return self._render(request, "not_found.html", 404, detail=detail)

    async def _finding_page(self, request: Request, finding_id: int, form: Optional[ReviewForm] = None,
                            errors: Optional[list[str]] = None, status: int = 422) -> Response:
        def read(connection: Connection) -> Optional[tuple[Any, list[queries.Cited], Any]]:
            finding = queries.get_finding(connection, finding_id)
            if finding is None:
                return None
            contract_id, index = finding["contract_id"], finding["list_index"]
            return (finding, queries.cited_evidence(connection, contract_id, index),
                    queries.subject_values(connection, contract_id, finding["subject"]))

        found = await self._db(read)
        if found is None:
            raise HTTPException(404, f"There is no finding #{finding_id} in this database.")
        finding, cited, subject = found
        if form is None:
            form = ReviewForm(finding["review_status"], finding["reviewer"] or self.reviewer,
                              finding["review_note"] or "")
        return self._render(request, "finding.html", status if errors else 200, finding=finding, cited=cited,
                            subject=subject, form=form, errors=errors or [],
                            where=FindingFilter.from_params(request.query_params),
                            saved=_int(request.query_params.get("saved")))

    async def _db(self, work: Callable[..., T], *args: Any, write: bool = False) -> T:
        """`work(connection, *args)` in the thread pool; with `write`, inside a committed transaction."""
        def run() -> T:
            if write:
                with self.engine.execution_options(**WRITE_OPTIONS).begin() as connection:
                    return work(connection, *args)
            with self.engine.connect() as connection:
                return work(connection, *args)

        return await run_in_threadpool(run)

    def _render(self, request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
        return self.templates.TemplateResponse(request, template, context, status_code=status_code)


def _id(request: Request, name: str) -> int:
    """The id in the path; 404 when no row can have it."""
    value: int = request.path_params[name]
    if value > MAX_ID:
        raise HTTPException(404, f"There is no {name.split('_')[0]} #{value} in this database.")
    return value


def _int(text: Optional[str]) -> Optional[int]:
    """A positive whole number from a query parameter, or None."""
    return int(text) if text is not None and text.isascii() and text.isdigit() and int(text) > 0 else None
