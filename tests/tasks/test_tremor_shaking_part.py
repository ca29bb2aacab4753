"""Which part shakes, on videos made from a real photo of a bare foot (tests/photovideo.py):
the whole foot shaking over a still floor is the foot's shaking, not camera motion to throw
away; toes shaking on a still foot are the toes'. Both at the frequency they were made with."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from photovideo import load, render, toelab_points
from videogen import write_frames

from toelab.analysis.shaking_part import (
    PartsShaking,
    centre_motions,
    floor_followed_pct,
    foot_lies_above_the_toes,
    parts_shaking,
    which_part_shakes,
)
from toelab.analysis.tremor import TremorResult, analyze_tremor, tremor_from_recording
from toelab.tasks import AnalysisOptions, figures_of, get_task, rows_for, run_task
from toelab.track import parse_points, track_video

pytestmark = pytest.mark.video

SHAKE_PX = 1.5
DURATION_S = 6.0


def tracked(tmp_path, part: str, frequency_hz: float, seed: int = 0, shake_px: float = SHAKE_PX):
    foot = load("FOCUS_itw_000813")

    def wave(t):
        return shake_px * np.sin(2 * np.pi * frequency_hz * t)

    motion = (
        {"foot_shift": lambda t: np.outer(wave(t), [np.cos(0.6), np.sin(0.6)])}
        if part == "foot"
        else {"toe_drive": lambda t: np.outer(wave(t), [1.0, 0.8, 0.7, 0.6, 0.5])}
    )
    path = tmp_path / f"{part}.mp4"
    truth = render(path, foot, duration_s=DURATION_S, noise=1.0, seed=seed, **motion)
    # tracked as `toelab analyze --task tremor` tracks: the floor in front of the toes followed
    return track_video(path, parse_points(truth.first_points), follow_floor=True).recording


def shaken(tmp_path, part: str, frequency_hz: float, seed: int = 0, shake_px: float = SHAKE_PX) -> dict:
    recording = tracked(tmp_path, part, frequency_hz, seed, shake_px)
    return run_task(recording, AnalysisOptions(task="tremor")).results


@pytest.mark.parametrize(("part", "frequency_hz"), [("foot", 6.0), ("toes", 6.0), ("foot", 4.0)])
def test_the_shaking_is_found_and_never_put_on_the_wrong_part(tmp_path, part, frequency_hz):
    results = shaken(tmp_path, part, frequency_hz)
    assert results["measured"] is True
    assert results["classification"] == "rhythmic"
    assert results["dominant_frequency_hz"] == pytest.approx(frequency_hz, abs=0.2)
    # the part that shook, or "not told apart" (None): never the other part
    assert results["shaking_part"] in (part, None)
    # its size, 1.5 px on the picture, is too small to give from a compressed video: withheld on
    # its own, with why and how to redo, while the rhythm stays
    assert results["amplitude"] is None and results["amplitude_measured"] is False
    assert "pixels on the picture" in results["amplitude_not_measured_reason"]
    assert "closer" in results["amplitude_how_to_redo"]
    # both parts' own figures travel with the result
    assert set(results["parts"]) == {"foot", "toes"}
    if part == "foot":
        # the foot's shaking is the foot's, not camera motion to throw away
        assert results["parts"]["foot"]["classification"] == "rhythmic"
        assert results["parts"]["foot"]["dominant_frequency_hz"] == pytest.approx(frequency_hz, abs=0.2)


@pytest.mark.parametrize("part", ["foot", "toes"])
def test_a_shaking_of_a_few_pixels_is_given_its_size(tmp_path, part):
    # the most a toe was moved (the toes' drive) or the foot's whole shift, within the 20 % the
    # size is held to
    results = shaken(tmp_path, part, 6.0, shake_px=3.0)
    assert results["classification"] == "rhythmic"
    assert results["amplitude_measured"] is True
    assert results["amplitude"] == pytest.approx(3.0, rel=0.2)


def test_toes_shaking_on_a_still_foot_are_named(tmp_path):
    results = shaken(tmp_path, "toes", 6.0)
    assert results["shaking_part"] == "toes"
    assert results["parts"]["foot"]["classification"] != "rhythmic"


class _Result:
    def __init__(
        self, classification: str, frequency_hz: float | None, amplitude: float | None, rms: float = 0.0
    ):
        self.classification = classification
        self.dominant_frequency_hz = frequency_hz
        self.amplitude = amplitude
        self.rms_amplitude = rms if classification != "rhythmic" else (amplitude or 0.0) / np.sqrt(2)
        self.amplitude_unit = "px"
        # no spectrum kept: nothing at any other rhythm
        self.frequencies_hz = self.power = np.zeros(0)
        self.duration_s = 8.0

    regular = TremorResult.regular
    movement_size = TremorResult.movement_size


def test_a_part_is_named_only_when_the_other_is_still_beside_it():
    def part(foot, toes):
        return which_part_shakes(_Result(*foot), _Result(*toes))  # type: ignore[arg-type]

    assert part(("rhythmic", 6.0, 2.0), ("rhythmic", 6.1, 0.1)) == "foot"
    assert part(("rhythmic", 6.0, 0.1), ("rhythmic", 6.1, 2.0)) == "toes"
    # a foot that moves irregularly is not still: a toe rhythm beside it may be its leak
    assert part(("irregular", 4.0, 3.0, 2.0), ("rhythmic", 6.0, 1.0)) is None
    assert part(("irregular", 4.0, 0.3, 0.2), ("rhythmic", 6.0, 1.0)) == "toes"
    # both move at the rhythm: not told apart, never a guess
    assert part(("rhythmic", 6.0, 2.0), ("rhythmic", 6.1, 0.6)) is None
    assert part(("rhythmic", 6.0, 0.3), ("rhythmic", 6.1, 2.0)) is None
    assert part(("none", None, None), ("irregular", 3.3, 1.0)) is None
    # under half a pixel the video keeps too little of the motion to say which part made it
    assert part(("rhythmic", 6.0, 0.02), ("rhythmic", 6.1, 0.3)) is None
    assert part(("rhythmic", 6.0, 0.6), ("rhythmic", 6.1, 0.05)) == "foot"


def test_a_foot_that_moves_at_the_toes_rhythm_without_a_rhythm_of_its_own_is_not_still():
    """A whole foot shaking on smooth skin: the foot's body, whose small motion the video keeps
    little of, read a part of the shake too unsteady to call a rhythm ("none"), and the toes
    carried the rest against it. It was named "the toes"."""
    time_s = np.arange(0.0, 8.0, 1 / 30)
    rng = np.random.default_rng(3)
    toes = analyze_tremor(
        time_s,
        np.column_stack([np.sin(2 * np.pi * 6.0 * time_s), 0.02 * rng.standard_normal(time_s.size)]),
        unit="px",
    )
    comes_and_goes = np.sin(2 * np.pi * 0.4 * time_s) > 0.3
    noise = 0.15 * rng.standard_normal((time_s.size, 2))
    still = analyze_tremor(time_s, noise, unit="px")
    share = 0.3 * comes_and_goes * np.sin(2 * np.pi * 6.0 * time_s)
    moving = analyze_tremor(time_s, noise + np.column_stack([share, np.zeros(time_s.size)]), unit="px")
    assert moving.classification == "none" and moving.movement_size == 0.0  # no rhythm of its own
    assert which_part_shakes(still, toes) == "toes"
    assert which_part_shakes(moving, toes) is None


def test_a_whole_foot_shaking_under_a_drifting_camera_is_not_put_on_the_toes(tmp_path):
    """The real photo on terracotta tiles, the whole foot shaking 1.5 px at 9 Hz and the phone
    drifting slowly in the hand: the foot's smooth skin kept under half the shake, too unsteady
    to call a rhythm, and the shake was named "the toes"."""
    foot = load("FOCUS_itw_000813")
    heading = np.random.default_rng(2).uniform(0, 2 * np.pi)

    def shift(t):
        return np.outer(SHAKE_PX * np.sin(2 * np.pi * 9.0 * t), [np.cos(heading), np.sin(heading)])

    path = tmp_path / "drift.mp4"
    truth = render(path, foot, duration_s=DURATION_S, seed=2, drift_px=5.0, foot_shift=shift)
    recording = track_video(path, parse_points(truth.first_points), follow_floor=True).recording
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["shaking_part"] in ("foot", None)
    if results["dominant_frequency_hz"] is not None:
        assert results["dominant_frequency_hz"] == pytest.approx(9.0, abs=0.2)


def test_a_foot_moving_irregularly_is_reported_over_a_small_rhythm_in_the_toes():
    # the foot moved irregularly (3 sines at once); a small, regular-looking leak in the toes
    foot, toes = _Result("irregular", 3.1, 1.2, 1.5), _Result("rhythmic", 3.98, 0.2)
    parts = PartsShaking(which_part_shakes(foot, toes), foot, toes, toes, foot)  # type: ignore[arg-type]
    assert parts.part is None
    assert parts.headline is foot


def test_no_part_is_named_when_the_foot_s_body_was_followed_on_the_floor(tmp_path):
    """Where the row of toes slants steeply, the foot's body behind them can lie mostly on the
    floor: where most of its features lie there, they move with the floor, and a whole-foot shake
    reads as the toes' once the floor moves in the picture."""
    recording = tracked(tmp_path, "foot", 6.0)
    each_toe = tremor_from_recording(recording)
    (given,) = recording.meta.extra["points"]
    assert parts_shaking(recording, each_toe) is not None
    recording.meta.extra["foot_body_features_on_skin_pct"] = {given["foot"]: 40.0}
    assert parts_shaking(recording, each_toe) is None
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["shaking_part"] is None
    assert results["dominant_frequency_hz"] == pytest.approx(6.0, abs=0.2)


