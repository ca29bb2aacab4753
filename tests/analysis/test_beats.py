from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from toelab import ToelabError
from toelab.analysis.beats import BeatTrack, beats_from_audio, detect_clicks, track_beats
from toelab.io.audio import SoundTooLong, has_audio, read_audio

DATA = Path(__file__).resolve().parents[1] / "data" / "audio-beats"
# MIREX beat-tracking tolerance: a beat within 70 ms of an annotation is a hit.
MIREX_TOLERANCE_S = 0.070


def metronome(
    bpm: float = 100.0,
    duration_s: float = 10.0,
    first_s: float = 0.5,
    sample_rate_hz: int = 44100,
    accent_db: float = 6.0,
    skip: tuple[int, ...] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """1 kHz clicks of 20 ms (8 ms decay), every fourth one louder; the clicks' true onsets."""
    true_s = np.arange(first_s, duration_s - 0.1, 60.0 / bpm)
    x = np.zeros(round(duration_s * sample_rate_hz))
    n = round(0.020 * sample_rate_hz)
    for k, onset_s in enumerate(true_s):
        if k in skip:
            continue
        start = int(np.ceil(onset_s * sample_rate_hz))
        t = start / sample_rate_hz - onset_s + np.arange(n) / sample_rate_hz  # exact, between samples
        gain = 0.3 * (10 ** (accent_db / 20) if k % 4 == 0 else 1.0)
        x[start : start + n] += gain * np.sin(2 * np.pi * 1000.0 * t) * np.exp(-t / 0.008)
    return x, np.delete(true_s, list(skip))


def music_bed(duration_s: float, sample_rate_hz: int, rms: float, seed: int = 1) -> np.ndarray:
    """Chords with soft attacks changing off the beat, and drum hits on their own 450 ms grid."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(duration_s * sample_rate_hz)) / sample_rate_hz
    y = np.zeros(t.size)
    for i, start_s in enumerate(np.arange(0.0, duration_s, 1.3)):
        root_hz = (110.0, 146.8, 164.8, 123.5)[i % 4]
        part = (t >= start_s) & (t < start_s + 1.3)
        local_s = t[part] - start_s
        envelope = np.minimum(local_s / 0.04, 1.0) * np.exp(-local_s / 1.5)
        for ratio in (1.0, 1.25, 1.5, 2.0):
            for harmonic in range(1, 8):
                y[part] += envelope * np.sin(2 * np.pi * root_hz * ratio * harmonic * local_s) / harmonic
    hit_n = round(0.03 * sample_rate_hz)
    for start_s in np.arange(0.37, duration_s - 0.05, 0.45):
        start = round(start_s * sample_rate_hz)
        y[start : start + hit_n] += 0.5 * rng.normal(size=hit_n) * np.exp(-np.arange(hit_n) / hit_n * 3)
    y *= rms / np.sqrt(np.mean(y**2))
    return y + 0.02 * rms * rng.normal(size=t.size)


def drum_song(bpm: float, duration_s: float, sample_rate_hz: int) -> tuple[np.ndarray, np.ndarray]:
    """Kick on every beat, snare on 2 and 4, hi-hat on eighths, a bass line: and its beat times."""
    rng = np.random.default_rng(7)
    beat_s = 60.0 / bpm
    beats_s = np.arange(0.25, duration_s - 0.2, beat_s)
    y = np.zeros(round(duration_s * sample_rate_hz))

    def add(at_s: float, sound: np.ndarray) -> None:
        start = round(at_s * sample_rate_hz)
        end = min(y.size, start + sound.size)
        y[start:end] += sound[: end - start]

    t = np.arange(round(0.25 * sample_rate_hz)) / sample_rate_hz
    kick = np.sin(2 * np.pi * (50 + 100 * np.exp(-t / 0.03)) * t) * np.exp(-t / 0.08)
    snare = 0.4 * rng.normal(size=t.size) * np.exp(-t / 0.05)
    hat = 0.1 * rng.normal(size=t.size) * np.exp(-t / 0.01)
    for k, at_s in enumerate(beats_s):
        add(at_s, kick)
        add(at_s + beat_s / 2, hat)
        add(at_s, hat)
        if k % 2 == 1:
            add(at_s, snare)
        bass_hz = (55.0, 55.0, 65.4, 49.0)[(k // 4) % 4]
        add(at_s, 0.3 * np.sin(2 * np.pi * bass_hz * t) * np.exp(-t / 0.2))
    return y, beats_s


def matched(found_s: np.ndarray, truth_s: np.ndarray, tolerance_s: float = MIREX_TOLERANCE_S) -> int:
    """How many true beats have a found beat within the tolerance, each found beat used once."""
    free = list(found_s)
    hits = 0
    for t in truth_s:
        nearest = int(np.argmin(np.abs(np.array(free) - t))) if free else -1
        if nearest >= 0 and abs(free[nearest] - t) <= tolerance_s:
            free.pop(nearest)
            hits += 1
    return hits


def f_measure(found_s: np.ndarray, truth_s: np.ndarray) -> float:
    """The MIREX beat-tracking F-measure (Davies, Degara & Plumbley 2009, 70 ms window)."""
    hits = matched(found_s, truth_s)
    return 2 * hits / (found_s.size + truth_s.size)


@pytest.mark.parametrize("sample_rate_hz", [44100, 48000])
def test_metronome_clicks_are_timed_to_2_ms_with_accents_and_noise(sample_rate_hz):
    x, true_s = metronome(sample_rate_hz=sample_rate_hz)
    x += 0.01 * np.random.default_rng(0).normal(size=x.size)
    track = detect_clicks(x.astype(np.float32), sample_rate_hz)
    assert track.kind == "clicks"
    assert track.n_beats == true_s.size
    np.testing.assert_allclose(track.beat_times_s, true_s, atol=0.002)
    assert track.tempo_bpm == pytest.approx(100.0, abs=1.0)
    assert track.confidence == pytest.approx(1.0)
    assert track.interval_cv < 0.01
    assert track.warnings == ()


def test_strongly_accented_downbeats_do_not_hide_the_soft_clicks():
    x, true_s = metronome(bpm=60.0, accent_db=15.0, sample_rate_hz=48000)
    track = detect_clicks(x, 48000)
    np.testing.assert_allclose(track.beat_times_s, true_s, atol=0.002)


def test_clicks_over_music_are_found_and_taken_for_a_metronome():
    x, true_s = metronome(bpm=100.0, duration_s=12.0)
    # The bed's peaks reach within about 3 dB of the clicks; its drums fall off the beat.
    mixed = x + music_bed(12.0, 44100, rms=0.05)
    track = beats_from_audio(mixed, 44100)
    assert track.kind == "clicks"
    assert track.n_beats == true_s.size
    np.testing.assert_allclose(track.beat_times_s, true_s, atol=0.002)
    assert track.tempo_bpm == pytest.approx(100.0, abs=1.0)


def test_a_missing_click_is_reported_and_the_tempo_still_holds():
    x, true_s = metronome(bpm=120.0, skip=(6,))
    track = detect_clicks(x, 44100)
    np.testing.assert_allclose(track.beat_times_s, true_s, atol=0.002)
    assert track.tempo_bpm == pytest.approx(120.0, abs=1.0)
    assert track.confidence < 1.0
    assert any("missing" in w for w in track.warnings)


def test_start_time_puts_the_beats_on_the_callers_clock():
    x, true_s = metronome()
    track = detect_clicks(x, 44100, start_time_s=2.5)
    np.testing.assert_allclose(track.beat_times_s, true_s + 2.5, atol=0.002)


def test_silence_gives_no_beats_and_says_so():
    track = detect_clicks(np.zeros(44100), 44100)
    assert track.n_beats == 0
    assert np.isnan(track.tempo_bpm)
    assert track.warnings


def test_the_same_sound_gives_the_same_beats():
    x, _ = metronome(duration_s=5.0)
    x += music_bed(5.0, 44100, rms=0.03)
    first, second = detect_clicks(x, 44100), detect_clicks(x, 44100)
    np.testing.assert_array_equal(first.beat_times_s, second.beat_times_s)
    assert first.tempo_bpm == second.tempo_bpm


def test_beat_track_cannot_be_changed():
    track = detect_clicks(metronome(duration_s=3.0)[0], 44100)
    assert isinstance(track, BeatTrack)
    with pytest.raises(ValueError):
        track.beat_times_s[0] = 0.0


def test_music_beats_follow_the_drums():
    y, true_s = drum_song(bpm=96.0, duration_s=10.0, sample_rate_hz=22050)
    track = track_beats(y, 22050)
    assert track.kind == "music"
    assert track.tempo_bpm == pytest.approx(96.0, rel=0.03)
    assert f_measure(track.beat_times_s, true_s) >= 0.85
    assert beats_from_audio(y, 22050).kind == "music"


def test_beats_of_real_music_meet_the_first_and_last_hand_annotations():
    samples, rate_hz, start_s = read_audio(DATA / "sample.wav")
    assert (rate_hz, start_s) == (44100, 0.0)
    assert samples.dtype == np.float32
    assert samples.size / rate_hz == pytest.approx(2.8, abs=0.01)
    annotated_s = np.loadtxt(DATA / "sample.beats", comments="#")[:, 0]
    track = beats_from_audio(samples, rate_hz, start_s)
    assert track.kind == "music"
    # 2.8 s hold four annotated beats (~87.5 bpm); the tracker locks to ~115 bpm and
    # meets the first and the last annotation within 20 ms, not the middle two.
    assert matched(track.beat_times_s, annotated_s) >= 2
    assert f_measure(track.beat_times_s, annotated_s) >= 0.4


def write_video(
    path: Path,
    audio: np.ndarray | None,
    sample_rate_hz: int = 48000,
    audio_codec: str = "aac",
    audio_start_s: float = 0.0,
    duration_s: float = 3.0,
) -> None:
    """A small video (frames from PTS 0) with an optional stereo sound track starting at ``audio_start_s``."""
    fps = 30
    with av.open(str(path), "w") as container:
        video = container.add_stream("mpeg4", rate=fps)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        sound = container.add_stream(audio_codec, rate=sample_rate_hz) if audio is not None else None
        if sound is not None:
            sound.layout = "stereo"
        for i in range(round(duration_s * fps)):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), (i * 8) % 256, np.uint8), format="rgb24")
            frame.pts = i
            container.mux(video.encode(frame))
        container.mux(video.encode())
        if sound is None:
            return
        planar = audio_codec == "aac"
        chunk_n = sound.codec_context.frame_size or 1024
        for start in range(0, audio.size, chunk_n):
            chunk = np.stack([audio[start : start + chunk_n]] * 2).astype(np.float32)
            if planar:
                frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
            else:
                interleaved = (chunk.T.reshape(1, -1) * 32767).astype(np.int16)
                frame = av.AudioFrame.from_ndarray(interleaved, format="s16", layout="stereo")
            frame.sample_rate = sample_rate_hz
            frame.time_base = Fraction(1, sample_rate_hz)
            frame.pts = round(audio_start_s * sample_rate_hz) + start
            container.mux(sound.encode(frame))
        container.mux(sound.encode())


@pytest.mark.parametrize(
    ("name", "codec", "rate_hz"),
    [("phone.mp4", "aac", None), ("camera.mov", "pcm_s16le", None), ("phone.mp4", "aac", 22050)],
)
def test_clicks_in_a_videos_sound_track_land_on_the_video_clock(tmp_path, name, codec, rate_hz):
    clicks, true_s = metronome(bpm=120.0, duration_s=3.0, first_s=0.3, sample_rate_hz=48000)
    path = tmp_path / name
    write_video(path, clicks, audio_codec=codec, audio_start_s=0.5)
    assert has_audio(path)
    samples, sample_rate_hz, start_time_s = read_audio(path, sample_rate_hz=rate_hz)
    assert sample_rate_hz == (rate_hz or 48000)
    with av.open(str(path)) as container:
        first_frame_s = next(container.decode(video=0)).time
    assert first_frame_s == 0.0
    track = detect_clicks(samples, sample_rate_hz, start_time_s)
    assert track.n_beats == true_s.size
    np.testing.assert_allclose(track.beat_times_s, true_s + 0.5, atol=0.005)


def test_a_video_without_sound_says_how_to_give_the_beats(tmp_path):
    path = tmp_path / "silent.mp4"
    write_video(path, None)
    assert not has_audio(path)
    with pytest.raises(ToelabError, match="no sound track") as caught:
        read_audio(path)
    assert "silent.mp4" in str(caught.value)
    assert "--beats" in str(caught.value)


def test_a_corrupt_file_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.mp4"
    path.write_bytes(np.random.default_rng(3).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    with pytest.raises(ToelabError, match="broken.mp4"):
        read_audio(path)
    with pytest.raises(ToelabError, match="broken.mp4"):
        has_audio(path)


def test_a_truncated_video_is_a_clear_error(tmp_path):
    whole = tmp_path / "whole.mp4"
    write_video(whole, metronome(duration_s=3.0, sample_rate_hz=48000)[0])
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ToelabError, match="cut.mp4"):
        read_audio(cut)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ToelabError, match="no such file"):
        read_audio(tmp_path / "nowhere.wav")


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ToelabError, match="one channel"):
        detect_clicks(np.zeros((44100, 2)), 44100)
    with pytest.raises(ToelabError, match="unknown beat source"):
        beats_from_audio(np.zeros(44100), 44100, kind="drums")
    with pytest.raises(ToelabError, match="NaN"):
        track_beats(np.full(44100, np.nan), 44100)


def test_a_sound_longer_than_the_limit_is_refused_while_it_decodes():
    samples, rate_hz, _ = read_audio(DATA / "sample.wav")
    duration_s = samples.size / rate_hz
    assert read_audio(DATA / "sample.wav", max_duration_s=duration_s + 0.1)[0].size == samples.size
    with pytest.raises(SoundTooLong, match="lasts longer than"):
        read_audio(DATA / "sample.wav", max_duration_s=duration_s / 2)
