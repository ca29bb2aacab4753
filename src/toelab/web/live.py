"""The live camera session: JPEG frames in over a WebSocket, per-toe state out.

Protocol (one WebSocket per camera stream):

* text ``{"type": "start", "task": ..., "points": [...], "target": [1], "hold_s": null,
  "beat_times_s": [...], "label": ...}`` — the next frame becomes the tracker's first frame;
  ``task`` is ``isolation``, ``rhythm``, ``tremor``, ``rom`` (the figures computed at the end)
  or ``train`` (live feedback only); checked by :class:`toelab.web.contracts.StartRequest`;
* binary frames: ``HEADER`` (uint32 sequence number, float64 capture time in ms on the
  page's clock) followed by the JPEG bytes; the server answers each with a ``state``
  message carrying the same sequence number, or ``dropped`` when it is still busy;
* text ``{"type": "target", "target": [2], "step": "lift_toe2"}`` — the live bars score other
  toes from the next frame on (the next step of a test recorded in one run; ``step`` names
  it, as ``extra.step`` names the first); answered ``{"type": "targeted"}``; an isolation
  run's summary carries each step's figures (``steps``); checked by
  :class:`toelab.web.contracts.TargetRequest`;
* text ``{"type": "stop"}`` — the server answers ``summary`` with the task's figures in
  plain words, and keeps them as a session file and, with a :class:`RunKeeper`, in the
  person's records (see :mod:`toelab.web.keeping`).

Tracking runs in one worker thread per stream, so the event loop never waits on OpenCV.
"""

from __future__ import annotations

import asyncio
import json
import logging
import struct
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from starlette.websockets import WebSocket, WebSocketDisconnect

from toelab.analysis.live import LiveScorer, beat_asynchrony_ms
from toelab.errors import ToelabError
from toelab.protocols.cards import Findings, cards_for
from toelab.recording import Recording, RecordingMeta
from toelab.tasks import TASKS, TaskOutcome, json_safe, rows_for, run_task
from toelab.track.points import VIEW_POINTS, parse_points
from toelab.track.tracker import FrameState, ToeTracker
from toelab.track.video import floor_signals, foot_motion_signals
from toelab.web.contracts import StartRequest, parse_start, parse_target
from toelab.web.keeping import RunKeeper
from toelab.web.security import FrameGuard, FrameRefused, Limits
from toelab.web.sessions import save_session

logger = logging.getLogger(__name__)
HEADER = struct.Struct("<Id")
# what the page hears when something unforeseen goes wrong: the details go to the server's log
UNFORESEEN = "Something went wrong on the toelab server while"
# frames waiting for the worker; the page keeps at most two in flight, so more means it lags
MAX_QUEUED = 2


