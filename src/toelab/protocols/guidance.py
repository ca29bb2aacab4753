"""Instructions a person can follow for every test and exercise, as data.

One source for the web app, the command line and the reports: how to set up (barefoot,
seated or standing, where the phone goes, light, what the camera must see), what to do, how
long and how many, common mistakes, and what the result means. The steps themselves come
from the battery's conditions and the programme's exercise steps, so a step added there
without guidance here is caught by the tests.

Figures with a unit name their sources (:mod:`toelab.protocols.sources`). The words inform;
they never diagnose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from toelab.errors import ToelabError
from toelab.protocols.battery import BATTERY, AssessmentTest
from toelab.protocols.diagrams import camera_diagram
from toelab.protocols.exercises import EXERCISES, Exercise
from toelab.protocols.sources import citations
from toelab.vocabulary import View

Position = Literal["seated", "standing", "seated or standing", "lying"]


@dataclass(frozen=True)
class CameraSetup:
    view: View  # front (facing the toes) or side (level with the foot)
    phone: str  # where the phone goes
    light: str
    must_see: str


@dataclass(frozen=True)
class StepGuide:
    """How to do one step of a test: how many times, and a tip for doing it well."""

    step_id: str  # the id of a test's condition
    how_many: str
    tip: str


@dataclass(frozen=True)
class Guide:
    id: str
    kind: str  # "test" or "exercise"
    barefoot: bool
    position: Position
    camera: CameraSetup | None
    setup: tuple[str, ...]
    mistakes: tuple[str, ...]
    meaning: str  # what the result means (a test) or what the practice does (an exercise)
    steps: tuple[StepGuide, ...] = ()  # tests only: one per condition
    before: str = ""  # what to do before starting, e.g. answer the context questions
    sources: tuple[str, ...] = ()

    def step(self, step_id: str) -> StepGuide:
        for step in self.steps:
            if step.step_id == step_id:
                return step
        raise ToelabError(f"{self.kind} {self.id!r} has no guidance for step {step_id!r}")


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    """Everything a person needs before a test or exercise, ready to show."""

    id: str
    kind: str
    name: str
    purpose: str
    sections: tuple[Section, ...]
    diagram_svg: str | None
    sources: tuple[str, ...]  # citations

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "purpose": self.purpose,
            "sections": [{"title": s.title, "lines": list(s.lines)} for s in self.sections],
            "diagram_svg": self.diagram_svg,
            "sources": list(self.sources),
        }


_FRONT = CameraSetup(
    "front",
    "On the floor, about 40 cm in front of the toes, camera facing them. Lean it on something steady.",
    "Bright, even light from the front or above. No bright window behind the foot.",
    "All five toes and the front half of the foot, the whole time.",
)
_FRONT_BOTH = CameraSetup(
    "front",
    "On the floor, about 50 cm in front of the toes, camera facing them. Lean it on something steady.",
    "Bright, even light from the front or above. No bright window behind the feet.",
    "The toes of both feet, the whole time.",
)
_SIDE = CameraSetup(
    "side",
    "On the floor beside the foot, about 50 cm away, camera at the height of the foot, "
    "facing the inner side of the foot.",
    "Bright, even light on the side of the foot that faces the phone.",
    "The heel, the ball of the foot and the whole big toe, from the side.",
)


def _isolation_steps() -> tuple[StepGuide, ...]:
    lifts = tuple(
        StepGuide(
            f"lift_toe{toe}",
            "3 lifts, slowly up and slowly down.",
            "Keep the heel and the ball of the foot on the floor."
            if toe != 5
            else "The little toe often lifts with the 4th toe. That is common.",
        )
        for toe in range(1, 6)
    )
    return lifts + (
        StepGuide("big_toe_alone", "3 lifts.", "Do not press the others down hard."),
        StepGuide("other_four", "3 lifts.", "Go slowly. The big toe may want to follow."),
    )


TEST_GUIDES: dict[str, Guide] = {
    guide.id: guide
    for guide in (
        Guide(
            id="toe_isolation",
            kind="test",
            barefoot=True,
            position="seated",
            camera=_FRONT,
            setup=("Sit on a chair with the foot flat on the floor, knee bent at a right angle.",),
            steps=_isolation_steps(),
            mistakes=(
                "Lifting the whole foot instead of one toe.",
                "Rolling the foot to the side to help a toe up.",
                "Going fast. Slow lifts are easier to see and to judge.",
                "Toes in shadow or out of the picture.",
            ),
            meaning=(
                "For each toe you get a number from 0 to 1. It says how well that toe moves on its "
                "own. 1 means no other toe moved with it. 0 means the others moved just as much. The "
                "toe control score puts the five toes together, from 0 to 100. A low number is "
                "most often a matter of practice and control, not of strength. It tends to improve "
                "with the exercises. With age, the other toes tend to move along more."
            ),
            sources=("hager_ross2000", "abe2026", "toe_control_guide", "big_toe_article"),
        ),
        Guide(
            id="big_toe_extension",
            kind="test",
            barefoot=True,
            position="seated or standing",
            camera=_SIDE,
            setup=("Stand, or sit with the foot flat on the floor.",),
            steps=(
                StepGuide(
                    "active",
                    "Once, and hold still for about 3 seconds at the top.",
                    "Keep the ball of the foot on the floor while the toe lifts.",
                ),
                StepGuide(
                    "passive",
                    "Once, and hold still for about 3 seconds.",
                    "Only as far as is comfortable. Keep your hand clear of the tip of the toe.",
                ),
            ),
            mistakes=(
                "Lifting the ball of the foot or the heel with the toe.",
                "The phone above the foot or tilted. Then the angle looks smaller than it is.",
                "A hand or a sock hiding the big toe.",
                "Pushing the toe into pain.",
            ),
            meaning=(
                "The figure is how far the big toe bends back at its base, in degrees. Walking "
                "needs about 65 to 75° to push off well from the big toe. Barefoot push-off uses "
                "about 60°. When the toe bends less, the foot pushes off less well, and the knee "
                "and hip may take more of the load. A photo measure like this one is most often "
                "within a few degrees of a measure taken by hand. It tells how far the toe bends. "
                "It does not tell why."
            ),
            sources=("root1977", "bojsen_moller1979", "otter2015", "big_toe_knee_article"),
        ),
        Guide(
            id="tremor",
            kind="test",
            barefoot=True,
            position="seated",
            camera=_FRONT,
            setup=(
                "Sit on a chair with the foot in front of the phone.",
                "Set the camera to 30 frames a second or more. 60 is better.",
                "In dim light many cameras slow down to 15 frames a second. Then they cannot see "
                "shaking faster than 7.5 times a second. So make the room bright.",
                "Do not hold the phone. Its own shaking would be measured.",
            ),
            before=(
                "Answer a few short questions first: caffeine, tiredness, stress, medication "
                "changes. They are kept with the test so you can see what goes with stronger shaking."
            ),
            steps=(
                StepGuide("rest", "Once.", "Put the foot on a cushion or a low stool. Do not talk."),
                StepGuide("postural", "Once.", "Do not press hard. Just keep them curled."),
                StepGuide("kinetic", "Once.", "Keep an even pace, about one bend every two seconds."),
            ),
            mistakes=(
                "Holding the phone in your hand.",
                "Moving the foot on purpose during the rest part.",
                "A dim room: the camera slows down and misses fast shaking.",
                "Testing only when the foot is tired. Test at different times, and note them.",
            ),
            meaning=(
                "toelab looks for a steady rhythm in the movement. If it finds one, it says how "
                "many times a second the foot shakes (Hz) and how big the shaking is. Shaking "
                "while the toes hold or move is common. It often comes with tired muscles, "
                "caffeine or stress. Shaking while the foot rests, or shaking that grows over "
                "weeks, is worth showing to a doctor. The number of times a second does not tell "
                "the cause on its own."
            ),
            sources=("foot_shake_article", "deuschl1998", "shannon1949"),
        ),
        Guide(
            id="musical_toes",
            kind="test",
            barefoot=True,
            position="standing",
            camera=_FRONT_BOTH,
            setup=(
                "Stand with your weight on both feet.",
                "Turn the sound on: toelab's page plays the clicks itself and times each lift against "
                "them. Filming with another app instead? Play clicks out loud near the phone, so the "
                "video records them.",
                "Choose a quiet room.",
            ),
            steps=(
                StepGuide(
                    "big_toe_600ms",
                    "One lift per click, 50 clicks.",
                    "Listen, or watch the circle that flashes on each beat.",
                ),
                StepGuide(
                    "other_four_600ms", "One lift per click, 50 clicks.", "The big toe stays on the floor."
                ),
                StepGuide("big_toe_400ms", "One lift per click, 75 clicks.", "Smaller lifts make it easier."),
                StepGuide(
                    "both_feet_600ms",
                    "One lift per click, 50 clicks.",
                    "Both big toes lift at the same moment.",
                ),
            ),
            mistakes=(
                "Rocking on the heels or lifting the whole foot.",
                "Sound too quiet to hear the clicks (or, filming with another app, for the phone to "
                "record them).",
                "Starting late. Begin with the first click.",
            ),
            meaning=(
                "toelab times each lift against its click. The average gap is in ms (thousandths of a "
                "second). A minus sign means early. When people tap a finger to a beat they are "
                "most often a little early, by about 40 ms, and they vary by about 40 ms from tap "
                "to tap. Toes are slower than fingers, so larger gaps are common. Your own trend, "
                "and left against right, matter most."
            ),
            sources=("repp2005", "musical_toes"),
        ),
    )
}


EXERCISE_GUIDES: dict[str, Guide] = {
    guide.id: guide
    for guide in (
        Guide(
            id="toe_isolation",
            kind="exercise",
            barefoot=True,
            position="seated",
            camera=_FRONT,
            setup=("You need a chair.",),
            mistakes=(
                "Lifting the whole foot.",
                "Skipping the toes that are hard. Those need the practice most.",
                "Doing it fast. Slow and clean is better than many.",
            ),
            meaning=(
                "It teaches each toe to move on its own. Most people get better with steady "
                "practice over some weeks. Check the toe isolation test every week or two."
            ),
            sources=("toe_control_guide", "big_toe_article"),
        ),
        Guide(
            id="big_toe_plant",
            kind="exercise",
            barefoot=True,
            position="seated or standing",
            camera=_FRONT,
            setup=("You need a chair, or a wall to steady you when you stand.",),
            mistakes=(
                "Curling the big toe under instead of pressing it flat.",
                "Holding your breath during the hold.",
                "Letting the hold go early. The timer counts only while the position is right.",
            ),
            meaning=(
                "It trains the big toe and the other four toes to work apart. This helps balance "
                "and push-off."
            ),
            sources=("big_toe_article",),
        ),
        Guide(
            id="musical_toes",
            kind="exercise",
            barefoot=True,
            position="standing",
            camera=_FRONT_BOTH,
            setup=(
                "Turn the sound on: the page plays the clicks, or your own song, and times each lift. "
                "Filming with another app? Play them out loud near the phone.",
            ),
            mistakes=(
                "Going faster before the slow beat is easy.",
                "Doing only the easier foot. Compare both.",
            ),
            meaning=(
                "It trains timing and control of the muscles that lift the toes. Make it fun: "
                "change the song."
            ),
            sources=("musical_toes",),
        ),
        Guide(
            id="towel_scrunch",
            kind="exercise",
            barefoot=True,
            position="seated",
            camera=None,
            setup=("You need a chair, a small towel and a smooth floor.",),
            mistakes=(
                "Pulling with the ankle instead of the toes.",
                "A towel on carpet, which grips too much.",
            ),
            meaning="It builds strength in the small muscles under the foot that curl the toes.",
            sources=("toe_control_guide",),
        ),
        Guide(
            id="marble_pickup",
            kind="exercise",
            barefoot=True,
            position="seated",
            camera=None,
            setup=("You need a chair, about 10 marbles and a cup.",),
            mistakes=(
                "Using only the easier toes.",
                "Dropping the marble from high up. Place it in the cup.",
            ),
            meaning="It trains grip, and telling the big toe apart from the small toes.",
            sources=("toe_control_guide",),
        ),
        Guide(
            id="textures_walk",
            kind="exercise",
            barefoot=True,
            position="standing",
            camera=None,
            setup=(
                "Find a safe place to walk barefoot: grass, sand, or a textured mat.",
                "Check the ground for sharp things first.",
            ),
            mistakes=(
                "Starting on rough ground too soon.",
                "Walking barefoot outdoors with numb feet. Check with your doctor first.",
            ),
            meaning=(
                "It wakes up the feeling in the sole. The fine control of the toes relies on that feeling."
            ),
            sources=("toe_control_guide",),
        ),
        Guide(
            id="tennis_ball_roll",
            kind="exercise",
            barefoot=True,
            position="seated or standing",
            camera=None,
            setup=("You need a tennis ball.",),
            mistakes=("Pressing so hard that it hurts.", "Rolling only the heel. Work the whole sole."),
            meaning="It loosens the sole, which helps the big toe bend back.",
            sources=("big_toe_knee_article",),
        ),
        Guide(
            id="big_toe_mobilisation",
            kind="exercise",
            barefoot=True,
            position="seated",
            camera=None,
            setup=("You need a chair.",),
            mistakes=("Forcing the toe into pain.", "Twisting the toe instead of bending it."),
            meaning="It helps the big toe bend further. Check the big-toe extension test each week.",
            sources=("big_toe_knee_article",),
        ),
        Guide(
            id="calf_raise_wedge",
            kind="exercise",
            barefoot=True,
            position="standing",
            camera=None,
            setup=("You need a small wedge (a folded towel works), and a wall or chair to hold.",),
            mistakes=(
                "Rolling out to the little toe side.",
                "Dropping down fast. Lower slowly.",
            ),
            meaning="It trains pushing off through the big toe, as in walking and running.",
            sources=("big_toe_knee_article",),
        ),
        Guide(
            id="glute_bridge",
            kind="exercise",
            barefoot=False,
            position="lying",
            camera=None,
            setup=("You need a mat or a carpet.",),
            mistakes=("Arching the low back at the top.", "Pushing through the toes instead of the heels."),
            meaning="Strong hip muscles share the load that a stiff big toe passes up the leg.",
            sources=("big_toe_knee_article",),
        ),
        Guide(
            id="foot_stretch_strength",
            kind="exercise",
            barefoot=True,
            position="seated",
            camera=None,
            setup=("You need a chair.",),
            mistakes=("Bouncing in the stretch. Hold it still.", "Stretching into pain."),
            meaning=(
                "It builds stamina in the small foot muscles. Shaking that comes with tired feet "
                "often eases as they get stronger."
            ),
            sources=("foot_shake_article",),
        ),
    )
}


def guide_for_test(test: AssessmentTest | str) -> Guide:
    test_id = test if isinstance(test, str) else test.id
    try:
        return TEST_GUIDES[test_id]
    except KeyError:
        raise ToelabError(f"there are no instructions for test {test_id!r}") from None


def guide_for_exercise(exercise: Exercise | str) -> Guide:
    exercise_id = exercise if isinstance(exercise, str) else exercise.id
    try:
        return EXERCISE_GUIDES[exercise_id]
    except KeyError:
        raise ToelabError(f"there are no instructions for exercise {exercise_id!r}") from None


def _seconds(duration_s: float) -> str:
    return f"{duration_s:g} seconds"


def _minutes(duration_s: float) -> str:
    minutes = max(1, round(duration_s / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def dose_text(exercise: Exercise) -> str:
    """How much and how often, in words: ``10 times per toe, once. Twice daily.``"""
    dose = exercise.dose
    parts = []
    if dose.reps:
        per = " per toe" if exercise.id == "toe_isolation" else ""
        parts.append(f"{dose.reps} times{per}")
    if dose.hold_s:
        parts.append(f"hold each {_seconds(dose.hold_s)}")
    if dose.minutes:
        parts.append(f"about {dose.minutes:g} minutes each time")
    if dose.sets and dose.sets > 1:
        parts.append(f"{dose.sets} rounds, with a short rest between")
    return f"{', '.join(parts).capitalize()}. {exercise.frequency.label.capitalize()}."


def _setup_lines(guide: Guide) -> tuple[str, ...]:
    lines = [f"{'Barefoot' if guide.barefoot else 'Shoes off or on, as you like'}, {guide.position}."]
    lines += guide.setup
    if guide.camera is not None:
        lines += [
            f"Phone: {guide.camera.phone}",
            f"Light: {guide.camera.light}",
            f"The camera must see: {guide.camera.must_see}",
        ]
    return tuple(lines)


def sheet_for_test(test: AssessmentTest) -> Sheet:
    guide = guide_for_test(test)
    steps = []
    for condition in test.conditions:
        step = guide.step(condition.id)
        steps.append(
            f"{condition.instruction} {step.tip} Time: {_seconds(condition.duration_s)}. "
            f"How many: {step.how_many}"
        )
    sections = [Section("Set-up", _setup_lines(guide))]
    if guide.before:
        sections.append(Section("Before you start", (guide.before,)))
    total_s = sum(c.duration_s for c in test.conditions)
    feet = (
        " With both feet in view the page measures both at once; with one, set up the camera on the"
        " other foot afterwards and run the test again."
        if test.per_foot
        else ""
    )
    sections += [
        Section("What to do", tuple(steps)),
        Section("How long", (f"About {_minutes(total_s)} of recording per foot.{feet}",)),
        Section("Common mistakes", guide.mistakes),
        Section("What the result means", (guide.meaning,)),
    ]
    return Sheet(
        test.id,
        "test",
        test.name,
        test.purpose,
        tuple(sections),
        camera_diagram(guide.camera.view) if guide.camera else None,
        citations(guide.sources),
    )


def sheet_for_exercise(exercise: Exercise) -> Sheet:
    guide = guide_for_exercise(exercise)
    levels = tuple(f"{level.instruction} {level.advance_when}" for level in exercise.progression)
    sections = (
        Section("Set-up", _setup_lines(guide)),
        Section("What to do", exercise.steps),
        Section("How long and how many", (dose_text(exercise),)),
        Section("Common mistakes", guide.mistakes),
        Section("Step by step, harder", levels),
        Section("What it does", (guide.meaning,)),
    )
    return Sheet(
        exercise.id,
        "exercise",
        exercise.name,
        exercise.trains,
        sections,
        camera_diagram(guide.camera.view) if guide.camera else None,
        citations(guide.sources),
    )


@dataclass(frozen=True)
class ProtocolEntry:
    key: str  # test:ID or exercise:ID
    kind: str
    id: str
    name: str
    summary: str


def list_protocols() -> tuple[ProtocolEntry, ...]:
    """Every test of the battery, then every exercise of the programme."""
    tests = tuple(ProtocolEntry(f"test:{t.id}", "test", t.id, t.name, t.purpose) for t in BATTERY)
    exercises = tuple(
        ProtocolEntry(f"exercise:{e.id}", "exercise", e.id, e.name, dose_text(e)) for e in EXERCISES
    )
    return tests + exercises


def sheets_for(name: str) -> tuple[Sheet, ...]:
    """The sheets ``name`` stands for: ``test:ID``, ``exercise:ID``, or a bare ID (a test and an
    exercise may share one, e.g. ``toe_isolation``; then both)."""
    kind, _, bare = name.strip().rpartition(":")
    if kind not in ("", "test", "exercise"):
        raise ToelabError(f"{name!r}: say test:ID or exercise:ID")
    sheets = []
    if kind in ("", "test"):
        sheets += [sheet_for_test(t) for t in BATTERY if t.id == bare]
    if kind in ("", "exercise"):
        sheets += [sheet_for_exercise(e) for e in EXERCISES if e.id == bare]
    if not sheets:
        known = ", ".join(entry.key for entry in list_protocols())
        raise ToelabError(f"there is no test or exercise {name!r}", hint=f"choose one of {known}")
    return tuple(sheets)
