"""SLEAP analysis HDF5 (``sleap-convert --format analysis``, or File > Export Analysis).

Datasets: ``tracks`` (tracks, 2, nodes, frames) as SLEAP writes it, ``node_names``,
optional ``point_scores`` (tracks, nodes, frames) -> confidence, ``track_names`` (tracks
called left/right/L/R are feet; other names prefix the node names when there are several
tracks) and ``video_path``. Missing points are NaN. Timing is frame / fps, with fps from
``fps`` or the video (``<video>.analysis.h5`` beside it, or ``video_path``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from toelab.errors import ToelabError
from toelab.io._common import (
    VIDEO_SUFFIXES,
    TrackSet,
    foot_word,
    require_file,
    resolve_fps,
    videos_named,
)
from toelab.landmarks import to_toelab_name
from toelab.limits import check_unpacked_size
from toelab.recording import Recording

REQUIRED = ("tracks", "node_names")
_DECLARED_HINT = "the file is damaged or not a SLEAP analysis file; export it again from SLEAP"


def read_sleap(
    path: str | Path,
    *,
    fps: float | None = None,
    mapping: Mapping[str, str] | None = None,
    foot: str | None = None,
) -> Recording:
    """Read a SLEAP analysis ``.h5`` file.

    Parameters
    ----------
    path : str or Path
        The analysis ``.h5`` file SLEAP exported.
    fps, mapping, foot
        As for :func:`toelab.io.read`.

    Returns
    -------
    Recording
        The node tracks in pixels (``-y`` up) timed as frame / fps, point scores as confidence.

    Raises
    ------
    ToelabError
        When the HDF5 datasets are missing or their shapes disagree, or no frame rate is known.
    """
    import h5py

    path = require_file(path)
    try:
        with h5py.File(path, "r") as h5:
            missing = [k for k in REQUIRED if k not in h5]
            if missing:
                raise ToelabError(
                    f"HDF5 file without the SLEAP datasets {missing} (found: {sorted(h5.keys())})",
                    path,
                    hint="export it from SLEAP with File > Export Analysis HDF5",
                )
            # by the shapes the file declares, before reading: a few kB can declare gigabytes
            declared = sum(
                8 * math.prod(h5[k].shape) for k in ("tracks", "point_scores") if k in h5 and h5[k].shape
            )
            check_unpacked_size(path, "the SLEAP file", declared, hint=_DECLARED_HINT)
            tracks = np.asarray(h5["tracks"][()], dtype=float)
            nodes = _strings(h5["node_names"][()])
            scores = np.asarray(h5["point_scores"][()], dtype=float) if "point_scores" in h5 else None
            track_names = _strings(h5["track_names"][()]) if "track_names" in h5 else []
            video_path = _strings(h5["video_path"][()])[0] if "video_path" in h5 else ""
    except ToelabError:
        raise
    except (OSError, KeyError, ValueError, TypeError, IndexError, RuntimeError, AttributeError) as exc:
        raise ToelabError(f"cannot read the SLEAP file: {exc}", path) from exc

    tracks, scores = _orient(path, tracks, scores, len(nodes))
    n_tracks, _, _, n_frames = tracks.shape
    if n_frames == 0 or n_tracks == 0 or not nodes:
        raise ToelabError("SLEAP file holds no tracked points", path, hint="run the inference again")
    rate, video = resolve_fps(fps, path, _video_candidates(path, video_path))

    names = track_names + [f"track_{i}" for i in range(len(track_names), n_tracks)]
    landmarks = TrackSet(path)
    for t in range(n_tracks):
        track_foot = foot_word(names[t])
        for k, node in enumerate(nodes):
            if track_foot or n_tracks == 1:
                source_name = node
                name = to_toelab_name(node, mapping, track_foot or foot)
            else:
                source_name = f"{names[t]}_{node}"
                name = to_toelab_name(source_name, mapping, foot)
            xy = tracks[t, :, k, :].T
            confidence = None if scores is None else scores[t, k, :]
            landmarks.add(name, xy, confidence, source_name)

    return landmarks.recording(np.arange(n_frames), rate, source="sleap", foot=foot, video=video)


def _strings(values: object) -> list[str]:
    items = np.atleast_1d(np.asarray(values)).ravel()
    return [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in items]


def _orient(
    path: Path, tracks: np.ndarray, scores: np.ndarray | None, n_nodes: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """``tracks`` as (tracks, 2, nodes, frames) and scores as (tracks, nodes, frames).

    SLEAP's own files read this way with h5py; a file written from Python without the
    transpose holds (frames, nodes, 2, tracks), which is turned round.
    """
    if tracks.ndim == 4 and tracks.shape[1] == 2 and tracks.shape[2] == n_nodes:
        oriented = tracks
    elif tracks.ndim == 4 and tracks.shape[2] == 2 and tracks.shape[1] == n_nodes:
        oriented = tracks.transpose(3, 2, 1, 0)
        scores = None if scores is None else scores.T
    else:
        raise ToelabError(
            f"SLEAP 'tracks' has shape {tracks.shape}, expected (tracks, 2, {n_nodes} nodes, frames)", path
        )
    expected = (oriented.shape[0], n_nodes, oriented.shape[3])
    if scores is not None and scores.shape != expected:
        raise ToelabError(f"SLEAP 'point_scores' has shape {scores.shape}, expected {expected}", path)
    return oriented, scores


def _video_candidates(path: Path, video_path: str) -> list[Path]:
    names = []
    if path.name.endswith(".analysis.h5"):
        names.append(path.name[: -len(".analysis.h5")])
    candidates = []
    if video_path:
        recorded = Path(video_path.replace("\\", "/"))
        candidates += [recorded] if recorded.suffix.lower() in VIDEO_SUFFIXES and recorded.is_file() else []
        names.append(recorded.name)
    return candidates + videos_named([path.parent], names)
