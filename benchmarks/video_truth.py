"""Video accuracy per kind of truth: the drawn generator (``tests/videogen.py``) beside real
photos and renders of scanned feet warped with known motion (``tests/photovideo.py``).

Every condition (source image, floor, foot, frame rate, noise, drift) is rendered
``--renders`` times with fresh seeds (noise, exposure, drift and timing change; the motion
plan stays), tracked from the first frame's true points with ``track_video`` and analysed
through the task registry as ``toelab analyze`` runs it, quality gates included. Each row gives
the spread over the re-renders; each task ends with how many renders toelab got right,
withheld (the figure null with a reason, or the video refused) or wrong (a figure given
outside its goal), and for isolation the same per toe. Run through
``benchmarks/video_accuracy.py``.
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import photovideo  # noqa: E402
from test_video_accuracy import (  # noqa: E402
    MAX_AMPLITUDE_ERROR,
    MAX_ANGLE_ERROR_DEG,
    MAX_FREQUENCY_ERROR_HZ,
    MAX_II_ERROR,
    IsolationPlan,
    co_movement_matrix,
    isolation_plan,
    score_lifts,
)
from videogen import render_front, render_side  # noqa: E402

from toelab.analysis.lifts import lifts_from_recording  # noqa: E402
from toelab.analysis.rom import hallux_extension_deg  # noqa: E402
from toelab.errors import ToelabError  # noqa: E402
from toelab.synthetic.movement import individuation_truth  # noqa: E402
from toelab.tasks import AnalysisOptions, run_task  # noqa: E402
from toelab.track import parse_points, propose_points, track_video  # noqa: E402

MIN_MEASURED_SHARE = 0.9  # hallux angle: share of frames that must carry an angle
LIFT_PER_FOOT_WIDTH = 0.065  # instructed lift: ~9 px for a 136 px wide foot
TREMOR_PX = 1.5
PROPOSAL_TOLERANCE = 0.5  # of the distance to the nearest other toe
LIFTS_PER_TOE = 3  # as the toe isolation test asks (protocols/guidance.py)

CONDITIONS = {
    "30fps": dict(fps=30.0),
    "60fps": dict(fps=60.0),
    "other foot": dict(fps=30.0, mirror=True),
    "noise+exposure": dict(fps=30.0, noise=3.0, exposure=0.08),
    "hand-held drift": dict(fps=30.0, drift_px=5.0),
    "all, 60fps, other foot": dict(fps=60.0, mirror=True, noise=3.0, exposure=0.08, drift_px=5.0),
}
QUICK_CONDITIONS = ("30fps", "all, 60fps, other foot")
# the tremor test's own condition: a camera that shakes (a phone held in the hand, a stand
# knocked), 1.5 px at a rhythm of its own, away from the foot's
TREMOR_CONDITIONS = {"camera shake": dict(fps=30.0, camera_shake_px=1.5)}
CAMERA_SHAKE_HZ = (8.0, 3.5, 5.0)  # by seed, as the foot's or toes' 4, 6 and 9 Hz
QUICK_TOP = ("FOCUS_itw_000813", "FOUND_itw_3", "030", "197")


@dataclass
class Tally:
    right: int = 0
    withheld: int = 0
    wrong: int = 0
    examples: list[str] = field(default_factory=list)  # every wrong render, and a few withheld

    def add(self, verdict: str, example: str = "") -> None:
        setattr(self, verdict, getattr(self, verdict) + 1)
        withheld_shown = sum(e.startswith("withheld") for e in self.examples)
        if example and (verdict == "wrong" or (verdict == "withheld" and withheld_shown < 4)):
            self.examples.append(f"{verdict}: {example}")

    def line(self, task: str) -> str:
        return f"{task}: right {self.right}, withheld {self.withheld}, wrong {self.wrong}"


def _spread(values: list[float]) -> str:
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return "n/a"
    return f"median {np.median(finite):.3f} [{min(finite):.3f}, {max(finite):.3f}]" + (
        f" ({len(values) - len(finite)} none)" if len(finite) < len(values) else ""
    )


def _drawn_scene(condition: dict) -> dict:
    """The drawn generator's closest equivalent of a photo condition."""
    scene: dict = dict(fps=condition["fps"], skin="medium", floor="wood")
    if condition.get("noise"):
        scene.update(noise=condition["noise"], flicker=condition.get("exposure", 0.0) / 2)
    if condition.get("drift_px"):
        scene.update(shake_px=condition["drift_px"] / 2, shake_deg=0.5)
    if condition.get("camera_shake_px"):
        scene.update(shake_px=condition["camera_shake_px"])  # its own jitter: 0.5-4 Hz
    return scene


