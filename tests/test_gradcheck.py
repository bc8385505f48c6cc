"""dlcourse.gradcheck: the 1-D and n-D gradient checks, unrolling parameters, the planted bug.

The 3-layer network's cost and gradients are checked against PyTorch autograd
(float64); the gradient checks must pass on the right gradients and fail,
by a wide margin, on the buggy ones.
"""

import numpy as np
import pytest
import torch

from dlcourse import gradcheck
from dlcourse.checks import numerical_gradient
from dlcourse.gradcheck import (
    backward_propagation_n,
    backward_propagation_n_buggy,
    dictionary_to_vector,
    difference_by_parameter,
    forward_propagation_n,
    gradient_check,
    gradient_check_n,
    gradients_to_vector,
    vector_to_dictionary,
)

LAYER_DIMS = [4, 5, 3, 1]
KEYS = ["W1", "b1", "W2", "b2", "W3", "b3"]


def _net(seed, layer_dims=LAYER_DIMS, m=5):
    """X, Y and parameters scaled by 1/sqrt(n_prev), biases off zero (off the ReLU kink)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(layer_dims[0], m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.normal(size=(layer_dims[l], layer_dims[l - 1])) / np.sqrt(
            layer_dims[l - 1])
        parameters[f"b{l}"] = 0.1 * rng.normal(size=(layer_dims[l], 1))
    return X, Y, parameters


def _gradients(X, Y, parameters, backward=backward_propagation_n):
    _, cache = forward_propagation_n(X, Y, parameters)
    return backward(X, Y, cache)


def _relative(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


# gradient_check (1-D)

@pytest.mark.parametrize("x, theta", [(2.0, 4.0), (-3.5, 0.7), (0.25, -10.0)])
def test_gradient_check_1d_passes_on_the_right_derivative(x, theta):
    difference = gradient_check(x, theta)
    assert isinstance(difference, float), (
        f"gradient_check: expected a Python float for x={x}, theta={theta}; "
        f"got {type(difference)}")
    assert 0 <= difference < 1e-7, (
        f"gradient_check: expected a difference below 1e-7 for x={x}, theta={theta}; "
        f"got {difference}")


def test_gradient_check_1d_flags_a_wrong_derivative(monkeypatch):
    # A derivative off by a factor k gives |k - 1| / (k + 1): 1/3 for k = 2.
    monkeypatch.setattr(gradcheck, "backward_propagation_1d", lambda x, theta: 2 * x)
    difference = gradient_check(3.0, 1.5)
    assert np.isclose(difference, 1 / 3, rtol=1e-6), (
        f"gradient_check: expected 1/3 for a derivative twice too large (x=3, theta=1.5); "
        f"got {difference}")


# dictionary_to_vector / vector_to_dictionary / gradients_to_vector

def test_dictionary_to_vector_order_and_keys():
    parameters = {"W1": np.array([[1.0, 2.0], [3.0, 4.0]]), "b1": np.array([[5.0], [6.0]]),
                  "W2": np.array([[7.0, 8.0]]), "b2": np.array([[9.0]])}
    theta, keys = dictionary_to_vector(parameters)
    assert theta.shape == (9, 1) and theta.dtype == np.float64, (
        f"dictionary_to_vector: expected a (9, 1) float64 vector for a [2, 2, 1] net; "
        f"got {theta.shape}, {theta.dtype}")
    np.testing.assert_array_equal(theta[:, 0], np.arange(1.0, 10.0),
                                  err_msg="dictionary_to_vector: W1 row by row, b1, W2, b2")
    assert keys == ["W1"] * 4 + ["b1"] * 2 + ["W2"] * 2 + ["b2"], (
        f"dictionary_to_vector: expected one key per entry of theta; got {keys}")


@pytest.mark.parametrize("layer_dims", [LAYER_DIMS, [3, 1], [2, 6, 4, 3, 1]])
def test_vector_to_dictionary_inverts_dictionary_to_vector(layer_dims):
    _, _, parameters = _net(1, layer_dims)
    theta, keys = dictionary_to_vector(parameters)
    n = sum(layer_dims[l] * (layer_dims[l - 1] + 1) for l in range(1, len(layer_dims)))
    assert theta.shape == (n, 1) and len(keys) == n, (
        f"dictionary_to_vector: expected ({n}, 1) and {n} keys for {layer_dims}; "
        f"got {theta.shape}, {len(keys)}")
    back = vector_to_dictionary(theta, layer_dims)
    assert list(back) == list(parameters), (
        f"vector_to_dictionary: expected keys {list(parameters)}; got {list(back)}")
    for key in parameters:
        np.testing.assert_array_equal(back[key], parameters[key],
                                      err_msg=f"vector_to_dictionary: {key} for {layer_dims}")


def test_gradients_to_vector_ignores_dA_dZ_and_follows_theta_order():
    X, Y, parameters = _net(2)
    gradients = _gradients(X, Y, parameters)
    grad = gradients_to_vector(gradients)
    expected = np.concatenate([gradients["d" + k].ravel() for k in KEYS])[:, None]
    np.testing.assert_array_equal(grad, expected, err_msg="gradients_to_vector: dW1, db1, ...")


# forward_propagation_n / backward_propagation_n

def test_forward_and_backward_n_match_torch_autograd():
    X, Y, parameters = _net(3)
    cost, cache = forward_propagation_n(X, Y, parameters)
    gradients = backward_propagation_n(X, Y, cache)
    t = {k: torch.tensor(v, requires_grad=True) for k, v in parameters.items()}
    A1 = torch.relu(t["W1"] @ torch.tensor(X) + t["b1"])
    A2 = torch.relu(t["W2"] @ A1 + t["b2"])
    A3 = torch.sigmoid(t["W3"] @ A2 + t["b3"])
    t_cost = torch.nn.functional.binary_cross_entropy(A3, torch.tensor(Y))
    t_cost.backward()
    assert np.isclose(cost, t_cost.item(), rtol=1e-12), (
        f"forward_propagation_n: expected cost {t_cost.item()} (torch); got {cost}")
    for key in KEYS:
        np.testing.assert_allclose(gradients["d" + key], t[key].grad.numpy(), rtol=1e-10,
                                   atol=1e-12, err_msg=f"backward_propagation_n d{key} vs torch")


def test_backward_n_matches_finite_differences():
    X, Y, parameters = _net(4)
    gradients = _gradients(X, Y, parameters)
    for key in KEYS:
        numeric = numerical_gradient(lambda: forward_propagation_n(X, Y, parameters)[0],
                                     parameters[key])
        assert _relative(gradients["d" + key], numeric) < 1e-7, (
            f"backward_propagation_n: d{key} differs from finite differences: "
            f"{gradients['d' + key].ravel()} vs {numeric.ravel()}")


# gradient_check_n and the planted bug

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_check_n_passes_on_the_right_gradients(seed):
    X, Y, parameters = _net(seed)
    difference = gradient_check_n(parameters, _gradients(X, Y, parameters), X, Y)
    assert isinstance(difference, float) and difference < 1e-7, (
        f"gradient_check_n: expected a float below 1e-7 for backward_propagation_n (seed "
        f"{seed}); got {difference!r}")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_check_n_catches_the_planted_bug(seed):
    X, Y, parameters = _net(seed)
    buggy = _gradients(X, Y, parameters, backward_propagation_n_buggy)
    difference = gradient_check_n(parameters, buggy, X, Y)
    assert difference > 1e-2, (
        f"gradient_check_n: expected a large difference for backward_propagation_n_buggy "
        f"(seed {seed}); got {difference}")


def test_gradient_check_n_value_on_known_wrong_gradients():
    """The difference equals ||g - n|| / (||g|| + ||n||) computed independently."""
    X, Y, parameters = _net(5)
    gradients = _gradients(X, Y, parameters)
    rng = np.random.default_rng(6)
    for key in KEYS:
        gradients["d" + key] = gradients["d" + key] + 0.05 * rng.normal(size=parameters[key].shape)
    numeric = np.concatenate([numerical_gradient(
        lambda: forward_propagation_n(X, Y, parameters)[0], parameters[k]).ravel() for k in KEYS])
    expected = _relative(gradients_to_vector(gradients)[:, 0], numeric)
    got = gradient_check_n(parameters, gradients, X, Y)
    assert np.isclose(got, expected, rtol=1e-6), (
        f"gradient_check_n: expected {expected} for gradients with noise of size 0.05; got {got}")


def test_difference_by_parameter_localizes_the_bug():
    """The planted mistakes sit in dW2 (no 1/m) and dZ1 (a ReLU mask that is always 1)."""
    X, Y, parameters = _net(0)
    right = difference_by_parameter(parameters, _gradients(X, Y, parameters), X, Y)
    wrong = difference_by_parameter(
        parameters, _gradients(X, Y, parameters, backward_propagation_n_buggy), X, Y)
    assert list(right) == KEYS and max(right.values()) < 1e-7, (
        f"difference_by_parameter: expected every difference below 1e-7 for the right "
        f"gradients; got {right}")
    assert {k for k, d in wrong.items() if d > 1e-2} == {"W1", "b1", "W2"}, (
        f"difference_by_parameter: expected W1, b1 and W2 flagged for the buggy gradients; "
        f"got {wrong}")
    # Forgetting 1/m multiplies dW2 by m = 5: the relative difference is (5 - 1) / (5 + 1).
    assert np.isclose(wrong["W2"], 4 / 6, rtol=1e-6), (
        f"difference_by_parameter: expected 2/3 for W2 with m = 5; got {wrong['W2']}")
