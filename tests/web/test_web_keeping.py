"""Keeping live runs in a person's records: the steps of one run go into one session, one
after the other, while another run (or another person) is kept at the same time."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from toelab.recording import Recording, RecordingMeta
from toelab.store import open_store
from toelab.web.keeping import OpenRuns, RunKeeper


@dataclass
class Request:
    task: str = "train"
    target: tuple[int, ...] = (1,)
    label: str = "Toe lifts"
    extra: dict[str, Any] = field(default_factory=dict)
    condition: str | None = None


@dataclass
class Run:
    request: Request
    outcome: None = None

    def recording(self) -> Recording:
        time_s = np.arange(30) / 30.0
        xy = np.column_stack([np.full(30, 100.0), 200.0 - np.sin(time_s)])
        meta = RecordingMeta(fps=30.0, foot="right", view="front", units="px", source="camera")
        return Recording(time_s, {"right_toe1": xy}, {"right_toe1": np.ones(30)}, {}, meta)


def step(run: str, last: bool) -> Run:
    return Run(Request(extra={"run": run, "last": last, "exercise_id": "toe_isolation"}))


@pytest.fixture()
def store(tmp_path: Path):
    with open_store(home=tmp_path) as opened:
        yield opened


def test_the_steps_of_one_run_share_a_session_that_the_last_step_finishes(store):
    person = store.people.add("Ann")
    runs = OpenRuns()
    keeper = RunKeeper(store, person.id, runs)
    first = keeper.keep(step("lifts-1", last=False), {"reps": {"right": 3}})
    second = keeper.keep(step("lifts-1", last=True), {"reps": {"right": 2}})
    assert first["session_id"] == second["session_id"]
    assert store.sessions.get(first["session_id"]).status == "complete"
    assert len(store.sessions.trials(first["session_id"])) == 2
    # the run is over: nothing of it stays open
    assert runs.sessions == {} and runs.session_of((person.id, "lifts-1")) is None


def test_a_run_is_kept_while_another_run_is_being_written(store):
    ann, bob = store.people.add("Ann"), store.people.add("Bob")
    runs = OpenRuns()
    done = threading.Event()
    kept: dict[str, Any] = {}

    def keep_bob() -> None:
        kept.update(RunKeeper(store, bob.id, runs).keep(step("bob-1", last=True), {"reps": {"right": 1}}))
        done.set()

    # Ann's run is in the middle of being kept (its lock is held): Bob's does not wait for it
    with runs.lock_for((ann.id, "ann-1")):
        worker = threading.Thread(target=keep_bob)
        worker.start()
        assert done.wait(timeout=20), "keeping one run waited for another run"
    worker.join()
    assert store.sessions.get(kept["session_id"]).person_id == bob.id
