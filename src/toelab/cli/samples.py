"""The samples of ``toelab demo``: a sample of each test, run every analysis and show the figures;
then a sample person with eight weeks of sessions, and their progress report.

The samples are written as ordinary input files (a phone-sensor CSV in phyphox's layout and
toelab recordings) so the same ``toelab analyze`` commands work on them afterwards. The
sample person lives in a database of its own inside the demo folder, never among a user's
real records.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console

from toelab.io import read
from toelab.paths import toelab_home
from toelab.protocols.plan import practice_day
from toelab.protocols.red_flags import QUESTIONS
from toelab.recording import Recording
from toelab.store import Person, Store, open_store
from toelab.store.outcomes import add_outcome_trial, log_exercise, trial_parameters
from toelab.synthetic.movement import isolation_recording, rhythm_recording, rom_recording
from toelab.synthetic.tremor import tremor_recording
from toelab.tasks import TASKS, AnalysisOptions, BeatSource, run_task
from toelab.vocabulary import TaskName

# A foot with typical imperfections: the little toe follows the 4th (shared tendons, common),
# the 2nd and 3rd drag each other along, the big toe is free.
DEMO_CO_MOVEMENT = [
    [1.0, 0.10, 0.0, 0.0, 0.0],
    [0.15, 1.0, 0.45, 0.10, 0.0],
    [0.0, 0.40, 1.0, 0.30, 0.10],
    [0.0, 0.0, 0.25, 1.0, 0.65],
    [0.0, 0.0, 0.10, 0.70, 0.85],
]
DEMO_BPM = 100.0

SAMPLE_NAME = "Sample Person"
SAMPLE_FOLDER = "sample-person"  # inside the demo folder: the sample's own database, tracks, report
SAMPLE_WEEKS = 8
# How far the other toes follow an instructed toe at the first session, by distance (1 = the
# neighbour … 4 = across the foot), as a fraction of their own lift: the right foot, the one
# in training, drags its neighbours along; the left foot less so.
SAMPLE_COUPLING = {"right": (0.85, 0.6, 0.45, 0.35), "left": (0.4, 0.25, 0.15, 0.1)}
# the share of that coupling left once practice has done what it can
SAMPLE_COUPLING_FLOOR = {"right": 0.35, "left": 0.45}
# weeks for practice to bring ~63 % of its eventual gain; with it the right foot's control
# reaches about 80 % of the left foot's after six weeks, like seed 001's example
SAMPLE_LEARNING_WEEKS = 3.9
SAMPLE_EXTENSION_DEG = {"right": (32.0, 60.0), "left": (60.0, 68.0)}  # first session, eventual
SAMPLE_TIMING_SD_MS = {"right": (70.0, 30.0), "left": (55.0, 28.0)}
SAMPLE_TREMOR_HZ = 9.5  # a fine shaking of a tired foot holding the toes curled
SAMPLE_TREMOR_AMPLITUDE = (0.25, 0.07)  # m/s^2
SAMPLE_PLAN = ("toe_isolation", "big_toe_plant", "musical_toes", "tennis_ball_roll")
SAMPLE_PRACTICE_CHANCE = 0.88  # each planned practice session is done with this chance


def write_phyphox_csv(recording: Recording, path: Path) -> Path:
    """Write an accelerometer recording the way phyphox exports it."""
    columns = [recording.time_s] + [recording.signals[f"acc_{axis}"] for axis in "xyz"]
    header = '"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)"'
    np.savetxt(path, np.column_stack(columns), delimiter=",", header=header, comments="", fmt="%.9E")
    return path


def make_samples(folder: Path) -> dict[TaskName, Path]:
    """Write one sample input per test into ``folder``; return their paths by task."""
    folder.mkdir(parents=True, exist_ok=True)
    isolation, _ = isolation_recording(DEMO_CO_MOVEMENT, fps=60, reps_per_toe=3, seed=1)
    tremor = tremor_recording(5.2, 0.35, 20.0, 100.0, sensor="imu", jitter_s=0.002, seed=2)
    rom, _ = rom_recording(52.0, fps=30, noise_px=0.4)
    rhythm, truth = rhythm_recording(
        DEMO_BPM, asynchrony_mean_ms=-35.0, asynchrony_sd_ms=30.0, n_beats=24, missed_beats=(9,), seed=3
    )
    beats_path = folder / "musical-toes-100bpm.beats"
    np.savetxt(beats_path, truth["beat_times_s"], fmt="%.4f", header="metronome beat times (s)")
    return {
        "isolation": isolation.save(folder / "isolation-right-foot.npz"),
        "tremor": write_phyphox_csv(tremor, folder / "tremor-phone-accelerometer.csv"),
        "rom": rom.save(folder / "big-toe-extension-side-view.npz"),
        "rhythm": rhythm.save(folder / "musical-toes-100bpm.npz"),
    }


def run_demo(
    out: Path | None,
    *,
    print_summary: Callable[[str, dict[str, Any], list[str], str], None],
    console: Console,
) -> dict[str, dict[str, Any]]:
    folder = out or toelab_home() / "demo"
    samples = make_samples(folder)
    console.print(f"Sample recordings written to [bold]{folder}[/]\n", highlight=False)
    titles = {
        "isolation": "Toe isolation test",
        "tremor": "Tremor test (phone on the foot)",
        "rom": "Big-toe extension test",
        "rhythm": f"Musical toes at {DEMO_BPM:g} bpm",
    }
    figures: dict[str, dict[str, Any]] = {}
    for task, path in samples.items():
        recording = read(path)
        beats_path = path.with_suffix(".beats")
        needs_beats = TASKS[task].needs_beats
        beats = BeatSource(beats_path=beats_path) if needs_beats else BeatSource()
        outcome = run_task(recording, AnalysisOptions(task, beats=beats))
        print_summary(task, outcome.results, outcome.warnings, titles[task])
        console.print(
            f"[dim]again: toelab analyze {path} --task {task}"
            + (f" --beats {beats_path}" if needs_beats else "")
            + "[/]\n",
            highlight=False,
        )
        figures[task] = outcome.results
    write_sample_records(folder / SAMPLE_FOLDER, console)
    return figures


def write_sample_records(folder: Path, console: Console) -> Path:
    """Add the sample person to a database of its own in ``folder`` and write their progress report.

    The report is HTML: printing it to PDF needs system libraries a fresh machine may lack.
    """
    from toelab.report import write_report

    with open_store(f"sqlite:///{folder / 'toelab.db'}", home=folder) as store:
        person = add_sample_person(store)
        path = write_report(store, person)
    name = person.display_name
    console.print(
        f"[bold]{name}[/]: eight weeks of generated sessions, kept apart from your own records in {folder}\n"
        f"Progress report: [bold]{path}[/]\n"
        f'[dim]more: TOELAB_HOME={folder} toelab history "{name}"   (or toelab report "{name}" --pdf)[/]',
        highlight=False,
        soft_wrap=True,
    )
    return path


def _gain(week: float) -> float:
    """The share of practice's eventual gain reached after ``week`` weeks (0 at the start)."""
    return 1.0 - math.exp(-week / SAMPLE_LEARNING_WEEKS)


