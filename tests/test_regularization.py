"""dlcourse.regularization: L2 cost and gradients, inverted dropout forward and backward.

Gradients are checked against finite differences and against PyTorch autograd
(float64): the L2 cost as cross-entropy plus a weight penalty, dropout with the
masks of the forward pass held fixed.
"""

import numpy as np
import pytest
import torch

from dlcourse.checks import numerical_gradient
from dlcourse.dense import model_forward
from dlcourse.losses import compute_cost
from dlcourse.regularization import (
    backward_propagation,
    backward_propagation_with_dropout,
    backward_propagation_with_l1,
    backward_propagation_with_regularization,
    compute_cost_with_l1,
    compute_cost_with_regularization,
    forward_propagation,
    forward_propagation_with_dropout,
    model,
    predict,
)

KEYS = ["W1", "b1", "W2", "b2", "W3", "b3"]


def _net(seed, sizes=(3, 5, 4), m=7):
    """X (n0, m), Y (1, m) and parameters of a [n0, n1, n2, 1] net with no Z near 0."""
    rng = np.random.default_rng(seed)
    n0, n1, n2 = sizes
    X = rng.normal(size=(n0, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    parameters = {}
    for l, (n, n_prev) in enumerate(((n1, n0), (n2, n1), (1, n2)), start=1):
        parameters[f"W{l}"] = rng.normal(0, 0.8, size=(n, n_prev))
        parameters[f"b{l}"] = rng.normal(0.3, 0.5, size=(n, 1))
    return X, Y, parameters


def _torch_cost(X, Y, parameters, lambd=0.0, masks=None, keep_prob=1.0):
    """Cross-entropy (+ L2 penalty) of the net in torch; returns (cost, leaf tensors by key)."""
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
         for k, v in parameters.items()}
    A = torch.tensor(X)
    for l in (1, 2):
        A = torch.relu(t[f"W{l}"] @ A + t[f"b{l}"])
        if masks is not None:
            A = A * torch.tensor(masks[l - 1], dtype=torch.float64) / keep_prob
    Z3 = t["W3"] @ A + t["b3"]
    m = X.shape[1]
    cost = torch.nn.functional.binary_cross_entropy_with_logits(Z3, torch.tensor(Y))
    cost = cost + lambd / (2 * m) * sum((t[f"W{l}"] ** 2).sum() for l in (1, 2, 3))
    return cost, t


def _assert_grads(name, grads, expected, inputs, rtol=1e-8, atol=1e-10):
    assert sorted(grads) == sorted("d" + k for k in KEYS), (
        f"{name}: expected keys {sorted('d' + k for k in KEYS)} for {inputs}; got {sorted(grads)}")
    for key in KEYS:
        got = grads["d" + key]
        assert got.shape == expected[key].shape, (
            f"{name}: expected d{key}.shape {expected[key].shape} for {inputs}; got {got.shape}")
        np.testing.assert_allclose(got, expected[key], rtol=rtol, atol=atol,
                                   err_msg=f"{name}: d{key} for {inputs}")


# The unregularized helpers

def test_forward_propagation_matches_dense_model_forward():
    X, _, parameters = _net(0)
    A3, cache = forward_propagation(X, parameters)
    expected, _ = model_forward(X, parameters)
    np.testing.assert_allclose(A3, expected, rtol=1e-12, err_msg="forward_propagation vs dense")
    names = ["Z1", "A1", "W1", "b1", "Z2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3"]
    assert isinstance(cache, dict) and sorted(cache) == sorted(names), (
        f"forward_propagation: expected a cache dict with keys {sorted(names)}; got "
        f"{sorted(cache) if isinstance(cache, dict) else type(cache).__name__}")
    assert cache["A3"] is A3, "forward_propagation: cache['A3'] should be the returned A3"


def test_backward_propagation_matches_torch_autograd():
    X, Y, parameters = _net(1)
    _, cache = forward_propagation(X, parameters)
    cost, t = _torch_cost(X, Y, parameters)
    cost.backward()
    _assert_grads("backward_propagation", backward_propagation(X, Y, cache),
                  {k: t[k].grad.numpy() for k in KEYS}, "_net(1)")


# compute_cost_with_regularization

def test_compute_cost_with_regularization_hand_value():
    A3 = np.array([[0.5, 0.5]])
    Y = np.array([[1.0, 0.0]])
    parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[7.0]]),
                  "W2": np.array([[3.0]]), "b2": np.array([[7.0]]),
                  "W3": np.array([[-1.0]]), "b3": np.array([[7.0]])}
    # log 2 from the cross-entropy, plus 0.4 / (2 * 2) * (1 + 4 + 9 + 1) = 1.5; biases ignored.
    got = compute_cost_with_regularization(A3, Y, parameters, 0.4)
    assert isinstance(got, float), f"expected a Python float; got {type(got).__name__}"
    assert np.isclose(got, np.log(2) + 1.5, rtol=1e-12), (
        f"compute_cost_with_regularization(A3 = [[.5, .5]], Y = [[1, 0]], sum W^2 = 15, "
        f"lambd = 0.4): expected log 2 + 1.5 = {np.log(2) + 1.5}; got {got}")


