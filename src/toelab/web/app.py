"""The FastAPI app behind ``toelab serve``: the page, its static files, a few JSON routes and
the live camera WebSocket. Thin: it calls track/, analysis/ and protocols/."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import cv2
import numpy as np
from fastapi import Depends, FastAPI, File, Form, Request, UploadFile, WebSocket
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from toelab import __version__
from toelab.errors import ToelabError
from toelab.paths import toelab_home
from toelab.web.auth import Clinic, ClinicGate, HomeGate, clinic_router, signed_in
from toelab.web.coach import router as coach_router
from toelab.web.coach_api import router as coach_api_router
from toelab.web.keeping import OpenRuns, RunKeeper
from toelab.web.live import LiveConnection
from toelab.web.page_words import vocabulary
from toelab.web.pairing import Pairings, phone_room
from toelab.web.pairing import router as pairing_router
from toelab.web.people import current_person_id, web_store
from toelab.web.quotas import OverQuota, RecordQuota
from toelab.web.records_api import router as records_router
from toelab.web.responses import ProposedPoints, Protocols, SessionRecord, SongBeats, Vocabulary
from toelab.web.security import (
    BodyLimitMiddleware,
    Limits,
    SecurityHeadersMiddleware,
    TooLarge,
    check_duration,
    check_image_size,
    read_upload,
    saved_upload,
)
from toelab.web.sessions import last_sessions, save_session, stored_person

STATIC = Path(__file__).parent / "static"


def _protocols() -> Protocols:
    from toelab.protocols import BATTERY, EXERCISES
    from toelab.protocols.red_flags import FLAGS
    from toelab.tasks import TASKS

    return Protocols.model_validate(
        {
            "battery": [
                dataclasses.asdict(test) | {"page": TASKS[test.task].page_rules()} for test in BATTERY
            ],
            "exercises": [dataclasses.asdict(exercise) for exercise in EXERCISES],
            "red_flags": [dataclasses.asdict(flag) | {"when": flag.when} for flag in FLAGS.values()],
        }
    )


# Modules the routes import on first use, imported before serving: concurrent first requests
# importing one package from several threads at once could see it half initialised (HTTP 500).
ROUTE_MODULES = (
    "toelab.protocols",
    "toelab.protocols.red_flags",
    "toelab.track.points",
    "toelab.analysis.beats",
    "toelab.analysis.rhythm",
    "toelab.io.audio",
    "toelab.tasks",
    "toelab.tasks.rhythm",
    "toelab.report",
    "toelab.report.html",
    "toelab.track.setup_check",
    "toelab.protocols.calendar",
)


def import_route_modules() -> None:
    for module in ROUTE_MODULES:
        importlib.import_module(module)


def _image(data: bytes, kind: str, limits: Limits) -> np.ndarray:
    # the size from the header, before any decoder allocates it (a 1 MB PNG can declare 30000x30000)
    check_image_size(data, kind, limits.image_pixels)
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ToelabError("the picture is not a readable image")
    return image


def _sessions_of(folder: Path, clinic: Clinic | None, person_id: int) -> Path:
    """Where a person's session files go: one folder per person (a household's files from
    before are read from ``folder`` itself, see ``sessions_list``)."""
    return folder / f"person-{person_id}"


def create_app(
    home: Path | None = None,
    *,
    clinic: Clinic | None = None,
    limits: Limits | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """The app; the records go to ``<home>`` (default: the toelab data folder): the database
    (unless ``$TOELAB_DATABASE_URL`` names one) and the tracks beside it, and each run's summary
    in plain words as a file under ``<home>/sessions`` (what the Results screen lists).

    With ``clinic`` every page but the sign-in needs an account (clinic mode); ``limits`` caps
    uploads and live frames; ``allowed_hosts`` refuses other Host names (DNS rebinding).
    """
    import_route_modules()
    home = home or toelab_home()
    sessions = home / "sessions"
    limits = limits or Limits()
    # no generated API pages or schema: every route the app serves declares who may use it
    app = FastAPI(title="toelab", version=__version__, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.home = home
    app.state.clinic = clinic
    # opened on first use (toelab.web.people.web_store); the clinic's accounts live in the same one
    app.state.store = None if clinic is None else clinic.store
    app.state.open_runs = OpenRuns()
    quota = RecordQuota()
    app.state.limits = limits
    app.include_router(records_router)
    app.include_router(coach_router)
    app.include_router(coach_api_router)
    app.state.pairings = Pairings()
    app.include_router(pairing_router)
    # the first added runs last: headers go on every answer, refusals included
    app.add_middleware(BodyLimitMiddleware, limits=limits)
    if clinic is None:
        app.add_middleware(HomeGate)
    else:
        app.add_middleware(ClinicGate, clinic=clinic)
        app.include_router(clinic_router(clinic))
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeadersMiddleware)

    @app.exception_handler(ToelabError)
    async def _toelab_error(_request: Any, error: ToelabError) -> JSONResponse:
        status = 413 if isinstance(error, TooLarge) else 429 if isinstance(error, OverQuota) else 422
        return JSONResponse({"message": error.message, "hint": error.hint}, status_code=status)

    @app.get("/", include_in_schema=False, dependencies=[Depends(signed_in)])
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/api/protocols", dependencies=[Depends(signed_in)])
    def protocols() -> Protocols:
        return _protocols()

    @app.get("/api/vocabulary", dependencies=[Depends(signed_in)])
    def words() -> Vocabulary:
        return vocabulary()

    @app.post("/api/propose", dependencies=[Depends(signed_in)])
    def propose(
        frame: Annotated[UploadFile, File()],
        view: Annotated[str, Form()] = "front",
        mirrored: Annotated[bool, Form()] = False,
    ) -> ProposedPoints:
        from toelab.track.points import propose_points

        image = _image(*read_upload(frame, "image", limits.image_bytes), limits)
        proposal = propose_points(image, view, mirrored=mirrored)
        return ProposedPoints(
            ok=proposal.ok,
            confidence=proposal.confidence,
            message=proposal.message,
            points=[p.to_json() for p in proposal.points],
            width=image.shape[1],
            height=image.shape[0],
        )

    @app.post("/api/beats", dependencies=[Depends(signed_in)])
    def beats(song: Annotated[UploadFile, File()]) -> SongBeats:
        from toelab.analysis.beats import beats_from_audio
        from toelab.io.audio import SoundTooLong, read_audio

        # never by its name: the kind from its first bytes, a generated name, its length before decoding
        data, kind = read_upload(song, "audio", limits.audio_bytes)
        with saved_upload(data, kind) as path:
            check_duration(path, limits.media_duration_s)
            try:
                samples, rate_hz, start_s = read_audio(
                    path, max_duration_s=limits.media_duration_s, max_sample_rate_hz=limits.audio_rate_hz
                )
            except ToelabError as error:  # its message names the generated file, which means nothing
                refusal = TooLarge if isinstance(error, SoundTooLong) else ToelabError
                raise refusal(error.message, hint=error.hint) from None
        track = beats_from_audio(samples, rate_hz, start_s)
        return SongBeats(
            beat_times_s=[float(b) for b in track.beat_times_s],
            tempo_bpm=track.tempo_bpm,
            kind=track.kind,
            confidence=track.confidence,
            warnings=list(track.warnings),
        )

    @app.get("/api/sessions")
    def sessions_list(
        request: Request,
        person_id: Annotated[int, Depends(current_person_id)],
        limit: int = 10,
        offset: int = 0,
    ) -> list[SessionRecord]:
        folder = _sessions_of(sessions, clinic, person_id)
        if clinic is not None:
            return [SessionRecord.model_validate(r) for r in last_sessions(folder, limit, offset)]
        # a household's files from before each person had a folder: each goes to the person
        # it was kept for, one that names no one to the household's first person
        first = min(p.id for p in web_store(request).people.all())
        records = last_sessions(
            folder,
            limit,
            offset,
            shared=sessions,
            owns=lambda record: (stored_person(record) or first) == person_id,
        )
        return [SessionRecord.model_validate(r) for r in records]

    @app.post("/api/sessions")
    def sessions_add(
        record: dict[str, Any], person_id: Annotated[int, Depends(current_person_id)]
    ) -> SessionRecord:
        if record.get("task") != "logged":
            raise ToelabError("only exercises logged by hand can be added this way")
        if not isinstance(record.get("exercise_id"), str):
            raise ToelabError("a logged exercise needs its exercise_id")
        quota.admit(person_id, record)
        return SessionRecord.model_validate(save_session(_sessions_of(sessions, clinic, person_id), record))

    @app.websocket("/ws/live")
    async def live(
        websocket: WebSocket, person_id: Annotated[int, Depends(current_person_id)], pair: str = ""
    ) -> None:
        folder = _sessions_of(sessions, clinic, person_id)
        room = await phone_room(websocket, pair)  # a big screen showing this phone's session
        keeper = RunKeeper(web_store(websocket), person_id, app.state.open_runs)
        mirror = None if room is None else room.broadcast
        await LiveConnection(websocket, folder, keeper, limits, mirror).run()

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
