"""dlcourse.emojify: the averaging model and the LSTM classifier over frozen word vectors.

The LSTM classifier's cost and gradients are compared with PyTorch autograd in float64 to
1e-10: torch.nn.LSTM (weights mapped as in test_rnn.py) runs on each sentence alone, without
padding, so the padded batch must give the same answer as m separate sentences. Every
gradient is also checked against finite differences.
"""

import numpy as np
import pytest
import torch

from dlcourse.checks import numerical_gradient
from dlcourse.emojify import (
    cross_entropy,
    initialize_lstm_classifier,
    lstm_classifier_backward,
    lstm_classifier_forward,
    lstm_classifier_model,
    predict_avg,
    predict_lstm,
    sentence_to_avg,
    sentences_to_indices,
    softmax_model,
)

LSTM_GATES = ("f", "u", "c", "o")
TORCH_GATE = {"u": 0, "f": 1, "c": 2, "o": 3}  # PyTorch's LSTM chunks: i, f, g, o
WORDS = ["i", "am", "not", "happy", "love", "you", "ball", "game", "eat", "sad", "food", "the"]
WORD_TO_INDEX = {w: i for i, w in enumerate(WORDS)}
SENTENCES = ["i love you", "i am not happy", "the game", "eat the food", "sad",
             "i am happy", "the ball game i love"]
LABELS = np.array([0, 3, 1, 4, 3, 2, 1])


def _vectors(seed=0, n_e=4):
    return np.random.default_rng(seed).normal(size=(n_e, len(WORDS)))  # (n_e, V)


def _relative_error(analytic, numeric):
    return np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))


def test_sentence_to_avg_is_the_mean_of_the_known_words():
    E = _vectors()
    avg = sentence_to_avg("I am NOT happy", WORD_TO_INDEX, E)
    expected = E[:, [0, 1, 2, 3]].mean(axis=1)
    assert avg.shape == (4,), f"sentence_to_avg: expected shape (4,), got {avg.shape}"
    np.testing.assert_allclose(avg, expected, rtol=1e-12,
                               err_msg="sentence_to_avg('I am NOT happy'): mean of 4 columns")
    np.testing.assert_allclose(sentence_to_avg("happy zebra", WORD_TO_INDEX, E), E[:, 3],
                               err_msg="an unknown word ('zebra') is skipped")
    assert not np.any(sentence_to_avg("zebra", WORD_TO_INDEX, E)), "no known word: zeros"
    # Word order is lost: the property the LSTM is there to fix.
    np.testing.assert_allclose(sentence_to_avg("not happy", WORD_TO_INDEX, E),
                               sentence_to_avg("happy not", WORD_TO_INDEX, E), rtol=1e-12)


def test_softmax_model_cost_falls_and_gradient_is_right():
    E = _vectors()
    parameters, costs = softmax_model(SENTENCES, LABELS, WORD_TO_INDEX, E, C=5,
                                      learning_rate=0.5, num_iterations=200, seed=0)
    assert parameters["W"].shape == (5, 4) and parameters["b"].shape == (5, 1)
    assert len(costs) == 200 and costs[-1] < 0.5 * costs[0], (costs[0], costs[-1])
    # The first cost is that of the documented initialisation.
    W0 = np.random.default_rng(0).normal(size=(5, 4)) / 2
    avg = np.stack([sentence_to_avg(s, WORD_TO_INDEX, E) for s in SENTENCES], axis=1)
    z = W0 @ avg
    y_hat = np.exp(z - z.max(0)) / np.exp(z - z.max(0)).sum(0)
    assert costs[0] == pytest.approx(cross_entropy(y_hat, LABELS), rel=1e-12)
    # One step from W0 with learning rate 1 moves W by minus the gradient: check it against
    # finite differences of the cost.
    one, _ = softmax_model(SENTENCES, LABELS, WORD_TO_INDEX, E, C=5, learning_rate=1.0,
                           num_iterations=1, seed=0)
    W = W0.copy()

    def cost():
        z = W @ avg
        return cross_entropy(np.exp(z - z.max(0)) / np.exp(z - z.max(0)).sum(0), LABELS)

    numeric = numerical_gradient(cost, W)
    assert _relative_error(W0 - one["W"], numeric) < 1e-7
    assert (predict_avg(SENTENCES, WORD_TO_INDEX, E, parameters) == LABELS).mean() >= 0.7


def test_sentences_to_indices_pads_with_minus_one():
    X_indices = sentences_to_indices(["i love you", "The Game", "sad"], WORD_TO_INDEX, 5)
    expected = np.array([[0, 4, 5, -1, -1], [11, 7, -1, -1, -1], [9, -1, -1, -1, -1]])
    assert X_indices.shape == (3, 5) and np.issubdtype(X_indices.dtype, np.integer), \
        f"sentences_to_indices: expected (3, 5) ints, got {X_indices.shape} {X_indices.dtype}"
    np.testing.assert_array_equal(X_indices, expected)
    with pytest.raises(KeyError):
        sentences_to_indices(["zebra"], WORD_TO_INDEX, 3)


def _problem(seed=1, n_e=4, n_a=5, C=5):
    rng = np.random.default_rng(seed)
    E = _vectors(seed, n_e)
    parameters = initialize_lstm_classifier(n_e, n_a, C, seed)
    # Random (not initial) values so that every gate matters.
    parameters = {k: v + rng.normal(0, 0.3, v.shape) for k, v in parameters.items()}
    return sentences_to_indices(SENTENCES, WORD_TO_INDEX, 7), E, parameters