def test_compute_cost_with_regularization_is_compute_cost_when_lambd_is_0():
    X, Y, parameters = _net(2)
    A3, _ = forward_propagation(X, parameters)
    got, expected = compute_cost_with_regularization(A3, Y, parameters, 0.0), compute_cost(A3, Y)
    assert np.isclose(got, expected, rtol=1e-12), f"lambd = 0: expected {expected}; got {got}"


def test_compute_cost_with_regularization_matches_torch():
    X, Y, parameters = _net(3)
    A3, _ = forward_propagation(X, parameters)
    expected, _ = _torch_cost(X, Y, parameters, lambd=0.7)
    got = compute_cost_with_regularization(A3, Y, parameters, 0.7)
    assert np.isclose(got, expected.item(), rtol=1e-10), (
        f"compute_cost_with_regularization, _net(3), lambd = 0.7: expected torch's "
        f"{expected.item()}; got {got}")


# backward_propagation_with_regularization

def test_backward_propagation_with_regularization_matches_torch_autograd():
    X, Y, parameters = _net(4)
    _, cache = forward_propagation(X, parameters)
    cost, t = _torch_cost(X, Y, parameters, lambd=0.7)
    cost.backward()
    _assert_grads("backward_propagation_with_regularization",
                  backward_propagation_with_regularization(X, Y, cache, 0.7),
                  {k: t[k].grad.numpy() for k in KEYS}, "_net(4), lambd = 0.7")


def test_backward_propagation_with_regularization_is_the_gradient_of_the_regularized_cost():
    X, Y, parameters = _net(5)
    lambd = 1.3
    _, cache = forward_propagation(X, parameters)
    grads = backward_propagation_with_regularization(X, Y, cache, lambd)

    def cost():
        return compute_cost_with_regularization(forward_propagation(X, parameters)[0], Y,
                                                parameters, lambd)

    for key in KEYS:
        numeric = numerical_gradient(cost, parameters[key])
        np.testing.assert_allclose(grads["d" + key], numeric, rtol=1e-5, atol=1e-8,
                                   err_msg=f"d{key} vs finite differences, lambd = 1.3")


def test_l2_adds_lambd_over_m_times_w_and_leaves_biases_alone():
    X, Y, parameters = _net(6)
    m = X.shape[1]
    _, cache = forward_propagation(X, parameters)
    plain = backward_propagation(X, Y, cache)
    regularized = backward_propagation_with_regularization(X, Y, cache, 2.0)
    for l in (1, 2, 3):
        np.testing.assert_allclose(regularized[f"dW{l}"] - plain[f"dW{l}"],
                                   2.0 / m * parameters[f"W{l}"], rtol=1e-10, atol=1e-12,
                                   err_msg=f"dW{l}: the L2 term should be (lambd / m) W{l}")
        np.testing.assert_array_equal(regularized[f"db{l}"], plain[f"db{l}"],
                                      err_msg=f"db{l} must not depend on lambd")


# forward_propagation_with_dropout

