"""What every request meets before a route: size limits, security headers, an Origin check,
and the checks an uploaded file passes before any decoder sees it.

Uploaded files are never trusted by name or extension: their kind is read from their first
bytes, they are written under a generated name in a private temporary folder, and their
duration is read before they are decoded.
"""

from __future__ import annotations

import json
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import UploadFile
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from toelab.errors import ToelabError
from toelab.io.signatures import sniff
from toelab.io.still import jpeg_size, png_size
from toelab.limits import MAX_IMAGE_PIXELS

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much a client may send; ``toelab serve`` uses the defaults."""

    video_bytes: int = 50 * MB
    audio_bytes: int = 20 * MB
    image_bytes: int = 5 * MB
    image_pixels: int = MAX_IMAGE_PIXELS
    json_bytes: int = 2 * MB
    media_duration_s: float = 15 * 60.0  # by the header before decoding, and by the samples decoded
    audio_rate_hz: int = 48_000  # decoded sound: 15 min at 48 kHz is 173 MB of float32
    ws_frame_bytes: int = 1 * MB
    ws_frame_pixels: int = 1920 * 1080
    # a camera sends 30 fps; the allowance is four times that, with two seconds of burst
    ws_max_fps: float = 120.0
    ws_burst_s: float = 2.0

    def body_bytes(self, content_type: str) -> int:
        """The largest request body for a content type: uploads up to the largest file kind."""
        if content_type.startswith("multipart/form-data"):
            return max(self.video_bytes, self.audio_bytes, self.image_bytes) + MB  # room for the form
        return self.json_bytes


class TooLarge(ToelabError):
    """A request or a file over its limit: answered with status 413."""


def _json_response(status: int, message: str, hint: str | None = None) -> tuple[Message, Message]:
    body = json.dumps({"message": message, "hint": hint}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    }
    return start, {"type": "http.response.body", "body": body}


class BodyLimitMiddleware:
    """Refuses a request body over its limit, whether or not it announces its length."""

    def __init__(self, app: ASGIApp, limits: Limits):
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.limits.body_bytes(headers.get("content-type", ""))
        refusal = _json_response(413, f"the request is larger than {limit // MB} MB", "send a smaller file")
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            for message in refusal:
                await send(message)
            return
        received = 0
        over = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise TooLarge(f"the request is larger than {limit // MB} MB")
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            # whatever the route made of a cut-off body, the client learns it was too large
            if over and not started:
                started = True
                for part in refusal:
                    await send(part)
                return
            if over:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except TooLarge:
            if not started:
                for message in refusal:
                    await send(message)


CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
}
HSTS = "max-age=31536000"


class SecurityHeadersMiddleware:
    """Adds the security headers to every response; health data in API answers is not cached."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = dict(SECURITY_HEADERS)
                if scope.get("scheme") == "https":
                    extra["strict-transport-security"] = HSTS
                if scope["path"].startswith("/api/"):
                    extra["cache-control"] = "no-store"
                headers += [(k.encode(), v.encode()) for k, v in extra.items() if k.encode() not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def same_origin(scope: Scope) -> bool:
    """False when a browser says the request comes from another site (Origin or Sec-Fetch-Site)."""
    headers = Headers(scope=scope)
    if headers.get("sec-fetch-site") == "cross-site":
        return False
    origin = headers.get("origin")
    if origin is None:
        return True  # not sent by a browser on its own: a script or the command line
    scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "http"), scope.get("scheme", "http"))
    return origin == f"{scheme}://{headers.get('host', '')}"


KINDS = {
    "image": ("jpeg", "png"),
    "audio": ("wav", "aiff", "mp3", "ogg", "flac", "mp4", "webm"),
    "video": ("mp4", "webm", "avi", "y4m"),
}

_UNREADABLE = {
    "image": "the picture is not a readable image",
    "audio": "the song is not a readable sound file",
    "video": "the video is not a readable video file",
}


def read_upload(upload: UploadFile, kind: str, limit_bytes: int) -> tuple[bytes, str]:
    """The bytes of an uploaded ``image``, ``audio`` or ``video`` file and its sniffed format."""
    data = upload.file.read(limit_bytes + 1)
    if len(data) > limit_bytes:
        raise TooLarge(f"the {kind} file is larger than {limit_bytes // MB} MB", hint="send a shorter file")
    found = sniff(data[:16])
    if found not in KINDS[kind]:
        raise ToelabError(_UNREADABLE[kind], hint=f"accepted: {', '.join(KINDS[kind])}")
    return data, found


