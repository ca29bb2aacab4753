"""OpenPose: a folder of per-frame JSON files (``--write_json``), BODY_25 model.

Each ``<video stem>_<frame:012d>_keypoints.json`` holds ``people[i].pose_keypoints_2d``, a
flat list ``[x, y, c] * 25``. The foot points (19 LBigToe, 20 LSmallToe, 21 LHeel,
22 RBigToe, 23 RSmallToe, 24 RHeel) and the ankles (11 RAnkle, 14 LAnkle) become
landmarks; c == 0 means not detected (NaN). Per frame the person with the highest mean
confidence is kept. Frame numbers come from the file names (else their sorted order);
timing is frame / fps, with fps from ``fps`` or the video beside the folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from toelab.errors import ToelabError
from toelab.io._common import TrackSet, read_bytes, require_dir, resolve_fps, videos_named
from toelab.landmarks import to_toelab_name
from toelab.recording import Recording

BODY_25_POINTS = 25
COCO_POINTS = 18
# BODY_25 index -> OpenPose's name; names the default table does not know fall back below.
FOOT_KEYPOINTS = {
    11: "RAnkle",
    14: "LAnkle",
    19: "LBigToe",
    20: "LSmallToe",
    21: "LHeel",
    22: "RBigToe",
    23: "RSmallToe",
    24: "RHeel",
}
_FALLBACK_NAMES = {"RAnkle": "right_ankle", "LAnkle": "left_ankle"}
_FRAME_NAME = re.compile(r"^(.*?)_?(\d+)_keypoints\.json$", re.IGNORECASE)


def read_openpose(
    path: str | Path,
    *,
    fps: float | None = None,
    mapping: Mapping[str, str] | None = None,
    foot: str | None = None,
) -> Recording:
    """Read a folder of OpenPose BODY_25 JSON files, one per frame.

    Parameters
    ----------
    path : str or Path
        The folder OpenPose wrote with ``--write_json``.
    fps, mapping, foot
        As for :func:`toelab.io.read`.

    Returns
    -------
    Recording
        The foot keypoints in pixels (``-y`` up) timed as frame / fps, with their confidence.

    Raises
    ------
    ToelabError
        When the folder holds no keypoint files, a file is not OpenPose JSON, or no frame rate
        is known.
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".json":
        raise ToelabError(
            "is one OpenPose frame", path, hint="pass the folder that holds all the *_keypoints.json files"
        )
    folder = require_dir(path)
    files = json_files(folder)
    if not files:
        raise ToelabError(
            "folder holds no OpenPose JSON files",
            folder,
            hint="run OpenPose with --write_json FOLDER and pass that folder",
        )
    frames, stem = _frame_numbers(files)
    rate, video = resolve_fps(fps, folder, videos_named([folder, folder.parent], [stem or "", folder.name]))
    points = np.stack([_best_person(f) for f in files])  # (frames, 25, 3)

    tracks = TrackSet(folder)
    for index, source_name in FOOT_KEYPOINTS.items():
        name = to_toelab_name(source_name, mapping, foot)
        if name == source_name:
            name = _FALLBACK_NAMES.get(source_name, source_name)
        confidence = points[:, index, 2]
        xy = points[:, index, :2].copy()
        xy[confidence <= 0] = np.nan
        tracks.add(name, xy, confidence, source_name)

    return tracks.recording(
        frames, rate, source="openpose", foot=foot, video=video, first_frame=int(frames[0])
    )


def json_files(folder: Path) -> list[Path]:
    """The folder's ``*_keypoints.json`` files (else any ``*.json``), in frame order."""
    files = [p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith("_keypoints.json")]
    if not files:
        files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".json"]
    return sorted(files, key=_natural_key)


def _natural_key(path: Path) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def _frame_numbers(files: list[Path]) -> tuple[np.ndarray, str | None]:
    """Frame numbers from the names (``clip_000000000042_keypoints.json`` -> 42), else file order."""
    matches = [m for m in (_FRAME_NAME.match(f.name) for f in files) if m is not None]
    if len(matches) == len(files):
        numbers = np.array([int(m.group(2)) for m in matches])
        stems = {m.group(1) for m in matches}
        if np.all(np.diff(numbers) > 0):
            return numbers, stems.pop() if len(stems) == 1 else None
    return np.arange(len(files)), None


def _best_person(file: Path) -> np.ndarray:
    """The (25, 3) keypoints of the most confident person in one frame (zeros when nobody)."""
    try:
        document = json.loads(read_bytes(file).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ToelabError(f"not valid JSON: {exc}", file, hint="the file may be cut short") from exc
    people = document.get("people") if isinstance(document, dict) else None
    if not isinstance(people, list):
        raise ToelabError("OpenPose JSON without a 'people' list", file)
    best = np.zeros((BODY_25_POINTS, 3))
    best_score = -1.0
    for person in people:
        flat = person.get("pose_keypoints_2d") if isinstance(person, dict) else None
        if not isinstance(flat, list):
            raise ToelabError("a person without 'pose_keypoints_2d'", file)
        if not flat:
            continue
        if len(flat) == COCO_POINTS * 3:
            raise ToelabError(
                "keypoints of the COCO model, which has no foot points",
                file,
                hint="run OpenPose with --model_pose BODY_25",
            )
        if len(flat) != BODY_25_POINTS * 3:
            raise ToelabError(
                f"pose_keypoints_2d has {len(flat)} values, expected {BODY_25_POINTS * 3} (BODY_25)", file
            )
        try:
            keypoints = np.asarray(flat, dtype=float).reshape(BODY_25_POINTS, 3)
        except (TypeError, ValueError) as exc:
            raise ToelabError("pose_keypoints_2d holds values that are not numbers", file) from exc
        if not np.all(np.isfinite(keypoints)):
            raise ToelabError("pose_keypoints_2d holds values that are not finite numbers", file)
        score = float(np.mean(keypoints[:, 2]))
        if score > best_score:
            best, best_score = keypoints, score
    return best
