"""Never confidently wrong: a figure the recording cannot support is withheld, with its reason,
and nothing downstream (rows, cards, flags, trends, FHIR, CSV, history) is built from it."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import numpy as np
import pytest
from typer.testing import CliRunner

from toelab.analysis.rhythm import analyze_rhythm
from toelab.analysis.rom import hallux_extension_deg
from toelab.cli import app
from toelab.cli.samples import DEMO_CO_MOVEMENT
from toelab.recording import Recording
from toelab.report import export_figures, fhir_bundle, report_html
from toelab.report.handout import latest_findings
from toelab.report.terminal import history_renderables
from toelab.store import open_store
from toelab.store.outcomes import store_outcome
from toelab.store.overview import person_overview
from toelab.synthetic.movement import isolation_recording, rhythm_recording, rom_recording
from toelab.synthetic.tremor import tremor_recording
from toelab.tasks import AnalysisOptions, BeatSource, figures_of, get_task, rows_for, run_task

STARTED = datetime(2026, 2, 3, 17, 30, tzinfo=UTC)


def _lose(recording: Recording, names: list[str], keep: np.ndarray, *, blank: bool) -> Recording:
    """Mark the named points as poorly tracked (confidence 0.05) outside ``keep``; with ``blank``
    their positions are gone there too (as the tracker leaves them when it loses a point)."""
    for name in recording.landmarks:
        recording.confidence.setdefault(name, np.full(recording.n_samples, 0.9))
    for name in names:
        recording.confidence[name][~keep] = 0.05
        if blank:
            recording.landmarks[name][~keep] = np.nan
    return recording


def _rows_text(task: str, results: dict) -> str:
    return " | ".join(" ".join(row) for row in rows_for(task, results))


# --- big-toe extension ---------------------------------------------------------------------


def _rom_seen_on_one_percent(*, blank: bool) -> Recording:
    """A 72° bend filmed from the side where the heel and joint were lost on 99 % of frames."""
    recording, _ = rom_recording(72.0, duration_s=10.0)
    keep = np.zeros(recording.n_samples, dtype=bool)
    keep[:3] = True  # the first frames, before the toe moved: about 1 %
    return _lose(recording, ["right_heel", "right_mtp1"], keep, blank=blank)


@pytest.mark.parametrize("blank", [False, True])
def test_a_big_toe_angle_seen_on_one_percent_of_frames_is_withheld(blank):
    outcome = run_task(_rom_seen_on_one_percent(blank=blank), AnalysisOptions("rom"))
    results = outcome.results
    assert results["measured"] is False
    assert results["max_extension_deg"] is None and results["grade"] is None
    assert results["toe_off_sufficient"] is None and results["notes"] == []
    assert "1 % of the frames" in results["not_measured_reason"]
    assert "heel" in results["how_to_redo"]
    assert results["quality"]["good_frames_pct"] == pytest.approx(1.0, abs=0.1)
    text = _rows_text("rom", results)
    assert "not measured" in text
    for said in ("grade", "podiatrist", "When to see someone", "How exact", "°"):
        assert said not in text
    assert figures_of(get_task("rom"), outcome) == []
    assert get_task("rom").findings(results).big_toe_extension_deg is None


def test_a_well_tracked_big_toe_keeps_its_figures_and_says_its_quality():
    recording, truth = rom_recording(72.0)
    results = run_task(recording, AnalysisOptions("rom")).results
    assert results["measured"] is True and "not_measured_reason" not in results
    assert results["quality"] == {
        "good_frames_pct": 100.0,
        "good_frames": recording.n_samples,
        "frames": recording.n_samples,
        "top_seen": 1,
        "angle_change_deg": pytest.approx(72.0, abs=1.0),
    }
    assert results["max_extension_deg"] == pytest.approx(truth["max_extension_deg"], abs=1.0)


@pytest.mark.parametrize("rest_deg", [0.0, 13.0])
def test_a_big_toe_that_never_bent_gives_no_angle_grade_or_referral(rest_deg):
    """Points on a still picture, or a toe that stayed down: the angle is the toe's rest, not
    how far it bends, and a rest of 0 or 13 degrees read as a bend would be graded "clearly
    limited" with a referral."""
    recording, _ = rom_recording(0.0)
    heel, mtp = recording.landmarks["right_heel"], recording.landmarks["right_mtp1"]
    tip = recording.landmarks["right_hallux_tip"]
    # the toe held at its rest angle above the sole line, turned about the joint
    turn = np.radians(-rest_deg)
    offset = tip - mtp
    tip[:] = mtp + np.column_stack(
        [
            np.cos(turn) * offset[:, 0] - np.sin(turn) * offset[:, 1],
            np.sin(turn) * offset[:, 0] + np.cos(turn) * offset[:, 1],
        ]
    )
    assert np.nanmax(hallux_extension_deg(heel, mtp, tip)) == pytest.approx(rest_deg, abs=1.0)
    outcome = run_task(recording, AnalysisOptions("rom"))
    results = outcome.results
    assert results["measured"] is False
    assert results["max_extension_deg"] is None and results["grade"] is None
    assert results["quality"]["angle_change_deg"] < 1.0
    assert "shows the toe at rest" in results["not_measured_reason"]
    assert "bending the big toe up as far as it goes" in results["how_to_redo"]
    text = _rows_text("rom", results)
    for said in ("grade", "podiatrist", "clearly limited", "When to see someone"):
        assert said not in text
    assert figures_of(get_task("rom"), outcome) == []


