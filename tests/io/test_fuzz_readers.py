"""Every reader, fed random and mutated bytes, gives a Recording or a ToelabError: never another
exception, a crash, a hang or unbounded memory.

The readers run in a child process with its address space capped (``RLIMIT_AS``), answering
one file at a time; a call that takes too long counts as a hang, a child that dies as a crash.
The examples are derived deterministically, so a run in CI sees the same inputs every time.
"""

from __future__ import annotations

import functools
import io
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from io_samples import (
    BEATS_FILE,
    dlc_frame,
    openpose_person,
    toe_track,
    write_c3d,
    write_openpose,
    write_sleap,
)

from toelab.recording import Recording, RecordingMeta

EXAMPLES = 200
MEMORY_LIMIT_BYTES = 3 << 30
ANSWER_TIMEOUT_S = 20.0

CHILD = """
import json, resource, sys, traceback
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from toelab.errors import ToelabError
from toelab.io import read, read_beats, read_deeplabcut, read_sleap
from toelab.recording import Recording
from toelab.track.points import load_points, parse_points

def call(kind, path):
    if kind == "read":
        assert isinstance(read(path, fps=30.0), Recording)
    elif kind == "deeplabcut":
        assert isinstance(read_deeplabcut(path, fps=30.0), Recording)
    elif kind == "sleap":
        assert isinstance(read_sleap(path, fps=30.0), Recording)
    elif kind == "beats":
        read_beats(path)
    elif kind == "points_file":
        load_points(path)
    else:
        parse_points(json.loads(open(path, encoding="utf-8").read()))

print(json.dumps("ready"), flush=True)
for line in sys.stdin:
    kind, path = json.loads(line)
    try:
        call(kind, path)
        answer = "ok"
    except ToelabError:
        answer = "ok"
    except BaseException as error:
        answer = "".join(traceback.format_exception(error))[-3000:]
    print(json.dumps(answer), flush=True)
"""