def _photo_condition(condition: dict, seed: int) -> dict:
    """``photovideo.render``'s arguments for a condition (a camera shake made a motion)."""
    out = {k: v for k, v in condition.items() if k not in ("mirror", "camera_shake_px")}
    if condition.get("camera_shake_px"):
        size_px, frequency_hz = condition["camera_shake_px"], CAMERA_SHAKE_HZ[seed % 3]
        heading = np.random.default_rng(seed + 1000).uniform(0, 2 * np.pi)
        out["camera_shift"] = lambda t: np.outer(
            size_px * np.sin(2 * np.pi * frequency_hz * t), [np.cos(heading), np.sin(heading)]
        )
    return out


# -- isolation ---------------------------------------------------------------------------
def _gated(recording, task: str, foot: str | None = None):
    """One foot's result of ``task`` as ``toelab analyze`` gives it, quality gates applied."""
    outcome = run_task(recording, AnalysisOptions(task=task))  # type: ignore[arg-type]
    if foot is not None and foot in outcome.by_foot:
        return outcome.by_foot[foot]
    return next(iter(outcome.by_foot.values()))


def _isolation_verdict(errors: list[float | None]) -> str:
    """Right: every toe has an index within the goal; withheld: the toes given are right and
    some were not measured; wrong: any index given outside the goal."""
    if any(e is not None and e > MAX_II_ERROR for e in errors):
        return "wrong"
    return "withheld" if any(e is None for e in errors) else "right"


def _isolation_one(recording, plan: IsolationPlan, foot: str) -> tuple[float, list[float | None]]:
    detections = lifts_from_recording(recording, foot=foot)
    score = score_lifts({toe: d.peak_times_s for toe, d in detections.items()}, plan)
    result = _gated(recording, "isolation", foot)
    truth = individuation_truth(plan.co_movement)
    errors = [
        None if t.individuation_index is None or want is None else abs(t.individuation_index - want)
        for t, want in zip(result.toes, truth, strict=True)
    ]
    return score.f1, errors


def isolation(folder: Path, sources: list[str], conditions: list[str], renders: int, tally: Tally) -> None:
    print(
        f"\nisolation: each toe lifted {LIFTS_PER_TOE} times in turn, neighbours co-move "
        "(F1 goal >= 0.95, II error <= 0.07)"
    )
    reps = LIFTS_PER_TOE
    toes = Tally()
    nominal = co_movement_matrix()
    for generator in ("drawn", "photo"):
        for source in sources if generator == "photo" else ["medium skin, wood"]:
            for name in conditions:
                condition = CONDITIONS[name]
                f1s, worst, within = [], [], 0
                for seed in range(renders):
                    path = folder / "iso.mp4"
                    if generator == "photo":
                        foot = photovideo.load(source, condition.get("mirror", False))
                        lift = LIFT_PER_FOOT_WIDTH * foot.foot_width_px
                        drive = isolation_plan(nominal, reps=reps)
                        drive = IsolationPlan(nominal, drive.peaks_s, drive.instructed, lift)
                        truth = photovideo.render(
                            path,
                            foot,
                            toe_drive=drive.heights,
                            duration_s=drive.duration_s,
                            seed=seed,
                            **{k: v for k, v in condition.items() if k != "mirror"},
                        )
                        plan = IsolationPlan(nominal @ truth.leak, drive.peaks_s, drive.instructed, lift)
                        first, side = truth.first_points, foot.foot
                    else:
                        side = "left" if condition.get("mirror") else "right"
                        plan = isolation_plan(nominal, reps=reps)
                        drawn = render_front(
                            path,
                            plan.heights,
                            duration_s=plan.duration_s,
                            seed=seed,
                            feet=(side,),
                            **_drawn_scene(condition),
                        )
                        first = drawn.first_points
                    try:
                        recording = track_video(path, parse_points(first)).recording
                        f1, errors = _isolation_one(recording, plan, side)
                    except ToelabError as exc:
                        f1, errors = 0.0, [None] * 5
                        print(f"    refused: {exc}")
                    verdict = _isolation_verdict(errors)
                    for e in errors:
                        toes.add("withheld" if e is None else "right" if e <= MAX_II_ERROR else "wrong")
                    tally.add(
                        verdict,
                        f"{generator} {source} {name} seed {seed}: F1 {f1:.2f}, "
                        f"II errors {[None if e is None else round(e, 2) for e in errors]}",
                    )
                    given = [e for e in errors if e is not None]
                    worst_error = max(given) if given else math.inf
                    f1s.append(f1)
                    worst.append(worst_error)
                    within += worst_error <= MAX_II_ERROR and len(given) == 5
                print(
                    f"  {generator:5s} {source:18s} {name:24s} F1 {_spread(f1s)}; "
                    f"II worst error {_spread(worst)}; within 0.07 on {within}/{renders}"
                )
    print("  " + tally.line("isolation"))
    print("  " + toes.line("isolation, per toe"))


