"""Hidden tests of c5w1a3 (music generation with an LSTM): small random vocabularies, random
token windows, random LSTM parameters, a few training steps."""

import numpy as np

from grader.grading.spec import Spec


def _sizes(rng):
    """n_values, n_a, m, T_x: small and different from one another."""
    return (int(rng.integers(3, 8)), int(rng.integers(2, 6)), int(rng.integers(1, 5)),
            int(rng.integers(2, 6)))


def _parameters(rng, n_values, n_a):
    parameters = {"Wy": rng.normal(size=(n_values, n_a)), "by": rng.normal(size=(n_values, 1))}
    for g in ("f", "u", "c", "o"):
        parameters[f"W{g}"] = rng.normal(0, 0.6, (n_a, n_a + n_values))
        parameters[f"b{g}"] = rng.normal(size=(n_a, 1))
    return parameters


def _one_hot_batch(rng, n_values, m, T_x):
    windows = rng.integers(n_values, size=(m, T_x + 1))
    X = np.eye(n_values)[windows[:, :-1]].transpose(2, 0, 1)  # (n_values, m, T_x)
    Y = np.eye(n_values)[windows[:, 1:]].transpose(2, 0, 1)
    return X, Y


def _melodies_to_one_hot(rng):
    n_values, _, m, T_x = _sizes(rng)
    return rng.integers(n_values, size=(m, T_x + 1)), n_values


def _music_cost(rng):
    n_values, _, m, T_x = _sizes(rng)
    z = rng.normal(size=(n_values, m, T_x)) * 2
    y_pred = np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)
    return y_pred, _one_hot_batch(rng, n_values, m, T_x)[1]


def _music_gradients(rng):
    n_values, n_a, m, T_x = _sizes(rng)
    X, Y = _one_hot_batch(rng, n_values, m, T_x)
    return X, Y, _parameters(rng, n_values, n_a)


def _train_music(rng):
    n_values, n_a, m, T_x = _sizes(rng)
    m = int(rng.integers(2, 7))
    X, Y = _one_hot_batch(rng, n_values, m, T_x)
    return (X, Y, n_a, int(rng.integers(2, 5)), float(rng.uniform(0.005, 0.05)),
            int(rng.integers(1, m + 2)), int(rng.integers(1000)))


def _predict_and_sample(rng):
    n_values, n_a, _, _ = _sizes(rng)
    prime = [int(v) for v in rng.integers(n_values, size=int(rng.integers(1, 4)))]
    return (_parameters(rng, n_values, n_a), prime, int(rng.integers(1, 12)),
            int(rng.integers(1000)), float(rng.uniform(0.5, 1.5)))


SPECS = {
    "music.melodies_to_one_hot": Spec(_melodies_to_one_hot),
    "music.music_cost": Spec(_music_cost),
    "music.music_gradients": Spec(_music_gradients,
                                  uses=("rnn.lstm_forward", "rnn.lstm_backward",
                                        "music.music_cost")),
    "music.train_music": Spec(_train_music, uses=("music.music_gradients",
                                                  "optim.initialize_adam",
                                                  "optim.update_parameters_with_adam")),
    "music.predict_and_sample": Spec(_predict_and_sample, uses=("rnn.lstm_cell_forward",)),
}