class ReaderProcess:
    """A child process that reads files on request; restarted after a crash or a hang."""

    def __init__(self, stderr: IO[bytes]) -> None:
        self._stderr = stderr  # where the child's messages go, for the report of a crash
        self._child: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        environment = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(MEMORY_LIMIT_BYTES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=environment,
        )
        self._child = child
        assert self._answer(60.0) == "ready", "the reader process did not start"
        return child

    def _answer(self, timeout_s: float) -> str | None:
        assert self._child is not None and self._child.stdout is not None
        ready, _, _ = select.select([self._child.stdout], [], [], timeout_s)
        if not ready:
            return None
        line = self._child.stdout.readline()
        return json.loads(line) if line else None

    def ask(self, kind: str, path: Path) -> str:
        """``ok`` (a Recording or a ToelabError), or what went wrong."""
        child = self._child if self._child is not None and self._child.poll() is None else self._start()
        assert child.stdin is not None
        child.stdin.write(json.dumps([kind, str(path)]) + "\n")
        child.stdin.flush()
        answer = self._answer(ANSWER_TIMEOUT_S)
        if answer is not None:
            return answer
        hung = child.poll() is None
        child.kill()
        child.wait()
        self._child = None
        if hung:
            return f"no answer within {ANSWER_TIMEOUT_S:.0f} s (a hang)"
        self._stderr.seek(0)
        tail = self._stderr.read()[-2000:].decode(errors="replace")
        return f"the reader process died (exit status {child.returncode}):\n{tail}"

    def close(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.wait()


@pytest.fixture(scope="module")
def reader() -> Iterator[ReaderProcess]:
    with tempfile.TemporaryFile() as stderr:
        process = ReaderProcess(stderr)
        yield process
        process.close()


# -- seed files: small valid inputs of every format ---------------------------------------
def _landmark_csv() -> bytes:
    track = toe_track(12, 1)
    rows = ["time_s,right_toe1_x,right_toe1_y,right_toe1_likelihood"]
    rows += [f"{k / 30:.4f},{x:.3f},{y:.3f},0.9" for k, (x, y) in enumerate(track)]
    return "\n".join(rows).encode()


def _phone_csv() -> bytes:
    rows = ['"Time (s)";"Acceleration x (m/s^2)";"Acceleration y (m/s^2)";"Acceleration z (m/s^2)"']
    rows += [f"{k / 100:.3f};{np.sin(k):.4f};{np.cos(k):.4f};9,81".replace(".", ",") for k in range(12)]
    return "\n".join(rows).encode()


def _dlc_frame() -> object:
    parts = {"BigToe": toe_track(8, 1), "Heel": toe_track(8, 2)}
    return dlc_frame(parts, {"BigToe": np.linspace(0.1, 0.9, 8), "Heel": np.full(8, 0.99)})


def _dlc_csv(folder: Path) -> bytes:
    path = folder / "seed_dlc.csv"
    _dlc_frame().to_csv(path)  # type: ignore[attr-defined]
    return path.read_bytes()


def _dlc_h5(folder: Path) -> bytes:
    path = folder / "seed_dlc.h5"
    _dlc_frame().to_hdf(path, key="df_with_missing", mode="w", format="table")  # type: ignore[attr-defined]
    return path.read_bytes()


def _sleap_h5(folder: Path) -> bytes:
    xy = np.stack([toe_track(8, 1), toe_track(8, 2)], axis=1)[..., None]  # (frames, nodes, 2, tracks)
    path = write_sleap(folder / "seed_sleap.h5", xy, ["toe1", "heel"], ["right"], np.full((8, 2, 1), 0.9))
    return path.read_bytes()


def _c3d(folder: Path) -> bytes:
    xyz = np.random.default_rng(0).normal(0.0, 10.0, (2, 10, 3))
    return write_c3d(folder / "seed.c3d", ["HLX", "D1M"], xyz, rate_hz=100.0).read_bytes()


def _toelab_npz(folder: Path) -> bytes:
    rng = np.random.default_rng(0)
    recording = Recording(
        np.arange(10) / 30.0,
        {"right_toe1": rng.normal(size=(10, 2))},
        {"right_toe1": np.full(10, 0.9)},
        {"acc_x": rng.normal(size=10)},
        RecordingMeta(fps=30.0, foot="right"),
    )
    return recording.save(folder / "seed.npz").read_bytes()


POINTS = {"view": "front", "foot": "right", **{f"toe{t}": [100.0 + 20 * t, 200.0 - t] for t in range(1, 6)}}


@functools.cache
def seeds() -> dict[str, bytes]:
    folder = Path(tempfile.mkdtemp(prefix="toelab-fuzz-seeds-"))
    made = {
        "landmark.csv": _landmark_csv(),
        "phone.csv": _phone_csv(),
        "dlc.csv": _dlc_csv(folder),
        "dlc.h5": _dlc_h5(folder),
        "sleap.h5": _sleap_h5(folder),
        "recording.c3d": _c3d(folder),
        "recording.npz": _toelab_npz(folder),
        "beats.txt": BEATS_FILE.read_bytes(),
        "points.json": json.dumps([POINTS]).encode(),
    }
    shutil.rmtree(folder)
    return made


# -- mutations ----------------------------------------------------------------------------
@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with a few bytes flipped, chunks dropped, repeated or inserted, or cut short; or
    bytes of no format at all. Binary formats keep their structure near the start, so edits
    land there more often."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=2048))
    blob = bytearray(seed)
    head = min(len(blob), 4096)
    for _ in range(draw(st.integers(1, 8))):
        if not blob:
            break
        end = head if draw(st.booleans()) else len(blob)
        at = draw(st.integers(0, max(0, min(end, len(blob)) - 1)))
        edit = draw(st.sampled_from(["flip", "byte", "drop", "repeat", "insert"]))
        if edit == "flip":
            blob[at] ^= 1 << draw(st.integers(0, 7))
        elif edit == "byte":
            blob[at] = draw(st.sampled_from([0x00, 0xFF, 0x7F, 0x80, draw(st.integers(0, 255))]))
        elif edit == "drop":
            del blob[at : at + draw(st.integers(1, 64))]
        elif edit == "repeat":
            blob[at:at] = blob[at : at + draw(st.integers(1, 64))]
        else:
            blob[at:at] = draw(st.binary(min_size=1, max_size=16))
    if draw(st.integers(0, 4)) == 0:
        blob = blob[: draw(st.integers(0, len(blob)))]
    return bytes(blob)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the input that failed is reported as it was
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _check(reader: ReaderProcess, kind: str, path: Path, blob: bytes) -> None:
    answer = reader.ask(kind, path)
    assert answer == "ok", f"{kind} of {len(blob)} bytes {blob[:64]!r}...:\n{answer}"


def _openpose_folder(folder: Path, blob: bytes) -> Path:
    """An OpenPose folder whose middle frame is the mutated one."""
    frames = [[openpose_person({22: (100.0 + k, 200.0, 0.9)})] for k in range(3)]
    target = write_openpose(folder / "openpose", frames)
    (target / "clip_000000000001_keypoints.json").write_bytes(blob)
    return target


# -- failures found by this fuzzing outside the readers tested here ------------------------
def _damaged_hdf5(folder: Path, name: str, at: int) -> Path:
    """The SLEAP seed with byte ``at`` set to 0xFF: 112 breaks the root group's entry (h5py raises
    KeyError), 720 a dataset's name (bytes among str)."""
    blob = bytearray(seeds()["sleap.h5"])
    blob[at] = 0xFF
    path = folder / name
    path.write_bytes(bytes(blob))
    return path


def _damaged_npz(folder: Path) -> Path:
    """The toelab recording seed with the first byte of its first array's compressed data inverted."""
    blob = bytearray(seeds()["recording.npz"])
    with zipfile.ZipFile(io.BytesIO(bytes(blob))) as archive:
        first = archive.infolist()[0]
    # the data follows the local header: 30 bytes, then the name and the extra field
    name_length, extra_length = struct.unpack_from("<HH", blob, first.header_offset + 26)
    start = first.header_offset + 30 + name_length + extra_length
    blob[start] ^= 0xFF  # the deflate block header: no longer a valid block
    path = folder / "damaged.npz"
    path.write_bytes(bytes(blob))
    return path


UNHASHABLE_VIEW = {**POINTS, "view": []}


@pytest.mark.parametrize("at", [112, 720])
def test_a_damaged_hdf5_file_gives_a_toelab_error(tmp_path: Path, at: int) -> None:
    from toelab.errors import ToelabError
    from toelab.io import read

    with pytest.raises(ToelabError):
        read(_damaged_hdf5(tmp_path, "damaged.h5", at))


def test_a_damaged_toelab_recording_gives_a_toelab_error(tmp_path: Path) -> None:
    from toelab.errors import ToelabError
    from toelab.io import read

    with pytest.raises(ToelabError):
        read(_damaged_npz(tmp_path))


def test_points_with_a_list_as_view_give_a_toelab_error() -> None:
    from toelab.errors import ToelabError
    from toelab.track.points import parse_points

    with pytest.raises(ToelabError, match="view"):
        parse_points(UNHASHABLE_VIEW)


TARGETS = [
    pytest.param("landmark.csv", "read", "fuzz.csv", id="csv"),
    pytest.param("phone.csv", "read", "fuzz.csv", id="phone-csv"),
    pytest.param("dlc.csv", "read", "fuzz.csv", id="deeplabcut-csv"),
    pytest.param("dlc.h5", "deeplabcut", "fuzz.h5", id="deeplabcut-h5"),
    pytest.param("dlc.h5", "read", "fuzz.h5", id="deeplabcut-h5-detected"),
    pytest.param("sleap.h5", "sleap", "fuzz.h5", id="sleap"),
    pytest.param("sleap.h5", "read", "fuzz.h5", id="sleap-detected"),
    pytest.param("recording.c3d", "read", "fuzz.c3d", id="c3d"),
    pytest.param("recording.npz", "read", "fuzz.npz", id="toelab-npz"),
    pytest.param("beats.txt", "beats", "fuzz.beats", id="beats"),
    pytest.param("points.json", "points_file", "points.json", id="points-file"),
]


@pytest.mark.parametrize(("seed_name", "kind", "file_name"), TARGETS)
@FUZZ
@given(data=st.data())
def test_reader_gives_a_recording_or_a_toelab_error_for_mutated_files(
    reader: ReaderProcess, tmp_path: Path, seed_name: str, kind: str, file_name: str, data: st.DataObject
) -> None:
    blob = data.draw(mutated(seeds()[seed_name]), label="input")
    path = tmp_path / file_name
    path.write_bytes(blob)
    _check(reader, kind, path, blob)


@FUZZ
@given(data=st.data())
def test_openpose_reader_gives_a_recording_or_a_toelab_error_for_a_mutated_frame(
    reader: ReaderProcess, tmp_path: Path, data: st.DataObject
) -> None:
    seed = json.dumps({"version": 1.3, "people": [openpose_person({22: (101.0, 200.0, 0.9)})]}).encode()
    blob = data.draw(mutated(seed), label="input")
    _check(reader, "read", _openpose_folder(tmp_path, blob), blob)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=10), inner, max_size=8),
    max_leaves=30,
)


