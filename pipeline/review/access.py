"""Who may read and write the review pages: the signed-in session, its CSRF token, and the sign-in gate.

The session (Starlette's signed cookie, HttpOnly, SameSite=Lax, with a secret
made afresh for each server) holds the reviewer's name, how they signed in, and
a random CSRF token that every form carries back. `SignInRequired` lets only
the sign-in page and the stylesheet through without a session: other GETs are
sent to sign in, anything else is refused with 403.
"""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Awaitable, Callable, Optional
from urllib.parse import urlencode

from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOGIN_PATH = "/login"
#: Paths served without a session.
OPEN_PREFIXES = (LOGIN_PATH, "/static/")
#: The form field and session entry of the CSRF token.
CSRF_FIELD = "csrf"
USER, VIA = "user", "via"
#: How a session was signed in.
BY_PASSWORD, BY_TOKEN = "password", "token"
#: Names `contracts review --host` may take without users (this machine only).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class SignedIn:
    name: str
    via: str


def signed_in(connection: HTTPConnection) -> Optional[SignedIn]:
    session = connection.session
    name, via = session.get(USER), session.get(VIA)
    return SignedIn(name, via) if isinstance(name, str) and isinstance(via, str) else None


def sign_in(connection: HTTPConnection, name: str, via: str) -> None:
    """Start a fresh session for `name` (a new CSRF token: one issued before sign-in is not reused)."""
    connection.session.clear()
    connection.session.update({USER: name, VIA: via, CSRF_FIELD: secrets.token_urlsafe(32)})


def sign_out(connection: HTTPConnection) -> None:
    connection.session.clear()


def csrf_token(connection: HTTPConnection) -> str:
    """The session's CSRF token, made on first use (the sign-in form needs one before sign-in)."""
    token = connection.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        connection.session[CSRF_FIELD] = token
    return token


def csrf_valid(connection: HTTPConnection, posted: object) -> bool:
    expected = connection.session.get(CSRF_FIELD)
    return isinstance(expected, str) and isinstance(posted, str) and hmac.compare_digest(expected, posted)


def token_valid(expected: Optional[str], given: Optional[str]) -> bool:
    """Whether `given` is the server's sign-in token (never when the server has none)."""
    return expected is not None and given is not None and hmac.compare_digest(expected, given)


def allowed_hosts(host: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The Host header names the pages answer: the served address, this machine's names, and `extra`."""
    names = [host, *LOCAL_HOSTS, *extra]
    return sorted({f"[{name}]" if ":" in name and not name.startswith("[") else name for name in names})


def is_local(host: str) -> bool:
    return host.strip("[]") in LOCAL_HOSTS


class SignInRequired:
    """ASGI middleware: requests without a signed-in session get no page.

    `still_allowed(name)` tells whether a password user still exists (a user
    removed while signed in loses access at the next request).
    """

    def __init__(self, app: ASGIApp, still_allowed: Callable[[str], Awaitable[bool]]):
        self.app = app
        self.still_allowed = still_allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(OPEN_PREFIXES):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        who = signed_in(connection)
        if who is not None and who.via == BY_PASSWORD and not await self.still_allowed(who.name):
            sign_out(connection)
            who = None
        if who is not None:
            await self.app(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD"):
            target = scope["path"] + (f"?{scope['query_string'].decode('latin-1')}" if scope["query_string"] else "")
            response = RedirectResponse(f"{LOGIN_PATH}?{urlencode({'next': target})}", status_code=303)
        else:
            response = PlainTextResponse("请先登录审核页面（/login）。Sign in first.", status_code=403)
        await response(scope, receive, send)


def safe_next(target: Optional[str]) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"