class LiveSession:
    """One run: the tracker, a live scorer per foot (front view) and the recorded tracks."""

    def __init__(
        self,
        request: StartRequest,
        first_frame: np.ndarray,
        time_s: float,
        first_colour: np.ndarray | None = None,
    ):
        size = (first_frame.shape[1], first_frame.shape[0])
        self.request = request
        self.points = parse_points([p.to_json() for p in request.points], "calibration", size)
        self.view = self.points[0].view
        self.tracker = ToeTracker(
            self.points,
            first_frame,
            time_s,
            first_colour=first_colour,
            follow_floor=request.task in TASKS and TASKS[request.task].reads_camera_motion,
        )
        self.names = [fp.landmark(p) for fp in self.points for p in VIEW_POINTS[fp.view]]
        self.scorers = (
            {fp.foot: LiveScorer(request.target, request.hold_s) for fp in self.points}
            if self.view == "front"
            else {}
        )
        self.frame_size = size
        self._times: list[float] = []
        self._xy: list[list[tuple[float, float]]] = []
        self._confidence: list[list[float]] = []
        # each foot's own motion in the picture per frame (front view): the tremor test tells
        # the foot's shaking from the toes' with it, as on a video file (analysis.shaking_part)
        self._motion: list[list[tuple[float, float, float, float]]] = []
        self._floor: list[list[tuple[float, float]]] = []  # the floor's shift at the toes: the camera's
        self.lift_events: list[dict[str, Any]] = []
        # each step of a test recorded in one run: its start, its toes, its id
        self.step_marks: list[tuple[float, tuple[int, ...], str | None]] = [
            (time_s, request.target, request.extra.get("step"))
        ]
        self.outcome: TaskOutcome | None = None  # the task's analysis, once summarised
        self.last_state = self._collect(self.tracker.initial_state)

    @property
    def last_time_s(self) -> float:
        return self._times[-1]

    def update(self, frame: np.ndarray, time_s: float) -> dict[str, Any]:
        if time_s <= self._times[-1]:
            raise ToelabError("a frame arrived with an older capture time than the one before")
        return self._collect(self.tracker.update(frame, time_s))

    def retarget(self, target: tuple[int, ...], step: str | None = None) -> None:
        """The toes the live scorers watch from the next frame on (the next step)."""
        self.step_marks.append((self._times[-1], target, step))
        for scorer in self.scorers.values():
            scorer.retarget(target)

    def _collect(self, state: FrameState) -> dict[str, Any]:
        self._times.append(state.time_s)
        self._xy.append([state.points[n].xy for n in self.names])
        self._confidence.append([state.points[n].confidence for n in self.names])
        unknown = (np.nan, np.nan, np.nan, np.nan)
        self._motion.append([state.foot_motion.get(fp.foot, unknown) for fp in self.points])
        self._floor.append([state.floor_shift.get(fp.foot, (np.nan, np.nan)) for fp in self.points])
        feet: dict[str, Any] = {}
        for fp in self.points:
            points = [state.points[fp.landmark(p)] for p in VIEW_POINTS[fp.view]]
            foot: dict[str, Any] = {
                "confidence": [p.confidence for p in points],
                "xy": [p.xy for p in points],
            }
            if self.view == "side":
                foot["angle_deg"] = state.hallux_angle_deg.get(fp.foot)
            else:
                # the foot's shift from the first frame: the page draws the points on the picture
                foot["motion"] = list(state.foot_motion.get(fp.foot, (0.0, 0.0, 0.0, 1.0)))
                lifts = [p.lift if p.confidence > 0 else np.nan for p in points]
                live = self.scorers[fp.foot].update(state.time_s, lifts)
                foot["live"] = live.as_dict()
                if live.finished_rep is not None:
                    event = {"foot": fp.foot, **live.finished_rep.as_dict()}
                    if self.request.beat_times_s:
                        event["asynchrony_ms"] = beat_asynchrony_ms(
                            live.finished_rep.peak_s, self.request.beat_times_s
                        )
                    self.lift_events.append(event)
                    foot["rep"] = event
            feet[fp.foot] = foot
        return {"type": "state", "time_s": state.time_s, "feet": feet}

    def recording(self) -> Recording:
        """The run as a Recording, the same shape a tracked video file gives."""
        times = np.asarray(self._times)
        xy = np.asarray(self._xy, dtype=float)
        confidence = np.asarray(self._confidence, dtype=float)
        meta = RecordingMeta(
            fps=float(1.0 / np.median(np.diff(times))) if times.size > 1 else None,
            foot=self.points[0].foot if len(self.points) == 1 else "both",
            view=self.view,
            units="px",
            vertical_axis="-y",
            source="camera",
            extra={
                "foot_width_px": {fp.foot: fp.size_px for fp in self.points if fp.view == "front"},
                "foot_length_px": {fp.foot: fp.size_px for fp in self.points if fp.view == "side"},
                "points": [fp.to_json() for fp in self.points],
                "toes_told_from_floor": self.tracker.toes_told_from_floor,
                "foot_body_features_on_skin_pct": self.tracker.body_features_on_skin_pct,
                "foot_body_followed_on_skin_pct": self.tracker.body_followed_on_skin_pct,
                "motion_compensated": self.view == "front",
                "width": self.frame_size[0],
                "height": self.frame_size[1],
            },
        )
        signals: dict[str, np.ndarray] = {}
        if self.view == "front":
            signals, units = foot_motion_signals(self.points, np.asarray(self._motion, dtype=float))
            floor, floor_units = floor_signals(
                self.points, np.asarray(self._floor, dtype=float), self.tracker.floor_followed
            )
            signals.update(floor)
            meta.signal_units.update(units | floor_units)
        return Recording(
            times,
            {n: xy[:, i] for i, n in enumerate(self.names)},
            {n: confidence[:, i] for i, n in enumerate(self.names)},
            signals,
            meta,
        )

    def summary(self) -> dict[str, Any]:
        """The run's figures (the task's analysis on the recorded tracks) in plain words."""
        task = self.request.task
        times = np.asarray(self._times)
        record: dict[str, Any] = {
            "type": "summary",
            "task": task,
            "label": self.request.label,
            "target": list(self.request.target),
            "duration_s": float(times[-1] - times[0]),
            "frames": int(times.size),
            "fps": float((times.size - 1) / (times[-1] - times[0])) if times.size > 1 else None,
            "reps": {foot: len(s.reps) for foot, s in self.scorers.items()},
            "clean_reps": {foot: sum(r.clean for r in s.reps) for foot, s in self.scorers.items()},
            "lift_events": self.lift_events,
            "extra": self.request.extra,
            "warnings": [],
        }
        if task == "train":
            return record
        if times.size < 10:
            raise ToelabError("the run was too short to measure: keep the camera on a few seconds longer")
        recording = self.recording()
        self.outcome = run_task(recording, self.request.options)
        record["warnings"].extend(self.outcome.warnings)
        figures = self.outcome.results
        record["results"] = figures
        feet = figures.get("feet") or {str(figures.get("foot")): figures}
        condition = self.request.condition
        record["rows"] = {
            foot: [list(r) for r in rows_for(task, f, condition=condition)] for foot, f in feet.items()
        }
        findings = Findings()
        for f in feet.values():
            findings = findings.merged(TASKS[task].findings(f, condition))
        steps = TASKS[task].step_figures(self.outcome, recording, self.step_marks)
        if steps is not None:
            record["steps"] = steps
        record["cards"] = [
            {
                "id": c.card.id,
                "kind": c.card.kind,
                "title": c.card.title,
                "text": c.card.text,
                "reason": c.reason,
                "exercises": list(c.card.exercises),
            }
            for c in cards_for(findings, general=False)
        ]
        return record


