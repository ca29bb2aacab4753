"""The words the page uses for toes, feet, points, tests, exercises and tremor conditions,
taken from the package's own lists so the page, the reports and the command line name
things alike (the page keeps no copy of its own)."""

from __future__ import annotations

from toelab.landmarks import SIDE_POINT_WORDS, TOES
from toelab.protocols import BATTERY, EXERCISES
from toelab.protocols.context import CONDITIONS
from toelab.vocabulary import FEET, TOE_NAMES
from toelab.web.responses import TrainTarget, Vocabulary

FOOT_WORDS = {"left": "left foot", "right": "right foot", "both": "both feet"}
# what a camera-judged exercise lets a person train: the toes that lift, the others stay down
TRAIN_TARGETS: dict[str, tuple[tuple[int, ...], ...]] = {
    "toe_isolation": ((1,), (2,), (3,), (4,), (5,)),
    "big_toe_plant": ((2, 3, 4, 5), (1,)),
}
# live runs and hand-logged exercises, beside the battery's tests
OTHER_TASKS = {"train": "Training", "exercise": "Exercise", "logged": "Exercise logged by hand"}
SESSION_KINDS = {"assessment": "Assessment", "training": "Training"}


def target_words(toes: tuple[int, ...]) -> str:
    """``the 2nd toe (the others stay down)``; four toes: ``the other four toes (big toe stays down)``."""
    if len(toes) == 1:
        return f"the {TOE_NAMES[toes[0]]} (the others stay down)"
    if set(toes) == set(TOE_NAMES) - {1}:
        return f"the other four toes ({TOE_NAMES[1]} stays down)"
    return f"the {', '.join(TOE_NAMES[t] for t in toes)} (the others stay down)"


def vocabulary() -> Vocabulary:
    """The JSON the page loads once at start (``/api/vocabulary``)."""
    toe_words = [TOE_NAMES[number] for number in range(1, len(TOES) + 1)]
    return Vocabulary(
        toes=toe_words,
        feet={foot: FOOT_WORDS[foot] for foot in (*FEET, "both")},
        points={"front": list(TOES), "side": list(SIDE_POINT_WORDS)},
        point_names={**dict(zip(TOES, toe_words, strict=True)), **SIDE_POINT_WORDS},
        tasks={**{test.task: test.name for test in BATTERY}, **OTHER_TASKS},
        exercises={exercise.id: exercise.name for exercise in EXERCISES},
        conditions=dict(CONDITIONS),
        session_kinds=SESSION_KINDS,
        train_targets={
            exercise: [TrainTarget(toes=list(toes), label=target_words(toes)) for toes in targets]
            for exercise, targets in TRAIN_TARGETS.items()
        },
    )
