"""One still picture to mark points on: a photo (JPEG, PNG), or the first frame of a video.

A picture's size is read from its header before any decoder allocates it (a 1 MB PNG can
declare 30000x30000 pixels); the video's first frame comes from the video reader
(:mod:`toelab.io.video`), upright.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from toelab.errors import ToelabError
from toelab.io.signatures import HEAD_BYTES, sniff
from toelab.limits import MAX_IMAGE_PIXELS

# a photo file larger than this is not read (a phone's 12 MP photo is under 20 MB, even as PNG)
MAX_IMAGE_FILE_BYTES = 64 << 20
IMAGE_KINDS = ("jpeg", "png")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def jpeg_size(data: bytes | memoryview) -> tuple[int, int] | None:
    """Width and height from a JPEG's frame header, read without decoding; None if there is none."""
    view = memoryview(data)
    at = 2
    while at + 9 <= len(view):
        if view[at] != 0xFF:
            return None
        marker = view[at + 1]
        if marker == 0xFF:
            at += 1  # fill byte
            continue
        length = (view[at + 2] << 8) | view[at + 3]
        # SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC)
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = (view[at + 5] << 8) | view[at + 6]
            width = (view[at + 7] << 8) | view[at + 8]
            return width, height
        if length < 2:
            return None
        at += 2 + length
    return None


def png_size(data: bytes | memoryview) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk, read without decoding; None if there is none."""
    view = bytes(data[:24])
    if len(view) < 24 or view[12:16] != b"IHDR":
        return None
    return int.from_bytes(view[16:20], "big"), int.from_bytes(view[20:24], "big")


def _read_picture(path: Path, kind: str) -> np.ndarray:
    size_bytes = path.stat().st_size
    if size_bytes > MAX_IMAGE_FILE_BYTES:
        raise ToelabError(
            f"the picture file is {size_bytes / 2**20:.0f} MB, more than toelab reads "
            f"({MAX_IMAGE_FILE_BYTES >> 20} MB)",
            path,
            hint="save it smaller, or give the video it comes from",
        )
    data = path.read_bytes()
    size = jpeg_size(data) if kind == "jpeg" else png_size(data)
    if size is None or size[0] * size[1] == 0:
        raise ToelabError(
            "the picture is not readable: its header is damaged", path, hint="give a JPEG or PNG photo"
        )
    if size[0] * size[1] > MAX_IMAGE_PIXELS:
        raise ToelabError(
            f"the picture of {size[0]}x{size[1]} pixels is larger than "
            f"{MAX_IMAGE_PIXELS / 1e6:.0f} megapixels",
            path,
            hint="give a smaller picture, such as a frame of the camera's video",
        )
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ToelabError("the picture is not readable: the file is corrupt or truncated", path)
    return image


def read_still(path: str | Path) -> np.ndarray:
    """A photo, or the first frame of a video, as a BGR ``(h, w, 3)`` uint8 image (upright)."""
    path = Path(path)
    if not path.is_file():
        raise ToelabError("file not found", path, hint="give a video or a photo (JPEG, PNG) of the feet")
    with path.open("rb") as file:
        kind = sniff(file.read(HEAD_BYTES), untagged_mp3=False)
    if kind in IMAGE_KINDS:
        return _read_picture(path, kind)
    if path.suffix.lower() in _IMAGE_SUFFIXES:
        raise ToelabError("the picture is not readable: it is not a JPEG or PNG file inside", path)
    # imported here: PyAV is only needed for videos
    from toelab.io.video import open_video

    return open_video(path).first_frame()
