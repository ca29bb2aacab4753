"""Reading videos: real timestamps, upright frames, broken files explained."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from videogen import write_frames

from toelab.errors import ToelabError
from toelab.io.video import iter_frames, open_video, probe_video


def _marked_frames(n: int, seed: int = 0) -> list[np.ndarray]:
    """Noisy frames (so every frame costs bytes) with a white mark in the top-left corner."""
    rng = np.random.default_rng(seed)
    frames = []
    for _ in range(n):
        image = rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)
        image[10:40, 10:60] = 255
        frames.append(image)
    return frames


def test_probe_reports_rate_size_duration(tmp_path):
    path = write_frames(tmp_path / "cfr.mp4", _marked_frames(60), np.arange(60) / 30.0)
    info = probe_video(path)
    assert info.fps == pytest.approx(30.0)
    assert (info.width, info.height) == (320, 240)
    assert info.duration_s == pytest.approx(2.0, abs=0.05)
    assert info.n_frames_estimate == 60
    assert info.rotation_deg == 0
    assert not info.has_audio


def test_variable_frame_rate_gives_the_real_timestamps(tmp_path):
    rng = np.random.default_rng(1)
    times = np.concatenate([[0.0], np.cumsum(rng.uniform(0.02, 0.055, 59))])
    path = write_frames(tmp_path / "vfr.mp4", _marked_frames(60), times)
    read = np.array([t for t, _ in iter_frames(path, gray=True)])
    assert read.size == 60
    np.testing.assert_allclose(read, times, atol=1e-4)


@pytest.mark.parametrize("rotation_deg", [90, 180, 270])
def test_rotated_phone_video_comes_out_upright(tmp_path, rotation_deg):
    path = write_frames(
        tmp_path / "rot.mp4", _marked_frames(3), np.arange(3) / 30.0, rotation_deg=rotation_deg
    )
    reader = open_video(path)
    assert reader.info.rotation_deg == rotation_deg
    assert (reader.info.width, reader.info.height) == (320, 240)
    _, frame = next(reader.frames())
    assert frame.shape == (240, 320, 3)
    assert frame[15:35, 15:55].mean() > 240  # the mark is back in the top-left corner


def test_truncated_video_gives_the_readable_part_and_a_warning(tmp_path):
    path = write_frames(tmp_path / "full.mp4", _marked_frames(90), np.arange(90) / 30.0, faststart=True)
    data = path.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    reader = open_video(cut)
    frames = list(reader.frames(gray=True))
    assert 20 < len(frames) < 90
    assert any("truncated" in w for w in reader.warnings)


def test_video_cut_before_its_index_is_a_clear_error(tmp_path):
    path = write_frames(tmp_path / "full.mp4", _marked_frames(30), np.arange(30) / 30.0)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(ToelabError, match="cut.mp4"):
        list(iter_frames(cut))


def test_a_cut_video_gives_one_line_on_the_command_line(tmp_path):
    # FFmpeg inside OpenCV would print its own "moov atom not found" line beside toelab's
    path = write_frames(tmp_path / "full.mp4", _marked_frames(30), np.arange(30) / 30.0)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(path.read_bytes()[:2000])
    done = subprocess.run(
        [sys.executable, "-m", "toelab", "analyze", str(cut), "--task", "tremor"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cut.mp4" in lines[0] and "not a readable video" in lines[0], done.stderr
    # what may be wrong and what to do, without the decoder's error number
    assert "cut short" in lines[0] and "copy it again" in lines[0] and "Errno" not in lines[0]


def test_text_file_named_mp4_is_not_a_video(tmp_path):
    fake = tmp_path / "notes.mp4"
    fake.write_text("these are my notes, not a video\n" * 20)
    with pytest.raises(ToelabError, match="notes.mp4.*not a readable video"):
        probe_video(fake)


def test_missing_video_names_the_file(tmp_path):
    with pytest.raises(ToelabError, match="nothere.mp4.*not found"):
        probe_video(tmp_path / "nothere.mp4")


def test_slow_camera_warns_what_it_limits(tmp_path):
    path = write_frames(tmp_path / "slow.mp4", _marked_frames(15), np.arange(15) / 15.0, fps=15)
    reader = open_video(path)
    assert any("7.5 Hz" in w and "15 fps" in w for w in reader.warnings)


def test_grey_frames_match_colour_frames(tmp_path):
    path = write_frames(tmp_path / "g.mp4", _marked_frames(2), np.arange(2) / 30.0)
    (_, colour), (_, grey) = next(iter_frames(path)), next(iter_frames(path, gray=True))
    assert grey.shape == colour.shape[:2]
    assert abs(float(grey[15:35, 15:55].mean()) - 235) < 5  # white in limited-range luma


def test_opencv_reads_what_pyav_cannot_open(tmp_path, monkeypatch):
    import toelab.io.video as video

    path = write_frames(tmp_path / "cv.mp4", _marked_frames(30), np.arange(30) / 30.0)

    def refuse(p):
        raise ToelabError("PyAV unavailable", p)

    monkeypatch.setattr(video, "_open_pyav", refuse)
    reader = open_video(path)
    assert reader.backend == "opencv"
    times = [t for t, _ in reader.frames(gray=True)]
    assert len(times) == 30
    np.testing.assert_allclose(times, np.arange(30) / 30.0, atol=2e-3)


def test_a_video_without_frames_says_it_is_empty(tmp_path):
    import av

    path = tmp_path / "no_frames.avi"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mjpeg", rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuvj420p"
        container.start_encoding()  # headers only: a video stream with no frame
    with pytest.raises(ToelabError) as error:
        open_video(path)
    message = str(error.value)
    assert "no frame could be decoded" in message
    assert "(empty)" in message and "()" not in message
