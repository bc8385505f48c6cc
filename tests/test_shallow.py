"""Tests of dlcourse.shallow (the one-hidden-layer network) and dense.update_parameters.

``update_parameters`` lives in dlcourse.dense but is first taught with this
network, so its tests sit here with the rest of c1w3a1.
"""

import math

import numpy as np
import pytest
import torch

from dlcourse import shallow
from dlcourse.checks import numerical_gradient
from dlcourse.dense import update_parameters
from dlcourse.losses import compute_cost

SHAPES = {"W1": lambda n_x, n_h, n_y: (n_h, n_x), "b1": lambda n_x, n_h, n_y: (n_h, 1),
          "W2": lambda n_x, n_h, n_y: (n_y, n_h), "b2": lambda n_x, n_h, n_y: (n_y, 1)}


def _random_net(rng, n_x=3, n_h=4, m=6):
    """Inputs, labels and parameters large enough that tanh is not linear."""
    X = rng.normal(size=(n_x, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    parameters = {"W1": rng.normal(0, 0.8, size=(n_h, n_x)),
                  "b1": rng.normal(0, 0.5, size=(n_h, 1)),
                  "W2": rng.normal(0, 0.8, size=(1, n_h)),
                  "b2": rng.normal(0, 0.5, size=(1, 1))}
    return X, Y, parameters


def _blobs(m=200, seed=0):
    """Two Gaussian blobs, easy for any classifier: a quick training target."""
    rng = np.random.default_rng(seed)
    Y = (np.arange(m) % 2).reshape(1, m).astype(float)
    X = rng.normal(0, 0.7, size=(2, m)) + np.where(Y == 1, 1.5, -1.5)
    return X, Y


# layer_sizes

def test_layer_sizes_reads_the_data():
    X, Y = np.zeros((5, 3)), np.zeros((2, 3))
    assert shallow.layer_sizes(X, Y) == (5, 4, 2), (
        f"layer_sizes: expected (5, 4, 2) for X (5, 3), Y (2, 3); got "
        f"{shallow.layer_sizes(X, Y)}")
    assert shallow.layer_sizes(X, Y, n_h=7) == (5, 7, 2), (
        f"layer_sizes: expected (5, 7, 2) with n_h = 7; got {shallow.layer_sizes(X, Y, 7)}")


# initialize_parameters

@pytest.mark.parametrize("sizes", [(2, 4, 1), (5, 1, 3)])
def test_initialize_parameters_shapes_and_scale(sizes):
    np.random.seed(0)
    parameters = shallow.initialize_parameters(*sizes)
    assert sorted(parameters) == ["W1", "W2", "b1", "b2"], (
        f"initialize_parameters: expected keys W1, b1, W2, b2; got {sorted(parameters)}")
    for name, shape in SHAPES.items():
        value = parameters[name]
        assert value.shape == shape(*sizes), (
            f"initialize_parameters{sizes}: expected {name}.shape {shape(*sizes)}; "
            f"got {value.shape}")
        assert value.dtype == np.float64, f"{name}: expected float64; got {value.dtype}"
    assert not parameters["b1"].any() and not parameters["b2"].any(), "expected zero biases"
    assert 0 < np.abs(parameters["W1"]).max() < 0.05, (
        f"expected W1 of order 0.01; got max |W1| = {np.abs(parameters['W1']).max()}")


def test_initialize_parameters_draws_w1_then_w2_from_np_random():
    np.random.seed(3)
    parameters = shallow.initialize_parameters(2, 3, 1)
    np.random.seed(3)
    draws = np.random.randn(9) * 0.01  # 6 entries of W1, then 3 of W2
    np.testing.assert_allclose(parameters["W1"], draws[:6].reshape(3, 2), rtol=1e-12,
                               err_msg="initialize_parameters: W1 should be randn(3, 2) * 0.01")
    np.testing.assert_allclose(parameters["W2"], draws[6:].reshape(1, 3), rtol=1e-12,
                               err_msg="W2 should be the next randn(1, 3) * 0.01")


# forward_propagation

def test_forward_propagation_hand_value():
    parameters = {"W1": np.array([[1.0, -1.0], [0.5, 2.0]]), "b1": np.array([[0.0], [-1.0]]),
                  "W2": np.array([[1.0, -2.0]]), "b2": np.array([[0.5]])}
    X = np.array([[1.0], [2.0]])
    A2, cache = shallow.forward_propagation(X, parameters)
    # Z1 = [1 - 2 + 0, 0.5 + 4 - 1] = [-1, 3.5]; Z2 = tanh(-1) - 2 tanh(3.5) + 0.5
    z2 = math.tanh(-1) - 2 * math.tanh(3.5) + 0.5
    expected = {"Z1": np.array([[-1.0], [3.5]]),
                "A1": np.array([[math.tanh(-1)], [math.tanh(3.5)]]),
                "Z2": np.array([[z2]]), "A2": np.array([[1 / (1 + math.exp(-z2))]])}
    assert sorted(cache) == ["A1", "A2", "Z1", "Z2"], f"expected cache keys; got {sorted(cache)}"
    for name, value in expected.items():
        np.testing.assert_allclose(cache[name], value, rtol=1e-12,
                                   err_msg=f"forward_propagation: cache[{name!r}] for X = [1, 2]")
    np.testing.assert_allclose(A2, expected["A2"], rtol=1e-12,
                               err_msg="forward_propagation: A2 for X = [1, 2]")


def _torch_forward(X, parameters):
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
         for k, v in parameters.items()}
    A1 = torch.tanh(t["W1"] @ torch.tensor(X) + t["b1"])
    A2 = torch.sigmoid(t["W2"] @ A1 + t["b2"])
    return A2, t


def test_forward_propagation_agrees_with_torch():
    rng = np.random.default_rng(1)
    X, _, parameters = _random_net(rng, n_x=4, n_h=5, m=9)
    A2, cache = shallow.forward_propagation(X, parameters)
    assert A2.shape == (1, 9), f"forward_propagation: expected A2.shape (1, 9); got {A2.shape}"
    assert cache["A1"].shape == (5, 9), f"expected A1.shape (5, 9); got {cache['A1'].shape}"
    expected, _ = _torch_forward(X, parameters)
    np.testing.assert_allclose(A2, expected.detach().numpy(), rtol=1e-12,
                               err_msg="forward_propagation: A2 differs from torch")


# backward_propagation

def test_backward_propagation_shapes():
    rng = np.random.default_rng(2)
    X, Y, parameters = _random_net(rng, n_x=3, n_h=5, m=7)
    _, cache = shallow.forward_propagation(X, parameters)
    grads = shallow.backward_propagation(parameters, cache, X, Y)
    assert sorted(grads) == ["dW1", "dW2", "db1", "db2"], f"got keys {sorted(grads)}"
    for name in parameters:
        assert grads["d" + name].shape == parameters[name].shape, (
            f"backward_propagation: expected d{name}.shape {parameters[name].shape}; "
            f"got {grads['d' + name].shape}")


def test_backward_propagation_matches_finite_differences():
    rng = np.random.default_rng(3)
    X, Y, parameters = _random_net(rng)
    _, cache = shallow.forward_propagation(X, parameters)
    grads = shallow.backward_propagation(parameters, cache, X, Y)

    def cost():
        return compute_cost(shallow.forward_propagation(X, parameters)[0], Y)

    for name in parameters:
        numeric = numerical_gradient(cost, parameters[name])
        analytic = grads["d" + name]
        error = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic)
                                                      + np.linalg.norm(numeric))
        assert error < 1e-7, (f"backward_propagation: d{name} relative error {error:.2e} "
                              f"against finite differences; analytic {analytic.ravel()}, "
                              f"numerical {numeric.ravel()}")