def decode_frame(data: bytes) -> tuple[int, float, np.ndarray]:
    """Sequence number, capture time (s) and the grey image of one binary frame message."""
    if len(data) <= HEADER.size:
        raise ToelabError("a frame message is too short")
    seq, capture_ms = HEADER.unpack_from(data)
    image = cv2.imdecode(np.frombuffer(data, np.uint8, offset=HEADER.size), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ToelabError("a frame is not a readable JPEG image")
    return seq, capture_ms / 1000.0, image


def decode_colour(data: bytes) -> np.ndarray | None:
    """The colour image of one binary frame message (the first frame of a run: its colours tell
    the toes' skin from the floor); None when it cannot be read."""
    return cv2.imdecode(np.frombuffer(data, np.uint8, offset=HEADER.size), cv2.IMREAD_COLOR)


class LiveConnection:
    """Serves one WebSocket: frames to the worker thread, state back to the page."""

    def __init__(
        self,
        websocket: WebSocket,
        sessions_folder: Path,
        keeper: RunKeeper | None = None,
        limits: Limits | None = None,
        mirror: Callable[[str], Awaitable[None]] | None = None,
    ):
        self.ws = websocket
        self.mirror = mirror  # a paired big screen gets every message too (toelab.web.pairing)
        self.limits = limits or Limits()
        self.guard = FrameGuard(self.limits, HEADER.size)
        self.sessions_folder = sessions_folder
        self.keeper = keeper
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="toelab-live")
        self.session: LiveSession | None = None
        self.pending_start: StartRequest | None = None
        self.busy: set[asyncio.Task] = set()
        self.queued = 0

    async def run(self) -> None:
        await self.ws.accept()
        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                if message.get("bytes") is not None:
                    self._frame(message["bytes"])
                elif message.get("text") is not None:
                    await self._text(message["text"])
        except WebSocketDisconnect:
            pass
        finally:
            for task in list(self.busy):
                task.cancel()
            self.worker.shutdown(wait=False, cancel_futures=True)

    async def _send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(json_safe(payload), allow_nan=False)
        await self.ws.send_text(text)
        if self.mirror is not None:
            await self.mirror(text)

    async def _text(self, text: str) -> None:
        """A command, checked: a size a page sends, JSON, an object."""
        try:
            if len(text) > self.limits.json_bytes:
                raise ToelabError("a message is too large")
            try:
                message = json.loads(text)
            except json.JSONDecodeError:
                raise ToelabError("a message is not JSON") from None
            if not isinstance(message, dict):
                raise ToelabError("a message must be a JSON object")
        except ToelabError as error:
            await self._send({"type": "error", "message": error.message, "hint": error.hint})
            return
        await self._command(message)

    def _frame(self, data: bytes) -> None:
        try:
            self.guard.check(data)
        except FrameRefused as refused:
            kind = {"type": "dropped"} if refused.dropped else {"type": "error", "hint": None}
            self._spawn(self._send({**kind, "message": refused.message, "seq": refused.seq}))
            return
        if self.queued >= MAX_QUEUED:
            seq = HEADER.unpack_from(data)[0] if len(data) >= HEADER.size else -1
            self._spawn(self._send({"type": "dropped", "seq": seq}))
            return
        self.queued += 1
        self._spawn(self._process(data))

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.busy.add(task)
        task.add_done_callback(self.busy.discard)

    async def _process(self, data: bytes) -> None:
        received = time.perf_counter()
        loop = asyncio.get_running_loop()
        # the sequence number goes back even with an error, so the page frees its slot
        seq = HEADER.unpack_from(data)[0] if len(data) >= HEADER.size else None
        try:
            _, time_s, image = decode_frame(data)
            reply = await loop.run_in_executor(self.worker, self._track, image, time_s, data)
        except ToelabError as error:
            reply = {"type": "error", "message": error.message, "hint": error.hint}
        except cv2.error:
            reply = {"type": "error", "message": "the tracker could not use this frame", "hint": None}
        except Exception:  # the page must get its answer, or its frame slot stays taken
            logger.exception("a live frame could not be tracked")
            reply = {"type": "error", "message": f"{UNFORESEEN} following this frame.", "hint": None}
        finally:
            self.queued -= 1
        reply.update(seq=seq, server_ms=1000.0 * (time.perf_counter() - received))
        await self._send(reply)

    def _track(self, image: np.ndarray, time_s: float, data: bytes) -> dict[str, Any]:
        """Runs in the worker thread."""
        if self.pending_start is not None:
            request, self.pending_start = self.pending_start, None
            self.session = LiveSession(request, image, time_s, first_colour=decode_colour(data))
            return self.session.last_state | {"started": True}
        if self.session is None:
            return {"type": "idle"}
        if time_s <= self.session.last_time_s:
            return {"type": "idle"}  # a repeated or reordered frame adds nothing
        return self.session.update(image, time_s)

    def _retarget(self, target: tuple[int, ...], step: str | None) -> None:
        """Runs in the worker thread, between frames."""
        if self.pending_start is not None:
            self.pending_start.target = target
            self.pending_start.extra["step"] = step
        elif self.session is not None:
            self.session.retarget(target, step)
        else:
            raise ToelabError("nothing is running: start first")

    async def _command(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        try:
            if kind == "start":
                request = parse_start(message)
                await self._drain()
                self.session, self.pending_start = None, request
                await self._send({"type": "armed", "task": request.task})
            elif kind == "target":
                # toes outside 1–5 are refused here, not in the worker
                given = parse_target(message)
                await asyncio.get_running_loop().run_in_executor(
                    self.worker, self._retarget, given.target, given.step
                )
                await self._send({"type": "targeted", "target": list(given.target)})
            elif kind == "stop":
                await self._drain()
                session, self.session = self.session, None
                if session is None:
                    raise ToelabError("nothing is running: start first")
                loop = asyncio.get_running_loop()
                record = await loop.run_in_executor(self.worker, session.summary)
                if session.request.task != "train" or message.get("keep"):
                    if self.keeper is not None:
                        try:
                            record["stored"] = await loop.run_in_executor(
                                self.worker, self.keeper.keep, session, record
                            )
                        except ToelabError as error:  # the figures are still worth showing
                            record["warnings"].append(f"Not kept in your records: {error.message}")
                    record = save_session(self.sessions_folder, record)
                await self._send(record)
            else:
                raise ToelabError(f"unknown message type {kind!r}")
        except ToelabError as error:
            await self._send({"type": "error", "message": error.message, "hint": error.hint})
        except WebSocketDisconnect:
            raise
        except Exception:  # the page waits for an answer to every command: it gets one
            logger.exception("the live command %r failed", kind)
            doing = {"stop": "working out the figures", "target": "moving to the next step"}.get(
                str(kind), "starting the run"
            )
            await self._send(
                {
                    "type": "error",
                    "message": f"{UNFORESEEN} {doing}.",
                    "hint": "Please run the test again; if this keeps happening, restart toelab serve.",
                }
            )

    async def _drain(self) -> None:
        """Wait for the frames already handed to the worker."""
        pending = [t for t in self.busy if not t.done()]
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
