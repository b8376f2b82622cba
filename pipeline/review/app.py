"""The review web app: Starlette routes that read and write through `queries` and render the templates.

SQLAlchemy is synchronous, so database work runs in Starlette's thread pool; a
review and its history row are saved in one transaction. The list's filters
travel in the query string of every link and form, so that "back to the list"
and the finding shown after a save keep them.

Nothing is served to a request without a signed-in session (`access`): reviewers
sign in with their password (`contracts users add`) or, on a database without
users, with the token `contracts review` prints. Every form carries the
session's CSRF token and is refused without it, or when another site posted it
(its Origin header says so); a Host header other than the names served is
refused (DNS rebinding). Findings are addressed by their stable key and
contracts by their document's SHA-256, so addresses survive `run --force`; the
old numeric addresses redirect.
"""
from __future__ import annotations

import secrets
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader
from sqlalchemy import Connection, Engine
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from pipeline.db.engine import WRITE_OPTIONS
from pipeline.db.keys import KEY_LENGTH
from pipeline.db.models import REVIEW_STATUSES
from pipeline.review import access, auth, formatting, labels, queries, search
from pipeline.review.descriptions import CHECKS, describe
from pipeline.export import FINDINGS_FORMATS, REVIEWED, ExportError, export_findings
from pipeline.review.forms import OPEN, LoginForm, ReviewForm
from pipeline.review.page_boxes import boxes_of, page_boxes
from pipeline.review.queries import ALL_STATUSES, FindingFilter
from pipeline.review.source import document_text, page_image

T = TypeVar("T")
#: Ids beyond a 32-bit integer column cannot exist; asking the database would fail instead of finding none.
MAX_ID = 2**31 - 1
SESSION_COOKIE = "contracts_review"
#: The reviewer name of decisions made in a token session started without --reviewer.
TOKEN_REVIEWER = "token"


def create_app(engine: Engine, *, token: Optional[str] = None, reviewer: Optional[str] = None,
               host: str = "127.0.0.1", extra_hosts: tuple[str, ...] = ()) -> Starlette:
    """The review pages over `engine`.

    `token`: the sign-in token of a server without users (None: password sign-in
    only); `reviewer`: the name token sessions decide under; `host`: the address
    served, which with this machine's names and `extra_hosts` is what the Host
    header may say.
    """
    search.install(engine)
    pages = ReviewPages(engine, token, reviewer or TOKEN_REVIEWER)
    allowed = access.allowed_hosts(host, extra_hosts)
    return Starlette(
        routes=[
            Route("/", pages.findings),
            Route(access.LOGIN_PATH, pages.login_page, methods=["GET"]),
            Route(access.LOGIN_PATH, pages.login, methods=["POST"]),
            Route("/logout", pages.logout, methods=["POST"]),
            Route("/export/findings.{fmt}", pages.export),
            Route("/findings/{ref}", pages.finding, methods=["GET"]),
            Route("/findings/{ref}", pages.save_review, methods=["POST"]),
            Route("/findings/{ref}/page/{page:int}.png", pages.page_image),
            Route("/contracts/{ref}", pages.contract),
            Mount("/static", StaticFiles(packages=[("pipeline.review", "static")]), name="static"),
        ],
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=allowed, www_redirect=False),
            Middleware(SessionMiddleware, secret_key=secrets.token_urlsafe(32), session_cookie=SESSION_COOKIE,
                       same_site="lax", https_only=False, max_age=None),
            Middleware(access.SignInRequired, still_allowed=pages.user_exists),
        ],
        exception_handlers={HTTPException: pages.error},
    )


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("pipeline.review", "templates"), autoescape=True)
    env.filters.update(show=formatting.show, figure=formatting.figure, when=formatting.show_time,
                       token=queries.review_token, status=labels.status_name, severity=labels.severity_name,
                       field=labels.field_name, role=labels.role_name)
    env.globals.update(difference=formatting.difference, describe=describe, STATUSES=REVIEW_STATUSES,
                       ALL_STATUSES=ALL_STATUSES, STATUS_MEANINGS=labels.STATUS_MEANINGS,
                       SEVERITY_MEANINGS=labels.SEVERITY_MEANINGS, EXPORT_FORMATS=FINDINGS_FORMATS)
    return env


def _session_context(request: Request) -> dict[str, Any]:
    """What every page shows of the session: who is signed in, and the token its forms carry."""
    return {"user": access.signed_in(request), "csrf": access.csrf_token(request)}


