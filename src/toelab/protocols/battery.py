"""The assessment battery as data: what each test asks the person to do and what it measures."""

from __future__ import annotations

from dataclasses import dataclass

from toelab.errors import ToelabError
from toelab.vocabulary import TOE_NAMES


@dataclass(frozen=True)
class Condition:
    """One recorded part of a test (a trial), e.g. "lift toe 2" or "toes held flexed"."""

    id: str
    instruction: str
    duration_s: float
    toes: tuple[int, ...] = ()  # the instructed toes, 1 = big toe
    parameters: tuple[tuple[str, str | float], ...] = ()


@dataclass(frozen=True)
class AssessmentTest:
    id: str
    name: str
    task: str  # the trial task its recordings are stored under
    purpose: str
    setup: tuple[str, ...]
    conditions: tuple[Condition, ...]
    measures: tuple[str, ...]  # names of the figures the test produces
    per_foot: bool = True


_LIFT_S = 8.0

ISOLATION_TEST = AssessmentTest(
    id="toe_isolation",
    name="Toe isolation test",
    task="isolation",
    purpose="Which toes can move on their own, and which neighbours lift along.",
    setup=("Sit barefoot, foot flat on the floor, camera in front of the toes.",),
    conditions=tuple(
        Condition(f"lift_toe{toe}", f"Lift the {name} on its own. Keep the other toes down.", _LIFT_S, (toe,))
        for toe, name in TOE_NAMES.items()
    )
    + (
        Condition("big_toe_alone", "Lift the big toe. The other four stay flat.", _LIFT_S, (1,)),
        Condition("other_four", "Lift the other four toes. The big toe stays flat.", _LIFT_S, (2, 3, 4, 5)),
    ),
    measures=("individuation_index", "toe_control_score_pct"),
)

BIG_TOE_EXTENSION_TEST = AssessmentTest(
    id="big_toe_extension",
    name="Big-toe extension test",
    task="rom",
    purpose="How far the big toe bends back at its base joint; about 65–75° helps a normal push-off.",
    setup=(
        "Stand, or sit with the foot flat; camera from the side at the height of the foot.",
        "Lift the big toe as far back as it goes (by hand if needed) and hold 3 seconds.",
    ),
    conditions=(
        Condition(
            "active",
            "Lift the big toe up and back as far as you can, and hold.",
            6.0,
            (1,),
            (("mode", "active"),),
        ),
        Condition(
            "passive",
            "Bend the big toe back gently with your hand, and hold.",
            6.0,
            (1,),
            (("mode", "passive"),),
        ),
    ),
    measures=("big_toe_extension_deg",),
)

TREMOR_TEST = AssessmentTest(
    id="tremor",
    name="Tremor test",
    task="tremor",
    purpose="Whether the foot shakes, how fast and how regularly: at rest, holding, and moving.",
    setup=(
        "Sit with the foot in view of the camera, in good light; if the camera is too slow to see "
        "a fast shake, the results say so.",
    ),
    conditions=(
        Condition(
            "rest", "Let the foot rest, fully relaxed and supported.", 20.0, (), (("condition", "rest"),)
        ),
        Condition(
            "postural",
            "Curl the toes and hold them curled.",
            20.0,
            (1, 2, 3, 4, 5),
            (("condition", "postural"),),
        ),
        Condition(
            "kinetic",
            "Bend and straighten the toes slowly, again and again.",
            20.0,
            (1, 2, 3, 4, 5),
            (("condition", "kinetic"),),
        ),
    ),
    measures=(
        "tremor_frequency_hz",
        "tremor_amplitude",
        "tremor_band_power_fraction",
        "tremor_rhythmicity",
        "tremor_stability_index_hz",
    ),
    # 8–12 Hz physiological tremor needs at least 24 fps to be seen at all (Nyquist)
)

MUSICAL_TOES_TEST = AssessmentTest(
    id="musical_toes",
    name="Musical toes test",
    task="rhythm",
    purpose="How well the toes keep time with a beat, left against right.",
    setup=(
        "Stand barefoot, camera in front of the toes; the page plays the clicks (turn the sound on) "
        "and times each lift against them.",
    ),
    conditions=(
        Condition(
            "big_toe_600ms", "Lift the big toe with each click.", 30.0, (1,), (("interval_ms", 600.0),)
        ),
        Condition(
            "other_four_600ms",
            "Lift the other four toes with each click.",
            30.0,
            (2, 3, 4, 5),
            (("interval_ms", 600.0),),
        ),
        Condition(
            "big_toe_400ms",
            "Faster: lift the big toe with each click.",
            30.0,
            (1,),
            (("interval_ms", 400.0),),
        ),
        Condition(
            "both_feet_600ms",
            "Both big toes together, with each click.",
            30.0,
            (1,),
            (("interval_ms", 600.0), ("feet", "both")),
        ),
    ),
    measures=(
        "mean_asynchrony_ms",
        "sd_asynchrony_ms",
        "circular_r",
        "hits",
        "misses",
        "extras",
        "inter_lift_interval_cv",
    ),
)

BATTERY: tuple[AssessmentTest, ...] = (ISOLATION_TEST, BIG_TOE_EXTENSION_TEST, TREMOR_TEST, MUSICAL_TOES_TEST)

_BY_ID = {test.id: test for test in BATTERY}


def get_test(test_id: str) -> AssessmentTest:
    try:
        return _BY_ID[test_id]
    except KeyError:
        raise ToelabError(f"there is no test {test_id!r}", hint=f"tests: {', '.join(_BY_ID)}") from None
