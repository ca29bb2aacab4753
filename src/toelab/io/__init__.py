"""Readers: every input format becomes a :class:`~toelab.recording.Recording`.

:func:`read` picks the reader by what the file holds (magic bytes, HDF5 datasets, header
rows, folder contents), not by its extension:

============== ================================================ ==========================
format         what is recognised                               reader
============== ================================================ ==========================
toelab         ``.npz`` zip holding ``__toelab_recording__``    ``Recording.load``
CSV            text with a header row and a time column         :func:`read_csv`
               (phyphox and Sensor Logger exports as they come)
DeepLabCut     CSV whose first row starts ``scorer``, or HDF5   :func:`read_deeplabcut`
               with ``df_with_missing`` (predictions and
               labelled data)
SLEAP          HDF5 with ``tracks`` and ``node_names``          :func:`read_sleap`
               (analysis export)
OpenPose       a folder of ``*_keypoints.json`` (BODY_25)       :func:`read_openpose`
C3D            the C3D signature (byte 2 = 0x50)                :func:`read_c3d`
============== ================================================ ==========================

Landmark names go through :func:`toelab.landmarks.to_toelab_name`: ``mapping`` (from
``--map BigToe=right_toe1``) first, then the default table documented in
:mod:`toelab.landmarks` (Oxford Foot Model, OpenPose, RTMPose, MediaPipe and plain names).
``foot`` is the foot of names that do not say which.

Frame-indexed formats (DeepLabCut, SLEAP, OpenPose) are timed as frame / fps, with ``fps``
given or probed from the video beside the file; 2-D pose data is in pixels with ``-y`` up.
C3D is in lab units (usually mm) with ``+z`` up. Every problem with a file is a
:class:`~toelab.errors.ToelabError` naming the file, what is wrong and what to do.

:func:`read_beats` reads a list of beat times (one per line, madmom ``.beats`` included).
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

from toelab.errors import ToelabError
from toelab.io._common import VIDEO_SUFFIXES, require_file
from toelab.io._text import content_lines, read_text, sniff_delimiter
from toelab.io.beats import read_beats
from toelab.io.c3d import C3D_SIGNATURE as _C3D_SIGNATURE
from toelab.io.c3d import read_c3d
from toelab.io.csv import read_csv
from toelab.io.deeplabcut import HDF_KEY as _DLC_HDF_KEY
from toelab.io.deeplabcut import read_deeplabcut
from toelab.io.openpose import json_files as _openpose_json_files
from toelab.io.openpose import read_openpose
from toelab.io.signatures import HEAD_BYTES as _HEAD_BYTES
from toelab.io.signatures import VIDEO_KINDS as _VIDEO_KINDS
from toelab.io.signatures import described as _described
from toelab.io.signatures import sniff as _sniff
from toelab.io.sleap import read_sleap
from toelab.recording import FORMAT_MARKER, Recording

__all__ = [
    "FORMATS",
    "detect_format",
    "looks_like_video",
    "read",
    "read_beats",
    "read_c3d",
    "read_csv",
    "read_deeplabcut",
    "read_openpose",
    "read_sleap",
]

FORMATS = ("toelab", "csv", "deeplabcut", "sleap", "openpose", "c3d")
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_ZIP_SIGNATURE = b"PK\x03\x04"


def looks_like_video(path: str | Path) -> bool:
    """True for a video container, judged by its first bytes, with the name as a fallback for
    containers without a signature (MPEG program streams).

    Parameters
    ----------
    path : str or Path
        Any path; a folder or an unreadable file is not a video.

    Returns
    -------
    bool
        Whether toelab's video tracker should read it.
    """
    path = Path(path)
    if path.is_dir():
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    if _sniff(head) in _VIDEO_KINDS:
        return True
    return path.suffix.lower() in VIDEO_SUFFIXES and not head.startswith((_ZIP_SIGNATURE, _HDF5_SIGNATURE))


def read(
    path: str | Path,
    *,
    fps: float | None = None,
    time_unit: str = "s",
    mapping: Mapping[str, str] | None = None,
    foot: str | None = None,
) -> Recording:
    """Read any supported file or folder into a Recording, choosing the reader by content.

    Parameters
    ----------
    path : str or Path
        A file (toelab ``.npz``, CSV, DeepLabCut, SLEAP, C3D) or an OpenPose folder.
    fps : float or None
        Frame rate of a frame-indexed format; None probes the video beside the file.
    time_unit : {"s", "ms"}
        Unit of a CSV's time column.
    mapping : mapping of str to str, optional
        Landmark renames applied before the default name table.
    foot : {"left", "right"} or None
        The foot of landmark names that do not say which.

    Returns
    -------
    Recording
        What the file holds, as the one in-memory model.

    Raises
    ------
    ToelabError
        When the format is not recognised or the file cannot be read, with what to do.
    """
    kind = detect_format(path)
    if kind == "toelab":
        return _load_toelab(Path(path))
    if kind == "csv":
        return read_csv(path, fps=fps, time_unit=time_unit, mapping=mapping, foot=foot)
    if kind == "deeplabcut":
        return read_deeplabcut(path, fps=fps, mapping=mapping, foot=foot)
    if kind == "sleap":
        return read_sleap(path, fps=fps, mapping=mapping, foot=foot)
    if kind == "openpose":
        return read_openpose(path, fps=fps, mapping=mapping, foot=foot)
    return read_c3d(path, mapping=mapping, foot=foot)


def detect_format(path: str | Path) -> str:
    """Which of :data:`FORMATS` a file or folder holds, by its content.

    Parameters
    ----------
    path : str or Path
        A file or folder.

    Returns
    -------
    str
        One of :data:`FORMATS`.

    Raises
    ------
    ToelabError
        When the path is missing, empty, a video or sound, or no format toelab reads.
    """
    path = Path(path)
    if path.is_dir():
        if _openpose_json_files(path):
            return "openpose"
        raise ToelabError(
            "folder holds no OpenPose JSON files",
            path,
            hint="pass a file, or the folder OpenPose wrote with --write_json",
        )
    path = require_file(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise ToelabError(f"cannot read the file: {exc.strerror or exc}", path) from exc
    if not head:
        raise ToelabError("the file is empty", path, hint="export or record it again")
    if head.startswith(_ZIP_SIGNATURE):
        return _zip_kind(path)
    if head.startswith(_HDF5_SIGNATURE):
        return _hdf5_kind(path)
    if _is_c3d(path, head):
        return "c3d"
    # a text file may start with a UTF-16 mark that looks like an untagged MP3 frame
    media = _sniff(head[:_HEAD_BYTES], untagged_mp3=False)
    if media is not None:
        raise ToelabError(
            f"is {_described(media)}, not a data file",
            path,
            hint="videos are tracked by toelab's video tracker; audio gives beats to the rhythm task",
        )
    if b"\x00" in head:
        raise ToelabError(
            "unknown binary file",
            path,
            hint="toelab reads CSV, DeepLabCut, SLEAP, OpenPose, C3D and its own .npz recordings",
        )
    return _text_kind(path)


def _load_toelab(path: Path) -> Recording:
    try:
        return Recording.load(path)
    except (TypeError, KeyError, AttributeError) as exc:
        raise ToelabError(f"damaged toelab recording: {exc}", path, hint="save the recording again") from exc


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ToelabError(f"damaged zip archive: {exc}", path) from exc
    if f"{FORMAT_MARKER}.npy" in names:
        return "toelab"
    raise ToelabError(
        "zip archive that is not a toelab recording",
        path,
        hint="unpack it and pass the data file inside",
    )


def _hdf5_kind(path: Path) -> str:
    import h5py

    try:
        with h5py.File(path, "r") as h5:
            keys = set(map(str, h5.keys()))
    except (OSError, ValueError, RuntimeError, KeyError, TypeError) as exc:
        raise ToelabError(f"damaged HDF5 file: {exc}", path) from exc
    if {"tracks", "node_names"} <= keys:
        return "sleap"
    if _DLC_HDF_KEY in keys:
        return "deeplabcut"
    raise ToelabError(
        f"HDF5 file of an unknown kind (datasets: {sorted(keys)})",
        path,
        hint=f"toelab reads SLEAP analysis files (tracks, node_names) and DeepLabCut files ({_DLC_HDF_KEY})",
    )


def _is_c3d(path: Path, head: bytes) -> bool:
    """The C3D signature byte plus a known processor type where the parameters start."""
    if len(head) < 2 or head[1] != _C3D_SIGNATURE or head[0] < 2:
        return False
    try:
        with path.open("rb") as handle:
            handle.seek((head[0] - 1) * 512 + 3)
            processor = handle.read(1)
    except OSError:
        return False
    return processor in (b"\x54", b"\x55", b"\x56")


def _text_kind(path: Path) -> str:
    lines = content_lines(read_text(path))
    if not lines:
        raise ToelabError("holds no data (only blank or comment lines)", path, hint="export it again")
    first = lines[0].lstrip()
    if first.startswith(("{", "[")):
        raise ToelabError(
            "is a JSON file",
            path,
            hint="for OpenPose pass the folder that holds all the *_keypoints.json files",
        )
    first_cell = first.split(sniff_delimiter(first), 1)[0].strip().strip('"').lower()
    return "deeplabcut" if first_cell == "scorer" else "csv"
