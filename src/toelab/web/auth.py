"""Sign-in for the clinic mode: argon2 password hashes, server-side sessions in cookies, CSRF
tokens, sign-in rate limiting with lockout, and the access rule every route declares.

Every route says who may use it, with one of the dependencies :func:`public`,
:func:`signed_in` or ``toelab.web.people.current_person_id`` (the person's own records);
``tests/web/test_web_clinic.py`` fails for a route that declares none.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel
from starlette.datastructures import Headers, QueryParams
from starlette.exceptions import WebSocketException
from starlette.requests import HTTPConnection, cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from toelab.errors import ToelabError
from toelab.store import Account, Person, Store
from toelab.store.models import utc_now
from toelab.web.security import same_origin

SESSION_COOKIE = "toelab_session"
CSRF_COOKIE = "toelab_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PUBLIC_PATHS = ("/login", "/api/login")
PUBLIC_PREFIXES = ("/static/",)
STATIC = Path(__file__).parent / "static"

_hasher = PasswordHasher()  # argon2id with the library's defaults (RFC 9106 low-memory profile)
# each check takes 64 MiB for a moment: a flood of sign-ins waits instead of exhausting memory
_checking = threading.BoundedSemaphore(4)


@functools.cache
def _dummy_hash() -> str:
    """Checked when the user name is unknown, so the answer takes as long as for a known one."""
    return _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    if len(password) < 10:
        raise ToelabError("a password needs at least 10 characters")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        with _checking:
            return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Policy:
    """How long a sign-in lasts and how failed sign-ins slow an attacker down."""

    session_ttl: timedelta = timedelta(hours=8)
    free_failures: int = 5  # wrong passwords in a row before the first lockout
    first_lockout_s: float = 30.0  # doubles with each further failure
    max_lockout_s: float = 15 * 60.0
    ip_window_s: float = 15 * 60.0
    ip_failures: int = 20  # per address and window, over all user names

    def lockout_s(self, failures: int) -> float:
        """Seconds locked after ``failures`` wrong passwords in a row (0 while below the free ones)."""
        if failures < self.free_failures:
            return 0.0
        return min(self.first_lockout_s * 2.0 ** (failures - self.free_failures), self.max_lockout_s)


@dataclass
class AddressLimiter:
    """Failed sign-ins per client address, in memory: the same backoff once over the allowance."""

    policy: Policy
    failures: dict[str, list[float]] = field(default_factory=dict)

    def locked_for_s(self, address: str, now: float) -> float:
        recent = [t for t in self.failures.get(address, []) if now - t < self.policy.ip_window_s]
        self.failures[address] = recent
        over = len(recent) - self.policy.ip_failures
        if over < 0:
            return 0.0
        wait = min(self.policy.first_lockout_s * 2.0**over, self.policy.max_lockout_s)
        return max(0.0, recent[-1] + wait - now)

    def failed(self, address: str, now: float) -> None:
        self.failures.setdefault(address, []).append(now)
        if len(self.failures) > 10_000:  # many addresses: forget those quiet for a whole window
            window = self.policy.ip_window_s
            self.failures = {a: ts for a, ts in self.failures.items() if now - ts[-1] < window}


@dataclass
class Clinic:
    """The clinic mode's state on ``app.state.clinic``."""

    store: Store
    policy: Policy = field(default_factory=Policy)
    secure_cookies: bool = False  # set when serving https
    addresses: AddressLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.addresses = AddressLimiter(self.policy)


def _cookie(scope: Scope, name: str) -> str | None:
    return cookie_parser(Headers(scope=scope).get("cookie", "")).get(name)


def _same_token(given: str, expected: str) -> bool:
    """Equal, in constant time (bytes: a header may hold any characters)."""
    return bool(expected) and secrets.compare_digest(given.encode(), expected.encode())


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class ClinicGate:
    """In clinic mode: nothing but the sign-in page and static files without a session; every
    state-changing request and the WebSocket handshake carry the session's CSRF token and come
    from the page's own origin."""

    def __init__(self, app: ASGIApp, clinic: Clinic):
        self.app = app
        self.clinic = clinic

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        token = _cookie(scope, SESSION_COOKIE)
        session = self.clinic.store.accounts.login_session(token_hash(token)) if token else None
        scope.setdefault("state", {})
        scope["state"]["account"] = None if session is None else session.user
        refusal = self._refusal(scope, session.csrf_token if session else None)
        if refusal is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": refusal[1]})
        elif refusal[0] == 303:
            await RedirectResponse("/login", status_code=303)(scope, receive, send)
        else:
            await JSONResponse({"message": refusal[1], "hint": None}, status_code=refusal[0])(
                scope, receive, send
            )

    def _refusal(self, scope: Scope, csrf: str | None) -> tuple[int, str] | None:
        path = scope["path"]
        if scope["type"] == "websocket":
            if csrf is None:
                return 401, "sign in first"
            given = QueryParams(scope.get("query_string", b"")).get("csrf", "")
            if not same_origin(scope) or not _same_token(given, csrf):
                return 403, "the connection does not come from toelab's own page"
            return None
        if csrf is None and not _is_public(path):
            return (303, "sign in first") if path == "/" else (401, "sign in first")
        if scope["method"] in SAFE_METHODS:
            return None
        expected = csrf or _cookie(scope, CSRF_COOKIE) or ""
        given = Headers(scope=scope).get(CSRF_HEADER, "")
        if not same_origin(scope) or not _same_token(given, expected):
            return 403, "the request is missing its CSRF token: reload the page"
        return None