@pytest.mark.parametrize(
    ("part", "mover"), [("foot", "the foot"), ("toes", "the toes"), (None, "the foot and toes")]
)
def test_the_rows_name_the_part_whose_shaking_they_give(part, mover):
    results = {
        "classification": "rhythmic",
        "dominant_frequency_hz": 6.0,
        "amplitude": 1.2,
        "amplitude_unit": "px",
        "shaking_part": part,
        "parts": {"foot": {}, "toes": {}},
    }
    rows = {row[0]: row[2] for row in rows_for("tremor", results)}
    assert rows["Dominant frequency"].startswith(f"how many times a second {mover} shook")
    assert rows["Size of the shaking"].startswith(f"half the distance {mover} moved")
    # a size in pixels comes from a video, whose compression can hide part of a small shake
    assert "compression can show a shake of a few pixels" in rows["Size of the shaking"]


def test_the_foot_s_side_of_the_toe_line_comes_from_the_foot_and_the_toes_order():
    # a right foot filmed in front of the toes: the big toe on the picture's right, the foot above
    assert foot_lies_above_the_toes({"foot": "right", "toe1": [300, 400], "toe5": [200, 380]})
    # the same foot from above with the toes pointing away: the big toe on the left, the foot below
    assert not foot_lies_above_the_toes({"foot": "right", "toe1": [200, 100], "toe5": [300, 120]})
    assert foot_lies_above_the_toes({"foot": "left", "toe1": [200, 400], "toe5": [300, 380]})
    assert not foot_lies_above_the_toes({"foot": "left", "toe1": [300, 100], "toe5": [200, 120]})


