"""Sign-in for the clinic mode: argon2 password hashes, server-side sessions in cookies, CSRF
tokens, sign-in rate limiting with lockout, and the access rule every route declares.

Every route says who may use it, with one of the dependencies :func:`public`,
:func:`signed_in` or ``toelab.web.people.current_person_id`` (the person's own records);
``tests/web/test_web_clinic.py`` fails for a route that declares none.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, QueryParams
from starlette.exceptions import WebSocketException
from starlette.requests import HTTPConnection, cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from toelab.errors import ToelabError
from toelab.store import Account, Person, Store
from toelab.store.models import utc_now
from toelab.web.responses import Me, PersonName
from toelab.web.security import same_origin
from toelab.web.signin_limits import Attempt, Policy, SignInLimiter

SESSION_COOKIE = "toelab_session"
CSRF_COOKIE = "toelab_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PUBLIC_PATHS = ("/login", "/api/login")
PUBLIC_PREFIXES = ("/static/",)
STATIC = Path(__file__).parent / "static"

DEVICE_COOKIE = "toelab_device"
MIN_PASSWORD_CHARACTERS = 10  # not counting spaces

_hasher = PasswordHasher()  # argon2id with the library's defaults (RFC 9106 low-memory profile)


def _lower_priority() -> None:
    # Linux: a thread's nice value is its own, and argon2's lane threads inherit it, so page
    # requests get the CPU before a flood of password checks does
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


# Password checks run one at a time, at low priority, in their own thread: each takes 64 MiB
# and tens of milliseconds of CPU, and a flood of sign-ins must neither exhaust memory nor
# take the threads and CPU that signed-in people's pages need.
_checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="toelab-argon2", initializer=_lower_priority)


@functools.cache
def _dummy_hash() -> str:
    """Checked when the user name is unknown, so the answer takes as long as for a known one."""
    return _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    if sum(not c.isspace() for c in password) < MIN_PASSWORD_CHARACTERS:
        raise ToelabError(f"a password needs at least {MIN_PASSWORD_CHARACTERS} characters besides spaces")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class _InFlight:
    """Sign-ins being answered, counted on the event loop (so no lock is needed)."""

    count = 0


def _verify_or_dummy(password_hash: str | None, password: str) -> bool:
    # an unknown name costs the same work as a wrong password
    return verify_password(_dummy_hash() if password_hash is None else password_hash, password)


async def _check_password(password_hash: str | None, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(
        _checker, _verify_or_dummy, password_hash, password
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Clinic:
    """The clinic mode's state on ``app.state.clinic``."""

    store: Store
    policy: Policy = field(default_factory=Policy)
    secure_cookies: bool = False  # set when serving https
    limiter: SignInLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = SignInLimiter(self.policy)


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
    people = store.people.all()
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
    async def login(credentials: Credentials, request: Request) -> JSONResponse:
        # async: the limits are checked and the attempt counted on the event loop, with no
        # await in between, and the password check waits for the checker thread without
        # holding one of the threads the other routes run in. A refusal comes after a pause
        # that costs the server nothing and holds the client's connection: a client sending
        # sign-ins as fast as it is answered sends one a second, not hundreds.
        if _InFlight.count >= clinic.policy.max_waiting_checks:
            await asyncio.sleep(clinic.policy.refusal_delay_s)
            return _busy()
        _InFlight.count += 1
        try:
            user = await _checked_user(clinic, credentials, request)
        finally:
            _InFlight.count -= 1
        if user is None:
            raise HTTPException(401, "wrong user name or password")
        if isinstance(user, float):
            await asyncio.sleep(clinic.policy.refusal_delay_s)
            return _too_many(user)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = utc_now() + clinic.policy.session_ttl
        await run_in_threadpool(
            clinic.store.accounts.start_login_session, user.id, token_hash(token), csrf, expires
        )
        response = JSONResponse({"username": user.username, "role": user.role, "csrf": csrf})
        _set_cookies(response, clinic, token, csrf)
        response.set_cookie(
            DEVICE_COOKIE,
            clinic.limiter.device_token(credentials.username),
            max_age=365 * 24 * 3600,
            httponly=True,
            secure=clinic.secure_cookies,
            samesite="strict",
            path="/api/login",
        )
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
    def me(request: Request) -> Me:
        account = account_of(request)
        assert account is not None  # signed_in let the request through
        return Me(
            username=account.username,
            role=account.role,
            people=[
                PersonName(id=p.id, display_name=p.display_name)
                for p in people_seen_by(clinic.store, account)
            ],
        )

    return router


async def _checked_user(clinic: Clinic, credentials: Credentials, request: Request) -> Account | float | None:
    """The account whose right password was given; None for a wrong name or password; the
    seconds to wait when a limit is reached."""
    address = request.client.host if request.client else "unknown"
    name = credentials.username
    device = request.cookies.get(DEVICE_COOKIE)
    attempt = clinic.limiter.begin(name, address, trusted_device=clinic.limiter.trusted(name, device))
    if not isinstance(attempt, Attempt):
        return attempt
    user = await run_in_threadpool(clinic.store.accounts.get_user, name)
    # an unknown name costs the same work and gets the same answer as a wrong password
    right = await _check_password(None if user is None else user.password_hash, credentials.password)
    if user is None or not right:
        return None
    clinic.limiter.succeeded(attempt)
    return user


def _busy() -> JSONResponse:
    message = {"message": "the server is busy with sign-ins: try again in a few seconds", "hint": None}
    return JSONResponse(message, status_code=503, headers={"Retry-After": "2"})


def _too_many(wait_s: float) -> JSONResponse:
    seconds = int(wait_s) + 1
    message = {"message": f"too many failed sign-ins: try again in {seconds} s", "hint": None}
    return JSONResponse(message, status_code=429, headers={"Retry-After": str(seconds)})