def test_forward_propagation_with_dropout_shapes_dtypes_and_masks():
    X, _, parameters = _net(7)
    np.random.seed(0)
    A3, cache = forward_propagation_with_dropout(X, parameters, keep_prob=0.6)
    assert A3.shape == (1, 7), f"expected A3.shape (1, 7); got {A3.shape}"
    names = ["Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3"]
    assert isinstance(cache, dict) and sorted(cache) == sorted(names), (
        f"forward_propagation_with_dropout: expected a cache dict with keys {sorted(names)}; "
        f"got {sorted(cache) if isinstance(cache, dict) else type(cache).__name__}")
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2 = (cache[k] for k in names[:10])
    assert D1.shape == (5, 7) and D2.shape == (4, 7), (D1.shape, D2.shape)
    assert D1.dtype == bool and D2.dtype == bool, f"expected boolean masks; got {D1.dtype}"
    # The masks are the first two np.random.rand draws after the seed, in this order.
    np.random.seed(0)
    np.testing.assert_array_equal(D1, np.random.rand(5, 7) < 0.6, err_msg="D1 after seed 0")
    np.testing.assert_array_equal(D2, np.random.rand(4, 7) < 0.6, err_msg="D2 after seed 0")
    np.testing.assert_allclose(A1, np.maximum(Z1, 0) * D1 / 0.6, rtol=1e-12,
                               err_msg="A1 = relu(Z1) * D1 / keep_prob")
    np.testing.assert_allclose(Z2, W2 @ A1 + b2, rtol=1e-12, err_msg="Z2 = W2 A1 + b2 (A1 dropped)")
    np.testing.assert_allclose(A2, np.maximum(Z2, 0) * D2 / 0.6, rtol=1e-12,
                               err_msg="A2 = relu(Z2) * D2 / keep_prob")


def test_forward_propagation_with_dropout_keep_prob_1_is_the_plain_forward():
    X, _, parameters = _net(8)
    np.random.seed(1)
    A3, cache = forward_propagation_with_dropout(X, parameters, keep_prob=1.0)
    np.testing.assert_allclose(A3, forward_propagation(X, parameters)[0], rtol=1e-12,
                               err_msg="keep_prob = 1 must keep every unit")
    assert cache["D1"].all() and cache["D2"].all(), (
        "keep_prob = 1: every mask entry should be True")


def test_inverted_dropout_keeps_the_expected_activation():
    """Averaged over many masks, A1 after inverted dropout is relu(Z1), and about keep_prob of
    the units are kept."""
    X, _, parameters = _net(9, m=4)
    _, plain = forward_propagation(X, parameters)
    np.random.seed(2)
    draws = [forward_propagation_with_dropout(X, parameters, 0.7)[1] for _ in range(4000)]
    mean_A1 = np.mean([cache["A1"] for cache in draws], axis=0)
    kept = np.mean([cache["D1"].mean() for cache in draws])
    np.testing.assert_allclose(mean_A1, plain["A1"], rtol=0.06, atol=0.02,
                               err_msg="mean of A1 over 4000 masks vs relu(Z1)")
    assert abs(kept - 0.7) < 0.01, f"expected about 70 % of units kept; got {kept:.3f}"


# backward_propagation_with_dropout

def test_backward_propagation_with_dropout_matches_torch_autograd_with_the_same_masks():
    X, Y, parameters = _net(10)
    np.random.seed(3)
    _, cache = forward_propagation_with_dropout(X, parameters, 0.8)
    cost, t = _torch_cost(X, Y, parameters, masks=(cache["D1"], cache["D2"]), keep_prob=0.8)
    cost.backward()
    _assert_grads("backward_propagation_with_dropout",
                  backward_propagation_with_dropout(X, Y, cache, 0.8),
                  {k: t[k].grad.numpy() for k in KEYS}, "_net(10), keep_prob = 0.8, seed 3")


def test_backward_propagation_with_dropout_is_the_gradient_with_fixed_masks():
    X, Y, parameters = _net(11)
    np.random.seed(4)
    _, cache = forward_propagation_with_dropout(X, parameters, 0.6)
    grads = backward_propagation_with_dropout(X, Y, cache, 0.6)

    def cost_with_the_same_masks():
        np.random.seed(4)  # redraws D1, D2 exactly
        return compute_cost(forward_propagation_with_dropout(X, parameters, 0.6)[0], Y)

    for key in KEYS:
        numeric = numerical_gradient(cost_with_the_same_masks, parameters[key])
        np.testing.assert_allclose(grads["d" + key], numeric, rtol=1e-5, atol=1e-8,
                                   err_msg=f"d{key} vs finite differences, keep_prob = 0.6")


def test_backward_propagation_with_dropout_keep_prob_1_is_the_plain_backward():
    X, Y, parameters = _net(12)
    np.random.seed(5)
    _, cache = forward_propagation_with_dropout(X, parameters, 1.0)
    _, plain_cache = forward_propagation(X, parameters)
    expected = backward_propagation(X, Y, plain_cache)
    _assert_grads("backward_propagation_with_dropout",
                  backward_propagation_with_dropout(X, Y, cache, 1.0), {k: expected["d" + k]
                                                                         for k in KEYS},
                  "keep_prob = 1", rtol=1e-12)