def test_a_big_toe_lost_around_its_highest_point_gives_no_angle():
    """Most frames tracked, but not those around the top: the largest angle left would read
    too low, so none is given."""
    recording, _ = rom_recording(72.0)
    angle = hallux_extension_deg(*(recording.landmarks[f"right_{p}"] for p in ("heel", "mtp1", "hallux_tip")))
    top = int(np.nanargmax(angle))
    lost = np.abs(recording.time_s - recording.time_s[top]) < 0.3
    recording.landmarks["right_hallux_tip"][lost] = np.nan
    results = run_task(recording, AnalysisOptions("rom")).results
    assert results["measured"] is False and results["max_extension_deg"] is None
    assert "lost around its highest point" in results["not_measured_reason"]


# --- toe isolation -------------------------------------------------------------------------


def test_a_left_foot_lost_in_the_first_second_gives_no_toe_control_score():
    recording, _ = isolation_recording(DEMO_CO_MOVEMENT, foot="left", seed=4)
    keep = recording.time_s < 1.0
    _lose(recording, [f"left_toe{t}" for t in range(1, 6)], keep, blank=False)
    outcome = run_task(recording, AnalysisOptions("isolation"))
    results = outcome.results
    assert results["measured"] is False and results["toe_control_score"] is None
    assert all(t["measured"] is False and t["individuation_index"] is None for t in results["toes"])
    text = _rows_text("isolation", results)
    assert "not measured" in text and "never lifted" not in text and "0 / 100" not in text
    assert figures_of(get_task("isolation"), outcome) == []
    assert results["not_measured_reason"].startswith("No toe was tracked well")
    assert "toe(s)" not in results["not_measured_reason"]


@pytest.mark.parametrize(("foot_width_px", "measured"), [(60.0, False), (90.0, True)])
def test_toes_too_small_on_the_picture_give_no_index_and_say_come_closer(foot_width_px, measured):
    # toes 12 px wide (a foot 60 px across) hold too few features of their own to follow
    recording, _ = isolation_recording(DEMO_CO_MOVEMENT, seed=4)
    recording.meta.source = "video"
    recording.meta.extra["foot_width_px"] = {"right": foot_width_px}
    results = run_task(recording, AnalysisOptions("isolation")).results
    assert results["measured"] is measured
    assert results["quality"]["toe_width_px"] == foot_width_px / 5
    if not measured:
        assert results["toe_control_score"] is None
        assert "too small on the picture (about 12 pixels wide" in results["not_measured_reason"]
        assert results["how_to_redo"].startswith("Bring the camera closer")
    # a landmark file's points are not judged by the tracker's line
    recording.meta.source = "deeplabcut"
    assert run_task(recording, AnalysisOptions("isolation")).results["measured"] is True


