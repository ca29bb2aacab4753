import numpy as np
import pytest

from toelab import Recording, ToelabError
from toelab.analysis.lifts import detect_lifts, lifts_from_recording, toe_heights
from toelab.recording import RecordingMeta
from toelab.synthetic.movement import lift_onset_s, rhythm_recording


def raised_cosine_lifts(time_s, peaks_s, duration_s, height):
    signal = np.zeros_like(time_s)
    for peak in peaks_s:
        start = peak - duration_s / 2
        inside = (time_s > start) & (time_s < start + duration_s)
        signal[inside] += height / 2 * (1 - np.cos(2 * np.pi * (time_s[inside] - start) / duration_s))
    return signal


def test_lifts_on_noisy_data_are_found_at_the_right_times():
    rng = np.random.default_rng(1)
    time_s = np.arange(0, 30, 1 / 60)
    peaks = np.sort(rng.uniform(1, 29, 12))
    peaks = peaks[np.concatenate(([True], np.diff(peaks) > 0.8))]
    height = raised_cosine_lifts(time_s, peaks, 0.4, 20.0) + rng.normal(0, 0.5, time_s.size)
    result = detect_lifts(time_s, height)
    assert result.n_lifts == peaks.size
    assert np.max(np.abs(result.peak_times_s - peaks)) < 0.025
    assert np.max(np.abs(result.onset_times_s - lift_onset_s(peaks, 0.4))) < 0.025
    assert all(abs(e.height - 20.0) < 1.5 for e in result.events)
    assert all(e.onset_s < e.peak_s < e.offset_s for e in result.events)


def test_noise_free_lifts_give_exact_times_between_frames():
    time_s = np.arange(0, 10, 1 / 30)
    peaks = np.array([2.013, 5.551, 8.02])
    result = detect_lifts(time_s, raised_cosine_lifts(time_s, peaks, 0.5, 10.0))
    assert result.n_lifts == 3
    np.testing.assert_allclose(result.peak_times_s, peaks, atol=0.001)
    np.testing.assert_allclose(
        result.onset_times_s, lift_onset_s(peaks, 0.5), atol=0.004
    )  # a tenth of a frame


@pytest.mark.parametrize("settled_px", [0.0, 0.5, 1.0])
def test_a_toe_that_settles_a_little_higher_after_a_lift_still_shows_each_lift(settled_px):
    # a clean video: tracker noise 0.03 px, 6 px lifts once a second; after the 9th lift the
    # toe rests ``settled_px`` higher until after the next one, above the release threshold
    rng = np.random.default_rng(0)
    time_s = np.arange(0, 19.5, 1 / 30)
    peaks = 0.97 + np.arange(19.0)
    height = raised_cosine_lifts(time_s, peaks, 0.3, 6.0) + rng.normal(0, 0.03, time_s.size)
    height[(time_s > 9.1) & (time_s < 10.5)] += settled_px
    result = detect_lifts(time_s, height)
    assert result.n_lifts == 19
    assert np.max(np.abs(result.peak_times_s - peaks)) < 0.01


def test_a_lift_that_wavers_at_its_top_is_one_lift():
    # 5 px up, down to 3.7 px and up again within one lift: the toe did not come back
    time_s = np.arange(0, 6, 1 / 60)
    rng = np.random.default_rng(3)
    height = raised_cosine_lifts(time_s, [2.825, 3.175], 0.6, 5.0) + rng.normal(0, 0.03, time_s.size)
    assert detect_lifts(time_s, height).n_lifts == 1


def test_pure_noise_gives_no_lifts():
    rng = np.random.default_rng(7)
    time_s = np.arange(0, 120, 1 / 60)
    white = rng.normal(0, 0.5, time_s.size)
    wandering = np.convolve(rng.normal(0, 1, time_s.size), np.ones(6) / 6, mode="same")
    assert detect_lifts(time_s, white).n_lifts == 0
    assert detect_lifts(time_s, wandering).n_lifts == 0
    assert detect_lifts(time_s, np.zeros(time_s.size)).n_lifts == 0


def test_a_still_toe_s_rounding_is_no_lift():
    """A toe on a still picture, 166 px down it, whose tracked height a 32-bit float's rounding
    moves by a few steps now and then: no lift (one was found, with a floor of 1 % of that)."""
    time_s = np.arange(0, 8, 1 / 30)
    height = np.full(time_s.size, -166.0, np.float32)
    height[100:108] = np.nextafter(np.float32(-166.0), np.float32(0.0)) + np.float32(1.5e-4)
    assert np.ptp(height) == pytest.approx(1.5e-4, rel=0.2)
    assert detect_lifts(time_s, height.astype(float)).n_lifts == 0
    # a real lift of half a pixel on the same toe is still found
    height[100:108] = -165.5
    assert detect_lifts(time_s, height.astype(float)).n_lifts == 1