# -- hallux --------------------------------------------------------------------------------
def hallux(folder: Path, sources: list[str], conditions: list[str], renders: int, tally: Tally) -> None:
    print(
        "\nside view: hallux extension angle (goal: within 3 deg, the largest extension and every frame "
        "that carries an angle; angles on >= 90 % of frames)"
    )
    duration_s = 3.0
    for generator in ("drawn", "photo"):
        for source in sources if generator == "photo" else ["medium skin, wood"]:
            for name in conditions:
                condition = CONDITIONS[name]
                medians, worsts, shares, covered = [], [], [], 0
                for seed in range(renders):
                    max_deg = (30.0, 50.0, 70.0)[seed % 3]

                    def curve(t, max_deg=max_deg):
                        return max_deg * np.sin(np.pi * t / duration_s) ** 2

                    path = folder / "side.mp4"
                    if generator == "photo":
                        foot = photovideo.load(source, condition.get("mirror", False))
                        truth = photovideo.render(
                            path,
                            foot,
                            hallux_deg=curve,
                            duration_s=duration_s,
                            seed=seed,
                            **{k: v for k, v in condition.items() if k != "mirror"},
                        )
                        first, side, want = truth.first_points, foot.foot, truth.hallux_angle_deg
                    else:
                        side = "left" if condition.get("mirror") else "right"
                        drawn = render_side(
                            path,
                            curve,
                            duration_s=duration_s,
                            seed=seed,
                            foot=side,
                            **_drawn_scene(condition),
                        )
                        first, want = drawn.first_points, drawn.hallux_angle_deg
                    try:
                        recording = track_video(path, parse_points(first)).recording
                        angle = hallux_extension_deg(
                            *(recording.landmarks[f"{side}_{p}"] for p in ("heel", "mtp1", "hallux_tip"))
                        )
                        rom = _gated(recording, "rom", side)
                        measured = np.isfinite(angle)
                        error = np.abs(angle - want)[measured]
                        share = float(measured.mean())
                        worst = float(error.max()) if error.size else math.inf
                        median = float(np.median(error)) if error.size else math.inf
                        gave_number = rom.max_extension_deg is not None and math.isfinite(
                            rom.max_extension_deg
                        )
                        peak_error = (
                            abs(rom.max_extension_deg - float(np.max(want))) if gave_number else math.inf
                        )
                    except ToelabError as exc:
                        share, worst, median, peak_error = 0.0, math.inf, math.inf, math.inf
                        gave_number = False
                        print(f"    refused: {exc}")
                    # right / wrong judge the figures given (the largest extension and each frame's
                    # angle); how many frames carry an angle is the coverage, printed beside
                    if not gave_number:
                        verdict = "withheld"
                    elif peak_error <= MAX_ANGLE_ERROR_DEG and worst <= MAX_ANGLE_ERROR_DEG:
                        verdict = "right"
                    else:
                        verdict = "wrong"
                    covered += share >= MIN_MEASURED_SHARE
                    tally.add(
                        verdict,
                        f"{generator} {source} {name} seed {seed} (up to {max_deg:.0f} deg): "
                        f"{share:.0%} of frames measured, worst error {worst:.1f} deg",
                    )
                    medians.append(median)
                    worsts.append(worst)
                    shares.append(share)
                print(
                    f"  {generator:5s} {source:18s} {name:24s} median error {_spread(medians)} deg; "
                    f"worst frame {_spread(worsts)} deg; frames measured {_spread(shares)} "
                    f"(>= 90 % on {covered}/{renders})"
                )
    print("  " + tally.line("hallux angle"))


