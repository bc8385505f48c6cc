"""dlcourse.init: the three initializers and the training helper of c2w1a1.

The initializers are compared with their formulas and with PyTorch's
``kaiming_normal_`` (He) scale; the helper's cost and gradients with
``losses.compute_cost``, ``dense.model_backward``, finite differences and autograd.
"""

import numpy as np
import pytest
import torch

from dlcourse.activations import sigmoid
from dlcourse.checks import numerical_gradient
from dlcourse.data import make_circles
from dlcourse.dense import model_backward, model_forward
from dlcourse.init import (
    backward_from_logits,
    cross_entropy_from_logits,
    initialize_parameters_he,
    initialize_parameters_random,
    initialize_parameters_zeros,
    model,
    normalize_inputs,
    predict,
)
from dlcourse.losses import compute_cost

INITIALIZERS = [initialize_parameters_zeros, initialize_parameters_random,
                initialize_parameters_he]


def _net(seed, layer_dims=(3, 4, 2, 1), m=5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(layer_dims[0], m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.normal(0, 0.8, size=(layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(0, 0.5, size=(layer_dims[l], 1))
    return X, Y, parameters


# Shapes, dtypes and zero biases, for all three

@pytest.mark.parametrize("initialize", INITIALIZERS, ids=lambda f: f.__name__)
def test_initializer_shapes_dtypes_and_zero_biases(initialize):
    np.random.seed(0)
    layer_dims = [5, 4, 3, 1]
    parameters = initialize(layer_dims)
    assert sorted(parameters) == ["W1", "W2", "W3", "b1", "b2", "b3"], (
        f"{initialize.__name__}: expected keys W1..W3, b1..b3; got {sorted(parameters)}")
    for l in range(1, 4):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        expected_W = (layer_dims[l], layer_dims[l - 1])
        assert W.shape == expected_W, (
            f"{initialize.__name__}: expected W{l}.shape {expected_W} for {layer_dims}; "
            f"got {W.shape}")
        assert b.shape == (layer_dims[l], 1), (
            f"{initialize.__name__}: expected b{l}.shape ({layer_dims[l]}, 1); got {b.shape}")
        assert W.dtype == np.float64 and b.dtype == np.float64, (
            f"{initialize.__name__}: expected float64 arrays; got {W.dtype}, {b.dtype}")
        assert not b.any(), f"{initialize.__name__}: b{l} should be zeros; got {b.ravel()}"


def test_initialize_parameters_zeros_is_all_zeros():
    parameters = initialize_parameters_zeros([2, 10, 5, 1])
    nonzero = {k: int(np.count_nonzero(v)) for k, v in parameters.items() if v.any()}
    assert not nonzero, f"initialize_parameters_zeros([2, 10, 5, 1]): non-zero entries {nonzero}"


def test_initialize_parameters_random_is_randn_times_10_in_layer_order():
    np.random.seed(3)
    parameters = initialize_parameters_random([3, 2, 1])
    np.random.seed(3)
    W1, W2 = np.random.randn(2, 3) * 10, np.random.randn(1, 2) * 10
    np.testing.assert_allclose(parameters["W1"], W1, rtol=1e-12,
                               err_msg="initialize_parameters_random W1, seed 3, [3, 2, 1]")
    np.testing.assert_allclose(parameters["W2"], W2, rtol=1e-12,
                               err_msg="initialize_parameters_random W2, seed 3, [3, 2, 1]")
    np.testing.assert_allclose(parameters["W1"][0], [17.88628473, 4.36509851, 0.96497468],
                               rtol=1e-8, err_msg="the values pasted in the notebook's test")


def test_initialize_parameters_he_is_randn_times_sqrt_2_over_fan_in():
    np.random.seed(3)
    parameters = initialize_parameters_he([2, 4, 1])
    np.random.seed(3)
    W1 = np.random.randn(4, 2) * np.sqrt(2 / 2)
    W2 = np.random.randn(1, 4) * np.sqrt(2 / 4)
    np.testing.assert_allclose(parameters["W1"], W1, rtol=1e-12,
                               err_msg="initialize_parameters_he W1, seed 3, [2, 4, 1]")
    np.testing.assert_allclose(parameters["W2"], W2, rtol=1e-12,
                               err_msg="initialize_parameters_he W2, seed 3, [2, 4, 1]")


def test_initialize_parameters_he_matches_torch_kaiming_normal_scale():
    """PyTorch's kaiming_normal_ (fan_in, relu) draws N(0, 2 / fan_in): same spread as ours."""
    np.random.seed(0)
    W = initialize_parameters_he([800, 400])["W1"]
    torch.manual_seed(0)
    W_torch = torch.nn.init.kaiming_normal_(torch.empty(400, 800, dtype=torch.float64),
                                            mode="fan_in", nonlinearity="relu").numpy()
    # 320 000 draws each: their standard deviations agree to well under 1 %.
    assert abs(W.std() / W_torch.std() - 1) < 0.01, (
        f"initialize_parameters_he([800, 400]): std {W.std():.5f}, torch kaiming_normal_ "
        f"{W_torch.std():.5f}, expected both sqrt(2/800) = {np.sqrt(2 / 800):.5f}")
    assert abs(W.mean()) < 0.01 * W.std(), f"expected mean about 0; got {W.mean():.5f}"


def test_he_keeps_the_spread_of_z_through_a_deep_relu_net():
    """He keeps Var(Z) about constant over 10 ReLU layers (Xavier's 1/n halves it per layer)."""
    np.random.seed(0)
    parameters = initialize_parameters_he([200] * 11)
    A = np.random.randn(200, 1000)
    spreads = []
    for l in range(1, 11):
        Z = parameters[f"W{l}"] @ A
        spreads.append(Z.std())
        A = np.maximum(Z, 0)
    ratio = spreads[-1] / spreads[1]
    assert 0.6 < ratio < 1.6, (
        f"std of Z[10] / std of Z[2] under He: expected about 1; got {ratio:.3f}")


def test_large_random_init_saturates_the_output():
    np.random.seed(3)
    X, _ = make_circles(300, noise=0.05, factor=0.8, seed=1)
    with np.errstate(over="ignore"):
        AL, _ = model_forward(X, initialize_parameters_random([2, 10, 5, 1]))
    saturated = np.mean((AL == 0) | (AL == 1))
    assert saturated > 0.9, (
        f"expected most outputs exactly 0 or 1 at a x10 init; got {saturated:.0%}")


# The training helper: cost and gradients from the logits

def test_cross_entropy_from_logits_equals_compute_cost_where_both_are_finite():
    rng = np.random.default_rng(0)
    Z = rng.normal(0, 3, size=(1, 20))
    Y = rng.integers(0, 2, size=(1, 20))
    got, expected = cross_entropy_from_logits(Z, Y), compute_cost(sigmoid(Z), Y)
    assert isinstance(got, float), f"expected a Python float; got {type(got).__name__}"
    assert np.isclose(got, expected, rtol=1e-12), (
        f"cross_entropy_from_logits: expected compute_cost(sigmoid(Z), Y) = {expected}; got {got}")


def test_cross_entropy_from_logits_matches_torch_for_saturated_scores():
    Z = np.array([[-800.0, -40.0, 0.0, 35.0, 1200.0]])
    Y = np.array([[1.0, 1.0, 0.0, 0.0, 0.0]])
    expected = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.tensor(Z), torch.tensor(Y)).item()
    got = cross_entropy_from_logits(Z, Y)
    assert np.isfinite(got) and np.isclose(got, expected, rtol=1e-12), (
        f"cross_entropy_from_logits for Z = {Z.ravel()}: expected torch's {expected}; got {got}")


def test_backward_from_logits_equals_model_backward():
    X, Y, parameters = _net(1)
    AL, caches = model_forward(X, parameters)
    got, expected = backward_from_logits(AL, Y, caches), model_backward(AL, Y, caches)
    for key in got:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-10, atol=1e-12,
                                   err_msg=f"backward_from_logits {key} vs model_backward")
    assert sorted(got) == ["dW1", "dW2", "dW3", "db1", "db2", "db3"], sorted(got)


def test_backward_from_logits_is_the_gradient_of_cross_entropy_from_logits():
    X, Y, parameters = _net(2)
    AL, caches = model_forward(X, parameters)
    grads = backward_from_logits(AL, Y, caches)
    for key in ["W1", "b1", "W2", "b2", "W3", "b3"]:
        numeric = numerical_gradient(
            lambda: cross_entropy_from_logits(model_forward(X, parameters)[1][-1][1], Y),
            parameters[key])
        np.testing.assert_allclose(grads["d" + key], numeric, rtol=1e-5, atol=1e-8,
                                   err_msg=f"backward_from_logits d{key} vs finite differences")


def test_backward_from_logits_stays_finite_when_saturated():
    X, _ = make_circles(50, noise=0.05, factor=0.8, seed=3)
    Y = np.ones((1, 50))
    np.random.seed(3)
    parameters = initialize_parameters_random([2, 10, 5, 1])
    with np.errstate(over="ignore"):
        AL, caches = model_forward(X, parameters)
    grads = backward_from_logits(AL, Y, caches)
    bad = [k for k, v in grads.items() if not np.all(np.isfinite(v))]
    assert not bad, f"backward_from_logits at a saturated x10 init: non-finite {bad}"


def test_model_short_run_records_costs_and_lowers_the_cost():
    X, Y = make_circles(100, noise=0.05, factor=0.8, seed=1)
    np.random.seed(3)
    parameters, costs = model(X, Y, initialize_parameters_he, [2, 10, 5, 1], learning_rate=0.05,
                              num_iterations=1001)
    assert len(costs) == 11, f"expected a cost every 100 iterations (11 for 1001); got {len(costs)}"
    assert costs[-1] < costs[0], f"expected the cost to fall; got {costs[0]:.4f} -> {costs[-1]:.4f}"
    assert predict(X, parameters).shape == (1, 100)


@pytest.mark.slow
def test_notebook_targets_zeros_at_chance_he_at_least_95_percent():
    """The c2w1a1 experiment: zeros stays at 50 %, large random in between, He >= 95 % on test."""
    X_train, Y_train = make_circles(300, noise=0.05, factor=0.8, seed=1)
    X_test, Y_test = make_circles(100, noise=0.05, factor=0.8, seed=2)
    accuracy = {}
    for initialize in INITIALIZERS:
        np.random.seed(3)
        parameters, _ = model(X_train, Y_train, initialize, [2, 10, 5, 1], learning_rate=0.01,
                              num_iterations=15000)
        accuracy[initialize.__name__] = float(np.mean(predict(X_test, parameters) == Y_test))
    assert accuracy["initialize_parameters_zeros"] == 0.5, accuracy
    assert accuracy["initialize_parameters_he"] >= 0.95, accuracy
    assert (accuracy["initialize_parameters_zeros"] < accuracy["initialize_parameters_random"]
            < accuracy["initialize_parameters_he"]), accuracy


# normalize_inputs: the training set's statistics, applied to the test set

def test_normalize_inputs_shapes_statistics_and_test_set_uses_training_statistics():
    rng = np.random.default_rng(7)
    X_train = rng.normal([[150.0], [-2.0], [0.0]], [[40.0], [0.3], [1e-3]], size=(3, 200))
    X_test = rng.normal(5.0, 2.0, size=(3, 7))
    X_train_norm, X_test_norm, mu, sigma2 = normalize_inputs(X_train, X_test)
    for name, value, shape in [("X_train_norm", X_train_norm, (3, 200)),
                               ("X_test_norm", X_test_norm, (3, 7)), ("mu", mu, (3, 1)),
                               ("sigma2", sigma2, (3, 1))]:
        assert value.shape == shape, (
            f"normalize_inputs: expected {name}.shape {shape}; got {value.shape}")
    np.testing.assert_allclose(X_train_norm.mean(axis=1), 0, atol=1e-12,
                               err_msg="normalize_inputs: training features should have mean 0")
    np.testing.assert_allclose(X_train_norm.var(axis=1), 1, rtol=1e-12,
                               err_msg="normalize_inputs: training features should have variance 1")
    np.testing.assert_allclose(mu.ravel(), X_train.mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(sigma2.ravel(), X_train.var(axis=1), rtol=1e-12)
    np.testing.assert_allclose(X_test_norm, (X_test - mu) / np.sqrt(sigma2), rtol=1e-12,
                               err_msg="normalize_inputs: the test set must use the training "
                                       "set's mu and sigma2")
    # A single test example equal to a training one lands where that training example did.
    _, one, _, _ = normalize_inputs(X_train, X_train[:, 5:6])
    np.testing.assert_allclose(one, X_train_norm[:, 5:6], rtol=1e-12)
