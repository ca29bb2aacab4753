"""What a clinician hands to a patient with a report: the do's and don'ts their results call
for, each with the reason it was picked, and the instruction sheet of each exercise to do at
home (the plan's exercises, or without a plan the ones the cards suggest).

Chosen here from :mod:`toelab.protocols.cards` and :mod:`toelab.protocols.guidance`; the
HTML report lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toelab.protocols.cards import (
    CardChoice,
    Findings,
    cards_for,
    findings_from_figures,
    findings_from_results,
)
from toelab.protocols.exercises import get_exercise
from toelab.protocols.guidance import Sheet, guide_for_exercise, sheet_for_exercise
from toelab.records import PersonOverview
from toelab.store import SessionHistory

# the stored figures the cards read (see toelab.protocols.cards.findings_from_figures)
CARD_FIGURES = ("big_toe_extension_deg", "toe_control_score_pct")


@dataclass(frozen=True)
class Handout:
    cards: tuple[CardChoice, ...]  # most pressing first, each with why it was picked
    sheets: tuple[Sheet, ...]  # one per exercise
    from_plan: bool  # the sheets are the plan's exercises; else the ones the cards suggest


def latest_findings(
    sessions: Sequence[SessionHistory], *, diabetes: bool = False, plateau: bool = False
) -> Findings:
    """What the newest figure of each kind per foot says, and the newest tremor test per foot
    and condition (a steady shaking at rest counts as such)."""
    figures: dict[tuple[str, str | None], float] = {}
    tremor: dict[tuple[str | None, object], Findings] = {}
    for history in sessions:
        for trial in history.trials:
            for r in trial.results:
                if r.name in CARD_FIGURES and r.toe is None:
                    figures[(r.name, r.foot)] = r.value
            if trial.task == "tremor":
                condition = trial.parameters.get("condition")
                tremor[(trial.foot, condition)] = findings_from_results(
                    "tremor",
                    {"classification": trial.parameters.get("classification")},
                    condition=condition if isinstance(condition, str) else None,
                )
    found = findings_from_figures(((name, value) for (name, _), value in figures.items()), diabetes=diabetes)
    for finding in tremor.values():
        found = found.merged(finding)
    return found.merged(Findings(plateau=plateau))


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
