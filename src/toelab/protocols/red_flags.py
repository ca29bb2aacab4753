"""When to see a professional: the questionnaire, flags from measurements, and plain advice.

The flags follow the warning signs of the toe-control and foot-tremor sources (seeds 001 and
003): sudden weakness or paralysis of toes; numbness, burning or electric sensations;
visible deformity; diabetes with any new foot symptom; no improvement after 6–8 weeks of
consistent exercise; a tremor that persists, worsens or comes with weakness or numbness;
tremor at rest. Each flag names who to see and how soon. toelab informs and refers: no
advice here names a condition or tells a person what they have.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from toelab.analysis.progress import Measurement, Plateau
from toelab.errors import ToelabError

URGENCIES = {
    "today": "today",
    "soon": "within the next few days",
    "next_visit": "at your next planned visit",
}


@dataclass(frozen=True)
class Question:
    id: str
    text: str


@dataclass(frozen=True)
class Flag:
    id: str
    title: str
    advice: str
    see: str  # the professional to see
    urgency: str  # a key of URGENCIES
    sources: tuple[str, ...] = ()  # keys of toelab.protocols.sources.SOURCES for figures in the advice

    @property
    def when(self) -> str:
        return URGENCIES[self.urgency]


@dataclass(frozen=True)
class RaisedFlag:
    flag: Flag
    reason: str  # what raised it, in plain words
    foot: str | None = None
    day: date | None = None


QUESTIONS: tuple[Question, ...] = (
    Question("sudden_weakness", "Have one or more toes suddenly become weak, or stopped moving?"),
    Question(
        "numbness_burning",
        "Do you feel numbness, burning, tingling or electric-like sensations in the foot or toes?",
    ),
    Question(
        "visible_deformity",
        "Has the shape of your toes changed: toes curling down like claws, toes overlapping, "
        "a bump at the base of the big toe, or a toe bent up at its middle joint?",
    ),
    Question(
        "new_foot_symptom",
        "Have you noticed anything new in your feet: a wound, a change of skin colour, swelling, "
        "pain, or a change in how they move or feel?",
    ),
    Question(
        "no_improvement",
        "Have you practised regularly for 6–8 weeks without getting better?",
    ),
    Question(
        "tremor_persists",
        "Does the shaking keep coming back or get worse over weeks, or come with weakness or numbness?",
    ),
    Question("tremor_at_rest", "Does the foot shake while it is relaxed and resting?"),
)

FLAGS: dict[str, Flag] = {
    flag.id: flag
    for flag in (
        Flag(
            "sudden_weakness",
            "Sudden weakness of the toes",
            "Toes that suddenly become weak or stop moving need to be looked at by a doctor. "
            "Contact your GP today, or urgent care if it started within the last hours.",
            "GP or urgent care; then a neurologist if they refer you",
            "today",
        ),
        Flag(
            "numbness_burning",
            "Numbness, burning or electric sensations",
            "These sensations are worth having checked. Tell your GP, who can test the nerves "
            "of the foot or refer you to a neurologist.",
            "GP or neurologist",
            "soon",
        ),
        Flag(
            "visible_deformity",
            "A change in the shape of the toes",
            "A podiatrist can look at the toes. They can advise on shoes, pads and exercises. "
            "Until then, do only the exercises that feel good.",
            "podiatrist",
            "soon",
        ),
        Flag(
            "diabetes_new_symptom",
            "A new foot symptom, with diabetes",
            "With diabetes, any new foot symptom should be checked quickly, even a small one. "
            "Contact your GP or your diabetes foot team, and check your feet every day.",
            "GP or diabetes foot team",
            "soon",
        ),
        Flag(
            "no_improvement",
            "No improvement after 6–8 weeks of regular practice",
            "The exercises have not brought a clear change. A physiotherapist or podiatrist can "
            "look at why and adjust the programme.",
            "physiotherapist or podiatrist",
            "next_visit",
        ),
        Flag(
            "tremor_persistent",
            "Shaking that persists, worsens, or comes with weakness or numbness",
            "Shaking like this is worth a medical opinion. Tell your GP, who may refer you to a neurologist.",
            "GP, then a neurologist if they refer you",
            "soon",
        ),
        Flag(
            "tremor_at_rest",
            "Shaking while the foot is at rest",
            "Shaking of a relaxed, supported foot is worth a medical opinion. Tell your GP, who may "
            "refer you to a neurologist. Bring the recording toelab made.",
            "GP, then a neurologist if they refer you",
            "soon",
        ),
        Flag(
            "control_drop",
            "A sudden drop in toe control",
            "Control of a toe dropped sharply since the last session. Check the recording first "
            "(light, camera angle, a tired foot); if the next session shows the same, or the toe also "
            "feels weak or numb, see a physiotherapist or your GP.",
            "physiotherapist or GP",
            "soon",
        ),
        Flag(
            "big_toe_stiff",
            "The big toe bends back very little",
            "The big toe bent back 10° or less. A big toe that hardly bends shifts load to the knee "
            "and hip when walking. A podiatrist can examine the joint and advise.",
            "podiatrist",
            "next_visit",
            ("coughlin2003",),
        ),
    )
}

# answers that, with diabetes, raise the diabetes flag
_SYMPTOM_QUESTIONS = (
    "sudden_weakness",
    "numbness_burning",
    "visible_deformity",
    "new_foot_symptom",
    "tremor_persists",
    "tremor_at_rest",
)
_FLAG_OF_QUESTION = {
    "sudden_weakness": "sudden_weakness",
    "numbness_burning": "numbness_burning",
    "visible_deformity": "visible_deformity",
    "no_improvement": "no_improvement",
    "tremor_persists": "tremor_persistent",
    "tremor_at_rest": "tremor_at_rest",
}
_QUESTION_IDS = {q.id for q in QUESTIONS}

# a drop this large between two sessions is well beyond session-to-session scatter: twice the
# change toelab counts as meaningful (toelab.analysis.progress.METRICS), toelab's own choice
CONTROL_DROP = {"toe_control_score_pct": 20.0, "individuation_index": 0.2}
# Coughlin & Shurnas 2003 (J Bone Joint Surg Am 85:2072): 10° or less of big-toe extension
# is the range of their grade 3
BIG_TOE_STIFF_DEG = 10.0


@dataclass(frozen=True)
class RestTremorReading:
    """The result of a rest trial: whether a rhythmic tremor was found, and its frequency."""

    day: date
    foot: str | None
    rhythmic: bool
    frequency_hz: float


def check_answers(answers: Mapping[str, bool]) -> None:
    unknown = sorted(set(answers) - _QUESTION_IDS)
    if unknown:
        raise ToelabError(
            f"unknown red-flag question {', '.join(unknown)}",
            hint=f"questions: {', '.join(sorted(_QUESTION_IDS))}",
        )


def flags_from_answers(
    answers: Mapping[str, bool], *, diabetes: bool = False, day: date | None = None
) -> tuple[RaisedFlag, ...]:
    """The flags a questionnaire raises; ``diabetes`` comes from the person's record."""
    check_answers(answers)
    text = {q.id: q.text for q in QUESTIONS}
    raised = [
        RaisedFlag(FLAGS[flag_id], f"You answered yes to: {text[question_id]}", day=day)
        for question_id, flag_id in _FLAG_OF_QUESTION.items()
        if answers.get(question_id)
    ]
    symptoms = [q for q in _SYMPTOM_QUESTIONS if answers.get(q)]
    if diabetes and symptoms:
        raised.append(
            RaisedFlag(FLAGS["diabetes_new_symptom"], f"You answered yes to: {text[symptoms[0]]}", day=day)
        )
    return tuple(sorted(raised, key=lambda r: list(URGENCIES).index(r.flag.urgency)))


