"""The FastAPI app behind ``toelab serve``: the page, its static files, a few JSON routes and
the live camera WebSocket. Thin: it calls track/, analysis/ and protocols/."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Annotated, Any

import cv2
import numpy as np
from fastapi import FastAPI, File, Form, UploadFile, WebSocket
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from toelab import __version__
from toelab.errors import ToelabError
from toelab.paths import toelab_home
from toelab.web.live import LiveConnection
from toelab.web.sessions import last_sessions, save_session

STATIC = Path(__file__).parent / "static"
MAX_SONG_BYTES = 50 * 1024 * 1024


def _protocols() -> dict[str, Any]:
    from toelab.protocols import BATTERY, EXERCISES
    from toelab.protocols.red_flags import FLAGS

    return {
        "battery": [dataclasses.asdict(test) for test in BATTERY],
        "exercises": [dataclasses.asdict(exercise) for exercise in EXERCISES],
        "red_flags": [dataclasses.asdict(flag) | {"when": flag.when} for flag in FLAGS.values()],
    }


def _image(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ToelabError("the picture is not a readable image")
    return image


def create_app(home: Path | None = None) -> FastAPI:
    """The app; session files go to ``<home>/sessions`` (default: the toelab data folder)."""
    sessions = (home or toelab_home()) / "sessions"
    app = FastAPI(title="toelab", version=__version__, docs_url=None, redoc_url=None)

    @app.exception_handler(ToelabError)
    async def _toelab_error(_request: Any, error: ToelabError) -> JSONResponse:
        return JSONResponse({"message": error.message, "hint": error.hint}, status_code=422)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/api/protocols")
    def protocols() -> dict[str, Any]:
        return _protocols()

    @app.post("/api/propose")
    def propose(
        frame: Annotated[UploadFile, File()],
        view: Annotated[str, Form()] = "front",
        mirrored: Annotated[bool, Form()] = False,
    ) -> dict[str, Any]:
        from toelab.track.points import propose_points

        image = _image(frame.file.read())
        proposal = propose_points(image, view, mirrored=mirrored)
        return {
            "ok": proposal.ok,
            "confidence": proposal.confidence,
            "message": proposal.message,
            "points": [p.to_json() for p in proposal.points],
            "width": image.shape[1],
            "height": image.shape[0],
        }

    @app.post("/api/beats")
    def beats(song: Annotated[UploadFile, File()]) -> dict[str, Any]:
        from toelab.analysis.beats import beats_from_audio
        from toelab.io.audio import read_audio

        data = song.file.read(MAX_SONG_BYTES + 1)
        if len(data) > MAX_SONG_BYTES:
            raise ToelabError("the song file is larger than 50 MB", hint="use a shorter piece")
        suffix = Path(song.filename or "song").suffix[:8]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"song{suffix}"
            path.write_bytes(data)
            samples, rate_hz, start_s = read_audio(path)
        track = beats_from_audio(samples, rate_hz, start_s)
        return {
            "beat_times_s": [float(b) for b in track.beat_times_s],
            "tempo_bpm": track.tempo_bpm,
            "kind": track.kind,
            "confidence": track.confidence,
            "warnings": list(track.warnings),
        }

    @app.get("/api/sessions")
    def sessions_list(limit: int = 10) -> list[dict[str, Any]]:
        return last_sessions(sessions, limit)

    @app.post("/api/sessions")
    def sessions_add(record: dict[str, Any]) -> dict[str, Any]:
        if record.get("task") != "logged":
            raise ToelabError("only exercises logged by hand can be added this way")
        if not isinstance(record.get("exercise_id"), str):
            raise ToelabError("a logged exercise needs its exercise_id")
        return save_session(sessions, record)

    @app.websocket("/ws/live")
    async def live(websocket: WebSocket) -> None:
        await LiveConnection(websocket, sessions).run()

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