def test_no_part_is_named_when_the_foot_lies_below_the_toes_in_the_picture(tmp_path):
    """Filmed from above with the toes pointing away, the tracker's foot would sit on the floor
    beyond the toes and a whole-foot shake would read as the toes': no part is named."""
    recording = tracked(tmp_path, "foot", 6.0)
    each_toe = tremor_from_recording(recording)
    assert parts_shaking(recording, each_toe) is not None
    (given,) = recording.meta.extra["points"]
    turned = dict(given, foot="right" if given["foot"] == "left" else "left")
    recording.meta.extra["points"] = [turned]
    assert parts_shaking(recording, each_toe) is None
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["shaking_part"] is None and results["parts"] is None


def test_a_floor_told_on_too_few_frames_is_not_taken_off_the_foot_s_shake(tmp_path):
    """A plain floor followed on two frames in three: what it read there (here half the shake
    against it) would be made up between them. The foot's motion is then read against the
    picture, at its own size; and as a shaking camera cannot then be told from a shaking foot,
    the test gives no figure from it, and says why."""
    recording = tracked(tmp_path, "foot", 6.0)
    (given,) = recording.meta.extra["points"]
    foot, t = given["foot"], recording.time_s
    against = -0.5 * SHAKE_PX * np.sin(2 * np.pi * 6.0 * t)
    told = np.random.default_rng(1).random(t.size) < 2 / 3
    recording.signals[f"{foot}_floor_dx_px"] = np.where(told, against * np.cos(0.6), np.nan)
    recording.signals[f"{foot}_floor_dy_px"] = np.where(told, against * np.sin(0.6), np.nan)
    centre = centre_motions(recording)
    assert centre is not None
    # the toes' centre on the picture: the foot's shift with the toes it carries
    on_picture = tremor_from_recording(centre, channels=[n for n in centre.signals if "_picture_" in n])
    assert on_picture.dominant_frequency_hz == pytest.approx(6.0, abs=0.2)
    assert on_picture.amplitude == pytest.approx(SHAKE_PX, rel=0.2)
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["measured"] is False
    assert results["dominant_frequency_hz"] is None and results["shaking_part"] is None
    assert "floor" in results["not_measured_reason"] and "camera" in results["not_measured_reason"]


