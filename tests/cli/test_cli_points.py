"""``toelab points``: proposed toe points on a video's first frame or a photo, printed, written
as the file ``--points`` takes only when confident, and refused in one line on bad input."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from typer.testing import CliRunner
from videogen import render_front

from toelab.cli import app
from toelab.track.points import load_points

runner = CliRunner()
FEET = Path(__file__).resolve().parents[1] / "data" / "feet"


def points(*args: str):
    return runner.invoke(app, ["points", *map(str, args)])


@pytest.fixture(scope="module")
def drawn_video(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("points") / "foot.mp4"
    truth = render_front(path, None, duration_s=0.2, noise=1.0)
    return path, truth.first_points[0]


def test_a_drawn_foot_is_proposed_confidently_and_right(drawn_video, tmp_path):
    video, truth = drawn_video
    result = points(video, "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["confident"] is True and 0.5 <= answer["confidence"] <= 1
    found = answer["points"]
    assert found["view"] == "front" and found["foot"] == truth["foot"]
    for toe in ("toe1", "toe2", "toe3", "toe4", "toe5"):
        assert np.hypot(*np.subtract(found[toe], truth[toe])) < 12, (toe, found[toe], truth[toe])
    # --out writes the file analyze --points takes
    out = tmp_path / "foot.points.json"
    result = points(video, "--out", out)
    assert result.exit_code == 0, result.output
    assert "saved to" in result.stdout
    (written,) = load_points(out, frame_size=(640, 480))
    assert np.allclose(written.points["toe1"], found["toe1"])


def test_a_real_photo_is_not_answered_confidently(tmp_path):
    out = tmp_path / "photo.points.json"
    result = points(FEET / "052.png", "--json", "--out", out)
    assert result.exit_code == 2
    answer = json.loads(result.stdout)
    assert answer["confident"] is False and answer["points"] is None
    assert "toes" in answer["message"] and "nothing was written" in answer["message"]
    assert not out.exists()  # unsure points are never written without the person's say


def test_the_words_say_why_toelab_is_unsure(tmp_path, drawn_video):
    dark = tmp_path / "dark.png"
    cv2.imwrite(str(dark), np.full((480, 640, 3), 12, np.uint8))
    result = points(dark)
    assert result.exit_code == 2
    assert "too dark" in result.stdout and "--edit" in result.stdout

    floor = tmp_path / "floor.jpg"
    cv2.imwrite(
        str(floor), np.random.default_rng(0).normal(128, 3, (480, 640, 3)).clip(0, 255).astype(np.uint8)
    )
    message = json.loads(points(floor, "--json").stdout)["message"]
    assert "no foot could be told apart from the floor" in message

    # the drawn foot, a fifth of its size in the corner of a large floor
    video, _ = drawn_video
    frame = _first_frame(video)
    small = np.full((960, 1280, 3), frame[5, 5], np.uint8)
    small[700:796, 40:168] = cv2.resize(frame, (128, 96), interpolation=cv2.INTER_AREA)
    cv2.imwrite(str(tmp_path / "small.png"), small)
    assert "too small" in json.loads(points(tmp_path / "small.png", "--json").stdout)["message"]

    side = json.loads(points(video, "--view", "side", "--json").stdout)
    assert side["confident"] is False and side["points"] is None
    assert "side view needs its points clicked" in side["message"]


def _first_frame(video: Path) -> np.ndarray:
    from toelab.io.still import read_still

    return read_still(video)


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.mp4", None, "file not found"),
        ("corrupt.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "picture is not readable"),
        ("truncated.png", "truncated", "picture is not readable"),
        ("renamed.jpg", b"this is a text file, not a photo\n", "not a JPEG or PNG"),
        ("corrupt.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8, "corrupt"),
        ("huge.png", _png_header(30000, 30000) + b"\x00" * 64, "larger than 17 megapixels"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, name, content, words):
    path = tmp_path / name
    if content == "truncated":
        ok, png = cv2.imencode(".png", np.random.default_rng(0).integers(0, 255, (200, 200, 3), np.uint8))
        content = png.tobytes()[:3000]
    if content is not None:
        path.write_bytes(content)
    result = points(path, "--json")
    assert result.exit_code == 2
    # --json prints its one object, with no points and the problem, as for an unsure proposal
    answer = json.loads(result.stdout)
    assert answer["confident"] is False and answer["points"] is None and words in answer["message"]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert words in lines[0], lines[0]