# -- tremor --------------------------------------------------------------------------------
def _part_that_shakes(result) -> str | None:
    """toelab's answer to "which part shakes" (``shaking_part``: foot or toes; None when not
    told apart), given only with a regular rhythm."""
    if result.classification != "rhythmic":
        return None
    return result.shaking_part


def _still_verdict(classification: str | None) -> str:
    """A still foot: right where no shaking was found, wrong where any movement was reported
    (a rhythm or an irregular movement), withheld where the test gave no figure."""
    if classification is None:
        return "withheld"
    return "right" if classification == "none" else "wrong"


TREMOR_DURATION_S = 6.0


def tremor_reading(
    path: Path, first_points
) -> tuple[str | None, float | None, str | None, float | None, bool]:
    """What the tremor test says of a video, as ``toelab analyze --task tremor`` tracks it (the
    floor followed too): its classification (None: withheld or refused), frequency, the part
    named, a rhythm's size (the most a toe moved, or the foot's shift) and whether that size
    was withheld on its own (too small on the picture to give)."""
    try:
        tracked = track_video(path, parse_points(first_points), follow_floor=True)
        result = _gated(tracked.recording, "tremor")
    except ToelabError as exc:
        print(f"    refused: {exc}")
        return None, None, None, None, False
    rhythmic = result.classification == "rhythmic"
    size = result.amplitude if rhythmic else None
    # a release before sizes were withheld on their own has no such field
    size_withheld = rhythmic and getattr(result, "size_not_measured", None) is not None
    return result.classification, result.dominant_frequency_hz, _part_that_shakes(result), size, size_withheld


def render_tremor(path: Path, generator: str, source: str, part: str, condition_name: str, seed: int):
    """One tremor video: ``part`` (``toes``, ``foot`` or ``still``) shaking ``TREMOR_PX`` at 4, 6
    or 9 Hz by ``seed``, under the named condition; its first-frame points and that frequency."""
    condition = {**CONDITIONS, **TREMOR_CONDITIONS}[condition_name]
    frequency_hz = (4.0, 6.0, 9.0)[seed % 3]
    heading = np.random.default_rng(seed).uniform(0, 2 * np.pi)

    def wave(t):
        return TREMOR_PX * np.sin(2 * np.pi * frequency_hz * t)

    def toes(t):
        return np.outer(wave(t), [1.0, 0.8, 0.7, 0.6, 0.5])

    if generator == "photo":
        foot = photovideo.load(source, condition.get("mirror", False))
        motion: dict[str, Callable] = {}
        if part == "toes":
            motion["toe_drive"] = toes
        elif part == "foot":
            motion["foot_shift"] = lambda t: np.outer(wave(t), [np.cos(heading), np.sin(heading)])
        truth = photovideo.render(
            path, foot, duration_s=TREMOR_DURATION_S, seed=seed, **motion, **_photo_condition(condition, seed)
        )
        return truth.first_points, frequency_hz
    side = "left" if condition.get("mirror") else "right"
    drawn = render_front(
        path,
        None if part == "still" else toes,
        duration_s=TREMOR_DURATION_S,
        seed=seed,
        feet=(side,),
        **_drawn_scene(condition),
    )
    return drawn.first_points, frequency_hz