@contextmanager
def saved_upload(data: bytes, sniffed: str) -> Iterator[Path]:
    """The upload as a file with a generated name in a private temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="toelab-upload-") as folder:
        path = Path(folder) / f"{secrets.token_hex(8)}.{sniffed}"
        path.write_bytes(data)
        yield path


def check_duration(path: Path, limit_s: float) -> float:
    """The media file's duration in seconds; over ``limit_s``, or unreadable, a ToelabError."""
    import av

    try:
        with av.open(str(path)) as container:
            duration_s = _duration_s(container)
    except (av.FFmpegError, UnicodeDecodeError, ValueError, OSError):
        raise ToelabError("the uploaded file could not be read as sound or video") from None
    if duration_s is None:
        raise ToelabError("the uploaded file does not say how long it is", hint="send a common format")
    if duration_s > limit_s:
        raise TooLarge(
            f"the uploaded file lasts {duration_s / 60:.1f} min, longer than {limit_s / 60:.0f} min",
            hint="trim it",
        )
    return duration_s


def _duration_s(container: Any) -> float | None:
    if container.duration is not None and container.duration > 0:
        return container.duration / 1_000_000  # microseconds
    for stream in container.streams:
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
    return None


def check_image_size(data: bytes, kind: str, limit_pixels: int) -> tuple[int, int]:
    """An uploaded picture's width and height from its header; over ``limit_pixels`` a TooLarge."""
    size = jpeg_size(data) if kind == "jpeg" else png_size(data) if kind == "png" else None
    if size is None or size[0] * size[1] == 0:
        raise ToelabError(_UNREADABLE["image"], hint="send a JPEG or PNG picture")
    if size[0] * size[1] > limit_pixels:
        raise TooLarge(
            f"the picture of {size[0]}x{size[1]} pixels is larger than {limit_pixels / 1e6:.0f} megapixels",
            hint="send a smaller picture, such as a frame of the camera's video",
        )
    return size


class FrameRefused(ToelabError):
    """A WebSocket frame the server will not decode; ``seq`` is its sequence number when readable."""

    def __init__(self, message: str, seq: int | None, dropped: bool = False):
        super().__init__(message)
        self.seq = seq
        self.dropped = dropped  # over the rate: answered like a frame the worker had no time for


class FrameGuard:
    """Checks each binary frame of one live connection before any decoder sees it: the header,
    the JPEG signature, its size in bytes and pixels, a sequence number that only grows, and
    the rate (a token bucket)."""

    def __init__(self, limits: Limits, header_bytes: int, clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self.header_bytes = header_bytes
        self.clock = clock
        self.last_seq: int | None = None
        self.tokens = limits.ws_max_fps * limits.ws_burst_s
        self.refilled_at = self.clock()

    def check(self, data: bytes) -> int:
        """The frame's sequence number; a FrameRefused when the frame is not to be decoded."""
        if len(data) < self.header_bytes + 4:
            raise FrameRefused("a frame message is too short", None)
        seq = int.from_bytes(data[:4], "little")
        if len(data) > self.limits.ws_frame_bytes:
            raise FrameRefused(f"a frame is larger than {self.limits.ws_frame_bytes // 1024} kB", seq)
        if self.last_seq is not None and seq <= self.last_seq:
            raise FrameRefused("frames must come with growing sequence numbers", seq)
        self.last_seq = seq
        now = self.clock()
        capacity = self.limits.ws_max_fps * self.limits.ws_burst_s
        self.tokens = min(capacity, self.tokens + (now - self.refilled_at) * self.limits.ws_max_fps)
        self.refilled_at = now
        if self.tokens < 1.0:
            raise FrameRefused(f"more than {self.limits.ws_max_fps:.0f} frames a second", seq, dropped=True)
        self.tokens -= 1.0
        jpeg = memoryview(data)[self.header_bytes :]
        if bytes(jpeg[:3]) != b"\xff\xd8\xff":
            raise FrameRefused("a frame is not a readable JPEG image", seq)
        size = jpeg_size(jpeg)
        if size is None or size[0] * size[1] == 0:
            raise FrameRefused("a frame is not a readable JPEG image", seq)
        if size[0] * size[1] > self.limits.ws_frame_pixels:
            raise FrameRefused(f"a frame of {size[0]}x{size[1]} pixels is larger than a camera's", seq)
        return seq
