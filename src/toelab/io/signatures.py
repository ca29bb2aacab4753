"""The one table of media signatures: which kind of picture, sound or video a file's first
bytes say it is. The readers use it to tell a data file from media, the video reader to spot
videos, and the web app to judge uploads by content, never by name."""

from __future__ import annotations

# kind → every (offset, bytes) mark it must carry, and what it is in words
SIGNATURES: dict[str, tuple[tuple[tuple[int, bytes], ...], str]] = {
    "jpeg": (((0, b"\xff\xd8\xff"),), "a picture (JPEG)"),
    "png": (((0, b"\x89PNG\r\n\x1a\n"),), "a picture (PNG)"),
    "wav": (((0, b"RIFF"), (8, b"WAVE")), "audio (WAV)"),
    "aiff": (((0, b"FORM"), (8, b"AIFF")), "audio (AIFF)"),
    "mp3": (((0, b"ID3"),), "audio (MP3)"),
    "ogg": (((0, b"OggS"),), "audio (Ogg)"),
    "flac": (((0, b"fLaC"),), "audio (FLAC)"),
    "mp4": (((4, b"ftyp"),), "a video (MP4/MOV/3GP)"),
    "quicktime": (((4, b"moov"),), "a video (QuickTime)"),
    "quicktime-data": (((4, b"mdat"),), "a video (QuickTime)"),
    "quicktime-wide": (((4, b"wide"),), "a video (QuickTime)"),
    "quicktime-free": (((4, b"free"),), "a video (QuickTime)"),
    "webm": (((0, b"\x1a\x45\xdf\xa3"),), "a video (MKV/WebM)"),
    "avi": (((0, b"RIFF"), (8, b"AVI ")), "a video (AVI)"),
    "y4m": (((0, b"YUV4MPEG2 "),), "a video (YUV4MPEG2)"),
}
VIDEO_KINDS = frozenset(
    {"mp4", "quicktime", "quicktime-data", "quicktime-wide", "quicktime-free", "webm", "avi"}
)
HEAD_BYTES = 16  # enough for every mark above


def sniff(head: bytes, *, untagged_mp3: bool = True) -> str | None:
    """The kind of file its first bytes say it is (``jpeg``, ``wav``, ``mp4`` ...), or None.

    ``untagged_mp3``: also take a bare MPEG audio frame header for MP3 (an upload that must be
    sound); off where a UTF-16 text file could start with the same bytes."""
    for kind, (marks, _) in SIGNATURES.items():
        if all(head[at : at + len(mark)] == mark for at, mark in marks):
            return kind
    # an MP3 without a tag starts with a frame header: eleven set bits
    if untagged_mp3 and len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return "mp3"
    return None


def described(kind: str) -> str:
    """A kind in words: ``a video (MP4/MOV/3GP)``."""
    return SIGNATURES[kind][1] if kind in SIGNATURES else kind