def test_a_unit_dropped_for_every_example_gets_no_gradient():
    X, Y, parameters = _net(13)
    np.random.seed(6)
    _, cache = forward_propagation_with_dropout(X, parameters, 0.7)
    D2 = cache["D2"].copy()
    D2[1] = False  # unit 2 of layer 2 dropped everywhere: it and its weights are out of the net
    cache = {**cache, "D2": D2, "A2": np.maximum(cache["Z2"], 0) * D2 / 0.7}
    grads = backward_propagation_with_dropout(X, Y, cache, 0.7)
    assert not grads["dW2"][1].any() and not grads["db2"][1].any(), grads["dW2"][1]
    assert grads["dW3"][0, 1] == 0, f"expected dW3[0, 1] = 0; got {grads['dW3'][0, 1]}"


# model

def test_model_records_costs_and_rejects_l2_with_dropout():
    X, Y, _ = _net(14, m=40)
    np.random.seed(0)
    parameters, costs = model(X, Y, learning_rate=0.1, num_iterations=301, lambd=0.5,
                              layer_dims=(3, 5, 4, 1))
    assert len(costs) == 4 and costs[-1] < costs[0], costs
    assert predict(X, parameters).shape == (1, 40)
    with pytest.raises(AssertionError):
        model(X, Y, num_iterations=1, lambd=0.5, keep_prob=0.5, layer_dims=(3, 5, 4, 1))


def make_field(m, flip=0.1):
    """The c2w1a2 notebook's data (copied from its setup cell): points uniform in
    [-1, 1]^2, label 1 above x2 = 0.35 sin(2.5 x1), then a share `flip` of labels flipped."""
    X = np.random.rand(2, m) * 2 - 1
    Y = X[1] > 0.35 * np.sin(2.5 * X[0])
    Y = Y ^ (np.random.rand(m) < flip)
    return X, Y.reshape(1, m).astype(float)


@pytest.mark.slow
@pytest.mark.parametrize("data_seed", [1, 2])
def test_notebook_target_l2_and_dropout_each_beat_no_regularization_on_test(data_seed):
    """c2w1a2's experiment (seed 1 is the notebook's): both regularizers raise test accuracy."""
    np.random.seed(data_seed)
    X_train, Y_train = make_field(150)
    X_test, Y_test = make_field(1000)
    accuracy = {}
    for name, options in [("none", {}), ("L2", {"lambd": 0.7}), ("dropout", {"keep_prob": 0.5})]:
        np.random.seed(3)
        parameters, _ = model(X_train, Y_train, learning_rate=0.3, num_iterations=15000,
                              layer_dims=(2, 40, 20, 1), **options)
        accuracy[name] = float(np.mean(predict(X_test, parameters) == Y_test))
    assert accuracy["L2"] >= accuracy["none"] + 0.02, accuracy
    assert accuracy["dropout"] >= accuracy["none"] + 0.02, accuracy



# L1 (not graded): its gradient, and the model's penalty="L1"

def test_l1_gradient_matches_finite_differences_and_model_l1_sparsifies():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(3, 6))
    Y = rng.integers(0, 2, size=(1, 6)).astype(float)
    parameters = {"W1": rng.normal(size=(4, 3)), "b1": rng.normal(size=(4, 1)),
                  "W2": rng.normal(size=(3, 4)), "b2": rng.normal(size=(3, 1)),
                  "W3": rng.normal(size=(1, 3)), "b3": rng.normal(size=(1, 1))}
    _, cache = forward_propagation(X, parameters)
    grads = backward_propagation_with_l1(X, Y, cache, 0.8)
    for key in parameters:
        numeric = numerical_gradient(
            lambda: compute_cost_with_l1(forward_propagation(X, parameters)[0], Y, parameters,
                                         0.8), parameters[key])
        np.testing.assert_allclose(grads["d" + key], numeric, rtol=1e-5, atol=1e-8,
                                   err_msg=f"backward_propagation_with_l1: d{key}")
    Xm = rng.uniform(-1, 1, size=(2, 60))
    Ym = (Xm[1:] > 0).astype(float)
    np.random.seed(0)
    trained, _ = model(Xm, Ym, num_iterations=1500, lambd=1.0, penalty="L1",
                       layer_dims=(2, 10, 5, 1))
    weights = np.concatenate([np.abs(trained[f"W{l}"]).ravel() for l in (1, 2, 3)])
    assert np.mean(weights < 0.02) > 0.5, (
        f"model(penalty='L1'): expected most weights near 0; got {np.mean(weights < 0.02):.0%}")
