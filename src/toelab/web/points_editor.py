"""The page of ``toelab points --edit``: one still picture, its proposed points, and a Save
button that writes the points file ``--points`` takes.

A tiny app of its own (not ``toelab serve``): bound to 127.0.0.1 on a free port, reachable
only under a random path (another local program or a web page cannot save through it), and
stopped once the points are saved. The page reuses the trainer's point editor
(``static/point-editor.js``).
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from toelab.errors import ToelabError
from toelab.track.points import FootPoints, Proposal, parse_points
from toelab.web.page_words import vocabulary
from toelab.web.responses import EditorSetup
from toelab.web.security import SecurityHeadersMiddleware

STATIC = Path(__file__).parent / "static"
# the only files the page needs
_PAGE_FILES = {"points.html", "points-page.js", "point-editor.js", "dom.js", "style.css"}
_WAIT_STEP_S = 0.2


class _Editing:
    """What the page shows and what it saved."""

    def __init__(self, frame: np.ndarray, proposal: Proposal, view: str, out: Path):
        ok, png = cv2.imencode(".png", frame)
        if not ok:
            raise ToelabError("the picture could not be shown on the page")
        self.png = png.tobytes()
        self.width, self.height = frame.shape[1], frame.shape[0]
        self.proposal = proposal
        self.view = view
        self.out = out
        self.saved: list[FootPoints] | None = None
        self.done = threading.Event()

    def save(self, data: object) -> list[FootPoints]:
        feet = parse_points(data, "the page's points", (self.width, self.height))
        body = [foot.to_json() for foot in feet]
        text = json.dumps(body[0] if len(body) == 1 else body, indent=2) + "\n"
        try:
            self.out.write_text(text, encoding="utf-8")
        except OSError as error:
            raise ToelabError(f"could not write the points file: {error.strerror}", self.out) from error
        self.saved = feet
        self.done.set()
        return feet


def editor_app(editing: _Editing, token: str) -> FastAPI:
    """The page's app; every route sits under ``/<token>/``."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SecurityHeadersMiddleware)

    def check(given: str) -> None:
        if not secrets.compare_digest(given, token):
            raise HTTPException(404)

    @app.get("/{given}/")
    def page(given: str) -> FileResponse:
        check(given)
        return FileResponse(STATIC / "points.html")

    @app.get("/{given}/static/{name}")
    def static(given: str, name: str) -> FileResponse:
        check(given)
        if name not in _PAGE_FILES:
            raise HTTPException(404)
        return FileResponse(STATIC / name)

    @app.get("/{given}/frame.png")
    def frame(given: str) -> Response:
        check(given)
        return Response(editing.png, media_type="image/png", headers={"cache-control": "no-store"})

    @app.get("/{given}/setup")
    def setup(given: str) -> EditorSetup:
        check(given)
        proposal = editing.proposal
        return EditorSetup(
            view=editing.view,
            words=vocabulary(),
            confident=proposal.ok,
            message=proposal.message,
            points=[foot.to_json() for foot in proposal.points],
            out=str(editing.out),
        )

    @app.post("/{given}/save")
    async def save(given: str, request: Request) -> JSONResponse:
        check(given)
        try:
            data = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return JSONResponse({"message": "the page sent no points"}, status_code=422)
        try:
            editing.save(data)
        except ToelabError as error:
            return JSONResponse({"message": str(error)}, status_code=422)
        return JSONResponse({"saved": str(editing.out)})

    return app


def edit_points(
    frame: np.ndarray,
    proposal: Proposal,
    view: str,
    out: Path,
    *,
    open_browser: bool = True,
    announce: Callable[[str], None] = print,
) -> list[FootPoints]:
    """Serve the page until the person presses Save; the saved points (also written to ``out``).

    ``announce(url)`` tells where the page is. Interrupted (Ctrl+C) before saving, nothing is
    written and a ToelabError says so.
    """
    import uvicorn

    editing = _Editing(frame, proposal, view, out)
    token = secrets.token_urlsafe(16)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(editor_app(editing, token), log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise ToelabError("the page for the points could not start")
            threading.Event().wait(0.05)
        url = f"http://127.0.0.1:{port}/{token}/"
        announce(url)
        if open_browser:
            webbrowser.open(url)
        while not editing.done.wait(_WAIT_STEP_S):
            if not thread.is_alive():
                raise ToelabError("the page for the points stopped before they were saved")
    except KeyboardInterrupt:
        raise ToelabError("stopped before the points were saved: nothing was written") from None
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
    assert editing.saved is not None  # set with done
    return editing.saved
