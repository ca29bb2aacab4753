"""The context of a tremor test, kept with its session and read back with the history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from toelab.errors import ToelabError
from toelab.protocols.context import TremorContext, line_up
from toelab.store import ResultFigure, Store, open_store, upgrade

MONDAY = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _tremor_session(store: Store, day: int, amplitude: float, context: TremorContext | None) -> int:
    session = store.sessions.start(
        "Ann", "assessment", started_at=MONDAY + timedelta(days=day), context=context
    )
    store.sessions.add_trial(
        session,
        "tremor",
        "right",
        parameters={"condition": "postural", "classification": "rhythmic"},
        results=[
            ResultFigure("tremor_amplitude", amplitude, "mm", "right"),
            ResultFigure("tremor_frequency_hz", 6.0, "Hz", "right"),
        ],
    )
    store.sessions.finish(session)
    return session.id


def test_the_context_is_kept_with_the_session_and_read_back_with_the_history(store: Store) -> None:
    store.people.add("Ann")
    context = TremorContext(
        condition="postural",
        part_of_day="evening",
        caffeine=True,
        tired_after_exercise=True,
        stress="high",
        medication_change="new asthma inhaler since Monday — twice a day",
    )
    with_context = _tremor_session(store, 0, 1.2, context)
    without = _tremor_session(store, 1, 0.5, None)
    first, second = store.sessions.history("Ann")
    assert (first.session.id, first.session.context) == (with_context, context)
    assert (second.session.id, second.session.context) == (without, None)
    assert store.sessions.get(with_context).context == context


def test_a_context_can_be_given_after_the_session_started_changed_and_cleared(store: Store) -> None:
    store.people.add("Ann")
    session = store.sessions.start("Ann", "assessment")
    assert session.context is None
    assert store.sessions.set_context(session, TremorContext(caffeine=False)).context == TremorContext(
        caffeine=False
    )
    store.sessions.set_context(session.id, TremorContext(caffeine=True, stress="low"))
    assert store.sessions.get(session).context == TremorContext(caffeine=True, stress="low")
    # an empty answer sheet is no context at all
    assert store.sessions.set_context(session, TremorContext()).context is None
    assert store.sessions.set_context(session, None).context is None


def test_something_else_than_a_context_is_refused(store: Store) -> None:
    store.people.add("Ann")
    with pytest.raises(ToelabError, match="TremorContext"):
        store.sessions.start("Ann", "assessment", context={"caffeine": True})  # type: ignore[arg-type]


def test_the_tremor_points_line_up_the_stored_contexts(store: Store) -> None:
    store.people.add("Ann")
    for day, (amplitude, caffeine) in enumerate([(1.4, True), (0.6, False), (1.6, True), (0.4, False)]):
        _tremor_session(store, day, amplitude, TremorContext(caffeine=caffeine))
    points = store.sessions.tremor_points("Ann")
    assert [p.amplitude for p in points] == [1.4, 0.6, 1.6, 0.4]
    assert all(p.condition == "postural" and p.rhythmic and p.frequency_hz == 6.0 for p in points)
    (caffeine,) = [c for c in line_up(points).comparisons if c.factor == "caffeine"]
    assert caffeine.enough and [g.mean_amplitude for g in caffeine.groups] == pytest.approx([1.5, 0.5])


def _fill_at_second_revision(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        when = datetime(2026, 2, 1, 8, 30)
        stamp = when.replace(tzinfo=UTC) if connection.dialect.name == "postgresql" else when
        connection.execute(
            text(
                "INSERT INTO people (display_name, birth_year, dominant_foot, diabetes, notes, created_at) "
                "VALUES ('Ann', 1970, 'right', true, '', :t)"
            ),
            {"t": stamp},
        )
        connection.execute(
            text(
                "INSERT INTO sessions (person_id, kind, started_at, ended_at, device, fps, notes, status) "
                "SELECT id, 'assessment', :t, :t, 'phone', 60.0, 'after a run', 'complete' FROM people"
            ),
            {"t": stamp},
        )
        connection.execute(
            text(
                "INSERT INTO trials (session_id, task, foot, toes, parameters, created_at) "
                "SELECT id, 'tremor', 'right', '[]', '{\"condition\": \"rest\"}', :t FROM sessions"
            ),
            {"t": stamp},
        )
        connection.execute(
            text(
                "INSERT INTO results (trial_id, name, value, unit, foot, toe) "
                "SELECT id, 'tremor_amplitude', 0.8, 'mm', 'right', NULL FROM trials"
            )
        )
        connection.execute(
            text(
                "INSERT INTO plans (person_id, exercise_ids, start_date, created_at) "
                "SELECT id, '[\"foot_stretch_strength\"]', '2026-02-02', :t FROM people"
            ),
            {"t": stamp},
        )
    engine.dispose()


def test_sessions_stored_before_the_context_existed_survive_the_upgrade(
    empty_database_url: str, home: Path
) -> None:
    assert upgrade(empty_database_url, "0002") == "0002"
    _fill_at_second_revision(empty_database_url)
    assert upgrade(empty_database_url) == "0006"
    with open_store(empty_database_url, home=home) as store:
        (history,) = store.sessions.history("Ann")
        assert history.session.notes == "after a run" and history.session.status == "complete"
        assert history.session.started_at == datetime(2026, 2, 1, 8, 30, tzinfo=UTC)
        assert history.session.context is None
        (trial,) = history.trials
        assert trial.parameters == {"condition": "rest"} and trial.figure("tremor_amplitude") == 0.8
        assert store.plans.current("Ann").plan.exercise_ids == ("foot_stretch_strength",)
        assert store.people.get("Ann").diabetes
        store.sessions.set_context(history.session, TremorContext(condition="rest", part_of_day="morning"))
        (point,) = store.sessions.tremor_points("Ann")
        assert point.condition == "rest" and point.context == TremorContext("rest", "morning")