@pytest.mark.parametrize("in_a_circle", [False, True])
def test_a_shaking_camera_over_a_still_foot_on_a_plain_floor_is_no_tremor(tmp_path, in_a_circle):
    """A real photo of a still foot on a plain cream floor, the whole picture moved 1.5 px at
    8 Hz (a hand-held phone), to and fro or round in a circle. The floor holds nothing to follow,
    so the camera's shake cannot be told from the foot's: it read as "rhythmic, 8.0 Hz, the whole
    foot, while the floor stayed still". Now no figure, and the reason (once: in a circle it was
    also given against the picture's own motion, which is the foot's there)."""
    foot = load("FOCUS_itw_000607")
    image = np.clip(foot.image, 0, 255).astype(np.uint8)
    height, width = image.shape[:2]
    time_s = np.arange(int(30 * DURATION_S)) / 30
    frames = []
    for t in time_s:
        if in_a_circle:
            dx, dy = 1.5 * np.sin(2 * np.pi * 8.0 * t), 1.5 * np.cos(2 * np.pi * 8.0 * t)
        else:
            dx, dy = 1.5 * np.sin(2 * np.pi * 8.0 * t) * np.array([0.8, 0.6])
        shift = np.float32([[1, 0, dx], [0, 1, dy]])
        frames.append(cv2.warpAffine(image, shift, (width, height), borderMode=cv2.BORDER_REFLECT))
    path = write_frames(tmp_path / "camera_shake.mp4", frames, time_s)
    recording = track_video(path, parse_points(toelab_points(foot)), follow_floor=True).recording
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["measured"] is False
    assert results["classification"] is None and results["shaking_part"] is None
    assert results["quality"]["floor_followed_pct"] < 80.0
    assert "a shaking camera cannot be told from a shaking foot" in results["not_measured_reason"]
    # one reason: the floor's, not again the camera's against a floor it did not follow
    assert "the camera itself moved" not in results["not_measured_reason"].lower()


