"""Check-ins, notes to the patient and accepted levels in the store (SQLite and PostgreSQL),
and the check-ins in `toelab history` and the report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from toelab.errors import ToelabError
from toelab.report import report_html
from toelab.report.terminal import history_renderables
from toelab.store import Store
from toelab.store import checkins as coaching
from toelab.store.overview import person_overview

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def rising_pain(store: Store, name: str = "Ann") -> None:
    store.people.add(name)
    for i, pain in enumerate((2, 2, 3, 5, 6, 7)):
        coaching.add_checkin(
            store, name, pain=pain, effort=4 + i // 2, areas=["big_toe"], at=START + timedelta(days=2 * i)
        )


def test_a_check_in_is_kept_with_its_session(store: Store) -> None:
    ann = store.people.add("Ann")
    session = store.sessions.start(ann, "training")
    kept = coaching.add_checkin(
        store, ann, pain=3, effort=6, areas=["arch", "heel"], session_id=session.id, note="stiff"
    )
    again = coaching.checkins(store, ann)
    assert again == [kept]
    assert (kept.pain, kept.effort, kept.areas, kept.session_id) == (3, 6, ("arch", "heel"), session.id)
    assert kept.area_words == "arch, heel"


def test_a_check_in_on_another_persons_session_is_refused(store: Store) -> None:
    store.people.add("Ann")
    bob = store.people.add("Bob")
    theirs = store.sessions.start(bob, "training")
    with pytest.raises(ToelabError, match="not one of this person's sessions"):
        coaching.add_checkin(store, "Ann", pain=1, effort=1, session_id=theirs.id)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"pain": 11, "effort": 2}, "pain is rated"),
        ({"pain": 2, "effort": -1}, "effort is rated"),
        ({"pain": 2, "effort": 2, "areas": ["knee"]}, "unknown place"),
        ({"pain": 0, "effort": 2, "areas": ["heel"]}, "no pain was given"),
    ],
)
def test_a_wrong_check_in_is_explained(store: Store, given: dict, message: str) -> None:
    store.people.add("Ann")
    with pytest.raises(ToelabError, match=message):
        coaching.add_checkin(store, "Ann", **given)


def test_rising_pain_becomes_a_flag_to_see_a_professional(store: Store) -> None:
    rising_pain(store)
    overview = person_overview(store, "Ann")
    assert overview.pain is not None and overview.pain.level == "see_professional"
    assert [f.flag.id for f in overview.flags] == ["pain_rising"]


def test_notes_are_shown_until_the_patient_has_seen_them(store: Store) -> None:
    store.people.add("Ann")
    first = coaching.add_note(store, "Ann", None, "dr.smith", "Fewer reps this week, please.")
    coaching.add_note(store, "Ann", None, "dr.smith", "Well done on the holds.")
    assert [n.text for n in coaching.notes(store, "Ann", unseen_only=True)] == [
        "Well done on the holds.",
        "Fewer reps this week, please.",
    ]
    assert coaching.mark_notes_seen(store, "Ann", [first.id]) == 1
    assert [n.id for n in coaching.notes(store, "Ann", unseen_only=True)] != [first.id]
    assert len(coaching.notes(store, "Ann")) == 2


def test_the_newest_accepted_level_is_the_one_practised(store: Store) -> None:
    store.people.add("Ann")
    coaching.accept_level(store, "Ann", "toe_isolation", "unassisted", "self")
    coaching.accept_level(store, "Ann", "toe_isolation", "band", "dr.smith")
    chosen = coaching.level_choices(store, "Ann")["toe_isolation"]
    assert (chosen.level_id, chosen.accepted_by) == ("band", "dr.smith")
    with pytest.raises(ToelabError, match="no level"):
        coaching.accept_level(store, "Ann", "toe_isolation", "flying", "self")


def test_history_and_the_report_show_the_check_ins_and_the_advice(store: Store) -> None:
    from rich.console import Console

    rising_pain(store)
    console = Console(record=True, width=160)
    for shown in history_renderables(person_overview(store, "Ann")):
        console.print(shown)
    printed = console.export_text()
    assert "Pain and effort after each session" in printed
    assert "big toe" in printed
    assert "see a physiotherapist or podiatrist" in printed
    html = report_html(store, "Ann")
    assert "Pain and effort after each session" in html
    assert "<td>big toe</td>" in html
    assert "Pain rising over the sessions" in html