@pytest.mark.parametrize("told", [False, True])
def test_toes_not_told_from_the_floor_give_no_index_and_say_film_on_a_plain_floor(told):
    # followed on plain boxes, toes take in their neighbours' edges: a 4th toe "followed" the
    # 3rd by half its lift for a true 3 % on a floor of the skin's own colour
    recording, _ = isolation_recording(DEMO_CO_MOVEMENT, seed=4)
    recording.meta.source = "video"
    recording.meta.extra.update(foot_width_px={"right": 140.0}, toes_told_from_floor={"right": told})
    results = run_task(recording, AnalysisOptions("isolation")).results
    assert results["measured"] is told
    assert results["quality"]["toes_told_from_floor"] == int(told)
    if not told:
        assert results["toe_control_score"] is None
        assert all(t["individuation_index"] is None and t["measured"] is False for t in results["toes"])
        assert "could not be told from the floor by their colour" in results["not_measured_reason"]
        assert results["how_to_redo"].startswith("Film in colour on a plain floor")
    # a recording tracked before this was kept, and a landmark file, are not judged by it
    del recording.meta.extra["toes_told_from_floor"]
    assert run_task(recording, AnalysisOptions("isolation")).results["measured"] is True


@pytest.mark.parametrize("turn_deg", [0.2, 6.0])
def test_no_lift_found_while_the_foot_turned_says_the_movement_not_the_toes(turn_deg):
    # every toe held still in the tracked points, while the foot (or the camera) turned
    recording, _ = isolation_recording(DEMO_CO_MOVEMENT, seed=4)
    for name, xy in recording.landmarks.items():
        recording.landmarks[name] = np.repeat(xy[:1], recording.n_samples, axis=0)
    turn = turn_deg / 2 * np.sin(2 * np.pi * 0.5 * recording.time_s)
    zero = np.zeros(recording.n_samples)
    recording.signals.update(
        right_foot_dx_px=zero, right_foot_dy_px=zero, right_foot_rotation_deg=turn, right_foot_scale=zero + 1
    )
    recording.meta.source = "video"
    recording.meta.extra["foot_width_px"] = {"right": 140.0}
    results = run_task(recording, AnalysisOptions("isolation")).results
    assert results["measured"] is False and results["toe_control_score"] is None
    if turn_deg > 3:
        assert (
            "could be told apart from the movement of the whole foot or the camera"
            in results["not_measured_reason"]
        )
        # a picture the tracking could not follow wanders as a moving one does: both are named
        assert "the tracking itself wanders" in results["not_measured_reason"]
        assert results["how_to_redo"].startswith("Stand the camera still")
        assert "bright even light" in results["how_to_redo"]
    else:
        assert results["not_measured_reason"].startswith("No toe lifted during the recording")


def test_toes_too_close_together_give_no_index_and_the_score_covers_the_others():
    # a 4th toe 17 px from the 3rd read the 3rd's lift as its own on real-photo videos
    recording, _ = isolation_recording(np.eye(5), seed=2)
    xs = {1: 300.0, 2: 270.0, 3: 240.0, 4: 223.0, 5: 190.0}
    points = {"view": "front", "foot": "right", **{f"toe{t}": [x, 400.0] for t, x in xs.items()}}
    recording.meta.extra.update(points=[points], foot_width_px={"right": 140.0})
    recording.meta.source = "video"
    results = run_task(recording, AnalysisOptions("isolation")).results
    toes = {t["toe"]: t for t in results["toes"]}
    assert results["measured"] is True
    assert results["quality"]["toe_gap_px_by_toe"]["4"] == [3, 17.0]
    for toe, neighbour in ((3, "4th"), (4, "3rd")):
        assert toes[toe]["measured"] is False and toes[toe]["individuation_index"] is None
        assert f"only 17 pixels from the {neighbour} toe" in toes[toe]["not_measured_reason"]
    kept = [toes[t]["individuation_index"] for t in (1, 2, 5)]
    assert all(v > 0.9 for v in kept)
    assert results["toe_control_score"] == pytest.approx(100 * np.mean(kept))
    # spread 25 px apart, every toe keeps its index
    points.update(toe4=[215.0, 400.0], toe5=[185.0, 400.0])
    results = run_task(recording, AnalysisOptions("isolation")).results
    assert all(t["measured"] is True for t in results["toes"])


