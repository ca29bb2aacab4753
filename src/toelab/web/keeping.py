"""Live runs kept in a person's records.

A test of the battery is one assessment session; each of its steps that the page records on
its own (the tremor test's rest and holding steps, the musical-toes tempos) becomes one trial
of that session. The page names the run (``extra.run``) and says which step is its last
(``extra.last``); a run the page never finishes stays in progress until the store marks it
interrupted, keeping the steps already done. A training run (the camera-judged exercises
and musical toes outside the battery) is a training session with one trial, and counts as
that exercise done in the person's plan.

The tracks go with each trial, so a later version of toelab can analyse them again.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import date
from typing import Any, Protocol

from toelab.protocols import EXERCISES
from toelab.protocols.context import TremorContext
from toelab.recording import Recording
from toelab.store import Store
from toelab.store.outcomes import add_outcome_trial, log_exercise, trial_parameters
from toelab.tasks import TASKS, TaskOutcome

CAMERA_DEVICE = "camera (toelab serve)"
EXERCISE_IDS = frozenset(e.id for e in EXERCISES)


class RunRequest(Protocol):
    """What the page asked of a run, as far as keeping it needs (``web.live.StartRequest``)."""

    @property
    def task(self) -> str: ...
    @property
    def target(self) -> tuple[int, ...]: ...
    @property
    def label(self) -> str: ...
    @property
    def extra(self) -> dict[str, Any]: ...
    @property
    def condition(self) -> str | None: ...


class FinishedRun(Protocol):
    """A live run to keep (``web.live.LiveSession``): its request, its tracks and, for a task,
    its analysis."""

    @property
    def request(self) -> RunRequest: ...
    @property
    def outcome(self) -> TaskOutcome | None: ...
    def recording(self) -> Recording: ...


def tremor_context(extra: dict[str, Any]) -> TremorContext | None:
    """The tremor context the page sent with a run, checked; None when there is none."""
    given = extra.get("context")
    if not given:
        return None
    return TremorContext.from_dict(given)


class OpenRuns:
    """The sessions of runs still going, by person and the page's run name: shared by the app,
    so a run goes on in the same session when the page reconnects between its steps.

    Each run has its own lock, so the steps of one run are kept one after the other (the second
    step must find the session the first one started) while other runs and other people are
    kept at the same time: writing a track file and committing never waits for someone else's.
    """

    def __init__(self) -> None:
        self.sessions: dict[tuple[int, str], int] = {}
        self._locks: dict[tuple[int, str], threading.Lock] = {}
        self._guard = threading.Lock()  # held only to look up or drop a run's lock

    def lock_for(self, key: tuple[int, str]) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def close(self, key: tuple[int, str]) -> None:
        """The run is over: its session is finished and its lock is no longer needed."""
        with self._guard:
            self.sessions.pop(key, None)
            self._locks.pop(key, None)

    def keep_open(self, key: tuple[int, str], session_id: int) -> None:
        with self._guard:
            self.sessions[key] = session_id

    def session_of(self, key: tuple[int, str]) -> int | None:
        with self._guard:
            return self.sessions.get(key)


class RunKeeper:
    """Keeps one connection's live runs for one person."""

    def __init__(self, store: Store, person_id: int, runs: OpenRuns | None = None):
        self.store = store
        self.person_id = person_id
        self.runs = runs or OpenRuns()

    def keep(self, live: FinishedRun, record: dict[str, Any]) -> dict[str, Any]:
        """Store one finished run (or step of a run); returns where it went."""
        request = live.request
        extra = request.extra
        recording = live.recording()
        kind = "assessment" if extra.get("test_id") else "training"
        run = str(extra.get("run") or "")
        last = not run or bool(extra.get("last", True))
        key = (self.person_id, run)
        # a run without a name is one step alone: nobody else can reach its session
        with self.runs.lock_for(key) if run else contextlib.nullcontext():
            session_id = self.runs.session_of(key) if run else None
            if session_id is None:
                session_id = self.store.sessions.start(
                    self.person_id,
                    kind,
                    device=CAMERA_DEVICE,
                    fps=recording.meta.fps,
                    context=tremor_context(extra),
                ).id
            if live.outcome is None:
                feet = sorted(record.get("reps", {}))
                trial = self.store.sessions.add_trial(
                    session_id,
                    "exercise",
                    feet[0] if len(feet) == 1 else "both",
                    toes=request.target,
                    parameters={
                        "exercise_id": extra.get("exercise_id"),
                        "label": request.label,
                        "reps": record.get("reps", {}),
                        "clean_reps": record.get("clean_reps", {}),
                    },
                    recording=recording,
                )
            else:
                outcome = live.outcome
                parameters = trial_parameters(outcome, source="camera", condition=request.condition)
                if extra.get("condition"):
                    parameters["step"] = str(extra["condition"])
                trial = add_outcome_trial(self.store, session_id, outcome, recording, parameters=parameters)
            if last:
                self.store.sessions.finish(session_id)
                if run:
                    self.runs.close(key)
            else:
                self.runs.keep_open(key, session_id)
        marked = False
        task = TASKS.get(request.task)
        exercise_id = extra.get("exercise_id") or (task.exercise_id if task is not None else None)
        if kind == "training" and last and exercise_id in EXERCISE_IDS:
            clean = sum(record.get("clean_reps", {}).values())
            _, marked = log_exercise(
                self.store,
                self.person_id,
                exercise_id,
                date.today(),
                reps=clean or None,
                comment=request.label,
            )
        return {
            "person_id": self.person_id,
            "session_id": session_id,
            "trial_id": trial.id,
            "kind": kind,
            "plan_marked": marked,
        }