def _toward(first_and_eventual: Sequence[float], week: float) -> float:
    first, eventual = first_and_eventual
    return first + (eventual - first) * _gain(week)


def sample_co_movement(foot: str, week: float) -> np.ndarray:
    """The sample person's co-movement matrix for one foot after ``week`` weeks of practice."""
    scale = _toward((1.0, SAMPLE_COUPLING_FLOOR[foot]), week)
    matrix = np.eye(5)
    for i in range(5):
        for j in range(5):
            if i != j:
                matrix[i, j] = scale * SAMPLE_COUPLING[foot][abs(i - j) - 1]
    return matrix


def _free_name(store: Store, name: str) -> str:
    taken = {person.display_name for person in store.people.all()}
    number = 2
    candidate = name
    while candidate in taken:
        candidate = f"{name} {number}"
        number += 1
    return candidate


def _practise(store: Store, person: Person, start: date, today: date, rng: np.random.Generator) -> None:
    """Mark the plan's practice done or missed day by day; the ball rolling goes in the exercise log."""
    plan = store.plans.create(person, SAMPLE_PLAN, start)
    for offset in range((today - start).days + 1):
        day = start + timedelta(days=offset)
        for exercise in plan.plan.exercises:
            if not practice_day(exercise.frequency, start, day):
                continue
            times = int(rng.binomial(exercise.frequency.sessions_per_day, SAMPLE_PRACTICE_CHANCE))
            if times == 0:
                store.plans.mark_missed(plan, day, exercise.id)
            elif exercise.id == "tennis_ball_roll":
                pain = round(3 * (1 - _gain(offset / 7)))
                log_exercise(store, person, exercise.id, day, minutes=3, pain=pain)
            else:
                store.plans.mark_done(plan, day, exercise.id, times)


