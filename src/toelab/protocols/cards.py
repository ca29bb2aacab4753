"""Do's and don'ts as short cards, and which cards a person's results call for.

The cards follow the advice of the programme's sources (wide toe box, time barefoot, foot
exercises 5–7 days a week, not ignoring numbness or tingling, not taking stiffness as fixed,
daily foot checks with diabetes; seeds of the domain brief). :func:`cards_for` links them
to results: a stiff big toe shows the mobility exercises and the footwear card, poor toe
isolation the isolation plan, a rhythmic tremor the context card and when to see someone,
diabetes the foot-check card.
"""

from __future__ import annotations

from dataclasses import dataclass

from toelab.analysis.individuation import INDEPENDENT_II
from toelab.analysis.rom import TOE_OFF_NEEDED_DEG
from toelab.protocols.exercises import get_exercise

# a toe control score below this shows the isolation plan: the score is 100 × the mean
# individuation index, so this is the index toelab counts a toe as independent at
POOR_CONTROL_SCORE_PCT = 100.0 * INDEPENDENT_II
# Coughlin & Shurnas 2003 (J Bone Joint Surg Am 85:2072): 30° or less of big-toe extension is
# the range of their grades 2 and 3; from there the card to see a podiatrist is shown too
STIFF_SEE_SOMEONE_DEG = 30.0


@dataclass(frozen=True)
class Card:
    id: str
    kind: str  # do, dont, plan (exercises to practise) or see (when to see someone)
    title: str
    text: str
    exercises: tuple[str, ...] = ()  # exercise ids the card links to
    sources: tuple[str, ...] = ()

    @property
    def exercise_names(self) -> tuple[str, ...]:
        return tuple(get_exercise(e).name for e in self.exercises)


CARDS: dict[str, Card] = {
    card.id: card
    for card in (
        Card(
            "wide_toe_box",
            "do",
            "Shoes with room for the toes",
            "Wear shoes that are wide at the front, so the toes can spread. Keep high heels and "
            "pointed shoes for short times, not every day.",
            sources=("toe_control_guide",),
        ),
        Card(
            "barefoot_time",
            "do",
            "Time barefoot",
            "Spend some time barefoot at home each day. The feet and toes get to work and feel the floor.",
            sources=("toe_control_guide",),
        ),
        Card(
            "exercise_often",
            "do",
            "Practise often",
            "Do your foot exercises on 5 to 7 days a week. Short and often works better than long and rare.",
            sources=("toe_control_guide",),
        ),
        Card(
            "keep_track",
            "do",
            "Keep track",
            "Repeat the tests every week or two. Watch how your toes line up and bend. Your own "
            "trend tells you more than one result.",
            sources=("toe_control_guide",),
        ),
        Card(
            "numbness",
            "dont",
            "Do not ignore numbness or tingling",
            "Numbness, tingling, burning or pain in the toes should be checked. Tell your GP.",
            sources=("toe_control_guide", "foot_shake_article"),
        ),
        Card(
            "stiffness_can_change",
            "dont",
            "Do not take stiffness as fixed",
            "Stiff toes are not simply a part of getting older. They often get better with regular practice.",
            sources=("toe_control_guide",),
        ),
        Card(
            "active_practice",
            "dont",
            "Do not rely on rest alone",
            "Massage, insoles and rest can help, but moving the toes yourself is what brings back control.",
            sources=("toe_control_guide",),
        ),
        Card(
            "diabetes_foot_checks",
            "do",
            "With diabetes: check your feet every day",
            "Look at both feet every day, between the toes too. Use a mirror if you need one. "
            "Tell your GP or diabetes foot team about any change, even a small one, without delay.",
            sources=("toe_control_guide",),
        ),
        Card(
            "isolation_plan",
            "plan",
            "Practise one toe at a time",
            "Lift one toe while the others stay down. Hold the others with your fingers at "
            "first. Do 10 lifts per toe, twice a day. The screen turns green when only the "
            "target toe moves.",
            exercises=("toe_isolation", "big_toe_plant", "marble_pickup"),
            sources=("toe_control_guide", "big_toe_article"),
        ),
        Card(
            "mobility_plan",
            "plan",
            "Help the big toe bend",
            "Roll a tennis ball under the sole each day. Move the big toe by hand. Do calf raises "
            "with the big toe on a small wedge, pushing through it. Train the hip muscles too.",
            exercises=("tennis_ball_roll", "big_toe_mobilisation", "calf_raise_wedge", "glute_bridge"),
            sources=("big_toe_knee_article",),
        ),
        Card(
            "little_toe",
            "do",
            "The little toe and the 4th toe",
            "The little toe often moves with the 4th toe, as they share tendons. That is common. "
            "Practice can still help it move more on its own.",
            exercises=("toe_isolation",),
            sources=("toe_control_guide",),
        ),
        Card(
            "tremor_context",
            "do",
            "Note what goes with the shaking",
            "Before each tremor test, note the time of day, caffeine, tiredness, stress and any "
            "change in medicines. Over a few weeks toelab lines these up with your results. "
            "You and your doctor can then see what goes with stronger shaking.",
            sources=("foot_shake_article",),
        ),
        Card(
            "tired_feet",
            "do",
            "Shaking with tired feet",
            "Shaking often shows up when the small foot muscles are tired. Rest, drink enough "
            "water, and build them up with stretching and strengthening.",
            exercises=("foot_stretch_strength",),
            sources=("foot_shake_article",),
        ),
        Card(
            "tremor_see_someone",
            "see",
            "When to see someone about shaking",
            "See your GP if the foot shakes while it rests, if the shaking keeps coming back or "
            "gets worse, or if it comes with weakness or numbness. Bring your toelab records. "
            "Your GP may refer you to a neurologist.",
            sources=("foot_shake_article", "toe_control_guide"),
        ),
        Card(
            "stiff_toe_see_someone",
            "see",
            "When to see someone about a stiff big toe",
            "If the big toe hardly bends back, or it hurts or changes shape, see a podiatrist. "
            "They can check the joint and advise on shoes and exercises.",
            sources=("toe_control_guide",),
        ),
        Card(
            "no_change_see_someone",
            "see",
            "No change after 6 to 8 weeks",
            "If weeks of regular practice bring no change, a physiotherapist or podiatrist can "
            "find out why and adjust the plan.",
            sources=("toe_control_guide",),
        ),
    )
}

