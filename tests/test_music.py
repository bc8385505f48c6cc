"""dlcourse.music: the LSTM melody model, from tokens to a MIDI file.

The LSTM itself (lstm_forward, lstm_backward) is checked against torch.nn.LSTM in
test_rnn.py. Here: music_cost and its gradient against torch autograd (float64, 1e-10),
the full model's backward (music_gradients) against finite differences and against torch
autograd of the same network written in torch, and the helpers around the model.
"""

import numpy as np
import pytest
import torch

from dlcourse.checks import numerical_gradient
from dlcourse.music import (
    HOLD,
    REST,
    melodies_to_one_hot,
    melody_notes,
    melody_windows,
    music_cost,
    music_gradients,
    piano_roll,
    predict_and_sample,
    tokens_to_midi,
    train_music,
)

GATES = ("f", "u", "c", "o")  # forget, update, candidate, output


def _parameters(rng, n_values, n_a, scale=0.6):
    parameters = {"Wy": rng.normal(size=(n_values, n_a)), "by": rng.normal(size=(n_values, 1))}
    for g in GATES:
        parameters[f"W{g}"] = rng.normal(0, scale, (n_a, n_a + n_values))
        parameters[f"b{g}"] = rng.normal(size=(n_a, 1))
    return parameters


def _batch(rng, n_values, m, T_x):
    return melodies_to_one_hot(rng.integers(n_values, size=(m, T_x + 1)), n_values)


def _relative_error(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


# --- melodies_to_one_hot and melody_windows -------------------------------------------------

def test_melodies_to_one_hot_shapes_columns_and_shift():
    rng = np.random.default_rng(0)
    windows = rng.integers(6, size=(4, 8))
    X, Y = melodies_to_one_hot(windows, 6)
    assert X.shape == Y.shape == (6, 4, 7), f"expected (6, 4, 7) for 4 windows of 8; got " \
        f"{X.shape}, {Y.shape}"
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert np.array_equal(X.sum(axis=0), np.ones((4, 7))), "a column of X is not one-hot"
    assert np.array_equal(X.argmax(axis=0), windows[:, :-1]), "X[:, i, t] != one-hot(w[i, t])"
    assert np.array_equal(Y.argmax(axis=0), windows[:, 1:]), "Y[:, i, t] != one-hot(w[i, t+1])"
    assert np.array_equal(Y[:, :, :-1], X[:, :, 1:]), "Y is not X shifted by one step"


def test_melody_windows_cuts_every_stride_and_skips_short_melodies():
    melodies = [np.arange(10), np.arange(100, 103), np.arange(200, 207)]
    windows = melody_windows(melodies, 4, 3)
    expected = [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9], [200, 201, 202, 203],
                [203, 204, 205, 206]]
    assert windows.tolist() == expected, windows.tolist()
    assert melody_windows([np.arange(3)], 4, 1).shape == (0, 4)


# --- music_cost against torch autograd --------------------------------------------------------

@pytest.mark.parametrize("n_values, m, T_x", [(5, 3, 4), (30, 7, 2), (2, 1, 1)])
def test_music_cost_and_dz_match_torch_cross_entropy(n_values, m, T_x):
    """music_cost(softmax(z), Y) and its dz against torch's cross-entropy of z, float64."""
    rng = np.random.default_rng(n_values)
    z = rng.normal(size=(n_values, m, T_x)) * 3
    targets = rng.integers(n_values, size=(m, T_x))
    Y = np.eye(n_values)[targets].transpose(2, 0, 1)  # (n_values, m, T_x)
    y_pred = np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)
    cost, dz = music_cost(y_pred, Y)

    tz = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    # torch's classes are dim 1: (m, n_values, T_x), targets (m, T_x); mean over m and T_x.
    loss = torch.nn.functional.cross_entropy(tz.permute(1, 0, 2),
                                             torch.tensor(targets, dtype=torch.long))
    loss.backward()
    assert isinstance(cost, float)
    assert abs(cost - loss.item()) < 1e-10, f"cost {cost} vs torch {loss.item()}"
    assert dz.shape == z.shape, f"expected dz.shape {z.shape}; got {dz.shape}"
    assert np.max(np.abs(dz - tz.grad.numpy())) < 1e-10, (
        f"dz differs from torch autograd by {np.max(np.abs(dz - tz.grad.numpy())):.3g}")