class ReviewPages:
    """The request handlers, sharing the engine, the templates and the sign-in token."""

    def __init__(self, engine: Engine, token: Optional[str], token_reviewer: str):
        self.engine = engine
        self.token = token
        self.token_reviewer = token_reviewer
        self.templates = Jinja2Templates(env=_environment(), context_processors=[_session_context])

    async def findings(self, request: Request) -> Response:
        where = FindingFilter.from_params(request.query_params)
        page = _int(request.query_params.get("page")) or 1

        def read(connection: Connection) -> tuple[dict, queries.Page]:
            return queries.counts(connection), queries.list_findings(connection, where, page)

        counts, listed = await self._db(read)
        totals = {status: sum(by_status.get(status, 0) for by_status in counts.values())
                  for status in REVIEW_STATUSES}
        return self._render(request, "findings.html", counts=counts, totals=totals, page=listed, where=where,
                            checks=sorted(set(CHECKS) | set(counts)), saved=request.query_params.get("saved"))

    async def login_page(self, request: Request) -> Response:
        given = request.query_params.get("token")
        target = access.safe_next(request.query_params.get("next"))
        if given is not None:
            if access.token_valid(self.token, given):
                access.sign_in(request, self.token_reviewer, access.BY_TOKEN)
                return RedirectResponse(target, status_code=303)
            return await self._login_form(request, target, ["登录链接无效：请使用 contracts review 启动时打印的链接。"],
                                          403)
        return await self._login_form(request, target)

    async def login(self, request: Request) -> Response:
        form = LoginForm.parse(await self._posted(request))
        target = access.safe_next(form.next)
        if not form.name or not form.password:
            return await self._login_form(request, target, ["请输入用户名和密码。"], 422, form.name)
        if not await self._db(auth.signs_in, form.name, form.password):
            return await self._login_form(request, target, ["用户名或密码不正确。"], 401, form.name)
        access.sign_in(request, form.name, access.BY_PASSWORD)
        return RedirectResponse(target, status_code=303)

    async def logout(self, request: Request) -> Response:
        await self._posted(request)
        access.sign_out(request)
        return RedirectResponse(access.LOGIN_PATH, status_code=303)

    async def user_exists(self, name: str) -> bool:
        return await self._db(auth.user_exists, name)

    async def finding(self, request: Request) -> Response:
        ref = request.path_params["ref"]
        if _is_row_id(ref):
            key = await self._db(queries.finding_key_of, int(ref)) if int(ref) <= MAX_ID else None
            if key is None:
                raise HTTPException(404, f"数据库中没有编号为 {ref} 的核对发现。")
            return RedirectResponse(_with_query(f"/findings/{key}", request), status_code=301)
        return await self._finding_page(request, ref)

    async def save_review(self, request: Request) -> Response:
        key = request.path_params["ref"]
        form = ReviewForm.parse(await self._posted(request))
        errors = form.errors()
        if errors:
            return await self._finding_page(request, key, form, errors)
        where = FindingFilter.from_params(request.query_params)
        who = access.signed_in(request)
        reviewer = who.name if who is not None else None

        def write(connection: Connection) -> tuple[str, Optional[str]]:
            finding = queries.get_finding(connection, key)
            if finding is None:
                return queries.MISSING, None
            outcome = queries.save_review(connection, finding["id"], form.status, reviewer, form.note or None,
                                          form.seen)
            if outcome != queries.SAVED:
                return outcome, None
            return outcome, queries.next_open(connection, finding["id"], where)

        outcome, following = await self._db(write, write=True)
        if outcome == queries.MISSING:
            raise HTTPException(404, f"数据库中（已）没有核对发现 {key}。")
        if outcome == queries.CHANGED:
            return await self._finding_page(request, key, form, [
                "在您打开此页之后，已有人保存了对该发现的审核结论（见上方记录），您的结论未保存。"
                "请先阅读对方的结论，再次保存即可覆盖。"], status=409)
        target = "/" if following is None else f"/findings/{following}"
        return RedirectResponse(f"{target}?{urlencode(where.params() | {'saved': key})}", status_code=303)

    async def page_image(self, request: Request) -> Response:
        key, page = request.path_params["ref"], request.path_params["page"]

        def render(connection: Connection) -> Optional[bytes]:
            finding = queries.get_finding(connection, key)
            if finding is None:
                return None
            cited = queries.cited_evidence(connection, finding["contract_id"], finding["list_index"])
            boxes = [box for box, _ in boxes_of(cited).get(page, [])]
            return page_image(finding["document_path"], page, boxes)

        png = await self._db(render)
        if png is None:
            raise HTTPException(404, f"无法显示核对发现 {key} 所在文件的第 {page} 页。")
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})

    async def export(self, request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FINDINGS_FORMATS:
            raise HTTPException(404, f"不支持导出为 {fmt}：请选择 {'、'.join(FINDINGS_FORMATS)}。")
        status = FindingFilter.from_params(request.query_params).status
        statuses = REVIEW_STATUSES if status == ALL_STATUSES else REVIEWED if status == OPEN else (status,)
        folder = Path(tempfile.mkdtemp(prefix="contracts-review-export-"))
        name = f"findings-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}.{fmt}"
        try:
            await self._db(export_findings, fmt, folder / name, statuses)
        except ExportError as err:
            _remove(folder)
            raise HTTPException(409, f"无法导出：{err}")
        return FileResponse(folder / name, filename=name, background=BackgroundTask(_remove, folder))

    async def contract(self, request: Request) -> Response:
        ref = request.path_params["ref"]
        if _is_row_id(ref):
            key = await self._db(queries.contract_key_of, int(ref)) if int(ref) <= MAX_ID else None
            if key is None:
                raise HTTPException(404, f"数据库中没有编号为 {ref} 的合同。")
            return RedirectResponse(f"/contracts/{key}", status_code=301)
        view = await self._db(queries.contract_view, ref)
        if view is None:
            raise HTTPException(404, f"数据库中没有合同 {ref}。")
        return self._render(request, "contract.html", view=view)

    async def error(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else ""
        if status == 404 and detail == "Not Found":  # Starlette's own, for an address no route serves
            detail = "没有这个页面。"
        return self._render(request, "error.html", status, code=status, detail=detail)

    async def _posted(self, request: Request) -> FormData:
        """The posted form, once it is known to come from these pages: same origin, the session's CSRF token."""
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
            raise HTTPException(403, "审核结论只能从审核页面本身提交。")
        form = await request.form()
        if not access.csrf_valid(request, form.get(access.CSRF_FIELD)):
            raise HTTPException(403, "表单已失效（缺少或不符的校验码）：请重新打开页面后再提交。")
        return form

    async def _login_form(self, request: Request, target: str, errors: Optional[list[str]] = None,
                          status: int = 200, name: str = "") -> Response:
        users = await self._db(auth.has_users)
        return self._render(request, "login.html", status, errors=errors or [], next=target, name=name,
                            has_users=users, token_mode=self.token is not None)

    async def _finding_page(self, request: Request, key: str, form: Optional[ReviewForm] = None,
                            errors: Optional[list[str]] = None, status: int = 422) -> Response:
        def read(connection: Connection) -> Optional[tuple[Any, list[queries.Cited], Any, list]]:
            finding = queries.get_finding(connection, key)
            if finding is None:
                return None
            contract_id, index = finding["contract_id"], finding["list_index"]
            text = document_text(finding["document_path"], finding["document_sha256"])
            return (finding, queries.cited_evidence(connection, contract_id, index, text),
                    queries.subject_values(connection, contract_id, finding["subject"]),
                    queries.history(connection, key))

        found = await self._db(read)
        if found is None:
            raise HTTPException(404, f"数据库中没有核对发现 {key}。")
        finding, cited, subject, decisions = found
        if form is None:
            form = ReviewForm(finding["review_status"], finding["review_note"] or "")
        images = await run_in_threadpool(page_boxes, finding["document_path"], cited)
        return self._render(request, "finding.html", status if errors else 200, finding=finding, cited=cited,
                            subject=subject, form=form, errors=errors or [], history=decisions, images=images,
                            where=FindingFilter.from_params(request.query_params),
                            saved=request.query_params.get("saved"))

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


def _is_row_id(ref: str) -> bool:
    """Whether a path's reference is an old numeric row id rather than a key (keys are 16 characters)."""
    return ref.isascii() and ref.isdigit() and len(ref) != KEY_LENGTH


def _with_query(path: str, request: Request) -> str:
    return f"{path}?{request.url.query}" if request.url.query else path


def _remove(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


def _int(text: Optional[str]) -> Optional[int]:
    """A positive whole number from a query parameter, or None."""
    return int(text) if text is not None and text.isascii() and text.isdigit() and int(text) > 0 else None
