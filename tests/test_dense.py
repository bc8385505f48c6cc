"""dlcourse.dense: layers of a deep network, forward and backward, and the two models.

The backward functions are checked against PyTorch autograd (float64) and
against finite differences.
"""

import numpy as np
import pytest
import torch

from dlcourse.checks import numerical_gradient
from dlcourse.dense import (
    deep_model,
    initialize_parameters_deep,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
    model_backward,
    model_forward,
    predict,
    two_layer_model,
    update_parameters,
)
from dlcourse.losses import compute_cost

ACTIVATIONS = {"relu": torch.relu, "sigmoid": torch.sigmoid}


def _layer(seed, n_prev=4, n=3, m=5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_prev, m)), rng.normal(size=(n, n_prev)), rng.normal(size=(n, 1))


def _net(seed, layer_dims=(4, 5, 3, 1), m=6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(layer_dims[0], m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.normal(0, 0.8, size=(layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(0, 0.5, size=(layer_dims[l], 1))
    return X, Y, parameters


def _torch(array):
    return torch.tensor(array, dtype=torch.float64, requires_grad=True)


def _close(name, got, expected, inputs, rtol=1e-10, atol=1e-12):
    expected = np.asarray(expected)
    assert got.shape == expected.shape, (
        f"{name}: expected shape {expected.shape} for {inputs}; got {got.shape}")
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol,
                               err_msg=f"{name} for {inputs}")


# initialize_parameters_deep

def test_initialize_parameters_deep_shapes_and_zero_biases():
    np.random.seed(3)
    parameters = initialize_parameters_deep([5, 4, 3, 1])
    assert sorted(parameters) == ["W1", "W2", "W3", "b1", "b2", "b3"], sorted(parameters)
    for l, (n, n_prev) in enumerate([(4, 5), (3, 4), (1, 3)], start=1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        assert W.shape == (n, n_prev), f"W{l}: expected ({n}, {n_prev}); got {W.shape}"
        assert b.shape == (n, 1), f"b{l}: expected ({n}, 1); got {b.shape}"
        assert W.dtype == np.float64 and b.dtype == np.float64, (W.dtype, b.dtype)
        assert not b.any(), f"b{l} should be zeros; got {b.ravel()}"


def test_initialize_parameters_deep_draws_randn_over_sqrt_fan_in():
    np.random.seed(1)
    parameters = initialize_parameters_deep([3, 2, 1])
    np.random.seed(1)
    W1 = np.random.randn(2, 3) / np.sqrt(3)
    W2 = np.random.randn(1, 2) / np.sqrt(2)
    _close("initialize_parameters_deep W1", parameters["W1"], W1, "seed 1, [3, 2, 1]")
    _close("initialize_parameters_deep W2", parameters["W2"], W2, "seed 1, [3, 2, 1]")


def test_initialize_parameters_deep_keeps_unit_variance_through_wide_layer():
    """The 1/sqrt(n[l-1]) scale keeps W a of unit-variance inputs at about unit variance."""
    np.random.seed(0)
    W = initialize_parameters_deep([2000, 500])["W1"]
    z = W @ np.random.randn(2000, 200)
    assert 0.9 < z.var() < 1.1, f"expected Var(W a) close to 1 for n[0] = 2000; got {z.var():.3f}"


# linear_forward / linear_backward

def test_linear_forward_hand_values():
    A_prev = np.array([[1.0, 2.0], [3.0, -1.0]])
    W = np.array([[1.0, -1.0]])
    b = np.array([[0.5]])
    Z, cache = linear_forward(A_prev, W, b)
    _close("linear_forward", Z, [[-1.5, 3.5]], "A_prev = [[1, 2], [3, -1]], W = [[1, -1]], b = .5")
    assert cache[0] is A_prev and cache[1] is W and cache[2] is b, "cache must be (A_prev, W, b)"


def test_linear_forward_matches_torch():
    A_prev, W, b = _layer(0)
    Z, _ = linear_forward(A_prev, W, b)
    expected = torch.nn.functional.linear(torch.tensor(A_prev.T), torch.tensor(W),
                                          torch.tensor(b[:, 0])).T.numpy()
    _close("linear_forward", Z, expected, "A_prev (4, 5), W (3, 4), b (3, 1)")


def test_linear_backward_matches_torch_autograd():
    A_prev, W, b = _layer(1)
    m = A_prev.shape[1]
    dZ = np.random.default_rng(2).normal(size=(W.shape[0], m))
    dA_prev, dW, db = linear_backward(dZ, (A_prev, W, b))
    tA, tW, tb = _torch(A_prev), _torch(W), _torch(b)
    # linear_backward's dW, db carry the 1/m of a cost averaged over examples, dA_prev does not:
    # they are the gradients of sum(dZ * Z) / m, and m times that for A_prev.
    ((tW @ tA + tb) * torch.tensor(dZ)).sum().div(m).backward()
    _close("linear_backward dW", dW, tW.grad.numpy(), "A_prev (4, 5), W (3, 4)")
    _close("linear_backward db", db, tb.grad.numpy(), "A_prev (4, 5), W (3, 4)")
    _close("linear_backward dA_prev", dA_prev, m * tA.grad.numpy(), "A_prev (4, 5), W (3, 4)")


def test_linear_backward_numerical_gradient():
    A_prev, W, b = _layer(4, n_prev=3, n=2, m=4)
    m = A_prev.shape[1]
    dZ = np.random.default_rng(5).normal(size=(2, m))

    def J():
        return float(np.sum(dZ * linear_forward(A_prev, W, b)[0])) / m

    _, dW, db = linear_backward(dZ, (A_prev, W, b))
    _close("linear_backward dW", dW, numerical_gradient(J, W), "finite differences", 1e-7, 1e-9)
    _close("linear_backward db", db, numerical_gradient(J, b), "finite differences", 1e-7, 1e-9)


# linear_activation_forward / linear_activation_backward

@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_linear_activation_forward_matches_torch(activation):
    A_prev, W, b = _layer(6)
    A, (linear_cache, Z) = linear_activation_forward(A_prev, W, b, activation)
    Z_t = torch.tensor(W) @ torch.tensor(A_prev) + torch.tensor(b)
    _close(f"linear_activation_forward ({activation}) Z", Z, Z_t.numpy(), "A_prev (4, 5)")
    _close(f"linear_activation_forward ({activation})", A, ACTIVATIONS[activation](Z_t).numpy(),
           "A_prev (4, 5)")
    assert linear_cache[0] is A_prev, "cache[0] must be linear_forward's (A_prev, W, b)"


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_linear_activation_backward_matches_torch_autograd(activation):
    A_prev, W, b = _layer(7)
    m = A_prev.shape[1]
    dA = np.random.default_rng(8).normal(size=(W.shape[0], m))
    _, cache = linear_activation_forward(A_prev, W, b, activation)
    dA_prev, dW, db = linear_activation_backward(dA, cache, activation)
    tA, tW, tb = _torch(A_prev), _torch(W), _torch(b)
    (ACTIVATIONS[activation](tW @ tA + tb) * torch.tensor(dA)).sum().div(m).backward()
    where = f"activation={activation}, A_prev (4, 5), W (3, 4)"
    _close("linear_activation_backward dW", dW, tW.grad.numpy(), where)
    _close("linear_activation_backward db", db, tb.grad.numpy(), where)
    _close("linear_activation_backward dA_prev", dA_prev, m * tA.grad.numpy(), where)


def test_relu_layer_passes_no_gradient_through_inactive_units():
    A_prev = np.array([[1.0], [2.0]])
    W = np.array([[1.0, 1.0], [-1.0, -1.0]])  # unit 2 has Z = -3 < 0
    b = np.zeros((2, 1))
    _, cache = linear_activation_forward(A_prev, W, b, "relu")
    dA_prev, dW, db = linear_activation_backward(np.ones((2, 1)), cache, "relu")
    _close("linear_activation_backward dW", dW, [[1.0, 2.0], [0.0, 0.0]], "unit 2 inactive")
    _close("linear_activation_backward db", db, [[1.0], [0.0]], "unit 2 inactive")
    _close("linear_activation_backward dA_prev", dA_prev, [[1.0], [1.0]], "unit 2 inactive")


# model_forward / compute_cost / model_backward

def _torch_cost_and_grads(X, Y, parameters):
    L = len(parameters) // 2
    tensors = {k: _torch(v) for k, v in parameters.items()}
    A = torch.tensor(X)
    for l in range(1, L + 1):
        Z = tensors[f"W{l}"] @ A + tensors[f"b{l}"]
        A = torch.sigmoid(Z) if l == L else torch.relu(Z)
    cost = torch.nn.functional.binary_cross_entropy(A, torch.tensor(Y))
    cost.backward()
    return A.detach().numpy(), cost.item(), {f"d{k}": t.grad.numpy() for k, t in tensors.items()}


def test_model_forward_shapes_and_caches():
    X, _, parameters = _net(9)
    AL, caches = model_forward(X, parameters)
    assert AL.shape == (1, 6), f"expected AL (1, 6) for X (4, 6); got {AL.shape}"
    assert len(caches) == 3, f"expected one cache per layer (3); got {len(caches)}"
    assert np.all((AL > 0) & (AL < 1)), f"AL must be probabilities; got {AL}"
    assert caches[0][0][0] is X, "the first cache's A_prev must be X"


def test_model_forward_cost_and_backward_match_torch_autograd():
    X, Y, parameters = _net(10)
    AL, caches = model_forward(X, parameters)
    AL_t, cost_t, grads_t = _torch_cost_and_grads(X, Y, parameters)
    _close("model_forward", AL, AL_t, "3-layer net [4, 5, 3, 1], m = 6")
    cost = compute_cost(AL, Y)
    assert isinstance(cost, float), f"compute_cost should return a float; got {type(cost)}"
    assert cost == pytest.approx(cost_t, rel=1e-10), f"cost {cost} vs torch {cost_t}"
    grads = model_backward(AL, Y, caches)
    assert sorted(grads) == sorted([f"{p}{l}" for l in (1, 2, 3) for p in ("dW", "db")]
                                   + ["dA0", "dA1", "dA2"]), sorted(grads)
    for key, expected in grads_t.items():
        _close(f"model_backward {key}", grads[key], expected, "3-layer net [4, 5, 3, 1]")


def test_model_backward_numerical_gradient():
    X, Y, parameters = _net(11, layer_dims=(3, 4, 2, 1), m=5)
    AL, caches = model_forward(X, parameters)
    grads = model_backward(AL, Y, caches)

    def J():
        return compute_cost(model_forward(X, parameters)[0], Y)

    for key, value in parameters.items():
        numeric = numerical_gradient(J, value)
        error = np.linalg.norm(grads[f"d{key}"] - numeric) / (
            np.linalg.norm(grads[f"d{key}"]) + np.linalg.norm(numeric))
        assert error < 1e-7, f"model_backward d{key}: relative error {error:.2e} vs finite diffs"


def test_model_backward_dA0_is_gradient_with_respect_to_X():
    X, Y, parameters = _net(12, layer_dims=(3, 4, 1), m=4)
    AL, caches = model_forward(X, parameters)
    grads = model_backward(AL, Y, caches)

    def J():
        return compute_cost(model_forward(X, parameters)[0], Y)

    # dA0 is per example (no 1/m): m times the gradient of the averaged cost.
    _close("model_backward dA0", grads["dA0"], X.shape[1] * numerical_gradient(J, X),
           "[3, 4, 1], m = 4", 1e-6, 1e-8)


# update_parameters

def test_update_parameters_values_and_no_mutation():
    parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]]),
                  "W2": np.array([[-1.0]]), "b2": np.array([[0.0]])}
    grads = {"dW1": np.array([[0.1, -0.2]]), "db1": np.array([[1.0]]),
             "dW2": np.array([[2.0]]), "db2": np.array([[-3.0]])}
    new = update_parameters(parameters, grads, 0.5)
    expected = {"W1": [[0.95, 2.1]], "b1": [[0.0]], "W2": [[-2.0]], "b2": [[1.5]]}
    for key, value in expected.items():
        _close(f"update_parameters {key}", new[key], value, "learning_rate 0.5")
    _close("update_parameters must not change its input", parameters["W1"], [[1.0, 2.0]], "")