def test_initialize_lstm_classifier_shapes():
    parameters = initialize_lstm_classifier(50, 8, 5, seed=0)
    for g in LSTM_GATES:
        assert parameters[f"W{g}"].shape == (8, 58) and parameters[f"b{g}"].shape == (8, 1)
    assert parameters["Wy"].shape == (5, 8) and parameters["by"].shape == (5, 1)
    assert np.all(parameters["bf"] == 1) and not np.any(parameters["bu"])


def test_forward_reads_the_state_after_each_sentence_own_last_word():
    """Padding must change nothing: a sentence alone and the same sentence in a padded batch
    give the same probabilities."""
    X_indices, E, parameters = _problem()
    y_hat, cache = lstm_classifier_forward(X_indices, E, parameters)
    assert y_hat.shape == (5, len(SENTENCES))
    np.testing.assert_allclose(y_hat.sum(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(cache[2], [2, 3, 1, 2, 0, 2, 4])
    for i, sentence in enumerate(SENTENCES):
        alone = sentences_to_indices([sentence], WORD_TO_INDEX, len(sentence.split()))
        y_alone, _ = lstm_classifier_forward(alone, E, parameters)
        np.testing.assert_allclose(y_hat[:, i], y_alone[:, 0], rtol=1e-12,
                                   err_msg=f"'{sentence}' alone vs in the padded batch")
    assert predict_lstm(X_indices, E, parameters).shape == (len(SENTENCES),)


def _torch_cost_and_grads(X_indices, E, parameters):
    """The classifier in PyTorch: nn.LSTM on each sentence without padding, autograd."""
    n_a, n_e = parameters["Wy"].shape[1], E.shape[0]
    lstm = torch.nn.LSTM(n_e, n_a, dtype=torch.float64)
    with torch.no_grad():
        for g, k in TORCH_GATE.items():
            rows = slice(k * n_a, (k + 1) * n_a)
            lstm.weight_hh_l0[rows] = torch.tensor(parameters[f"W{g}"][:, :n_a])
            lstm.weight_ih_l0[rows] = torch.tensor(parameters[f"W{g}"][:, n_a:])
            lstm.bias_ih_l0[rows] = torch.tensor(parameters[f"b{g}"][:, 0])
        lstm.bias_hh_l0.zero_()
    Wy = torch.tensor(parameters["Wy"], requires_grad=True)
    by = torch.tensor(parameters["by"][:, 0], requires_grad=True)
    E_t = torch.tensor(E)
    losses = []
    for i, row in enumerate(X_indices):
        words = torch.tensor(row[row >= 0])
        out, _ = lstm(E_t[:, words].T[:, None, :])  # (T_i, 1, n_a)
        z = Wy @ out[-1, 0] + by
        losses.append(-torch.log_softmax(z, dim=0)[int(LABELS[i])])
    cost = torch.stack(losses).mean()
    cost.backward()
    grads = {"dWy": Wy.grad.numpy(), "dby": by.grad.numpy()[:, None]}
    for g, k in TORCH_GATE.items():
        rows = slice(k * n_a, (k + 1) * n_a)
        grads[f"dW{g}"] = np.hstack([lstm.weight_hh_l0.grad[rows].numpy(),
                                     lstm.weight_ih_l0.grad[rows].numpy()])
        grads[f"db{g}"] = lstm.bias_ih_l0.grad[rows].numpy()[:, None]
    return cost.item(), grads


def test_cost_and_gradients_match_torch_autograd():
    X_indices, E, parameters = _problem()
    y_hat, cache = lstm_classifier_forward(X_indices, E, parameters)
    gradients = lstm_classifier_backward(y_hat, LABELS, cache)
    expected_cost, expected = _torch_cost_and_grads(X_indices, E, parameters)
    assert cross_entropy(y_hat, LABELS) == pytest.approx(expected_cost, rel=1e-10)
    assert sorted(gradients) == sorted(expected), sorted(gradients)
    for key, value in expected.items():
        assert gradients[key].shape == value.shape, (key, gradients[key].shape, value.shape)
        np.testing.assert_allclose(gradients[key], value, rtol=1e-10, atol=1e-12,
                                   err_msg=f"lstm_classifier_backward {key} vs torch autograd")


def test_gradients_match_finite_differences():
    X_indices, E, parameters = _problem(seed=2)
    y_hat, cache = lstm_classifier_forward(X_indices, E, parameters)
    gradients = lstm_classifier_backward(y_hat, LABELS, cache)

    def cost():
        return cross_entropy(lstm_classifier_forward(X_indices, E, parameters)[0], LABELS)

    for key in parameters:
        error = _relative_error(gradients["d" + key], numerical_gradient(cost, parameters[key]))
        assert error < 1e-7, f"d{key}: relative error {error:.2e} against finite differences"


def test_model_fits_the_small_set_and_is_reproducible():
    E = _vectors(3, n_e=6)
    X_indices = sentences_to_indices(SENTENCES, WORD_TO_INDEX, 6)
    parameters, costs = lstm_classifier_model(X_indices, LABELS, E, C=5, n_a=6, num_epochs=60,
                                              mini_batch_size=3, learning_rate=0.05, seed=0)
    assert len(costs) == 60 and costs[-1] < 0.2 * costs[0], (costs[0], costs[-1])
    np.testing.assert_array_equal(predict_lstm(X_indices, E, parameters), LABELS)
    again, costs_again = lstm_classifier_model(X_indices, LABELS, E, C=5, n_a=6, num_epochs=60,
                                               mini_batch_size=3, learning_rate=0.05, seed=0)
    assert costs_again == costs and all(np.array_equal(again[k], parameters[k]) for k in again)