def flags_from_measurements(
    measurements: Sequence[Measurement] = (),
    rest_tremor: Iterable[RestTremorReading] = (),
    plateaus: Iterable[Plateau] = (),
) -> tuple[RaisedFlag, ...]:
    """Flags raised by the figures themselves.

    * a rhythmic tremor in a rest trial;
    * a toe's control score or individuation index falling by :data:`CONTROL_DROP` or more
      from one session to the next;
    * the latest big-toe extension of a foot at :data:`BIG_TOE_STIFF_DEG` or below;
    * a plateau after 6–8 weeks of consistent practice.
    """
    raised = [
        RaisedFlag(
            FLAGS["tremor_at_rest"],
            f"A regular shaking at about {r.frequency_hz:.1f} times a second was measured "
            "while the foot rested.",
            r.foot,
            r.day,
        )
        for r in rest_tremor
        if r.rhythmic
    ]
    series: dict[tuple[str, str | None, int | None], dict[date, list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for m in measurements:
        series[(m.metric, m.foot, m.toe)][m.day].append(m.value)
    for (metric, foot, toe), by_day in sorted(series.items(), key=lambda kv: str(kv[0])):
        days = sorted(by_day)
        mean = {d: sum(by_day[d]) / len(by_day[d]) for d in days}
        if metric in CONTROL_DROP:
            for before, after in zip(days, days[1:], strict=False):
                drop = mean[before] - mean[after]
                if drop >= CONTROL_DROP[metric]:
                    where = f"toe {toe}" if toe is not None else "the toes"
                    raised.append(
                        RaisedFlag(
                            FLAGS["control_drop"],
                            f"Control of {where} fell from {mean[before]:.2f} to {mean[after]:.2f} "
                            f"between {before} and {after}.",
                            foot,
                            after,
                        )
                    )
        if metric == "big_toe_extension_deg" and mean[days[-1]] <= BIG_TOE_STIFF_DEG:
            raised.append(
                RaisedFlag(
                    FLAGS["big_toe_stiff"],
                    f"The big toe bent back {mean[days[-1]]:.0f}° on {days[-1]}.",
                    foot,
                    days[-1],
                )
            )
    raised.extend(
        RaisedFlag(FLAGS["no_improvement"], p.advice or "", p.foot, p.window_end)
        for p in plateaus
        if p.plateau
    )
    return tuple(raised)