def test_music_cost_of_a_perfect_and_a_uniform_model():
    Y = np.eye(4)[[[0, 1, 2]]].transpose(2, 0, 1)  # (4, 1, 3)
    assert music_cost(np.clip(Y, 1e-300, 1), Y)[0] == pytest.approx(0, abs=1e-12)
    assert music_cost(np.full((4, 1, 3), 0.25), Y)[0] == pytest.approx(np.log(4), rel=1e-12)


# --- music_gradients: the full model's backward -----------------------------------------------

def test_music_gradients_matches_finite_differences():
    """Every parameter of the LSTM and its output layer, at a random point."""
    rng = np.random.default_rng(1)
    n_values, n_a, m, T_x = 5, 4, 3, 6
    parameters = _parameters(rng, n_values, n_a)
    X, Y = _batch(rng, n_values, m, T_x)
    _, gradients = music_gradients(X, Y, parameters)
    assert sorted(gradients) == sorted("d" + key for key in parameters), sorted(gradients)
    for key, value in parameters.items():
        numeric = numerical_gradient(lambda: music_gradients(X, Y, parameters)[0], value)
        error = _relative_error(gradients["d" + key], numeric)
        assert error < 1e-7, f"music_gradients: d{key} relative error {error:.3g} (n_a={n_a}, " \
            f"m={m}, T_x={T_x})"


def test_music_gradients_match_torch_autograd_of_the_same_network():
    """The LSTM with the notes' gates on [a; x] and a softmax output, written in torch."""
    rng = np.random.default_rng(2)
    n_values, n_a, m, T_x = 6, 5, 4, 7
    parameters = _parameters(rng, n_values, n_a)
    X, Y = _batch(rng, n_values, m, T_x)
    cost, gradients = music_gradients(X, Y, parameters)

    tp = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
          for k, v in parameters.items()}
    tX = torch.tensor(X, dtype=torch.float64)
    a, c = torch.zeros(n_a, m, dtype=torch.float64), torch.zeros(n_a, m, dtype=torch.float64)
    loss = 0
    for t in range(T_x):
        concat = torch.cat([a, tX[:, :, t]], dim=0)
        f, u, o = (torch.sigmoid(tp[f"W{g}"] @ concat + tp[f"b{g}"]) for g in "fuo")
        c = f * c + u * torch.tanh(tp["Wc"] @ concat + tp["bc"])
        a = o * torch.tanh(c)
        log_y = torch.log_softmax(tp["Wy"] @ a + tp["by"], dim=0)
        loss = loss - (torch.tensor(Y[:, :, t]) * log_y).sum()
    loss = loss / (m * T_x)
    loss.backward()
    assert abs(cost - loss.item()) < 1e-10, f"cost {cost} vs torch {loss.item()}"
    for key, value in tp.items():
        gap = np.max(np.abs(gradients["d" + key] - value.grad.numpy()))
        assert gap < 1e-10, f"music_gradients: d{key} differs from torch autograd by {gap:.3g}"


# --- train_music --------------------------------------------------------------------------------

def test_train_music_learns_a_repeated_pattern():
    """A cycle of 4 tokens is predictable after the first step: the cost must fall far."""
    pattern = np.tile([2, 0, 3, 1], 5)
    windows = np.array([pattern[i:i + 9] for i in range(4)])
    X, Y = melodies_to_one_hot(windows, 4)
    parameters, costs = train_music(X, Y, n_a=8, num_iterations=150, learning_rate=0.05,
                                    mini_batch_size=4, seed=0)
    assert len(costs) == 150
    assert costs[0] > 1.0 and costs[-1] < 0.05, f"cost {costs[0]:.3g} -> {costs[-1]:.3g}"
    assert parameters["Wf"].shape == (8, 12) and parameters["Wy"].shape == (4, 8)


def test_train_music_is_reproducible_and_starts_from_the_documented_draws():
    rng = np.random.default_rng(3)
    X, Y = _batch(rng, 5, 6, 4)
    first, costs = train_music(X, Y, n_a=3, num_iterations=2, mini_batch_size=4, seed=7)
    again, costs_again = train_music(X, Y, n_a=3, num_iterations=2, mini_batch_size=4, seed=7)
    assert costs == costs_again and all(np.array_equal(first[k], again[k]) for k in first)
    # num_iterations = 0: the initial parameters, drawn in the order Wf, Wu, Wc, Wo, Wy.
    initial, no_costs = train_music(X, Y, n_a=3, num_iterations=0, seed=7)
    draws = np.random.default_rng(7)
    assert no_costs == []
    for g in GATES:
        assert np.array_equal(initial[f"W{g}"], draws.normal(size=(3, 8)) / np.sqrt(8))
        assert np.array_equal(initial[f"b{g}"], np.zeros((3, 1)))
    assert np.array_equal(initial["Wy"], draws.normal(size=(5, 3)) / np.sqrt(3))


