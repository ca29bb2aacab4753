"""A session cut short by a killed process keeps its finished trials, and nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from toelab.store import open_store
from toelab.store.tracks import content_sha256

WRITER = """
import itertools, sys
from pathlib import Path
import numpy as np
from toelab.recording import Recording
from toelab.store import open_store

store = open_store(sys.argv[1], home=Path(sys.argv[2]))
session = store.sessions.start(store.people.add("Ann"), "training")
print("session", session.id, flush=True)
for rep in itertools.count():
    rng = np.random.default_rng(rep)
    recording = Recording(np.arange(600) / 60.0, {"right_toe1": rng.normal(0.0, 1.0, (600, 2))})
    figures = {f"figure_{k}": float(rep) for k in range(50)}
    store.sessions.add_trial(session, "exercise", "right", [1], {"rep": rep}, recording, figures)
    print("trial", rep, flush=True)
"""
FINISHED_BEFORE_KILL = 5


def test_killing_the_process_mid_session_keeps_finished_trials_whole(database_url: str, home: Path) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, database_url, str(home)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None
        session_id = int(writer.stdout.readline().split()[1])
        started = time.monotonic()
        for _ in range(FINISHED_BEFORE_KILL):
            assert writer.stdout.readline().startswith("trial")
        # strike in the middle of the next trial
        time.sleep((time.monotonic() - started) / FINISHED_BEFORE_KILL / 2)
        os.kill(writer.pid, signal.SIGKILL)
        reported = sum(1 for line in writer.stdout if line.startswith("trial")) + FINISHED_BEFORE_KILL
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == -signal.SIGKILL

    with open_store(database_url, home=home) as store:
        # its process is gone: the next program to open the store marks it interrupted at once,
        # ended at its last trial (not left "in progress" for hours)
        session = store.sessions.get(session_id)
        trials = store.sessions.trials(session_id)
        assert session.status == "interrupted"
        assert session.ended_at == max(t.created_at for t in trials)
        # every trial it reported is there; at most the one being written when killed is not
        assert reported <= len(trials) <= reported + 1
        for rep, trial in enumerate(trials):
            assert trial.parameters == {"rep": rep}
            assert [r.value for r in trial.results] == [float(rep)] * 50
            recording = store.sessions.load_recording(trial)
            assert content_sha256(recording) == trial.tracks_sha256
        if store.engine.dialect.name == "sqlite":
            with store.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        # the store takes new work, and a session of a running process stays in progress
        running = store.sessions.start("Ann", "training")
        assert store.sessions.mark_interrupted() == 0
        assert store.sessions.get(running.id).status == "in_progress"
        store.sessions.add_trial(store.sessions.start("Ann", "training"), "exercise", "left")