def test_backward_propagation_agrees_with_torch_autograd():
    rng = np.random.default_rng(4)
    X, Y, parameters = _random_net(rng, n_x=2, n_h=6, m=11)
    _, cache = shallow.forward_propagation(X, parameters)
    grads = shallow.backward_propagation(parameters, cache, X, Y)
    A2, t = _torch_forward(X, parameters)
    torch.nn.functional.binary_cross_entropy(A2, torch.tensor(Y)).backward()
    for name, tensor in t.items():
        np.testing.assert_allclose(grads["d" + name], tensor.grad.numpy(), rtol=1e-10,
                                   atol=1e-14, err_msg=f"backward_propagation: d{name} vs torch")


# update_parameters

def test_update_parameters_hand_value_and_no_mutation():
    parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]]),
                  "W2": np.array([[-1.0]]), "b2": np.array([[0.0]])}
    grads = {"dW1": np.array([[0.1, -0.2]]), "db1": np.array([[1.0]]),
             "dW2": np.array([[2.0]]), "db2": np.array([[-0.5]])}
    before = {k: v.copy() for k, v in parameters.items()}
    updated = update_parameters(parameters, grads, learning_rate=0.5)
    expected = {"W1": np.array([[0.95, 2.1]]), "b1": np.array([[0.0]]),
                "W2": np.array([[-2.0]]), "b2": np.array([[0.25]])}
    for name, value in expected.items():
        np.testing.assert_allclose(updated[name], value, rtol=1e-12,
                                   err_msg=f"update_parameters: {name} with learning_rate 0.5")
        np.testing.assert_array_equal(parameters[name], before[name],
                                      err_msg=f"update_parameters changed the input {name}")


def test_update_parameters_handles_any_depth():
    rng = np.random.default_rng(5)
    sizes = [3, 4, 2, 1]
    parameters, grads = {}, {}
    for l in range(1, 4):
        parameters[f"W{l}"] = rng.normal(size=(sizes[l], sizes[l - 1]))
        parameters[f"b{l}"] = rng.normal(size=(sizes[l], 1))
        grads[f"dW{l}"] = rng.normal(size=(sizes[l], sizes[l - 1]))
        grads[f"db{l}"] = rng.normal(size=(sizes[l], 1))
    updated = update_parameters(parameters, grads, 0.1)
    assert sorted(updated) == sorted(parameters), f"expected keys {sorted(parameters)}"
    for name in parameters:
        np.testing.assert_allclose(updated[name], parameters[name] - 0.1 * grads["d" + name],
                                   rtol=1e-12, err_msg=f"update_parameters: {name}, 3 layers")


