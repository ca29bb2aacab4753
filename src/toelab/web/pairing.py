"""Two screens, one live session: a phone on the floor films the feet, a laptop or TV shows
the bars, the cues and the results.

The big screen asks for a short code (shown with a QR code of the page's address and the
code); the phone enters it once and gets the room's secret in exchange; its camera
WebSocket names the room, and every message the server sends the phone goes to the big
screen's watching WebSocket as well. A code works once and for ``CODE_TTL`` only; in clinic
mode both screens must be signed in as the same account.
"""

from __future__ import annotations

import io
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Depends, Request, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field
from starlette.requests import HTTPConnection

from toelab.errors import ToelabError
from toelab.web.auth import account_of, refuse, signed_in
from toelab.web.responses import PairCode, PairRoom

CODE_TTL_S = 5 * 60.0  # long enough to pick up the phone and type it, short enough to be guessed never
ROOM_TTL_S = 4 * 3600.0  # a room is forgotten this long after it was made
CODE_DIGITS = 6
MAX_OPEN = 1000  # codes and rooms kept at once; the oldest go first
# wrong codes tried before every unused code is voided: 20 guesses of a million never win
MAX_WRONG_CODES = 20


def _owner(connection: HTTPConnection) -> int | None:
    """Who may use a pairing: the signed-in account (clinic mode), or the household (None)."""
    account = account_of(connection)
    return None if account is None else account.id


@dataclass
class Room:
    """One big screen (or more) watching one phone's live session."""

    owner: int | None
    code: str
    created_s: float
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    joined: bool = False
    used: bool = False
    watchers: set[WebSocket] = field(default_factory=set)

    async def broadcast(self, text: str) -> None:
        """Send a message of the phone's live session to every big screen."""
        for watcher in list(self.watchers):
            try:
                await watcher.send_text(text)
            except Exception:  # a screen that went away: the phone's session goes on
                self.watchers.discard(watcher)


class Pairings:
    """The open codes and rooms of one app (``app.state.pairings``)."""

    def __init__(self, code_ttl_s: float = CODE_TTL_S) -> None:
        self.code_ttl_s = code_ttl_s
        self._rooms: dict[str, Room] = {}  # by code
        self._wrong = 0  # wrong codes since the last voiding
        self._lock = threading.Lock()

    def _forget_old(self, now: float) -> None:
        for code, room in list(self._rooms.items()):
            if now - room.created_s > ROOM_TTL_S:
                del self._rooms[code]
        while len(self._rooms) >= MAX_OPEN:
            del self._rooms[min(self._rooms, key=lambda c: self._rooms[c].created_s)]

    def create(self, owner: int | None, now: float | None = None) -> Room:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._forget_old(now)
            while True:
                code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
                if code not in self._rooms:
                    break
            room = Room(owner, code, now)
            self._rooms[code] = room
            return room

    def watch(self, code: str, owner: int | None) -> Room:
        """The big screen that asked for ``code`` watches its room."""
        with self._lock:
            room = self._rooms.get(code)
        if room is None or room.owner != owner:
            raise ToelabError("no such pairing code", hint="ask for a new code on the big screen")
        return room

    def join(self, code: str, owner: int | None, now: float | None = None) -> Room:
        """The phone enters the code: once, within the code's time, as the same account."""
        now = time.monotonic() if now is None else now
        with self._lock:
            room = self._rooms.get(code.strip())
            if room is None:
                self._wrong += 1
                if self._wrong >= MAX_WRONG_CODES:  # someone is guessing: no open code can be found
                    self._rooms = {c: r for c, r in self._rooms.items() if r.used}
                    self._wrong = 0
                raise ToelabError("no such code", hint="check the code on the big screen")
            if room.owner != owner:
                raise PermissionError("this code belongs to another account")
            if room.used:
                raise ToelabError("this code was already used", hint="ask for a new code on the big screen")
            if now - room.created_s > self.code_ttl_s:
                raise ToelabError("this code has expired", hint="ask for a new code on the big screen")
            room.used = True
            return room

    def room(self, token: str, owner: int | None) -> Room | None:
        """The room a phone's camera connection names, when it may use it."""
        with self._lock:
            for room in self._rooms.values():
                if room.used and secrets.compare_digest(room.token, token) and room.owner == owner:
                    return room
        return None


def pairings_of(connection: HTTPConnection) -> Pairings:
    pairings: Pairings = connection.app.state.pairings
    return pairings


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as a standalone SVG document (segno: ISO/IEC 18004); with its
    namespace, so the page can show it as an image."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", xmldecl=False, scale=6, dark="#1d2a33", light="#ffffff")
    return out.getvalue().decode("utf-8")


class JoinRequest(BaseModel):
    code: str = Field(min_length=1, max_length=20)


router = APIRouter()


@router.post("/api/pair")
def pair_create(request: Request, _: Annotated[Any, Depends(signed_in)]) -> PairCode:
    """A new code for this (big) screen, with a QR code of the address a phone opens."""
    pairings = pairings_of(request)
    room = pairings.create(_owner(request))
    address = f"{str(request.base_url).rstrip('/')}/?pair={room.code}"
    return PairCode(code=room.code, url=address, qr_svg=qr_svg(address), expires_in_s=pairings.code_ttl_s)


@router.post("/api/pair/join")
def pair_join(given: JoinRequest, request: Request, _: Annotated[Any, Depends(signed_in)]) -> PairRoom:
    """The phone joins the big screen's room: the answer's ``room`` goes with its camera connection."""
    try:
        room = pairings_of(request).join(given.code, _owner(request))
    except PermissionError as refused:
        refuse(request, 403, str(refused))
    return PairRoom(room=room.token)


@router.websocket("/ws/pair")
async def pair_watch(websocket: WebSocket, _: Annotated[Any, Depends(signed_in)], code: str = "") -> None:
    """The big screen: told when the phone's camera connects, then every message of its live session."""
    try:
        room = pairings_of(websocket).watch(code, _owner(websocket))
    except ToelabError as error:
        refuse(websocket, 403, error.message)
    await websocket.accept()
    room.watchers.add(websocket)
    try:
        if room.used:
            await websocket.send_json({"type": "paired"})
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass  # the big screen only listens
    except WebSocketDisconnect:
        pass
    finally:
        room.watchers.discard(websocket)


async def phone_room(websocket: WebSocket, token: str) -> Room | None:
    """The room a phone's camera connection names (``pair``), told that the phone is here;
    None without one; a room that is not this account's is refused."""
    if not token:
        return None
    room = pairings_of(websocket).room(token, _owner(websocket))
    if room is None:
        refuse(websocket, 403, "this pairing is not open: enter a new code from the big screen")
    await room.broadcast('{"type": "paired"}')
    return room
