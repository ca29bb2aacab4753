"""Writers for small input files in the layouts other tools produce, made at test time."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"
DLC_CSV = DATA / "dlc-reaching" / "CollectedData_Mackenzie.csv"
DLC_H5 = DATA / "dlc-reaching" / "CollectedData_Mackenzie.h5"
C3D_FILE = DATA / "c3d-toe-clusters" / "dynamic01.c3d"
BEATS_FILE = DATA / "audio-beats" / "sample.beats"


def toe_track(n: int, seed: int = 0) -> np.ndarray:
    """A wandering (n, 2) pixel track."""
    rng = np.random.default_rng(seed)
    return np.column_stack([100 + np.cumsum(rng.normal(size=n)), 200 + np.cumsum(rng.normal(size=n))])


def dlc_frame(parts: dict[str, np.ndarray], likelihood: dict[str, np.ndarray], individuals=None):
    """A pandas frame in DeepLabCut's predictions layout (3 levels, or 4 with individuals)."""
    import pandas as pd

    columns, data = [], []
    for key, xy in parts.items():
        individual, part = key if individuals else (None, key)
        for coord, values in (("x", xy[:, 0]), ("y", xy[:, 1]), ("likelihood", likelihood[key])):
            columns.append(("DLC_resnet50_toesJan1shuffle1_1000", individual, part, coord))
            data.append(values)
    if individuals:
        names = ["scorer", "individuals", "bodyparts", "coords"]
    else:
        columns = [(c[0], c[2], c[3]) for c in columns]
        names = ["scorer", "bodyparts", "coords"]
    index = pd.MultiIndex.from_tuples(columns, names=names)
    return pd.DataFrame(np.column_stack(data), columns=index)


def write_sleap(
    path: Path,
    xy: np.ndarray,
    nodes: list[str],
    track_names: list[str],
    scores: np.ndarray | None = None,
    video_path: str = "",
) -> Path:
    """A SLEAP analysis file; ``xy`` is (frames, nodes, 2, tracks) and is stored transposed as SLEAP does."""
    import h5py

    with h5py.File(path, "w") as h5:
        h5["tracks"] = xy.T  # (tracks, 2, nodes, frames)
        h5["node_names"] = np.array([n.encode() for n in nodes], dtype="S")
        h5["track_names"] = np.array([t.encode() for t in track_names], dtype="S")
        if scores is not None:
            h5["point_scores"] = scores.T  # (tracks, nodes, frames)
        if video_path:
            h5["video_path"] = video_path
    return path


def openpose_person(points: dict[int, tuple[float, float, float]], base_confidence: float = 0.5) -> dict:
    """One OpenPose BODY_25 person: the given points, every other point at ``base_confidence``."""
    flat = []
    for index in range(25):
        flat += list(points.get(index, (10.0 * index, 5.0 * index, base_confidence)))
    return {"person_id": [-1], "pose_keypoints_2d": flat}


def write_openpose(folder: Path, frames: list[list[dict]], stem: str = "clip") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number, people in enumerate(frames):
        document = {"version": 1.3, "people": people}
        (folder / f"{stem}_{number:012d}_keypoints.json").write_text(json.dumps(document))
    return folder


def write_c3d(
    path: Path,
    labels: list[str],
    xyz: np.ndarray,
    rate_hz: float = 100.0,
    units: str = "mm",
    residuals: np.ndarray | None = None,
    point_parameters: dict[str, list[str]] | None = None,
) -> Path:
    """A C3D file written by ezc3d; ``xyz`` is (markers, frames, 3); ``point_parameters`` adds
    POINT parameters such as ``ANGLES``."""
    import ezc3d

    c3d = ezc3d.c3d()
    c3d["parameters"]["POINT"]["RATE"]["value"] = [rate_hz]
    c3d["parameters"]["POINT"]["LABELS"]["value"] = tuple(labels)
    c3d["parameters"]["POINT"]["UNITS"]["value"] = [units]
    points = np.ones((4, len(labels), xyz.shape[1]))
    points[:3] = xyz.transpose(2, 0, 1)
    c3d["data"]["points"] = points
    if residuals is not None:
        c3d["data"]["meta_points"]["residuals"] = residuals[None]
        c3d["data"]["meta_points"]["camera_masks"] = np.zeros((7, *residuals.shape), dtype=bool)
    for name, value in (point_parameters or {}).items():
        c3d.add_parameter("POINT", name, value)
    c3d.write(str(path))
    return path


def write_video(path: Path, fps: int, n_frames: int = 3) -> Path:
    """A tiny black MPEG-4 video, to be found beside a frame-indexed file."""
    import av

    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        for _ in range(n_frames):
            frame = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