def _assessment(store: Store, person: Person, day: date, week: int, seed: int) -> None:
    """One weekly assessment: isolation, big-toe extension and musical toes on both feet, and a
    tremor check of the right foot, each generated with known truth and measured by the analyses."""
    started = datetime.combine(day, time(18, 0), UTC)
    session = store.sessions.start(
        person, "assessment", device="generated sample", fps=60.0, started_at=started
    )
    generated = {"source": "generated sample"}
    for k, foot in enumerate(("left", "right")):
        isolation, _ = isolation_recording(
            sample_co_movement(foot, week), fps=60, reps_per_toe=3, foot=foot, seed=seed * 10 + k
        )
        outcome = run_task(isolation, AnalysisOptions("isolation"))
        add_outcome_trial(store, session, outcome, isolation, parameters=generated)
        rom, _ = rom_recording(_toward(SAMPLE_EXTENSION_DEG[foot], week), fps=30, noise_px=0.4, foot=foot)
        add_outcome_trial(store, session, run_task(rom, AnalysisOptions("rom")), rom, parameters=generated)
    rhythm, truth = rhythm_recording(
        DEMO_BPM,
        asynchrony_mean_ms=-40.0,
        asynchrony_sd_ms={foot: _toward(SAMPLE_TIMING_SD_MS[foot], week) for foot in ("left", "right")},
        n_beats=32,
        feet=("left", "right"),
        seed=seed,
    )
    # the metronome plays from the start of the recording to its end
    offset_s = truth["beat_times_s"][0]
    outcome = run_task(rhythm, AnalysisOptions("rhythm", beats=BeatSource(bpm=DEMO_BPM, offset_s=offset_s)))
    parameters = trial_parameters(outcome, source="generated sample")
    add_outcome_trial(store, session, outcome, rhythm, parameters=parameters)
    tremor = tremor_recording(
        SAMPLE_TREMOR_HZ, _toward(SAMPLE_TREMOR_AMPLITUDE, week), 20.0, 100.0, sensor="imu", seed=seed
    )
    outcome = run_task(tremor, AnalysisOptions("tremor"))
    parameters = trial_parameters(outcome, source="generated sample", condition="postural")
    add_outcome_trial(store, session, outcome, tremor, parameters=parameters)
    store.sessions.finish(session, ended_at=started + timedelta(minutes=25))


def add_sample_person(
    store: Store,
    *,
    today: date | None = None,
    name: str = SAMPLE_NAME,
    weeks: int = SAMPLE_WEEKS,
    seed: int = 0,
) -> Person:
    """A made-up person with ``weeks`` weeks of weekly assessments, a practice plan and an exercise log.

    Every recording is generated with known truth and measured by the real analyses; toe
    control, big-toe extension and rhythm improve over the weeks. The name gets a number when
    it is taken, so the demo can run again on the same database.
    """
    today = today or date.today()
    start = today - timedelta(weeks=weeks)
    person = store.people.add(
        _free_name(store, name),
        birth_year=1971,
        dominant_foot="right",
        notes="Made up by toelab demo; not a real person.",
    )
    rng = np.random.default_rng(seed)
    _practise(store, person, start, today, rng)
    no_signs = {question.id: False for question in QUESTIONS}
    store.red_flag_answers.record(person, start, no_signs)
    for week in range(weeks + 1):
        _assessment(store, person, start + timedelta(weeks=week), week, seed + week)
    store.red_flag_answers.record(person, today, no_signs)
    return person