# --- predict_and_sample ---------------------------------------------------------------------------

def test_predict_and_sample_is_seeded_and_in_range():
    rng = np.random.default_rng(4)
    parameters = _parameters(rng, 7, 4)
    tokens = predict_and_sample(parameters, [2, 0, 3], 40, seed=11)
    assert tokens.shape == (40,) and tokens.dtype == np.int64
    assert tokens.min() >= 0 and tokens.max() < 7
    assert np.array_equal(tokens, predict_and_sample(parameters, [2, 0, 3], 40, seed=11))
    assert not np.array_equal(tokens, predict_and_sample(parameters, [2, 0, 3], 40, seed=12))


def test_predict_and_sample_draws_from_the_model_distribution():
    """With no recurrence (all W = 0) y is softmax(by) at every step: the token frequencies of
    a long sample approach it, and a low temperature concentrates them on the likeliest."""
    n_values, n_a = 4, 3
    parameters = {k: np.zeros_like(v) for k, v in _parameters(np.random.default_rng(0),
                                                               n_values, n_a).items()}
    parameters["by"] = np.log(np.array([[0.1], [0.2], [0.3], [0.4]]))
    tokens = predict_and_sample(parameters, [0], 4000, seed=0)
    frequencies = np.bincount(tokens, minlength=4) / len(tokens)
    assert np.allclose(frequencies, [0.1, 0.2, 0.3, 0.4], atol=0.025), frequencies
    cold = predict_and_sample(parameters, [0], 2000, seed=0, temperature=0.2)
    expected = 0.4**5 / (0.1**5 + 0.2**5 + 0.3**5 + 0.4**5)  # p ~ y^(1/0.2): 0.788
    assert abs(np.mean(cold == 3) - expected) < 0.03, (np.mean(cold == 3), expected)


def test_predict_and_sample_reads_the_prime():
    """A model that copies its input (through a large Wy a) continues the last prime token."""
    n_values, n_a = 3, 3
    parameters = {k: np.zeros_like(v) for k, v in _parameters(np.random.default_rng(0),
                                                               n_values, n_a).items()}
    # Candidate = x, gates open: c = tanh-scaled x, a ~ x; Wy amplifies it.
    parameters["Wc"][:, n_a:] = 10 * np.eye(3)
    for g in "fuo":
        parameters[f"b{g}"][:] = 10.0
    parameters["Wf"][:] = 0.0
    parameters["bf"][:] = -10.0  # forget the past: c<t> is the current input only
    parameters["Wy"] = 40 * np.eye(3)
    for last in range(3):
        assert predict_and_sample(parameters, [0, 1, last], 5, seed=0).tolist() == [last] * 5


# --- from tokens to notes, a piano roll and a MIDI file ----------------------------------------

def test_melody_notes_hold_and_rest():
    pitches = np.array([60, 62, 64])
    tokens = [HOLD, 2, HOLD, HOLD, REST, HOLD, 4, 3, HOLD, 2]
    assert melody_notes(tokens, pitches) == [(1, 3, 60), (6, 1, 64), (7, 2, 62), (9, 1, 60)]


def test_piano_roll_draws_a_bar_per_note():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pitches = np.arange(57, 85)
    tokens = [2, 0, 5, 0, 0, 1, 9, 0]
    ax = piano_roll(tokens, pitches, title="test")
    assert len(ax.collections) == 3, "one broken_barh per note"
    assert ax.get_xlim() == (0, 8)
    plt.close("all")


def test_tokens_to_midi_writes_a_midi_file_that_reads_back(tmp_path):
    converter = pytest.importorskip("music21.converter")
    pitches = np.arange(57, 85)
    tokens = [REST, REST, 17, 0, 0, 0, 19, 0, 21, 1, 21, 0, 0, 0, 0, 0, 0, 0]
    path = tokens_to_midi(tokens, pitches, tmp_path / "melody.mid")
    assert path.read_bytes()[:4] == b"MThd", "not a standard MIDI file"
    notes = [(float(n.offset) * 2, float(n.quarterLength) * 2, n.pitch.midi)
             for n in converter.parse(path).stripTies().flatten().notes]
    assert notes == [(2.0, 4.0, 72), (6.0, 2.0, 74), (8.0, 1.0, 76), (10.0, 8.0, 76)], notes
