"""Sound from an audio file or from the sound track of a video.

A phone video of the musical-toes test carries the metronome in its own sound
track, so reading that track gives the beats on the same clock as the video
frames (REPP records the stimulus in the same track for the same reason:
Anglada-Tort, Harrison & Jacoby 2022, Behav Res Methods 54:2377).
Both clocks are container presentation times (PTS): ``start_time_s`` is the
presentation time of the first decoded sample, so sample ``i`` plays at
``start_time_s + i / sample_rate_hz`` on the video's clock.
"""

from __future__ import annotations

from math import gcd, inf
from pathlib import Path

import av
import numpy as np
from scipy.signal import resample_poly

from toelab.errors import ToelabError

_NO_SOUND_HINT = "pass --bpm/--offset or --beats FILE to give the beat times instead"
# Decoded sound is kept as float32 mono: an hour at 48 kHz is 0.7 GB. The limits hold for the
# samples actually decoded, whatever the file's header says about its length.
MAX_SOUND_S = 60 * 60.0
MAX_SAMPLE_RATE_HZ = 192_000


class SoundTooLong(ToelabError):
    """More sound than the limit, counted while decoding."""


def _open(path: Path) -> av.container.InputContainer:
    if not path.is_file():
        raise ToelabError("no such file", path=path, hint="check the path")
    try:
        return av.open(str(path))
    except (av.FFmpegError, UnicodeDecodeError) as exc:
        raise ToelabError(
            f"cannot read this file as audio or video ({exc.__class__.__name__})",
            path=path,
            hint="the file may be corrupt or truncated; export it again as WAV, FLAC, MP3, MP4 or MOV",
        ) from exc


def has_audio(path: str | Path) -> bool:
    """Whether the file holds a sound track. Raises ``ToelabError`` when it cannot be opened."""
    path = Path(path)
    with _open(path) as container:
        return len(container.streams.audio) > 0


def read_audio(
    path: str | Path,
    *,
    sample_rate_hz: int | None = None,
    max_duration_s: float = MAX_SOUND_S,
    max_sample_rate_hz: int = MAX_SAMPLE_RATE_HZ,
) -> tuple[np.ndarray, int, float]:
    """Decode the first sound track of ``path`` to mono float32.

    Returns ``(samples, sample_rate_hz, start_time_s)``: the samples mixed down to
    one channel, their rate (the file's own unless ``sample_rate_hz`` asks for
    another), and the presentation time of the first sample on the container
    clock in seconds. Add ``start_time_s`` to times measured in the samples to
    put them on the clock of the video frames.

    Decoding stops with :class:`SoundTooLong` once more than ``max_duration_s`` of sound has
    come out of the decoder (a header may claim one second and hold an hour).
    """
    path = Path(path)
    if sample_rate_hz is not None and sample_rate_hz <= 0:
        raise ToelabError(f"sample rate must be positive, got {sample_rate_hz}", path=path)
    with _open(path) as container:
        if not container.streams.audio:
            kind = "video" if container.streams.video else "file"
            raise ToelabError(f"the {kind} has no sound track", path=path, hint=_NO_SOUND_HINT)
        stream = container.streams.audio[0]
        # Only the sample format and the channel layout change here; the rate is
        # changed below with a zero-phase filter so that no delay creeps in.
        mixer = av.AudioResampler(format="fltp", layout="mono")
        chunks: list[np.ndarray] = []
        start_time_s: float | None = None
        native_rate_hz: int | None = None
        decoded = 0
        max_samples = inf  # set from the first frame's rate
        try:
            for frame in container.decode(stream):
                if start_time_s is None:
                    start_time_s = float(frame.time) if frame.time is not None else 0.0
                    native_rate_hz = frame.sample_rate
                    if not 0 < native_rate_hz <= max_sample_rate_hz:
                        raise ToelabError(
                            f"the sound's sample rate of {native_rate_hz} Hz is over {max_sample_rate_hz} Hz",
                            path=path,
                            hint=f"export it at {max_sample_rate_hz // 1000} kHz or less",
                        )
                    max_samples = max_duration_s * native_rate_hz
                decoded += frame.samples
                if decoded > max_samples:
                    raise SoundTooLong(
                        f"the sound lasts longer than {max_duration_s / 60:.0f} min",
                        path=path,
                        hint="trim it",
                    )
                chunks.extend(mixed.to_ndarray()[0] for mixed in mixer.resample(frame))
            chunks.extend(mixed.to_ndarray()[0] for mixed in mixer.resample(None))
        except av.FFmpegError as exc:
            raise ToelabError(
                f"the sound track cannot be decoded ({exc.__class__.__name__})",
                path=path,
                hint="the file may be corrupt or truncated; export it again",
            ) from exc
    if not chunks or native_rate_hz is None or start_time_s is None:
        raise ToelabError("the sound track is empty", path=path, hint=_NO_SOUND_HINT)
    samples = np.concatenate(chunks).astype(np.float32, copy=False)
    rate_hz = native_rate_hz
    if sample_rate_hz is not None and sample_rate_hz != native_rate_hz:
        common = gcd(sample_rate_hz, native_rate_hz)
        samples = resample_poly(samples, sample_rate_hz // common, native_rate_hz // common).astype(
            np.float32
        )
        rate_hz = sample_rate_hz
    return samples, rate_hz, start_time_s
