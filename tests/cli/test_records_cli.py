"""The records commands end to end: people, the exercise log, analyze --person, history,
report, export and db upgrade, against a throwaway data folder."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from toelab.cli import app
from toelab.cli.samples import DEMO_CO_MOVEMENT, add_sample_person
from toelab.report import read_figures_csv
from toelab.store import open_store
from toelab.store.outcomes import figures_from_outcome
from toelab.synthetic.movement import isolation_recording, rhythm_recording, rom_recording
from toelab.synthetic.tremor import tremor_recording
from toelab.tasks import AnalysisOptions, BeatSource, run_task

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("TOELAB_HOME", str(folder))
    monkeypatch.delenv("TOELAB_DATABASE_URL", raising=False)
    return folder


def toelab(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def fails(*args: str) -> str:
    """The one-line error of a command that must fail with exit status 2."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def isolation_file(tmp_path: Path) -> Path:
    recording, _ = isolation_recording(DEMO_CO_MOVEMENT, reps_per_toe=2, foot="right", seed=4)
    return recording.save(tmp_path / "isolation.npz")


def test_people_are_added_and_listed(home):
    assert "added Ann (no. 1)" in toelab(
        "person", "add", "Ann", "--birth-year", "1961", "--dominant-foot", "left", "--diabetes"
    )
    toelab("person", "add", "Ben")
    listed = toelab("person", "list")
    assert "Ann" in listed and "Ben" in listed and "1961" in listed and "yes" in listed
    assert "already a person called 'Ann'" in fails("person", "add", "Ann")
    assert "foot must be one of left, right" in fails("person", "add", "Cy", "--dominant-foot", "middle")


def test_an_exercise_logged_by_hand_counts_in_the_plan(home):
    toelab("person", "add", "Ann")
    start = date.today() - timedelta(days=3)
    with open_store() as store:
        plan = store.plans.create("Ann", ["tennis_ball_roll", "toe_isolation"], start)
    out = toelab(
        "log", "Ann", "tennis_ball_roll", "--minutes", "3", "--pain", "2", "--date", start.isoformat()
    )
    assert "counted in the plan" in out
    assert "counted in the plan" not in toelab("log", "Ann", "towel_scrunch", "--reps", "10")
    with open_store() as store:
        log = store.exercise_log.entries("Ann")
        first_week = store.plans.adherence(plan)[0]
    assert [(e.exercise_id, e.minutes, e.pain) for e in log] == [
        ("tennis_ball_roll", 3.0, 2),
        ("towel_scrunch", None, None),
    ]
    done = {e.exercise_id: e.done for e in first_week.exercises}
    assert done == {"tennis_ball_roll": 1, "toe_isolation": 0}


def test_analyze_with_a_person_stores_a_session_with_its_tracks_and_figures(home, isolation_file):
    toelab("person", "add", "Ann")
    result = runner.invoke(app, ["analyze", str(isolation_file), "--task", "isolation", "--person", "Ann"])
    assert result.exit_code == 0, result.output
    assert "stored as session 1 of Ann" in result.stderr
    with open_store() as store:
        (history,) = store.sessions.history("Ann")
        (trial,) = history.trials
        recording = store.sessions.load_recording(trial)
    assert history.session.status == "complete"
    assert (
        trial.task == "isolation" and trial.foot == "right" and trial.parameters["source"] == "isolation.npz"
    )
    assert trial.figure("toe_control_score_pct", "right") == pytest.approx(
        run_task(recording, AnalysisOptions("isolation")).results["toe_control_score"]
    )
    assert {r.toe for r in trial.results if r.name == "individuation_index"} == {1, 2, 3, 4, 5}
    assert recording.landmarks.keys() >= {"right_toe1", "right_toe5"}