def test_a_tracked_toe_that_moves_less_than_the_camera_can_show_has_not_lifted():
    """A still video's toe points: every frame alike, the picture's own noise moving a point by
    a few hundredths of a pixel now and then. That is no lift (on a still video made from a real
    photo, "lifts" of 0.003-0.07 px gave a toe a repeatable index); a lift of a pixel is."""
    time_s = np.arange(0, 8, 1 / 60)
    rest = np.full(time_s.size, 400.0)
    twitch = rest - raised_cosine_lifts(time_s, [2.0, 5.0], 0.3, 0.05)
    lifted = rest - raised_cosine_lifts(time_s, [2.0, 5.0], 0.3, 1.0)

    def recording(y, source):
        landmarks = {"right_toe1": np.column_stack([np.full(time_s.size, 300.0), y])}
        meta = RecordingMeta(fps=60, foot="right", units="px", source=source)
        return Recording(time_s, landmarks, meta=meta)

    assert lifts_from_recording(recording(twitch, "video"), "right")[1].n_lifts == 0
    assert lifts_from_recording(recording(lifted, "video"), "right")[1].n_lifts == 2
    # a landmark file's own precision is not known: its smallest steps stand
    assert lifts_from_recording(recording(twitch, "deeplabcut"), "right")[1].n_lifts == 2


def test_slow_drift_and_missing_samples_do_not_hide_or_invent_lifts():
    rng = np.random.default_rng(2)
    time_s = np.arange(0, 40, 1 / 60)
    peaks = np.arange(2, 39, 3.0)
    height = raised_cosine_lifts(time_s, peaks, 0.45, 15.0) + 0.4 * time_s + rng.normal(0, 0.3, time_s.size)
    height[rng.random(time_s.size) < 0.05] = np.nan
    result = detect_lifts(time_s, height)
    assert result.n_lifts == peaks.size
    assert np.max(np.abs(result.peak_times_s - peaks)) < 0.03


def test_a_lift_smaller_than_min_height_is_ignored():
    time_s = np.arange(0, 10, 1 / 60)
    height = raised_cosine_lifts(time_s, [3.0], 0.4, 20.0) + raised_cosine_lifts(time_s, [6.0], 0.4, 4.0)
    height += np.random.default_rng(0).normal(0, 0.2, time_s.size)
    assert detect_lifts(time_s, height).n_lifts == 2
    assert detect_lifts(time_s, height, min_height=10.0).n_lifts == 1


def test_mismatched_arrays_are_refused():
    with pytest.raises(ToelabError, match="same length"):
        detect_lifts(np.arange(10.0), np.zeros(9))


def test_recording_lifts_per_toe_and_in_millimetres():
    recording, truth = rhythm_recording(
        80, asynchrony_mean_ms=0, asynchrony_sd_ms=20, n_beats=12, toes=(1, 2), lift_height_px=20
    )
    detections = lifts_from_recording(recording.with_meta(mm_per_unit=0.5), "right")
    assert set(detections) == {1, 2, 3, 4, 5}
    assert detections[1].n_lifts == detections[2].n_lifts == 12
    assert detections[3].n_lifts == detections[4].n_lifts == 0
    assert all(abs(e.height - 10.0) < 0.6 for e in detections[1].events)
    np.testing.assert_allclose(detections[1].peak_times_s, truth["right"]["peak_s"], atol=0.02)


def test_whole_foot_movement_is_removed_with_a_reference_point():
    time_s = np.arange(0, 12, 1 / 60)
    sway = 15 * np.sin(2 * np.pi * 0.4 * time_s)  # the foot (or camera) moves up and down
    lift = raised_cosine_lifts(time_s, [3.0, 7.0], 0.4, 12.0)
    y_rest = 400.0
    landmarks = {
        "right_toe1": np.column_stack([np.full(time_s.size, 300.0), y_rest - sway - lift]),
        "right_toe2": np.column_stack([np.full(time_s.size, 270.0), y_rest - sway]),
        "right_mtp5": np.column_stack([np.full(time_s.size, 150.0), 430.0 - sway]),
    }
    recording = Recording(time_s, landmarks, meta=RecordingMeta(fps=60, foot="right"))
    _, heights = toe_heights(recording, "right")
    np.testing.assert_allclose(heights[1], lift, atol=0.05)
    np.testing.assert_allclose(heights[2], 0.0, atol=0.05)


def test_irregular_timestamps_are_resampled_first():
    rng = np.random.default_rng(4)
    time_s = np.cumsum(rng.uniform(0.012, 0.022, 1500))
    height = raised_cosine_lifts(time_s, [5.0, 10.0, 15.0], 0.4, 20.0)
    recording = Recording(time_s, {"toe1": np.column_stack([np.zeros(time_s.size), -height])})
    grid, heights = toe_heights(recording)
    assert np.allclose(np.diff(grid), np.diff(grid)[0])
    np.testing.assert_allclose(detect_lifts(grid, heights[1]).peak_times_s, [5.0, 10.0, 15.0], atol=0.005)


def test_a_recording_without_toes_is_explained():
    recording = Recording(np.arange(10.0), {"right_heel": np.zeros((10, 2))})
    with pytest.raises(ToelabError, match="no toe landmarks"):
        toe_heights(recording, "right")