# nn_model and predict

def test_nn_model_returns_parameters_and_costs_every_100_iterations():
    X, Y = _blobs(m=40)
    np.random.seed(1)
    parameters, costs = shallow.nn_model(X, Y, n_h=3, num_iterations=250, learning_rate=0.5)
    assert [parameters[k].shape for k in ("W1", "b1", "W2", "b2")] == [(3, 2), (3, 1),
                                                                       (1, 3), (1, 1)]
    assert len(costs) == 3, f"nn_model: expected costs at iterations 0, 100, 200; got {costs}"
    assert all(isinstance(c, float) for c in costs), f"expected floats; got {costs}"
    assert np.isclose(costs[0], np.log(2), atol=1e-3), (
        f"nn_model: expected a first cost near log 2 (tiny weights); got {costs[0]}")
    assert costs[0] > costs[1] > costs[2], f"nn_model: expected a falling cost; got {costs}"


def test_nn_model_is_repeatable_with_a_seed():
    X, Y = _blobs(m=30)
    runs = []
    for _ in range(2):
        np.random.seed(7)
        runs.append(shallow.nn_model(X, Y, n_h=2, num_iterations=50)[0])
    for name in runs[0]:
        np.testing.assert_array_equal(runs[0][name], runs[1][name],
                                      err_msg=f"nn_model: {name} differs between seeded runs")


def test_nn_model_is_one_loop_of_the_pieces():
    """nn_model is initialize, then forward, cost, backward, update, repeated."""
    X, Y = _blobs(m=20)
    np.random.seed(2)
    parameters, costs = shallow.nn_model(X, Y, 3, num_iterations=5, learning_rate=0.8)
    np.random.seed(2)
    expected = shallow.initialize_parameters(2, 3, 1)
    for _ in range(5):
        A2, cache = shallow.forward_propagation(X, expected)
        grads = shallow.backward_propagation(expected, cache, X, Y)
        expected = update_parameters(expected, grads, 0.8)
    for name in expected:
        np.testing.assert_allclose(parameters[name], expected[name], rtol=1e-12,
                                   err_msg=f"nn_model: {name} after 5 steps")


def test_nn_model_learns_separable_blobs():
    X, Y = _blobs(m=200)
    np.random.seed(0)
    parameters, _ = shallow.nn_model(X, Y, n_h=4, num_iterations=500, learning_rate=1.2)
    accuracy = float(np.mean(shallow.predict(parameters, X) == Y))
    assert accuracy >= 0.97, f"nn_model: expected >= 97% on two separated blobs; got {accuracy}"


def test_predict_thresholds_at_one_half():
    # A2 = sigmoid(W2 tanh(W1 x)) with b = 0 is above 1/2 exactly when x > 0.
    parameters = {"W1": np.array([[2.0]]), "b1": np.zeros((1, 1)),
                  "W2": np.array([[3.0]]), "b2": np.zeros((1, 1))}
    X = np.array([[-2.0, -0.1, 0.1, 5.0]])
    got = shallow.predict(parameters, X)
    expected = np.array([[0, 0, 1, 1]])
    assert got.shape == (1, 4) and got.dtype.kind == "i", (
        f"predict: expected (1, 4) integer 0/1 labels (e.g. int64) for x = {X.ravel()}; got "
        f"{got.shape} {got.dtype}")
    np.testing.assert_array_equal(got, expected, err_msg=f"predict for x = {X.ravel()}")


def test_symmetric_initialization_keeps_hidden_units_identical():
    """With equal initial weights every hidden unit gets the same gradient: they never split."""
    X, Y = _blobs(m=50)
    parameters = {"W1": np.full((4, 2), 0.3), "b1": np.zeros((4, 1)),
                  "W2": np.full((1, 4), 0.3), "b2": np.zeros((1, 1))}
    for _ in range(100):
        _, cache = shallow.forward_propagation(X, parameters)
        grads = shallow.backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, 1.0)
    W1 = parameters["W1"]
    assert np.allclose(W1, W1[0]), f"expected identical rows of W1 after training; got {W1}"
    assert not np.allclose(W1, 0.3), "expected W1 to have moved from its start"


def test_zero_initialization_never_moves_the_hidden_layer():
    X, Y = _blobs(m=50)
    parameters = {"W1": np.zeros((4, 2)), "b1": np.zeros((4, 1)),
                  "W2": np.zeros((1, 4)), "b2": np.zeros((1, 1))}
    for _ in range(20):
        _, cache = shallow.forward_propagation(X, parameters)
        grads = shallow.backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, 1.0)
    assert not parameters["W1"].any() and not parameters["W2"].any(), (
        "with all-zero weights dW1 = W2^T dZ2 ... = 0 and dW2 = dZ2 A1^T = 0: expected the "
        f"weights to stay 0; got W1 {parameters['W1']}, W2 {parameters['W2']}")