def test_a_rhythm_analysis_keeps_its_beats_so_the_report_can_draw_the_timing(home, tmp_path):
    toelab("person", "add", "Ann")
    recording, _ = rhythm_recording(100, asynchrony_mean_ms=-30, asynchrony_sd_ms=25, n_beats=12, seed=1)
    path = recording.save(tmp_path / "rhythm.npz")
    result = runner.invoke(
        app,
        [
            "analyze",
            str(path),
            "--task",
            "rhythm",
            "--bpm",
            "100",
            "--offset",
            "1",
            "--json",
            "--person",
            "Ann",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["task"] == "rhythm"  # the JSON on stdout stays clean
    with open_store() as store:
        (trial,) = store.sessions.history("Ann")[0].trials
    # the metronome starts at the offset: no beat before it
    assert trial.parameters["beat_times_s"][:2] == pytest.approx([1.0, 1.6])
    assert trial.toes == (1,) and trial.parameters["event"] == "peak"
    report = tmp_path / "session.html"
    toelab("report", "Ann", "--session", str(trial.session_id), "--out", str(report))
    assert "When each lift came relative to its beat" in report.read_text()


def test_analyze_for_an_unknown_person_fails_at_once(home, isolation_file):
    assert "no person 'Nobody'" in fails(
        "analyze", str(isolation_file), "--task", "isolation", "--person", "Nobody"
    )


def test_history_shows_sessions_trends_and_warning_signs(home):
    with open_store() as store:
        person = add_sample_person(store, weeks=2)
        store.red_flag_answers.record(person, date.today(), {"visible_deformity": True})
    out = toelab("history", "Sample Person")
    assert "Sessions of Sample Person" in out and "Progress" in out
    assert out.count("assessment") == 3
    assert "Toe control" in out and "improving" in out and "Plan done" in out
    assert "A change in the shape of the toes" in out and "podiatrist" in out
    assert "not a diagnosis" in out


def test_the_demo_person_can_be_added_again_under_a_new_name(home):
    with open_store() as store:
        first = add_sample_person(store, weeks=1)
        second = add_sample_person(store, weeks=1)
    assert (first.display_name, second.display_name) == ("Sample Person", "Sample Person 2")


def test_report_and_export_commands_write_what_they_say(home, isolation_file, tmp_path):
    toelab("person", "add", "Ann Lee")
    toelab("analyze", str(isolation_file), "--task", "isolation", "--person", "Ann Lee")
    out = toelab("report", "Ann Lee")
    written = Path(out.split("report written to ", 1)[1].strip())
    assert written.parent == home / "reports" and written.name.startswith("ann-lee-progress-")
    assert "Toe control score" in written.read_text()
    csv_text = toelab("export", "Ann Lee", "--csv")
    assert {row["name"] for row in read_figures_csv(csv_text)} == {
        "toe_control_score_pct",
        "individuation_index",
    }
    target = tmp_path / "ann.json"
    result = runner.invoke(app, ["export", "Ann Lee", "--fhir", "--out", str(target)])
    assert result.exit_code == 0 and f"exported to {target}" in result.stderr
    assert json.loads(target.read_text())["resourceType"] == "Bundle"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "Nobody"), "no person 'Nobody'"),
        (("history", "Nobody"), "no person 'Nobody'"),
        (("export", "Ann"), "choose one format"),
        (("export", "Ann", "--csv", "--fhir"), "choose one format"),
        (("log", "Ann", "tennis_ball_roll", "--pain", "11"), "pain is rated 0"),
        (("log", "Ann", "juggling"), "no exercise 'juggling'"),
        (("log", "Ann", "tennis_ball_roll", "--date", "yesterday"), "is not a date"),
        (("report", "Ann", "--session", "99"), "has no session 99"),
        (("report", "Ann", "--out", "report.txt"), "written as .html or .pdf"),
        (("report", "Ann", "--pdf", "--out", "report.html"), "--pdf writes a .pdf file"),
    ],
)
def test_mistakes_give_one_line_and_exit_status_2(home, args, message):
    toelab("person", "add", "Ann")
    assert message in fails(*args)


def test_db_upgrade_brings_a_new_database_to_the_newest_schema(home):
    out = toelab("db", "upgrade")
    assert "is at schema version" in out and (home / "toelab.db").exists()
    assert out == toelab("db", "upgrade")  # a second run changes nothing


def test_each_task_is_stored_under_the_names_progress_and_red_flags_read():
    isolation, _ = isolation_recording(DEMO_CO_MOVEMENT, reps_per_toe=2, foot="left", seed=1)
    rom, _ = rom_recording(41.0, foot="right")
    tremor = tremor_recording(5.0, 0.3, 12.0, 100.0, sensor="imu", foot="left", seed=2)
    rhythm, _ = rhythm_recording(
        100, asynchrony_mean_ms=-30, asynchrony_sd_ms=20, n_beats=12, feet=("left", "right"), seed=3
    )
    named = {
        task: {
            (f.name, f.unit, f.foot, f.toe)
            for f in figures_from_outcome(
                run_task(recording, AnalysisOptions(task, beats=beats or BeatSource()))
            )
        }
        for task, recording, beats in (
            ("isolation", isolation, None),
            ("rom", rom, None),
            ("tremor", tremor, None),
            ("rhythm", rhythm, BeatSource(bpm=100, offset_s=1.0)),
        )
    }
    assert ("toe_control_score_pct", "%", "left", None) in named["isolation"]
    assert {toe for name, _, _, toe in named["isolation"] if name == "individuation_index"} == {1, 2, 3, 4, 5}
    assert named["rom"] == {("big_toe_extension_deg", "deg", "right", None)}
    assert {
        ("tremor_frequency_hz", "Hz", "left", None),
        ("tremor_amplitude", "m/s^2", "left", None),
    } <= named["tremor"]
    for foot in ("left", "right"):
        assert {("mean_asynchrony_ms", "ms", foot, None), ("sd_asynchrony_ms", "ms", foot, None)} <= named[
            "rhythm"
        ]
    value = next(f.value for f in figures_from_outcome(run_task(rom, AnalysisOptions("rom"))))
    assert np.isclose(value, 41.0, atol=2.0)


def test_the_demo_writes_the_sample_persons_report_apart_from_the_users_records(home):
    out = toelab("demo")
    line = next(line for line in out.splitlines() if line.startswith("Progress report: "))
    report = Path(line.removeprefix("Progress report: ").strip())
    assert report.is_relative_to(home / "demo" / "sample-person") and report.suffix == ".html"
    assert "Progress report: Sample Person" in report.read_text()
    assert not (home / "toelab.db").exists()  # the user's own records are untouched