# shown to everyone, whatever the results
GENERAL_CARDS = ("wide_toe_box", "barefoot_time", "exercise_often", "numbness")


@dataclass(frozen=True)
class Findings:
    """What the results say, as far as the cards need it; None means not measured."""

    big_toe_extension_deg: float | None = None
    toe_control_score_pct: float | None = None
    toes_not_independent: tuple[int, ...] = ()
    little_toe_with_fourth: bool = False
    tremor_rhythmic: bool = False
    tremor_at_rest: bool = False
    diabetes: bool = False
    plateau: bool = False

    def merged(self, other: Findings) -> Findings:
        """Both sets of findings together; the smaller angle and score count."""

        def low(a: float | None, b: float | None) -> float | None:
            return b if a is None else a if b is None else min(a, b)

        return Findings(
            low(self.big_toe_extension_deg, other.big_toe_extension_deg),
            low(self.toe_control_score_pct, other.toe_control_score_pct),
            tuple(sorted(set(self.toes_not_independent) | set(other.toes_not_independent))),
            self.little_toe_with_fourth or other.little_toe_with_fourth,
            self.tremor_rhythmic or other.tremor_rhythmic,
            self.tremor_at_rest or other.tremor_at_rest,
            self.diabetes or other.diabetes,
            self.plateau or other.plateau,
        )


@dataclass(frozen=True)
class CardChoice:
    card: Card
    reason: str  # why it is shown, in plain words


def cards_for(findings: Findings, *, general: bool = True) -> tuple[CardChoice, ...]:
    """The cards to show beside these results, most pressing first, each once."""
    chosen: list[CardChoice] = []

    def add(card_id: str, reason: str) -> None:
        if all(c.card.id != card_id for c in chosen):
            chosen.append(CardChoice(CARDS[card_id], reason))

    if findings.tremor_at_rest:
        add("tremor_see_someone", "A steady shaking was measured while the foot rested.")
    if findings.plateau:
        add("no_change_see_someone", "Your figures have not changed for some weeks of practice.")
    if findings.diabetes:
        add("diabetes_foot_checks", "Your profile lists diabetes.")
    if findings.tremor_rhythmic:
        add("tremor_context", "A steady shaking was measured.")
        add("tremor_see_someone", "A steady shaking was measured.")
        add("tired_feet", "A steady shaking was measured.")
    angle = findings.big_toe_extension_deg
    if angle is not None and angle < TOE_OFF_NEEDED_DEG:
        reason = f"The big toe bent back {angle:.0f}°, less than a full push-off uses."
        add("mobility_plan", reason)
        add("wide_toe_box", reason)
        add("stiffness_can_change", reason)
        if angle <= STIFF_SEE_SOMEONE_DEG:
            add("stiff_toe_see_someone", reason)
    score = findings.toe_control_score_pct
    if (score is not None and score < POOR_CONTROL_SCORE_PCT) or findings.toes_not_independent:
        add("isolation_plan", "Some toes do not yet move on their own.")
        add("active_practice", "Some toes do not yet move on their own.")
    if findings.little_toe_with_fourth:
        add("little_toe", "The little toe moved with the 4th toe.")
    if general:
        for card_id in GENERAL_CARDS:
            add(card_id, "Good for every foot.")
    return tuple(chosen)
