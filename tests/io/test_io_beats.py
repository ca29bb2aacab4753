import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from io_samples import BEATS_FILE

from toelab import ToelabError
from toelab.io import read_beats


def test_madmom_beats_file_gives_beat_times_in_seconds():
    np.testing.assert_allclose(read_beats(BEATS_FILE), [0.0913, 0.7997, 1.4806, 2.1478])


@pytest.mark.parametrize(
    "text",
    [
        "0.5\n1.0\n1.5\n",
        "# clicks\n\n0.5\n1.0  # downbeat\n1.5\n",
        "time_s,strength\n0.5,1\n1.0,0.5\n1.5,1\n",
        '"Time";"Beat"\n0.5;1\n1.0;2\n1.5;3\n',
    ],
)
def test_plain_csv_and_commented_beat_lists_read_alike(tmp_path, text):
    path = tmp_path / "beats.txt"
    path.write_text(text)
    np.testing.assert_allclose(read_beats(path), [0.5, 1.0, 1.5])


def test_milliseconds_are_converted(tmp_path):
    path = tmp_path / "beats.csv"
    path.write_text("500\n1000\n")
    np.testing.assert_allclose(read_beats(path, time_unit="ms"), [0.5, 1.0])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no beat times"),
        ("# nothing\n", "no beat times"),
        ("1.0\n0.5\n", "strictly increasing"),
        ("0.5\n0.5\n", "strictly increasing"),
        ("0.5\nsoon\n", "line 2"),
        ("0.5\nnan\n", "line 2"),
    ],
)
def test_bad_beat_lists_are_reported(tmp_path, text, message):
    path = tmp_path / "beats.txt"
    path.write_text(text)
    with pytest.raises(ToelabError, match=message) as caught:
        read_beats(path)
    assert caught.value.path == str(path)


def test_missing_beats_file_is_reported(tmp_path):
    with pytest.raises(ToelabError, match="not found"):
        read_beats(tmp_path / "none.beats")


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(blob=st.one_of(st.binary(max_size=200), st.text(alphabet="0123456789.,;\t #-e\nab", max_size=200)))
def test_any_bytes_give_increasing_times_or_a_clear_error(tmp_path, blob):
    path = tmp_path / "fuzz.beats"
    path.write_bytes(blob if isinstance(blob, bytes) else blob.encode())
    try:
        beats = read_beats(path)
    except ToelabError as error:
        assert error.path == str(path)
    else:
        assert beats.size > 0 and np.all(np.diff(beats) > 0) and np.all(np.isfinite(beats))