def tremor_verdict(
    part: str,
    frequency_hz: float,
    classification: str | None,
    found_hz: float | None,
    said: str | None,
    size_px: float | None,
    size_withheld: bool = False,
    judge_size: bool = True,
) -> str:
    """right / withheld / wrong for one tremor render: ``part`` shook (``toes``, ``foot``) at
    ``frequency_hz`` by ``TREMOR_PX``, or nothing did (``still``); the test said
    ``classification`` (None: withheld) at ``found_hz``, named ``said`` as the part, and gave
    ``size_px`` as a rhythm's size, or withheld it (``size_withheld``). With ``judge_size``
    False, the rhythm alone (frequency and part) is judged."""
    if part == "still":
        return _still_verdict(classification)
    if found_hz is None:
        return "withheld"
    error = abs(found_hz - frequency_hz)
    # the size is held to its goal where the truth is one number: the whole foot's layer shifts
    # rigidly. The warp moves a toe's skin less away from its axis and towards its base than at
    # its point (photovideo.ToeWarp), and its neighbours' by their shares, so a toe's size is
    # shown, not judged.
    judged = judge_size and part == "foot"
    if judged and size_px is not None and abs(size_px / TREMOR_PX - 1) > MAX_AMPLITUDE_ERROR:
        return "wrong"
    if error <= MAX_FREQUENCY_ERROR_HZ and said == part:
        # the rhythm right; a size withheld on its own leaves the render withheld
        return "withheld" if judged and size_withheld else "right"
    if said is None and (classification != "rhythmic" or error <= MAX_FREQUENCY_ERROR_HZ):
        # no rhythmic tremor claimed, or the right rhythm with the part not told apart
        return "withheld"
    return "wrong"


def tremor(
    folder: Path, sources: list[str], conditions: list[str], renders: int, tally: Tally, rhythm: Tally
) -> None:
    """Every render judged whole into ``tally``, and on its rhythm alone (frequency and part, a
    size given or withheld not judged) into ``rhythm``."""
    print(
        f"\ntremor: {TREMOR_PX} px shake of the whole foot or of the toes, or a still foot, 6 s "
        f"(goal: within 0.2 Hz, the right part, a whole-foot shake's size within {MAX_AMPLITUDE_ERROR:.0%}; "
        "a still foot: no shaking)"
    )
    for generator in ("drawn", "photo"):
        for source in sources if generator == "photo" else ["medium skin, wood"]:
            for part in ("toes", "foot", "still"):
                if generator == "drawn" and part == "foot":
                    continue  # the drawn generator cannot move the foot over its floor
                for name in [*conditions, *TREMOR_CONDITIONS]:
                    errors, parts, sizes = [], [], []
                    for seed in range(renders):
                        path = folder / "tremor.mp4"
                        first, frequency_hz = render_tremor(path, generator, source, part, name, seed)
                        reading = tremor_reading(path, first)
                        classification, found, said, size, size_withheld = reading
                        error = abs(found - frequency_hz) if found is not None else math.inf
                        size_ratio = size / TREMOR_PX if size is not None else math.nan
                        verdict = tremor_verdict(part, frequency_hz, *reading)
                        rhythm_verdict = tremor_verdict(part, frequency_hz, *reading, judge_size=False)
                        if part == "still":
                            error, said = math.nan, classification or "withheld"  # no shaking to find
                        example = (
                            f"{generator} {source} {part} {name} "
                            f"{'' if part == 'still' else f'{frequency_hz} Hz '}seed {seed}: "
                            f"{classification}, {found if found is None else round(found, 2)} Hz, "
                            f"part {said}, size "
                            + ("withheld" if size_withheld else f"{size_ratio:.2f} of the shake")
                        )
                        tally.add(verdict, example)
                        rhythm.add(rhythm_verdict, example)
                        errors.append(error)
                        sizes.append(size_ratio)
                        parts.append(said or "none")
                    named = {p: parts.count(p) for p in sorted(set(parts))}
                    told = "said" if part == "still" else "part named"
                    print(
                        f"  {generator:5s} {source:18s} {part:5s} {name:24s} "
                        f"frequency error {_spread(errors)} Hz; "
                        f"size / shake {_spread(sizes)}; {told} {named}"
                    )
    print("  " + tally.line("tremor"))
    print("  " + rhythm.line("tremor rhythm alone (frequency and part)"))


# -- proposal ------------------------------------------------------------------------------
def _proposal_verdict(proposal, want: dict[str, np.ndarray], foot: str, skip: tuple[str, ...]) -> str:
    if not proposal.ok:
        return "withheld"
    if len(proposal.points) != 1 or proposal.points[0].foot != foot:
        return "wrong"
    tips = np.array([want[t] for t in photovideo.TOES])
    distance = np.linalg.norm(tips[:, None] - tips[None], axis=-1)
    np.fill_diagonal(distance, np.inf)
    tolerance = PROPOSAL_TOLERANCE * distance.min(axis=1)
    got = proposal.points[0].points
    ok = [
        np.hypot(*np.subtract(got[t], want[t])) <= tol
        for t, tol in zip(photovideo.TOES, tolerance, strict=True)
        if t not in skip
    ]
    return "right" if all(ok) else "wrong"