@pytest.mark.parametrize(("heading_deg", "frequency_hz"), [(67.6, 8.0), (29.6, 5.0)])
def test_a_floor_too_plain_to_show_a_shaking_camera_is_not_taken_for_a_still_one(
    tmp_path, heading_deg, frequency_hz
):
    """A still foot on white boards (a real photo), the camera shaken 1.5 px. The floor's features
    hold almost no pattern: matched from frame to frame they stayed put, the floor was "followed"
    on 99-100 % of frames while reading 0.06-0.33 of the shake, and the camera's shake was the
    foot's: "rhythmic, 7.88 Hz, the toes" and "rhythmic, 4.99 Hz". Now the floor is not followed
    and no figure is given, with the reason."""
    heading = np.radians(heading_deg)

    def camera(t):
        return np.outer(1.5 * np.sin(2 * np.pi * frequency_hz * t), [np.cos(heading), np.sin(heading)])

    path = tmp_path / "camera_shake.mp4"
    truth = render(path, load("FOUND_itw_3"), duration_s=DURATION_S, seed=0, camera_shift=camera)
    recording = track_video(path, parse_points(truth.first_points), follow_floor=True).recording
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["measured"] is False
    assert results["classification"] is None and results["dominant_frequency_hz"] is None
    assert "a shaking camera cannot be told from a shaking foot" in results["not_measured_reason"]


@pytest.mark.parametrize(("source", "frequency_hz"), [("FOCUS_itw_000010", 4.0), ("030", 8.0)])
def test_a_shaking_camera_over_a_still_foot_on_a_floor_it_follows_is_no_tremor(
    tmp_path, source, frequency_hz
):
    """A still foot (a real photo; a scanned foot on a rug), the camera shaken 1.5 px. The floor
    was followed, but the tracking left a little of the camera's shake in the foot's or the
    toes' motion: "rhythmic, 3.97 Hz, 0.13 px" and "irregular, 7.9 Hz, 0.19 px". Now no shaking,
    or no figure with the camera named."""
    heading = np.random.default_rng(100).uniform(0, 2 * np.pi)

    def camera(t):
        return np.outer(1.5 * np.sin(2 * np.pi * frequency_hz * t), [np.cos(heading), np.sin(heading)])

    path = tmp_path / "camera_shake.mp4"
    truth = render(path, load(source), duration_s=6.0, seed=0, camera_shift=camera)
    recording = track_video(path, parse_points(truth.first_points), follow_floor=True).recording
    assert floor_followed_pct(recording) == 100.0
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    if results["measured"]:
        assert results["classification"] == "none"
    else:
        assert results["classification"] is None
        assert "the camera itself moved" in results["not_measured_reason"].lower()


@pytest.mark.parametrize("part", ["still", "toes"])
def test_a_camera_shaking_along_a_grout_line_is_not_taken_for_the_foot(tmp_path, part):
    """The camera shaken 1.5 px at 5 Hz along the grout line in front of the toes (smooth tiles,
    a real photo), the foot still or its toes shaking at 9 Hz. The floor, followed on every
    frame, showed a quarter of the shake, and the rest read as the foot's: "rhythmic, 4.99 Hz"
    (the toes' own 9 Hz lost under it). The picture moved most at the rhythm found, so the
    movement must be four times what the floor shows: no figure, the camera named."""
    heading = np.radians(137.1)

    def camera(t):
        return np.outer(1.5 * np.sin(2 * np.pi * 5.0 * t), [np.cos(heading), np.sin(heading)])

    toes = {"toe_drive": lambda t: np.outer(1.5 * np.sin(2 * np.pi * 9.0 * t), [1.0, 0.8, 0.7, 0.6, 0.5])}
    path = tmp_path / "grout_line.mp4"
    truth = render(
        path,
        load("FOCUS_itw_000813"),
        duration_s=6.0,
        seed=2,
        camera_shift=camera,
        **(toes if part == "toes" else {}),
    )
    recording = track_video(path, parse_points(truth.first_points), follow_floor=True).recording
    assert floor_followed_pct(recording) == 100.0
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["measured"] is False
    assert results["classification"] is None and results["dominant_frequency_hz"] is None
    assert results["quality"]["camera_shook_at_the_rhythm"] == 1
    assert (
        "the picture itself moved most at the rhythm of the movement found"
        in results["not_measured_reason"].lower()
    )