class HomeGate:
    """In home mode (no sign-in): state-changing requests and the WebSocket only from the page itself."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        unsafe = scope["type"] == "websocket" or (
            scope["type"] == "http" and scope["method"] not in SAFE_METHODS
        )
        if not unsafe or same_origin(scope):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": "another site"})
        else:
            message = {"message": "requests from another site are refused", "hint": None}
            await JSONResponse(message, status_code=403)(scope, receive, send)


def refuse(connection: HTTPConnection, status: int, message: str) -> NoReturn:
    """Stop a request (HTTP status) or a WebSocket handshake (policy violation)."""
    if connection.scope["type"] == "websocket":
        raise WebSocketException(code=1008, reason=message)
    raise HTTPException(status_code=status, detail=message)


def clinic_of(connection: HTTPConnection) -> Clinic | None:
    return getattr(connection.app.state, "clinic", None)


def account_of(connection: HTTPConnection) -> Account | None:
    """The signed-in account (clinic mode), or None."""
    return connection.scope.get("state", {}).get("account")


def people_seen_by(store: Store, account: Account | None) -> list[Person]:
    """Everyone at home (no account); in a clinic the people the account may see."""
    people = store.list_people()
    if account is None:
        return people
    visible = store.accounts.visible_person_ids(account)
    return [p for p in people if p.id in visible]


def public(connection: HTTPConnection) -> None:
    """Access rule: anyone, signed in or not."""


def signed_in(connection: HTTPConnection) -> Account | None:
    """Access rule: any signed-in account in clinic mode (everyone in home mode)."""
    if clinic_of(connection) is None:
        return None
    account = account_of(connection)
    if account is None:
        refuse(connection, 401, "sign in first")
    return account


class Credentials(BaseModel):
    username: str
    password: str


def _set_cookies(response: Response, clinic: Clinic, session_token: str | None, csrf: str) -> None:
    age = int(clinic.policy.session_ttl.total_seconds())
    if session_token is not None:
        response.set_cookie(
            SESSION_COOKIE,
            session_token,
            max_age=age,
            httponly=True,
            secure=clinic.secure_cookies,
            samesite="strict",
            path="/",
        )
    # the page reads this one to send it back in a header (double submit before sign-in)
    response.set_cookie(
        CSRF_COOKIE,
        csrf,
        max_age=age,
        httponly=False,
        secure=clinic.secure_cookies,
        samesite="strict",
        path="/",
    )


def clinic_router(clinic: Clinic) -> APIRouter:
    """Sign-in page, sign in, sign out and who is signed in."""
    router = APIRouter()

    @router.get("/login", include_in_schema=False, dependencies=[Depends(public)])
    def login_page(request: Request) -> Response:
        response = FileResponse(STATIC / "login.html", headers={"Cache-Control": "no-store"})
        if not request.cookies.get(CSRF_COOKIE):
            _set_cookies(response, clinic, None, secrets.token_urlsafe(32))
        return response

    @router.post("/api/login", dependencies=[Depends(public)])
    def login(credentials: Credentials, request: Request) -> JSONResponse:
        address = request.client.host if request.client else "unknown"
        now = time.monotonic()
        wait_s = clinic.addresses.locked_for_s(address, now)
        user = clinic.store.accounts.get_user(credentials.username)
        if user is not None and user.locked_until is not None:
            wait_s = max(wait_s, (user.locked_until - utc_now()).total_seconds())
        if wait_s > 0:
            return _too_many(wait_s)
        if user is None:
            verify_password(_dummy_hash(), credentials.password)
            clinic.addresses.failed(address, now)
            raise HTTPException(401, "wrong user name or password")
        if not verify_password(user.password_hash, credentials.password):
            clinic.addresses.failed(address, now)
            lock_s = clinic.policy.lockout_s(user.failed_logins + 1)
            locked_until = utc_now() + timedelta(seconds=lock_s) if lock_s else None
            clinic.store.accounts.note_failed_login(user.id, locked_until)
            raise HTTPException(401, "wrong user name or password")
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = utc_now() + clinic.policy.session_ttl
        clinic.store.accounts.start_login_session(user.id, token_hash(token), csrf, expires)
        response = JSONResponse({"username": user.username, "role": user.role, "csrf": csrf})
        _set_cookies(response, clinic, token, csrf)
        return response

    @router.post("/api/logout", dependencies=[Depends(signed_in)])
    def logout(request: Request) -> JSONResponse:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            clinic.store.accounts.end_login_session(token_hash(token))
        response = JSONResponse({"signed_out": True})
        response.delete_cookie(SESSION_COOKIE, path="/")
        response.delete_cookie(CSRF_COOKIE, path="/")
        return response

    @router.get("/api/me", dependencies=[Depends(signed_in)])
    def me(request: Request) -> dict[str, Any]:
        account = account_of(request)
        assert account is not None  # signed_in let the request through
        return {
            "username": account.username,
            "role": account.role,
            "people": [
                {"id": p.id, "display_name": p.display_name} for p in people_seen_by(clinic.store, account)
            ],
        }

    return router


def _too_many(wait_s: float) -> JSONResponse:
    seconds = int(wait_s) + 1
    message = {"message": f"too many failed sign-ins: try again in {seconds} s", "hint": None}
    return JSONResponse(message, status_code=429, headers={"Retry-After": str(seconds)})