def proposal(folder: Path, sources: list[str], renders: int, tally: Tally) -> None:
    print(
        "\ntoe-point proposal on the first frame "
        "(goal: confident and right on >= 90 %, confident and wrong on none)"
    )
    import av

    for generator in ("drawn", "photo"):
        counts: dict[str, int] = {"right": 0, "withheld": 0, "wrong": 0}
        cases = (
            [(s, m) for s in sources for m in (False, True)]
            if generator == "photo"
            else [(skin, m) for skin in ("light", "medium", "dark") for m in (False, True)]
        )
        for source, mirror in cases:
            for seed in range(min(renders, 3)):
                path = folder / "first.mp4"
                if generator == "photo":
                    foot = photovideo.load(source, mirror)
                    truth = photovideo.render(path, foot, duration_s=0.1, noise=2.0, seed=seed)
                    want = {t: np.asarray(truth.first_points[t]) for t in photovideo.TOES}
                    skip, side = foot.hidden, foot.foot
                else:
                    side = "left" if mirror else "right"
                    drawn = render_front(
                        path,
                        None,
                        duration_s=0.1,
                        skin=source,
                        floor=("plain", "wood", "tiles")[seed % 3],
                        noise=2.0,
                        seed=seed,
                        feet=(side,),
                    )
                    want = {t: np.asarray(drawn.first_points[0][t]) for t in photovideo.TOES}
                    skip = ()
                with av.open(str(path)) as container:
                    frame = next(container.decode(video=0)).to_ndarray(format="bgr24")
                result = propose_points(frame, "front")
                verdict = _proposal_verdict(result, want, side, skip)
                counts[verdict] += 1
                tally.add(
                    verdict,
                    f"{generator} {source} {'mirrored ' if mirror else ''}seed {seed}: "
                    f"confidence {result.confidence:.2f}, {result.message}",
                )
        total = sum(counts.values())
        print(
            f"  {generator:5s} confident and right {counts['right']}/{total}, not confident (withheld) "
            f"{counts['withheld']}/{total}, confident and wrong {counts['wrong']}/{total}"
        )
    print("  " + tally.line("toe-point proposal"))


def run(
    renders: int, quick: bool, tasks: list[str], crf: int | None = None, shake_px: float | None = None
) -> None:
    """``crf``: the photo-based videos' x264 quality (``photovideo.render``'s 23 when None;
    lower keeps more of a small motion); the drawn generator keeps its own. ``shake_px``: the
    tremor's size (``TREMOR_PX`` when None)."""
    global TREMOR_PX
    started = time.perf_counter()
    if shake_px is not None:
        TREMOR_PX = shake_px
    if crf is not None:
        for condition in CONDITIONS.values():
            condition["crf"] = crf
    top = list(QUICK_TOP) if quick else photovideo.image_names("top", all_toes_visible=True)
    side = photovideo.image_names("side")
    conditions = list(QUICK_CONDITIONS) if quick else list(CONDITIONS)
    tallies: dict[str, Tally] = {}
    print(
        f"{renders} renders per condition; sources: top {', '.join(top)}; side {', '.join(side)}"
        + ("" if crf is None else f"; photo-based videos at crf {crf}")
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "proposal" in tasks:
            proposal(
                folder,
                photovideo.image_names("top"),
                renders,
                tallies.setdefault("toe-point proposal", Tally()),
            )
        if "isolation" in tasks:
            isolation(folder, top, conditions, renders, tallies.setdefault("isolation", Tally()))
        if "hallux" in tasks:
            hallux(folder, side, conditions, renders, tallies.setdefault("hallux angle", Tally()))
        if "tremor" in tasks:
            tremor(
                folder,
                top[:2] if quick else top,
                conditions[:1] if quick else conditions,
                renders,
                tallies.setdefault("tremor", Tally()),
                tallies.setdefault("tremor rhythm alone (frequency and part)", Tally()),
            )
    print(f"\nsummary ({time.perf_counter() - started:.0f} s): per task, renders right / withheld / wrong")
    for task, tally in tallies.items():
        print(f"  {tally.line(task)}")
        for example in tally.examples:
            print(f"      e.g. {example}")