def test_a_lost_toe_gets_no_index_and_the_score_covers_the_others():
    recording, truth = isolation_recording(np.eye(5), seed=2)
    keep = np.zeros(recording.n_samples, dtype=bool)
    _lose(recording, ["right_toe3"], keep, blank=False)
    results = run_task(recording, AnalysisOptions("isolation")).results
    toes = {t["toe"]: t for t in results["toes"]}
    assert results["measured"] is True
    assert toes[3]["measured"] is False and toes[3]["individuation_index"] is None
    assert "0 % of the frames" in toes[3]["not_measured_reason"]
    kept = [toes[t]["individuation_index"] for t in (1, 2, 4, 5)]
    assert all(v > 0.9 for v in kept)
    # the lost toe does not count as 0: the score is the mean of the four measured toes
    assert results["toe_control_score"] == pytest.approx(100 * np.mean(kept))
    text = _rows_text("isolation", results)
    assert "covers 4 of 5 toes: 3rd toe not measured" in text
    # the 2nd and 4th toes lift alone among the toes measured; whether the lost 3rd rose with
    # them is not known, so "no other toe followed" is not said of them
    rows = {row[0]: row[2] for row in rows_for("isolation", results)}
    for toe in ("2nd", "4th"):
        meaning = rows[f"{toe} toe individuation"]
        assert meaning.startswith("moves on its own among the toes measured")
        assert "the 3rd toe was not measured, so whether it rose too is not known" in meaning
        assert "no other toe followed" not in meaning


def test_a_lost_toe_is_named_not_measured_in_the_history_report_and_fhir(tmp_path):
    """The score kept for the other toes, and the lost toe's index said nowhere but in the
    analysis: the history read "Toe control score 100 %" with no word of the toe left out."""
    recording, _ = isolation_recording(np.eye(5), seed=2)
    keep = np.zeros(recording.n_samples, dtype=bool)
    _lose(recording, ["right_toe3"], keep, blank=False)
    outcome = run_task(recording, AnalysisOptions("isolation"))
    from rich.console import Console

    with open_store(f"sqlite:///{tmp_path / 'toelab.db'}", home=tmp_path) as store:
        person = store.people.add("Ada")
        store_outcome(store, person, outcome, recording, started_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
        overview = person_overview(store, person, today=date(2026, 3, 3))
        console = Console(width=400, record=True)
        for shown in history_renderables(overview):
            console.print(shown)
        html = report_html(store, person, today=date(2026, 3, 3))
        bundle = json.loads(
            fhir_bundle(store.people.get(person.id), store.sessions.history(person.id)).model_dump_json()
        )
    said = "individuation index not measured (right foot) — 3rd toe: tracked well on only 0 % of the frames"
    assert said in console.export_text()
    assert said in html
    absent = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation" and "dataAbsentReason" in e["resource"]
    ]
    assert [o["code"]["coding"][0]["code"] for o in absent] == ["individuation_index"]
    assert "3rd toe: tracked well on only 0 %" in absent[0]["dataAbsentReason"]["text"]


def test_a_toe_is_not_said_to_move_on_its_own_while_another_follows_it_by_half():
    co = np.eye(5)
    co[2, 3] = 0.85  # the 4th toe rises 85 % when the 3rd is lifted
    co[1, 2] = co[1, 3] = 0.7  # the 3rd and 4th rise 70 % with the 2nd
    recording, _ = isolation_recording(co, seed=3, noise_px=0.1)
    results = run_task(recording, AnalysisOptions("isolation")).results
    rows = {row[0]: row for row in rows_for("isolation", results)}
    third, second = rows["3rd toe individuation"], rows["2nd toe individuation"]
    assert "does not yet move on its own" in third[2] and "4th toe rose" in third[2]
    assert "does not yet move on its own" in second[2]
    assert "3rd toe rose" in second[2] and "4th toe rose" in second[2]
    assert "the other toes rose" not in " ".join(r[2] for r in rows.values())
    for figure, _, meaning in rows.values():
        if "moves on its own" in meaning and "not yet" not in meaning:
            toe = next(t for t in results["toes"] if figure.startswith(rows_label(t["toe"])))
            assert all(share < 0.5 for share in toe["followers"].values())
    score = rows["Toe control score"][2]
    assert "2nd toe, 3rd toe do not yet" in score


def rows_label(toe: int) -> str:
    from toelab.vocabulary import toe_name

    return toe_name(toe)


# --- musical toes --------------------------------------------------------------------------


