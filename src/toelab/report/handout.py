"""What a clinician hands to a patient with a report: the do's and don'ts their results call
for, each with the reason it was picked, and the instruction sheet of each exercise to do at
home (the plan's exercises, or without a plan the ones the cards suggest).

Chosen here from :mod:`toelab.protocols.cards` and :mod:`toelab.protocols.guidance`; the
HTML report lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toelab.protocols.cards import CardChoice, Findings, cards_for
from toelab.protocols.exercises import get_exercise
from toelab.protocols.guidance import Sheet, guide_for_exercise, sheet_for_exercise
from toelab.store import SessionHistory
from toelab.store.overview import PersonOverview
from toelab.tasks import TASKS


@dataclass(frozen=True)
class Handout:
    cards: tuple[CardChoice, ...]  # most pressing first, each with why it was picked
    sheets: tuple[Sheet, ...]  # one per exercise
    from_plan: bool  # the sheets are the plan's exercises; else the ones the cards suggest


def latest_findings(
    sessions: Sequence[SessionHistory], *, diabetes: bool = False, plateau: bool = False
) -> Findings:
    """What the newest test of each kind says, per foot and condition (a steady shaking at rest
    counts as such); of several feet the lower angle and score count."""
    latest: dict[tuple[str, str | None, object], Findings] = {}
    for history in sessions:
        for trial in history.trials:
            task = TASKS.get(trial.task)
            if task is None:
                continue
            condition = trial.parameters.get("condition")
            for foot in {r.foot for r in trial.results} or {trial.foot}:
                figures = [r for r in trial.results if r.foot == foot]
                results = task.stored_results(figures, trial.parameters, foot)
                latest[(trial.task, foot, condition)] = task.findings(
                    results, condition if isinstance(condition, str) else None
                )
    found = Findings(diabetes=diabetes, plateau=plateau)
    for finding in latest.values():
        found = found.merged(finding)
    return found


def exercise_sheets(exercise_ids: Sequence[str]) -> tuple[Sheet, ...]:
    return tuple(sheet_for_exercise(get_exercise(e)) for e in dict.fromkeys(exercise_ids))


def camera_view(sheet: Sheet) -> str | None:
    """``front`` or ``side`` for an exercise filmed by the phone, else None."""
    camera = guide_for_exercise(sheet.id).camera
    return None if camera is None else camera.view


def handout(overview: PersonOverview, sessions: Sequence[SessionHistory] | None = None) -> Handout:
    """The cards for the newest results of ``sessions`` (all of the person's by default), and
    the sheets of the plan's exercises or, without a plan, of the exercises the cards link to."""
    whole_record = sessions is None
    findings = latest_findings(
        overview.sessions if sessions is None else sessions,
        diabetes=overview.person.diabetes,
        # a plateau is judged over the whole record, so only the progress report shows it
        plateau=whole_record and any(p.plateau for p in overview.plateaus),
    )
    cards = cards_for(findings)
    if overview.plan is not None:
        return Handout(cards, exercise_sheets(overview.plan.plan.exercise_ids), True)
    linked = [exercise for choice in cards for exercise in choice.card.exercises]
    return Handout(cards, exercise_sheets(linked), False)
