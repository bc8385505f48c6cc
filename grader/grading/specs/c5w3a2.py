"""Hidden tests of c5w3a2 (trigger word detection): short random "audio" at 1,000 samples
per second (one sample per millisecond, so the clips stay small), random segments and
labels, tiny spectrograms and detectors.

insert_audio_clip and create_training_example draw from np.random: the reference and
the student run from the same seed.
"""

import numpy as np

from grader.grading.spec import Spec

RATE = 1000  # samples per second in the hidden tests: 1 sample per ms


def _segments(rng, count, clip_ms=200):
    """count random (start, end) pairs inside [0, clip_ms), ends included; may overlap."""
    segments = []
    for _ in range(count):
        start = int(rng.integers(0, clip_ms - 1))
        segments.append((start, int(rng.integers(start, clip_ms))))
    return segments


def _is_overlapping(rng):
    return tuple(_segments(rng, 1)[0]), _segments(rng, int(rng.integers(0, 4)))


def _touching(rng):
    """A segment that shares exactly one millisecond with a previous one."""
    start = int(rng.integers(10, 100))
    end = start + int(rng.integers(0, 20))
    return (start, end), [(end, end + 5)] if rng.random() < 0.5 else [(start - 5, start)]


def _no_previous(rng):
    return tuple(_segments(rng, 1)[0]), []


def _placed(rng, n, count):
    """count non-overlapping segments of 10-40 ms in a clip of n ms, placed in order."""
    segments, start = [], int(rng.integers(0, 30))
    for _ in range(count):
        length = int(rng.integers(10, 40))
        if start + length >= n:
            break
        segments.append((start, start + length - 1))
        start += length + int(rng.integers(5, 80))
    return segments


def _insert_audio_clip(rng):
    n = int(rng.integers(200, 500))
    background = rng.normal(0, 0.1, n)
    audio_clip = rng.normal(0, 0.3, int(rng.integers(5, 60)))
    return background, audio_clip, _placed(rng, n, int(rng.integers(0, 4))), RATE


def _insert_audio_clip_no_room(rng):
    """The previous segments cover the whole clip: every draw overlaps."""
    n = int(rng.integers(100, 200))
    return rng.normal(0, 0.1, n), rng.normal(0, 0.3, 20), [(0, n - 1)], RATE


def _insert_ones(rng):
    T_y = int(rng.integers(10, 130))
    clip_ms = int(rng.integers(1000, 6000))
    y = (rng.random((1, T_y)) < 0.2).astype(float)
    return y, int(rng.integers(0, clip_ms)), clip_ms, int(rng.integers(1, 9))


def _insert_ones_at_the_end(rng):
    """A word ending near the clip's end: the ones must stop at T_y."""
    T_y, clip_ms = int(rng.integers(10, 60)), 5000
    return np.zeros((1, T_y)), clip_ms - int(rng.integers(1, 150)), clip_ms, 8


def _create_training_example(rng):
    n = int(rng.integers(1000, 2000))
    background = rng.normal(0, 0.2, n)
    activates = [rng.normal(0, 0.5, int(rng.integers(30, 150)))
                 for _ in range(int(rng.integers(1, 4)))]
    negatives = [rng.normal(0, 0.5, int(rng.integers(30, 150)))
                 for _ in range(int(rng.integers(1, 4)))]
    return background, activates, negatives, RATE, int(rng.integers(10, 60))


def _spectrogram(rng):
    n_fft = 2 * int(rng.integers(4, 17))
    hop = int(rng.integers(2, 11))
    m = int(rng.integers(1, 4))
    return rng.normal(size=(m, n_fft + int(rng.integers(0, 60)))), n_fft, hop


def _conv1d_forward(rng):
    n_freq, m, n_c, f, stride = (int(v) for v in rng.integers((2, 1, 1, 1, 1), (7, 4, 5, 5, 4)))
    T_x = f + int(rng.integers(0, 15))
    return (rng.normal(size=(n_freq, m, T_x)), rng.normal(size=(f, n_freq, n_c)),
            rng.normal(size=(n_c, 1)), stride)


def _detector_forward(rng):
    n_freq, m, n_c, n_a, f, stride = (int(v) for v in
                                      rng.integers((2, 1, 1, 1, 1, 1), (6, 4, 5, 5, 5, 4)))
    X = rng.normal(size=(n_freq, m, f + int(rng.integers(0, 12))))
    parameters = {"Wconv": rng.normal(size=(f, n_freq, n_c)), "bconv": rng.normal(size=(n_c, 1))}
    for gate in ("u", "r", "c"):
        parameters[f"W{gate}"] = rng.normal(size=(n_a, n_a + n_c))
        parameters[f"b{gate}"] = rng.normal(size=(n_a, 1))
    parameters["Wy"] = rng.normal(size=(1, n_a))
    parameters["by"] = rng.normal(size=(1, 1))
    return X, parameters, stride


SPECS = {
    "trigger.is_overlapping": Spec(_is_overlapping, edge_cases=(_touching, _no_previous),
                                   trials=5),
    "trigger.insert_audio_clip": Spec(_insert_audio_clip, uses=("trigger.is_overlapping",),
                                      seeded=True, edge_cases=(_insert_audio_clip_no_room,),
                                      trials=4),
    "trigger.insert_ones": Spec(_insert_ones, edge_cases=(_insert_ones_at_the_end,), trials=4),
    "trigger.create_training_example": Spec(
        _create_training_example, uses=("trigger.insert_audio_clip", "trigger.insert_ones"),
        seeded=True),
    "trigger.spectrogram": Spec(_spectrogram),
    "trigger.conv1d_forward": Spec(_conv1d_forward),
    "trigger.detector_forward": Spec(_detector_forward, uses=("trigger.conv1d_forward",)),
}