@pytest.mark.parametrize("hits", [1, 3])
def test_timing_from_a_few_hits_is_withheld(hits):
    missed = [b for b in range(74) if b % (74 // hits) != 5][: 74 - hits]
    recording, _ = rhythm_recording(
        100, asynchrony_mean_ms=-30, asynchrony_sd_ms=20, n_beats=74, missed_beats=missed, seed=1
    )
    outcome = run_task(recording, AnalysisOptions("rhythm", beats=BeatSource(bpm=100, offset_s=1.0)))
    results = outcome.results
    assert results["hits"] == hits
    assert results["measured"] is False
    assert results["circular_r"] is None and results["mean_asynchrony_ms"] is None
    # the recording runs on 1 s past the 74th beat, so the metronome's 75th falls inside it
    assert f"Only {hits} of 75 beats" in results["not_measured_reason"]
    text = _rows_text("rhythm", results)
    assert "not measured" in text and "Consistency R" not in text
    assert figures_of(get_task("rhythm"), outcome) == []


def test_steady_lifts_half_a_beat_off_say_to_check_the_beat_times():
    # lifts on every beat of 80 bpm, but the metronome given starts half a beat later
    recording, _ = rhythm_recording(80, asynchrony_mean_ms=0, asynchrony_sd_ms=15, n_beats=20, seed=2)
    off = run_task(recording, AnalysisOptions("rhythm", beats=BeatSource(bpm=80, offset_s=1.375))).results
    assert off["measured"] is False and off["mean_asynchrony_ms"] is None and off["hit_rate"] is None
    assert off["quality"]["lift_phase_r"] > 0.9
    assert re.search(
        r"kept a steady time, but about half a beat \(3[67]\d ms\) off each beat", off["not_measured_reason"]
    )
    assert off["how_to_redo"].startswith("Check that the beat times match the recording")
    assert "only" not in off["not_measured_reason"].split("so ")[-1]  # "none of the ... beats was met"
    # the right first beat: measured, and the figures are the lifts' own
    right = run_task(recording, AnalysisOptions("rhythm", beats=BeatSource(bpm=80, offset_s=1.0))).results
    assert right["measured"] is True and abs(right["mean_asynchrony_ms"]) < 15


def test_a_few_hits_say_so_once_and_give_no_caution_about_withheld_figures():
    missed = [b for b in range(21) if b not in (4, 11, 17)]
    recording, _ = rhythm_recording(
        80, asynchrony_mean_ms=20, asynchrony_sd_ms=10, n_beats=21, missed_beats=missed
    )
    outcome = run_task(recording, AnalysisOptions("rhythm", beats=BeatSource(bpm=80, offset_s=1.0)))
    assert outcome.results["measured"] is False
    assert not any("rough" in w for w in outcome.warnings)
    redo = outcome.results["how_to_redo"]
    assert redo.lower().count("lift the toes clearly on each beat") == 1


def test_warnings_about_toes_the_rhythm_test_does_not_read_are_left_out():
    recording, _ = rhythm_recording(80, asynchrony_mean_ms=0, asynchrony_sd_ms=10, n_beats=10, toes=(1,))
    recording.landmarks["right_toe4"] = recording.landmarks["right_toe1"].copy()
    unused = get_task("rhythm").unused_landmarks(recording, AnalysisOptions("rhythm", toes=(1,)))
    assert "right_toe4" in unused and "right_toe1" not in unused
    lesser = get_task("rhythm").unused_landmarks(recording, AnalysisOptions("rhythm", toes=(2, 3, 4, 5)))
    assert "right_toe4" not in lesser and "right_toe1" in lesser
    assert get_task("isolation").unused_landmarks(recording, AnalysisOptions("isolation")) == set()


def test_a_beat_after_the_last_sample_is_not_a_miss():
    recording, _ = rhythm_recording(100, asynchrony_mean_ms=-20, asynchrony_sd_ms=15, n_beats=22, seed=5)
    recording = Recording(
        recording.time_s[recording.time_s < 14.0],
        {n: xy[recording.time_s < 14.0] for n, xy in recording.landmarks.items()},
        meta=recording.meta,
    )
    results = run_task(recording, AnalysisOptions("rhythm", beats=BeatSource(bpm=100, offset_s=1.0))).results
    assert results["beats"]["count"] == 22  # 1.0 s … 13.6 s
    assert (results["n_beats"], results["hits"], results["misses"]) == (22, 22, 0)
    assert results["measured"] is True


def test_an_unmet_beat_whose_window_runs_past_the_end_is_not_counted():
    result = analyze_rhythm([1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 3.9], span_s=(0.0, 4.0))
    assert (result.n_beats, result.misses) == (3, 0)


def test_an_all_nan_rhythm_recording_is_refused_with_exit_2(tmp_path):
    recording, _ = rhythm_recording(100, asynchrony_mean_ms=0, asynchrony_sd_ms=10, n_beats=20)
    for xy in recording.landmarks.values():
        xy[:] = np.nan
    path = tmp_path / "empty.npz"
    recording.save(path)
    run = CliRunner().invoke(app, ["analyze", str(path), "--task", "rhythm", "--bpm", "100", "--offset", "1"])
    assert run.exit_code == 2
    assert "no usable samples" in run.output and "hits" not in run.output


# --- tremor --------------------------------------------------------------------------------


def test_shaking_of_a_foot_tracked_on_a_third_of_the_frames_is_withheld():
    recording = tremor_recording(6.0, 2.0, 10.0, 60.0, sensor="video", foot="left", seed=3)
    keep = np.zeros(recording.n_samples, dtype=bool)
    keep[: recording.n_samples // 3] = True
    _lose(recording, list(recording.landmarks), keep, blank=False)
    outcome = run_task(recording, AnalysisOptions("tremor"))
    results = outcome.results
    assert results["measured"] is False
    assert results["dominant_frequency_hz"] is None and results["classification"] is None
    assert results["amplitude"] is None
    assert figures_of(get_task("tremor"), outcome) == []
    assert get_task("tremor").findings(results, "rest").tremor_at_rest is False
    assert "not measured" in _rows_text("tremor", results)


@pytest.mark.parametrize(("frequency_hz", "rate_hz"), [(11.0, 15.0), (5.0, 15.0), (11.0, 20.0)])
def test_a_rhythm_found_at_a_frame_rate_that_folds_the_band_down_is_withheld(frequency_hz, rate_hz):
    # a whole-foot shake at 11 Hz filmed at 15 frames a second shows up at 4 Hz; a 5 Hz one
    # there cannot be told from a folded one
    recording = tremor_recording(frequency_hz, 3.0, 10.0, rate_hz, sensor="video", foot="right", seed=1)
    outcome = run_task(recording, AnalysisOptions("tremor"))
    results = outcome.results
    assert results["measured"] is False
    assert results["dominant_frequency_hz"] is None and results["classification"] is None
    assert "false rhythm" in results["not_measured_reason"] and "30 frames" in results["how_to_redo"]
    # the rhythm found may be a false one: the reason gives none
    assert not re.search(r"\d Hz", results["not_measured_reason"])
    assert figures_of(get_task("tremor"), outcome) == []


def test_a_still_foot_filmed_at_15_frames_a_second_is_still_no_shaking():
    results = run_task(
        tremor_recording(5.0, 0.0, 10.0, 15.0, sensor="video", foot="right", seed=1),
        AnalysisOptions("tremor"),
    ).results
    assert results["measured"] is True and results["classification"] == "none"


def test_a_well_tracked_tremor_keeps_its_figures():
    recording = tremor_recording(6.0, 2.0, 10.0, 60.0, sensor="video", foot="left", seed=3)
    results = run_task(recording, AnalysisOptions("tremor")).results
    assert results["measured"] is True
    assert results["dominant_frequency_hz"] == pytest.approx(6.0, abs=0.2)
    assert results["quality"]["sampling_rate_hz"] == pytest.approx(60.0)


# --- nothing downstream uses a withheld figure ---------------------------------------------


@pytest.fixture(scope="module")
def withheld_records(tmp_path_factory):
    """A person whose big-toe test at 72° was seen on 1 % of frames, and whose rest tremor test
    was tracked on a third; a good isolation test beside them."""
    folder = tmp_path_factory.mktemp("withheld")
    with open_store(f"sqlite:///{folder / 'toelab.db'}", home=folder) as store:
        person = store.people.add("Ada")
        rom = _rom_seen_on_one_percent(blank=True)
        for day in (1, 8, 15):
            when = STARTED.replace(day=day)
            store_outcome(store, person, run_task(rom, AnalysisOptions("rom")), rom, started_at=when)
        tremor = tremor_recording(5.0, 2.0, 10.0, 60.0, sensor="video", foot="right", seed=3)
        keep = np.zeros(tremor.n_samples, dtype=bool)
        keep[: tremor.n_samples // 3] = True
        _lose(tremor, list(tremor.landmarks), keep, blank=False)
        for day in (2, 9):
            outcome = run_task(tremor, AnalysisOptions("tremor"))
            store_outcome(
                store,
                person,
                outcome,
                tremor,
                parameters={"condition": "rest", "classification": "rhythmic"},
                started_at=STARTED.replace(day=day),
            )
        isolation, _ = isolation_recording(DEMO_CO_MOVEMENT, seed=1)
        store_outcome(
            store, person, run_task(isolation, AnalysisOptions("isolation")), isolation, started_at=STARTED
        )
        yield store, person


def test_withheld_figures_make_no_trend_flag_plateau_or_card(withheld_records):
    store, person = withheld_records
    overview = person_overview(store, person, today=date(2026, 3, 1))
    metrics = {m.metric for m in overview.measurements}
    assert "big_toe_extension_deg" not in metrics and "tremor_amplitude" not in metrics
    assert "toe_control_score_pct" in metrics
    assert not [t for t in overview.progress.trends if t.metric == "big_toe_extension_deg"]
    assert not [p for p in overview.plateaus if p.metric == "big_toe_extension_deg"]
    assert not overview.flags
    findings = latest_findings(overview.sessions)
    assert findings.big_toe_extension_deg is None and not findings.tremor_at_rest


def test_history_and_reports_say_not_measured_why_and_how_to_redo(withheld_records):
    store, person = withheld_records
    overview = person_overview(store, person, today=date(2026, 3, 1))
    from rich.console import Console

    console = Console(width=400, record=True)
    for shown in history_renderables(overview):
        console.print(shown)
    history = console.export_text()
    assert (
        "Big-toe extension test: not measured (right foot) — The big-toe points were tracked well on only 1 %"
        in history
    )
    html = report_html(store, person, today=date(2026, 3, 1))
    assert "not measured" in html and "tracked well on only 1 %" in html and "heel" in html
    assert "grade 3" not in html and "podiatrist" not in html.split("Big-toe extension test")[1][:3000]


def test_csv_and_fhir_carry_no_value_for_a_withheld_figure(withheld_records):
    store, person = withheld_records
    csv = export_figures(store, person.display_name, "csv")
    assert "big_toe_extension_deg" not in csv and "tremor" not in csv
    exported = fhir_bundle(store.people.get(person.id), store.sessions.history(person.id))
    bundle = json.loads(exported.model_dump_json())
    absent = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation" and "dataAbsentReason" in e["resource"]
    ]
    assert {o["code"]["coding"][0]["code"] for o in absent} == {"big_toe_extension_deg", "tremor_amplitude"}
    assert all("valueQuantity" not in o and "not measured" in o["dataAbsentReason"]["text"] for o in absent)
    measured = [e["resource"] for e in bundle["entry"] if "valueQuantity" in e["resource"]]
    assert {o["code"]["coding"][0]["code"] for o in measured} >= {"toe_control_score_pct"}


def test_the_cli_shows_not_measured_and_json_gives_null_with_the_reason(tmp_path):
    path = tmp_path / "side.npz"
    _rom_seen_on_one_percent(blank=False).save(path)
    run = CliRunner().invoke(app, ["analyze", str(path), "--task", "rom", "--json"])
    assert run.exit_code == 0, run.output
    results = json.loads(run.output)["results"]
    assert results["measured"] is False and results["max_extension_deg"] is None
    table = CliRunner().invoke(app, ["analyze", str(path), "--task", "rom"], terminal_width=240)
    assert "not measured" in table.output and "grade" not in table.output


def test_toes_too_small_to_follow_are_named_when_the_tremor_test_has_no_points_left():
    """Toes 8 px wide, lost on most frames: the tremor test cannot run, and says why."""
    from toelab.errors import ToelabError

    recording, _ = isolation_recording(DEMO_CO_MOVEMENT, seed=4)
    recording.meta.source = "video"
    recording.meta.extra["foot_width_px"] = {"right": 40.0}
    for xy in recording.landmarks.values():
        xy[recording.time_s > 0.5] = np.nan
    with pytest.raises(ToelabError) as raised:
        run_task(recording, AnalysisOptions("tremor"))
    assert "the toes are too small on the picture (about 8 pixels wide" in str(raised.value)
    assert "bring the camera closer" in str(raised.value)
