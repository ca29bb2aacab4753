"""People, sessions, trials and their figures, on SQLite and PostgreSQL."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import event

from toelab.errors import ToelabError
from toelab.store import ResultFigure, Store


def test_people_are_found_by_name_or_id_and_listed_by_name(store: Store) -> None:
    zoe = store.people.add(
        "Zoë", birth_year=1961, dominant_foot="left", diabetes=True, notes="bunion surgery 2024"
    )
    store.people.add("Adam")
    assert store.people.get("Zoë") == zoe == store.people.get(zoe.id)
    assert zoe.diabetes and zoe.dominant_foot == "left" and zoe.birth_year == 1961
    assert [p.display_name for p in store.people.all()] == ["Adam", "Zoë"]
    assert zoe.created_at.tzinfo is not None


def test_a_second_person_with_the_same_name_is_refused_clearly(store: Store) -> None:
    store.people.add("Ann")
    with pytest.raises(ToelabError, match="already a person called 'Ann'"):
        store.people.add("Ann")
    assert len(store.people.all()) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"dominant_foot": "middle"}, "foot must be"), ({"birth_year": 1850}, "not plausible")],
)
def test_implausible_person_details_are_refused(store: Store, kwargs: dict, message: str) -> None:
    with pytest.raises(ToelabError, match=message):
        store.people.add("Ann", **kwargs)


def test_an_unknown_person_is_named_in_the_error(store: Store) -> None:
    with pytest.raises(ToelabError, match="no person 'Nobody'"):
        store.people.get("Nobody")


def test_a_session_keeps_its_trials_figures_and_parameters(store: Store) -> None:
    person = store.people.add("Ann")
    session = store.sessions.start(person, "assessment", device="webcam", fps=29.97)
    store.sessions.add_trial(
        session,
        "isolation",
        "right",
        toes=[2],
        parameters={"condition": "lift_toe2", "reps": 3},
        results=[
            ResultFigure("individuation_index", 0.62, "", "right", 2),
            ResultFigure("toe_control_score_pct", 71.5, "%", "right"),
        ],
    )
    store.sessions.add_trial(
        session, "tremor", "left", results={"tremor_frequency_hz": 5.5, "tremor_rhythmicity": 0.8}
    )
    done = store.sessions.finish(session)
    assert done.status == "complete" and done.ended_at is not None and done.fps == pytest.approx(29.97)
    first, second = store.sessions.trials(session)
    assert first.toes == (2,) and first.parameters == {"condition": "lift_toe2", "reps": 3}
    assert first.figure("individuation_index", toe=2) == pytest.approx(0.62)
    # a dict's figures belong to the trial's foot and take their unit from their name
    assert second.results == (
        ResultFigure("tremor_frequency_hz", 5.5, "Hz", "left"),
        ResultFigure("tremor_rhythmicity", 0.8, "", "left"),
    )


def test_a_figure_that_is_not_a_number_is_left_out(store: Store) -> None:
    session = store.sessions.start(store.people.add("Ann"), "assessment")
    trial = store.sessions.add_trial(
        session, "rom", "right", results={"big_toe_extension_deg": math.nan, "x_deg": 40.0}
    )
    assert [r.name for r in trial.results] == ["x_deg"]
    assert [r.name for r in store.sessions.trials(session)[0].results] == ["x_deg"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"task": "dance"}, "task must be"),
        ({"foot": "middle"}, "foot must be"),
        ({"toes": [6]}, "numbered 1"),
        ({"parameters": {"when": datetime.now()}}, "plain JSON"),
    ],
)
def test_a_malformed_trial_is_refused_and_nothing_is_stored(store: Store, kwargs: dict, message: str) -> None:
    session = store.sessions.start(store.people.add("Ann"), "assessment")
    args = {"task": "isolation", "foot": "right"} | kwargs
    with pytest.raises(ToelabError, match=message):
        store.sessions.add_trial(session, **args)
    assert store.sessions.trials(session) == []


def test_a_finished_session_takes_no_more_trials(store: Store) -> None:
    session = store.sessions.start(store.people.add("Ann"), "training")
    store.sessions.finish(session)
    with pytest.raises(ToelabError, match="is complete"):
        store.sessions.add_trial(session, "exercise", "right")


def test_recordings_are_stored_once_per_content_and_load_back_bit_for_bit(store: Store, recording_of) -> None:
    session = store.sessions.start(store.people.add("Ann"), "assessment")
    recording = recording_of(1)
    first = store.sessions.add_trial(session, "isolation", "right", recording=recording)
    again = store.sessions.add_trial(session, "isolation", "right", recording=recording_of(1))
    other = store.sessions.add_trial(session, "isolation", "right", recording=recording_of(2))
    assert first.tracks_sha256 == again.tracks_sha256 != other.tracks_sha256
    assert first.tracks_path == f"tracks/{first.tracks_sha256[:2]}/{first.tracks_sha256}.npz"
    files = sorted(p.name for p in (store.home / "tracks").rglob("*") if p.is_file())
    assert files == sorted({f"{first.tracks_sha256}.npz", f"{other.tracks_sha256}.npz"})
    loaded = store.sessions.load_recording(first)
    np.testing.assert_array_equal(loaded.time_s, recording.time_s)
    for name, xy in recording.landmarks.items():
        np.testing.assert_array_equal(loaded.landmarks[name], xy)
    assert loaded.meta == recording.meta


def test_history_lists_sessions_oldest_first_in_a_fixed_number_of_queries(store: Store) -> None:
    person = store.people.add("Ann")
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def add_sessions(weeks: range) -> None:
        for week in weeks:
            session = store.sessions.start(person, "assessment", started_at=start + timedelta(weeks=week))
            for toe in (1, 2):
                store.sessions.add_trial(
                    session, "isolation", "right", [toe], results={"toe_control_score_pct": 50.0 + week}
                )
            store.sessions.finish(session)

    def count_queries() -> int:
        statements: list[str] = []

        def note(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(store.engine, "before_cursor_execute", note)
        try:
            store.sessions.history(person)
        finally:
            event.remove(store.engine, "before_cursor_execute", note)
        return len(statements)

    add_sessions(range(2))
    few = count_queries()
    add_sessions(range(2, 10))
    history = store.sessions.history(person)
    assert count_queries() == few <= 4
    assert len(history) == 10
    assert [h.session.started_at for h in history] == sorted(h.session.started_at for h in history)
    assert history[0].session.started_at == start
    assert [f.value for f in history[-1].figures] == [59.0, 59.0]


def test_figures_come_back_as_dated_measurements_for_progress(store: Store) -> None:
    person = store.people.add("Ann")
    when = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    session = store.sessions.start(person, "assessment", started_at=when)
    store.sessions.add_trial(session, "rom", "left", results={"big_toe_extension_deg": 48.0})
    (measurement,) = store.sessions.measurements(person)
    assert (measurement.day, measurement.metric, measurement.value, measurement.foot) == (
        when.date(),
        "big_toe_extension_deg",
        48.0,
        "left",
    )


def test_sessions_abandoned_in_progress_are_marked_interrupted(store: Store) -> None:
    person = store.people.add("Ann")
    now = datetime.now(UTC)
    old = store.sessions.start(person, "training", started_at=now - timedelta(days=2))
    recent = store.sessions.start(person, "training", started_at=now - timedelta(days=2))
    store.sessions.add_trial(recent, "exercise", "right")  # activity just now keeps it open
    assert store.sessions.mark_interrupted(timedelta(hours=12)) == 1
    marked = store.sessions.get(old)
    assert marked.status == "interrupted" and marked.ended_at == old.started_at
    assert store.sessions.get(recent).status == "in_progress"


def test_times_come_back_in_utc_whatever_zone_they_went_in(store: Store) -> None:
    from zoneinfo import ZoneInfo

    local = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    session = store.sessions.start(store.people.add("Ann"), "assessment", started_at=local)
    assert store.sessions.get(session).started_at == local
    assert store.sessions.get(session).started_at.utcoffset() == timedelta(0)


def test_a_recording_without_tracks_cannot_be_loaded(store: Store) -> None:
    session = store.sessions.start(store.people.add("Ann"), "assessment")
    trial = store.sessions.add_trial(session, "rom", "right")
    with pytest.raises(ToelabError, match="has no recording"):
        store.sessions.load_recording(trial)


def test_a_time_without_a_zone_is_refused(store: Store) -> None:
    with pytest.raises(ToelabError, match="no time zone"):
        store.sessions.start(store.people.add("Ann"), "assessment", started_at=datetime(2026, 1, 1, 9, 0))


def test_numpy_numbers_from_the_analyses_are_stored_as_plain_numbers(store: Store) -> None:
    session = store.sessions.start(store.people.add("Ann"), "assessment")
    figures = [ResultFigure("individuation_index", np.float64(0.7), "", "right", np.int64(3))]
    store.sessions.add_trial(session, "isolation", "right", toes=np.array([3]), results=figures)
    (trial,) = store.sessions.trials(session)
    assert trial.toes == (3,) and trial.results == (ResultFigure("individuation_index", 0.7, "", "right", 3),)
    assert type(trial.results[0].value) is float


def test_a_database_toelab_cannot_keep_records_in_is_refused_in_one_line(tmp_path):
    from toelab.errors import ToelabError
    from toelab.store import open_store

    with pytest.raises(ToelabError, match="SQLite or PostgreSQL"):
        open_store("mysql://user@localhost/toelab", home=tmp_path)