# two_layer_model / deep_model / predict

def _xor_like(seed, m=120):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(2, m))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    return X, Y


def test_deep_model_cost_falls_and_fits_a_nonlinear_problem():
    np.random.seed(2)
    X, Y = _xor_like(0)
    parameters, costs = deep_model(X, Y, [2, 8, 4, 1], learning_rate=0.2, num_iterations=1500)
    assert len(costs) == 15, f"expected a cost every 100 iterations (15); got {len(costs)}"
    assert costs[-1] < 0.5 * costs[0], f"cost should at least halve; got {costs[0]} -> {costs[-1]}"
    accuracy = float(np.mean(predict(X, parameters) == Y))
    assert accuracy > 0.9, f"expected > 90% training accuracy on an XOR pattern; got {accuracy}"


def test_two_layer_model_equals_deep_model_with_one_hidden_layer():
    """Same seed, same architecture: the hand-written two-layer loop and the general one agree."""
    X, Y = _xor_like(1, m=40)
    np.random.seed(4)
    p2, c2 = two_layer_model(X, Y, (2, 5, 1), learning_rate=0.1, num_iterations=300)
    np.random.seed(4)
    pL, cL = deep_model(X, Y, [2, 5, 1], learning_rate=0.1, num_iterations=300)
    np.testing.assert_allclose(c2, cL, rtol=1e-10, err_msg="costs of the two models")
    for key in pL:
        _close(f"two_layer_model {key}", p2[key], pL[key], "[2, 5, 1], 300 iterations")


def test_predict_returns_integer_labels():
    X, _, parameters = _net(13)
    labels = predict(X, parameters)
    assert labels.shape == (1, 6) and labels.dtype.kind == "i", (labels.shape, labels.dtype)
    AL, _ = model_forward(X, parameters)
    np.testing.assert_array_equal(labels, (AL > 0.5).astype(int))