@st.composite
def points_documents(draw: st.DrawFn) -> object:
    """Points objects with fields changed, removed or replaced by any JSON value."""
    if draw(st.integers(0, 4)) == 0:
        return draw(JSON_VALUES)
    feet = [dict(POINTS) for _ in range(draw(st.integers(1, 3)))]
    for foot in feet:
        for key in draw(st.lists(st.sampled_from(sorted(POINTS)), max_size=4)):
            if draw(st.booleans()):
                foot.pop(key, None)
            else:
                foot[key] = draw(JSON_VALUES)
    return feet if len(feet) > 1 or draw(st.booleans()) else feet[0]


@FUZZ
@given(document=points_documents())
def test_points_parser_gives_points_or_a_toelab_error_for_any_json(
    reader: ReaderProcess, tmp_path: Path, document: object
) -> None:
    path = tmp_path / "points.json"
    path.write_text(json.dumps(document))  # NaN and infinities as JSON's extensions, as Python writes them
    answer = reader.ask("points_json", path)
    assert answer == "ok", f"parse_points({document!r}):\n{answer}"


# -- DeepLabCut HDF5 is read without pandas/PyTables -----------------------------------------
def test_a_deeplabcut_h5_whose_attributes_would_run_code_is_refused_without_running_it(
    tmp_path: Path,
) -> None:
    import h5py

    from toelab.errors import ToelabError
    from toelab.io import read

    marker = tmp_path / "code-ran"
    path = tmp_path / "toesDLC_resnet50.h5"
    _dlc_frame().to_hdf(path, key="df_with_missing", mode="w", format="table")  # type: ignore[attr-defined]
    payload = f"cbuiltins\nexec\n(Vopen({str(marker)!r}, 'w').write('x')\ntR.".encode()
    with h5py.File(path, "r+") as h5:
        h5["df_with_missing"].attrs["info"] = np.bytes_(payload)
    with pytest.raises(ToelabError, match="refusing builtins.exec"):
        read(path, fps=30.0)
    assert not marker.exists()