def test_toes_read_at_two_rhythms_give_no_rhythm(tmp_path):
    """A scanned left foot on a ribbed mat, its toes shaking 1.5 px at 6 Hz before a camera
    shaking 1.5 px at 3.5 Hz. The toes' centre against the foot read 5.96 Hz and named the toes,
    but the headline, from each toe's own motion, said "rhythmic, 4.79 Hz". Two readings of one
    shaking that disagree give no rhythm; one that agrees is within 0.2 Hz."""
    heading = 4.846688731762197  # rad, as benchmarks/camera_rhythm.py drew it (seed 1)

    def camera(t):
        return np.outer(1.5 * np.sin(2 * np.pi * 3.5 * t), [np.cos(heading), np.sin(heading)])

    def toes(t):
        return np.outer(1.5 * np.sin(2 * np.pi * 6.0 * t), [1.0, 0.8, 0.7, 0.6, 0.5])

    path = tmp_path / "two_rhythms.mp4"
    truth = render(
        path, load("197", mirror=True), duration_s=6.0, seed=1, toe_drive=toes, camera_shift=camera
    )
    recording = track_video(path, parse_points(truth.first_points), follow_floor=True).recording
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    if results["measured"]:
        assert results["dominant_frequency_hz"] == pytest.approx(6.0, abs=0.2)
    else:
        assert results["dominant_frequency_hz"] is None
        assert "two readings of one shaking disagree" in results["not_measured_reason"]
        assert results["quality"]["part_rhythm_agrees"] == 0


@pytest.mark.parametrize(("part", "frequency_hz"), [("toes", 6.0), ("foot", 4.0)])
def test_a_shaking_foot_before_a_still_camera_is_measured_where_the_floor_shows_a_little_of_it(
    tmp_path, part, frequency_hz
):
    """A scanned foot on a ribbed mat, the camera still, the toes or the whole foot shaking 1.5 px.
    The floor beside the foot shows a little of the foot's shake (a tenth of it), so the picture
    moves most at the shaking's own rhythm; the shaking is still measured."""
    wave = lambda t: 1.5 * np.sin(2 * np.pi * frequency_hz * t)  # noqa: E731
    motion = (
        {"toe_drive": lambda t: np.outer(wave(t), [1.0, 0.8, 0.7, 0.6, 0.5])}
        if part == "toes"
        else {"foot_shift": lambda t: np.outer(wave(t), [np.cos(3.07), np.sin(3.07)])}
    )
    path = tmp_path / "ribbed_mat.mp4"
    truth = render(path, load("197"), duration_s=6.0, seed=4 if part == "toes" else 29, **motion)
    recording = track_video(path, parse_points(truth.first_points), follow_floor=True).recording
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["measured"] is True
    assert results["classification"] == "rhythmic"
    assert results["dominant_frequency_hz"] == pytest.approx(frequency_hz, abs=0.2)


