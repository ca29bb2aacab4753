"""The training programme as data: each exercise with its steps, dose, frequency and progression.

The web app and the command line read these same definitions. Doses and frequencies come
from the programme's sources: isolation practice 10 reps per toe twice daily and foot
exercises 5–7 days a week (toe-control rehabilitation guide, seed 001); musical toes twice a
week, slow → fast → to a song, one foot → both feet (Phillips, StrideUK, seed 002); big-toe
plant with a hold of a few seconds (seed 000); tennis-ball rolling every day, big-toe
mobilisation by hand, calf raises pushing through the big toe on a wedge, glute training
(seed 004); stretching and strengthening the small foot muscles when shaking comes with
fatigue (seed 003).
"""

from __future__ import annotations

from dataclasses import dataclass

from toelab.errors import ToelabError


@dataclass(frozen=True)
class Frequency:
    """How often an exercise is done: sessions on a practice day, practice days in a week.

    ``min_days_per_week`` is the target a week counts against (5 for "5–7 days a week").
    """

    label: str
    sessions_per_day: int
    days_per_week: int
    min_days_per_week: int


TWICE_DAILY = Frequency("twice daily", sessions_per_day=2, days_per_week=7, min_days_per_week=7)
DAILY = Frequency("daily", sessions_per_day=1, days_per_week=7, min_days_per_week=7)
MOST_DAYS = Frequency("5–7 days a week", sessions_per_day=1, days_per_week=7, min_days_per_week=5)
TWICE_WEEKLY = Frequency("twice a week", sessions_per_day=1, days_per_week=2, min_days_per_week=2)


@dataclass(frozen=True)
class Dose:
    reps: int | None = None  # per toe or per side, as the steps say
    sets: int | None = None
    hold_s: float | None = None
    minutes: float | None = None


@dataclass(frozen=True)
class Level:
    """One stage of an exercise's progression, and when to move on to the next."""

    id: str
    instruction: str
    advance_when: str


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    trains: str
    steps: tuple[str, ...]
    dose: Dose
    frequency: Frequency
    progression: tuple[Level, ...]
    # True when the camera can judge the movement (biofeedback); otherwise it is logged by
    # hand with a timer
    camera_judged: bool
    # the trial task the camera's figures are stored under, for camera-judged exercises
    task: str | None = None

    def level(self, level_id: str) -> Level:
        for level in self.progression:
            if level.id == level_id:
                return level
        known = ", ".join(level.id for level in self.progression)
        raise ToelabError(f"exercise {self.id!r} has no level {level_id!r}", hint=f"levels: {known}")

    def next_level(self, level_id: str) -> Level | None:
        """The level after ``level_id``, or None at the last one."""
        index = self.progression.index(self.level(level_id))
        return self.progression[index + 1] if index + 1 < len(self.progression) else None


_BAND_LEVEL = Level(
    "band",
    "Loop a light resistance band around the toes and do the same movement against it.",
    "Keep the band while the movement stays clean; a stronger band once 3 sets feel easy.",
)

EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        id="toe_isolation",
        name="One toe at a time",
        trains="Independent control of each toe: lifting one while the others stay down.",
        steps=(
            "Sit barefoot with the foot flat on the floor.",
            "Lift one toe while the other four stay on the floor; lower it slowly.",
            "Go through all five toes, big toe first.",
            "Watch the screen: green means only the target toe moved; a cue shows a neighbour following.",
        ),
        dose=Dose(reps=10, sets=1),
        frequency=TWICE_DAILY,
        progression=(
            Level(
                "assisted",
                "Hold the other toes down with your fingers while the target toe lifts.",
                "Move on when a toe lifts 10 times without a neighbour following.",
            ),
            Level(
                "unassisted",
                "No hands: the other toes stay down on their own.",
                "Move on when the toe control score stays at or above 80 % for a week.",
            ),
            _BAND_LEVEL,
        ),
        camera_judged=True,
        task="isolation",
    ),
    Exercise(
        id="big_toe_plant",
        name="Big-toe plant",
        trains="Separating the big toe from the other four, in both directions.",
        steps=(
            "Stand or sit barefoot, foot flat.",
            "Press the big toe into the floor and lift the other four toes; hold.",
            "Lower them, rest a moment, repeat.",
            "Then the reverse: the other four stay down while the big toe lifts; hold.",
        ),
        dose=Dose(reps=10, sets=1, hold_s=5.0),
        frequency=DAILY,
        progression=(
            Level(
                "assisted",
                "Steady the planted toes with a hand if they keep lifting.",
                "Move on when you can hold 5 seconds without help.",
            ),
            Level(
                "unassisted",
                "No hands; the hold timer counts only while the position is right.",
                "Move on when both directions hold 5 seconds on 8 of 10 reps.",
            ),
            Level(
                "standing",
                "Do it standing, with your weight on the foot.",
                "Keep practising standing; add a band when the holds are steady.",
            ),
            _BAND_LEVEL,
        ),
        camera_judged=True,
        task="isolation",
    ),
    Exercise(
        id="musical_toes",
        name="Musical toes",
        trains=(
            "Timing and control of the muscles that lift the big toe and the small toes, left against right."
        ),
        steps=(
            "Stand barefoot.",
            "Lift and lower the big toe in time with the clicks; then the other four toes.",
            "Compare the left foot with the right.",
        ),
        dose=Dose(minutes=5.0),
        frequency=TWICE_WEEKLY,
        progression=(
            Level("slow", "One foot, a slow beat (about 60 per minute).", "Move on when you hit most beats."),
            Level(
                "fast", "One foot, a faster beat (about 100 per minute).", "Move on when you hit most beats."
            ),
            Level(
                "song",
                "One foot, in time with a song you like.",
                "Move on when you stay with the song from start to end.",
            ),
            Level(
                "double",
                "Both big toes (or both sets of other toes) together.",
                "Move on when both feet stay with the beat.",
            ),
            Level(
                "alternating",
                "Big toe on one foot, the other four on the other, then swap.",
                "Keep it fun: change the song.",
            ),
        ),
        camera_judged=True,
        task="rhythm",
    ),
    Exercise(
        id="towel_scrunch",
        name="Towel scrunches",
        trains="Strength of the small muscles that curl the toes.",
        steps=(
            "Sit with a small towel flat on the floor under your foot.",
            "Using only the toes, scrunch the towel towards you.",
            "Spread it out again and repeat.",
        ),
        dose=Dose(reps=10, sets=3),
        frequency=MOST_DAYS,
        progression=(
            Level("plain", "A towel on a smooth floor.", "Move on when 3 sets feel easy."),
            Level("weighted", "Put a small weight (a book) on the far end of the towel.", "Keep it steady."),
        ),
        camera_judged=False,
    ),
    Exercise(
        id="marble_pickup",
        name="Marble pick-ups",
        trains="Grip and telling the big toe apart from the small toes.",
        steps=(
            "Scatter about 10 marbles on the floor next to a cup.",
            "Pick each marble up with the toes and drop it in the cup.",
            "Alternate: one with the big toe, the next with the small toes.",
        ),
        dose=Dose(reps=10, sets=2),
        frequency=MOST_DAYS,
        progression=(
            Level("seated", "Seated.", "Move on when all marbles go in without dropping."),
            Level("standing", "Standing on the other leg.", "Keep practising; use smaller marbles."),
        ),
        camera_judged=False,
    ),
    Exercise(
        id="textures_walk",
        name="Barefoot on textures",
        trains="Feeling in the sole, which the fine control of the toes relies on.",
        steps=(
            "Walk barefoot over different surfaces: grass, sand, pebbles or a textured mat.",
            "Walk slowly and let the toes spread and grip.",
        ),
        dose=Dose(minutes=5.0),
        frequency=MOST_DAYS,
        progression=(
            Level("soft", "Soft surfaces: grass, a mat.", "Move on when it feels comfortable."),
            Level("firm", "Firmer, uneven surfaces: sand, pebbles.", "Keep it comfortable."),
        ),
        camera_judged=False,
    ),
    Exercise(
        id="tennis_ball_roll",
        name="Tennis-ball roll",
        trains="Suppleness of the sole, which lets the big toe bend back.",
        steps=(
            "Sit or stand with a tennis ball under the sole.",
            "Roll it from heel to toes, spending time on the tender spots.",
        ),
        dose=Dose(minutes=2.0),
        frequency=DAILY,
        progression=(
            Level("seated", "Seated, light pressure.", "Move on when it is no longer tender."),
            Level("standing", "Standing, more weight on the ball.", "Keep it to a comfortable pressure."),
        ),
        camera_judged=False,
    ),
    Exercise(
        id="big_toe_mobilisation",
        name="Big-toe mobilisation by hand",
        trains="How far the big toe bends back.",
        steps=(
            "Sit with the foot across the other knee.",
            "Hold the big toe and gently bend it up and down, then in small circles.",
            "Stay within what is comfortable.",
        ),
        dose=Dose(reps=10, sets=2),
        frequency=DAILY,
        progression=(Level("by_hand", "Move the toe by hand.", "Check the big-toe extension test weekly."),),
        camera_judged=False,
    ),
    Exercise(
        id="calf_raise_wedge",
        name="Calf raises through the big toe",
        trains="Pushing off through the big toe, as in walking and running.",
        steps=(
            "Stand with the big toe on a small wedge (a folded towel works).",
            "Rise onto the toes, pushing through the big toe; lower slowly.",
        ),
        dose=Dose(reps=12, sets=3),
        frequency=MOST_DAYS,
        progression=(
            Level("both_legs", "Both legs.", "Move on when 3 sets of 12 feel easy."),
            Level("single_leg", "One leg at a time.", "Keep the push through the big toe."),
        ),
        camera_judged=False,
    ),
    Exercise(
        id="glute_bridge",
        name="Glute bridges",
        trains="The hip muscles that share the load the big toe passes up the leg.",
        steps=(
            "Lie on your back, knees bent, feet flat.",
            "Lift the hips until knees, hips and shoulders line up; lower slowly.",
        ),
        dose=Dose(reps=12, sets=3),
        frequency=MOST_DAYS,
        progression=(
            Level("both_legs", "Both feet on the floor.", "Move on when 3 sets of 12 feel easy."),
            Level("single_leg", "One foot on the floor, the other leg straight.", "Keep the hips level."),
        ),
        camera_judged=False,
    ),
    Exercise(
        id="foot_stretch_strength",
        name="Small foot muscles: stretch and strengthen",
        trains="Endurance of the small foot muscles, for shaking that comes with tiredness.",
        steps=(
            "Stretch: pull the toes gently back with a hand and hold; then curl them and hold.",
            "Strengthen: spread the toes apart as wide as you can and hold; relax.",
        ),
        dose=Dose(reps=5, sets=2, hold_s=20.0),
        frequency=DAILY,
        progression=(
            Level("seated", "Seated.", "Move on when the holds are steady."),
            Level("standing", "Standing.", "Keep the holds steady."),
        ),
        camera_judged=False,
    ),
)

_BY_ID = {exercise.id: exercise for exercise in EXERCISES}


def get_exercise(exercise_id: str) -> Exercise:
    try:
        return _BY_ID[exercise_id]
    except KeyError:
        raise ToelabError(
            f"there is no exercise {exercise_id!r}", hint=f"exercises: {', '.join(_BY_ID)}"
        ) from None