@pytest.mark.parametrize("layout", ["fixed", "table"])
def test_deeplabcut_h5_in_either_pandas_layout_reads_like_its_csv(tmp_path: Path, layout: str) -> None:
    import pandas as pd

    from toelab.io import read

    frame = _dlc_frame()
    labelled = frame.copy()  # labelled data of DeepLabCut 2.3: three index levels
    labelled.index = pd.MultiIndex.from_tuples(
        [("labeled-data", "toes", f"img{k:03d}.png") for k in range(8)]
    )
    for name, table in (("predictions", frame), ("labelled", labelled)):
        if layout == "table" and name == "labelled":
            continue  # pandas writes a row MultiIndex in the fixed layout only
        table.to_csv(tmp_path / f"{name}.csv")  # type: ignore[attr-defined]
        table.to_hdf(tmp_path / f"{name}.h5", key="df_with_missing", mode="w", format=layout)  # type: ignore[attr-defined]
        from_csv, from_h5 = read(tmp_path / f"{name}.csv", fps=30.0), read(tmp_path / f"{name}.h5", fps=30.0)
        np.testing.assert_array_equal(from_h5.time_s, from_csv.time_s)
        assert set(from_h5.landmarks) == set(from_csv.landmarks) == {"toe1", "heel"}
        for key in from_csv.landmarks:
            np.testing.assert_allclose(from_h5.landmarks[key], from_csv.landmarks[key])
            np.testing.assert_allclose(from_h5.confidence[key], from_csv.confidence[key])
