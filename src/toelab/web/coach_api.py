"""What keeps people practising, on the server side: the set-up check before a test, the
plan as a calendar file, and the files that make the page installable (manifest, service
worker)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import cv2
import numpy as np
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, Response

from toelab.errors import ToelabError
from toelab.protocols.plan import Plan
from toelab.web.auth import signed_in
from toelab.web.people import current_person_id, web_store
from toelab.web.responses import SetupCheck
from toelab.web.security import Limits, check_image_size, read_upload

STATIC = Path(__file__).parent / "static"
router = APIRouter()


def _frame(upload: UploadFile, limits: Limits) -> np.ndarray:
    """One camera frame, checked as the live frames are (size before decoding)."""
    data, kind = read_upload(upload, "image", limits.ws_frame_bytes)
    check_image_size(data, kind, limits.ws_frame_pixels)
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ToelabError("a frame of the set-up check is not a readable image")
    return image


@router.post("/api/setup-check", dependencies=[Depends(signed_in)])
def setup_check(
    request: Request,
    still: Annotated[UploadFile, File()],
    frames: Annotated[list[UploadFile], File()],
    points: Annotated[str, Form()],
    times_s: Annotated[str, Form()],
) -> SetupCheck:
    """Is the whole forefoot in view, big enough, lit and steady? (see toelab.track.setup_check)"""
    from toelab.track.points import parse_points
    from toelab.track.setup_check import MAX_FRAMES, check_setup

    limits: Limits = request.app.state.limits
    if not 2 <= len(frames) <= MAX_FRAMES:
        raise ToelabError(f"the set-up check needs 2 to {MAX_FRAMES} frames")
    try:
        times = [float(t) for t in json.loads(times_s)]
        point_data = json.loads(points)
    except (ValueError, TypeError):
        raise ToelabError("points and times_s must be JSON: the toe points and one time per frame") from None
    picture = _frame(still, limits)
    feet = parse_points(point_data, "set-up points", (picture.shape[1], picture.shape[0]))
    checked = check_setup(picture, [_frame(f, limits) for f in frames], times, feet)
    return SetupCheck.model_validate(checked.as_dict())


@router.get("/api/plan.ics")
def plan_ics(
    request: Request,
    person_id: Annotated[int, Depends(current_person_id)],
    at: str = "18:00",
    other: str | None = None,
) -> Response:
    """The current plan as a calendar file at ``at``; a twice-daily exercise's other session
    at ``other`` (by default ten hours before an afternoon time, ten hours after a morning one)."""
    from datetime import datetime, timedelta

    from toelab.protocols.calendar import parse_time, plan_calendar

    first = parse_time(at)
    if other is None:
        shift = timedelta(hours=-10 if first.hour >= 12 else 10)
        second = (datetime.combine(datetime.min, first) + shift).time()
    else:
        second = parse_time(other)

    stored = web_store(request).plans.current(person_id)
    if stored is None:
        raise ToelabError("there is no plan yet", hint="choose the exercises of your plan first")
    plan: Plan = stored.plan
    body = plan_calendar(plan, [first, second], uid_prefix=f"toelab-{person_id}")
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="toelab-plan.ics"'},
    )


@router.get("/manifest.webmanifest", include_in_schema=False, dependencies=[Depends(signed_in)])
def manifest() -> FileResponse:
    return FileResponse(STATIC / "manifest.webmanifest", media_type="application/manifest+json")


# served from the root so that it may look after every page of the app, not only /static/
@router.get("/sw.js", include_in_schema=False, dependencies=[Depends(signed_in)])
def service_worker() -> FileResponse:
    return FileResponse(
        STATIC / "sw.js", media_type="text/javascript", headers={"Cache-Control": "no-cache"}
    )


@router.get("/api/foot-geometry", dependencies=[Depends(signed_in)])
def geometry() -> dict[str, object]:
    """The feet the diagrams draw, for the page's animated demonstrations."""
    from toelab.protocols.diagrams import foot_geometry

    return foot_geometry()