@pytest.mark.parametrize(
    ("source", "condition"),
    [
        ("052", {"noise": 3.0, "exposure": 0.08}),
        ("030", {"noise": 3.0, "exposure": 0.08}),
        ("052", {"drift_px": 5.0}),
    ],
)
def test_a_still_foot_filmed_with_noise_or_a_drifting_camera_is_no_shaking(tmp_path, source, condition):
    """A still foot (scanned feet on tiles and on a rug) filmed with sensor noise and exposure
    drift, or by a hand-held camera drifting 5 px. The tracked toes jump by a few tenths of a
    pixel, sharply (kurtosis 3-5): that read "irregular, 7.0 Hz, 0.058 px", "9.5 Hz, 0.025 px"
    and "3.4 Hz, 0.14 px", the first two beside the band of a dystonic tremor. Now no shaking."""
    path = tmp_path / "still.mp4"
    truth = render(path, load(source), duration_s=DURATION_S, seed=0, **condition)
    recording = track_video(path, parse_points(truth.first_points), follow_floor=True).recording
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["measured"] is True
    assert results["classification"] == "none"
    assert results["typical_band"] is None and results["dominant_frequency_hz"] is None


def test_a_foot_followed_on_the_floor_while_it_shakes_is_not_said_to_hold_still(tmp_path):
    """A scanned foot on mosaic tiles: half its body's first-frame features lie on skin, and a
    4 px whole-foot shake leaves those behind the tiles', so the body's motion read is the
    floor's. The toes then carried the whole shake against a foot that seemed still, and the
    shake was named "the toes"."""
    foot = load("052")

    def shift(t):
        return np.outer(4.0 * np.sin(2 * np.pi * 4.0 * t), [np.cos(0.8), np.sin(0.8)])

    path = tmp_path / "shake.mp4"
    truth = render(path, foot, duration_s=DURATION_S, fps=60.0, seed=0, foot_shift=shift)
    recording = track_video(path, parse_points(truth.first_points)).recording
    (followed,) = recording.meta.extra["foot_body_followed_on_skin_pct"].values()
    assert followed < 50.0
    results = run_task(recording, AnalysisOptions(task="tremor")).results
    assert results["dominant_frequency_hz"] == pytest.approx(4.0, abs=0.2)
    assert results["shaking_part"] in ("foot", None)


def test_toes_lost_in_heavy_noise_give_no_shaking(tmp_path):
    """A still foot filmed with heavy sensor noise: the tracker's points leave the toes and
    wander far further than a toe can move against its foot. What they trace is the tracker's
    error, and was given as an irregular shaking of many pixels, stored and trended."""
    path = tmp_path / "noisy.mp4"
    truth = render(path, load("FOUND_itw_3"), duration_s=8.0, noise=40.0, seed=0)
    recording = track_video(path, parse_points(truth.first_points)).recording
    outcome = run_task(recording, AnalysisOptions(task="tremor"))
    results = outcome.results
    assert results["measured"] is False
    assert results["amplitude"] is None and results["classification"] is None
    assert results["quality"]["toe_travel_px"] > 2 * results["quality"]["toe_width_px"]
    assert "the tracking lost the toes" in results["not_measured_reason"]
    assert figures_of(get_task("tremor"), outcome) == []


def test_a_large_movement_without_shaking_is_not_called_too_small_to_measure():
    """Points that moved a lot (a hand reaching, 105 px RMS) with no shaking in the movement: the
    size is not "too small for the camera to measure", there is no shaking to size."""
    moved = {"classification": "none", "amplitude": 0.0, "amplitude_unit": "px", "rms_amplitude": 105.4}
    rows = {row[0]: row[1:] for row in rows_for("tremor", moved)}
    assert rows["Size of the shaking"][0] == "—"
    assert "no shaking was found" in rows["Size of the shaking"][1]
    still = {**moved, "rms_amplitude": 0.01}
    rows = {row[0]: row[1:] for row in rows_for("tremor", still)}
    assert rows["Size of the shaking"][0].startswith("too small for the camera to measure")
    # the words on a video's compression are for a shaking that was sized
    assert "compression" not in rows["Size of the shaking"][1]
