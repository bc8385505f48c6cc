"""dlcourse.batchnorm: batch normalization forward/backward and the network built with it.

batchnorm_forward and batchnorm_backward are checked against torch.nn.BatchNorm1d in
float64 (the course's (n, m) layout transposed to torch's (m, n); torch's momentum is
1 - ours), including the running averages over several steps and the eval-mode output,
and against finite differences.
"""

import numpy as np
import pytest
import torch

from dlcourse.batchnorm import (
    batchnorm_backward,
    batchnorm_forward,
    initialize_network,
    model,
    network_backward,
    network_forward,
    predict,
)
from dlcourse.checks import numerical_gradient


def _layer(seed, n=4, m=7):
    """Z (n, m) with rows of different means and scales, gamma and beta (n, 1)."""
    rng = np.random.default_rng(seed)
    Z = rng.normal(rng.normal(0, 3, size=(n, 1)), rng.uniform(0.5, 4, size=(n, 1)), size=(n, m))
    return Z, rng.normal(1, 0.5, size=(n, 1)), rng.normal(0, 1, size=(n, 1))


def _fresh_running(n):
    return np.zeros((n, 1)), np.ones((n, 1))


# shapes, hand values, properties

def test_forward_shapes_and_dtypes_in_both_modes():
    Z, gamma, beta = _layer(0, n=3, m=5)
    out, mean, var, cache = batchnorm_forward(Z, gamma, beta, *_fresh_running(3))
    for name, value, shape in [("out", out, (3, 5)), ("running_mean", mean, (3, 1)),
                               ("running_var", var, (3, 1)), ("cache Z_norm", cache[0], (3, 5)),
                               ("cache gamma", cache[1], (3, 1)), ("cache std", cache[2], (3, 1))]:
        assert value.shape == shape and value.dtype == np.float64, (
            f"batchnorm_forward train mode, Z (3, 5): expected {name} float64 {shape}; "
            f"got {value.dtype} {value.shape}")
    out, mean, var, cache = batchnorm_forward(Z, gamma, beta, mean, var, mode="test")
    assert out.shape == (3, 5) and mean.shape == var.shape == (3, 1) and cache is None, (
        f"batchnorm_forward test mode, Z (3, 5): expected out (3, 5), running (3, 1), cache "
        f"None; got {out.shape}, {mean.shape}, {var.shape}, {type(cache)}")


def test_forward_hand_values():
    """One unit, Z = [1, 2, 3, 6]: mu = 3, biased var = (4 + 1 + 0 + 9) / 4 = 3.5,
    unbiased var = 14 / 3."""
    Z = np.array([[1.0, 2.0, 3.0, 6.0]])
    gamma, beta = np.array([[2.0]]), np.array([[1.0]])
    out, mean, var, (Z_norm, _, std) = batchnorm_forward(
        Z, gamma, beta, np.array([[0.0]]), np.array([[1.0]]), momentum=0.9, epsilon=0.0)
    expected_norm = (Z - 3) / np.sqrt(3.5)
    np.testing.assert_allclose(Z_norm, expected_norm, rtol=1e-12,
                               err_msg="batchnorm_forward: Z_norm of Z = [1, 2, 3, 6]")
    np.testing.assert_allclose(std, [[np.sqrt(3.5)]], rtol=1e-12,
                               err_msg="batchnorm_forward: std = sqrt(3.5) for Z = [1, 2, 3, 6]")
    np.testing.assert_allclose(out, 2 * expected_norm + 1, rtol=1e-12,
                               err_msg="batchnorm_forward: out = 2 Z_norm + 1")
    np.testing.assert_allclose(mean, [[0.3]], rtol=1e-12,
                               err_msg="batchnorm_forward: running_mean = 0.9 * 0 + 0.1 * 3")
    np.testing.assert_allclose(var, [[0.9 + 0.1 * 14 / 3]], rtol=1e-12,
                               err_msg="batchnorm_forward: running_var = 0.9 * 1 + 0.1 * 14/3 "
                                       "(the unbiased variance)")
    out_test, _, _, _ = batchnorm_forward(Z, gamma, beta, np.array([[3.0]]), np.array([[4.0]]),
                                          mode="test", epsilon=0.0)
    np.testing.assert_allclose(out_test, 2 * (Z - 3) / 2 + 1, rtol=1e-12,
                               err_msg="batchnorm_forward test mode, running mean 3, var 4")


def test_train_output_has_batch_mean_beta_and_std_gamma():
    Z, gamma, beta = _layer(1, n=5, m=50)
    out, _, _, _ = batchnorm_forward(Z, gamma, beta, *_fresh_running(5), epsilon=1e-12)
    np.testing.assert_allclose(out.mean(axis=1, keepdims=True), beta, atol=1e-10,
                               err_msg="batchnorm_forward: each row of out must average beta")
    np.testing.assert_allclose(out.std(axis=1, keepdims=True), np.abs(gamma), rtol=1e-8,
                               err_msg="batchnorm_forward: each row of out must have std |gamma|")


def test_forward_leaves_its_inputs_unchanged():
    Z, gamma, beta = _layer(2)
    mean, var = np.full((4, 1), 0.5), np.full((4, 1), 2.0)
    copies = [a.copy() for a in (Z, gamma, beta, mean, var)]
    batchnorm_forward(Z, gamma, beta, mean, var)
    for name, before, after in zip(["Z", "gamma", "beta", "running_mean", "running_var"],
                                   copies, (Z, gamma, beta, mean, var), strict=True):
        np.testing.assert_array_equal(after, before,
                                      err_msg=f"batchnorm_forward changed its input {name}")


def test_backward_shapes_and_hand_sums():
    Z, gamma, beta = _layer(3, n=3, m=6)
    _, _, _, cache = batchnorm_forward(Z, gamma, beta, *_fresh_running(3))
    dout = np.ones((3, 6))
    dZ, dgamma, dbeta = batchnorm_backward(dout, cache)
    assert dZ.shape == (3, 6) and dgamma.shape == dbeta.shape == (3, 1), (
        f"batchnorm_backward: expected (3, 6), (3, 1), (3, 1); got {dZ.shape}, "
        f"{dgamma.shape}, {dbeta.shape}")
    # A constant upstream gradient: out moves by gamma * Z_norm + beta, whose sum over the
    # batch does not depend on Z at all (Z_norm sums to 0), so dZ = 0; dbeta, like db, is
    # the mean of dout over the batch (the notes' db = (1/m) sum(dZ)), so 1.
    np.testing.assert_allclose(dZ, 0, atol=1e-12,
                               err_msg="batchnorm_backward: dZ for dout = 1 must be 0")
    np.testing.assert_allclose(dbeta, 1, rtol=1e-12,
                               err_msg="batchnorm_backward: dbeta = (1/m) sum(dout) = 1 for "
                                       "dout = 1, m = 6")
    np.testing.assert_allclose(dgamma, 0, atol=1e-12,
                               err_msg="batchnorm_backward: dgamma = sum(Z_norm) = 0 for dout = 1")


@pytest.mark.parametrize("n, m", [(1, 2), (3, 5), (4, 9)])
def test_backward_matches_finite_differences(n, m):
    """The cost J = sum(dout * out) / m has dJ/d(out) = dout / m, so dout is m dJ/d(out),
    the notes' convention for dZ. batchnorm_backward must return m dJ/dZ, dJ/dgamma and
    dJ/dbeta."""
    Z, gamma, beta = _layer(10 + m, n=n, m=m)
    dout = np.random.default_rng(m).normal(size=(n, m))

    def cost():
        out, _, _, _ = batchnorm_forward(Z, gamma, beta, *_fresh_running(n))
        return float(np.sum(dout * out)) / m

    _, _, _, cache = batchnorm_forward(Z, gamma, beta, *_fresh_running(n))
    analytic = dict(zip(["Z", "gamma", "beta"], batchnorm_backward(dout, cache), strict=True))
    analytic["Z"] = analytic["Z"] / m  # dZ is m dJ/dZ, one column per example
    for name, x in [("Z", Z), ("gamma", gamma), ("beta", beta)]:
        numeric = numerical_gradient(cost, x)
        np.testing.assert_allclose(analytic[name], numeric, rtol=1e-6, atol=1e-8,
                                   err_msg=f"batchnorm_backward: d{name} vs finite differences "
                                           f"for Z ({n}, {m})")


# differential tests against torch.nn.BatchNorm1d

def _torch_bn(n, gamma, beta, momentum, epsilon):
    bn = torch.nn.BatchNorm1d(n, eps=epsilon, momentum=1 - momentum, dtype=torch.float64)
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(gamma[:, 0]))
        bn.bias.copy_(torch.tensor(beta[:, 0]))
    return bn


@pytest.mark.parametrize("momentum, epsilon", [(0.9, 1e-5), (0.7, 1e-3)])
def test_forward_and_running_averages_match_torch_over_several_steps(momentum, epsilon):
    n, steps = 5, 6
    rng = np.random.default_rng(20)
    _, gamma, beta = _layer(21, n=n)
    bn = _torch_bn(n, gamma, beta, momentum, epsilon)
    mean, var = _fresh_running(n)
    for step in range(1, steps + 1):
        m = int(rng.integers(2, 12))
        Z = rng.normal(rng.normal(0, 2, size=(n, 1)), 3, size=(n, m))
        out, mean, var, _ = batchnorm_forward(Z, gamma, beta, mean, var, "train", momentum,
                                              epsilon)
        expected = bn(torch.tensor(Z.T)).detach().numpy().T  # (n, m)
        np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-10,
                                   err_msg=f"batchnorm_forward vs BatchNorm1d.train(), step "
                                           f"{step}, Z ({n}, {m})")
        np.testing.assert_allclose(mean[:, 0], bn.running_mean.numpy(), rtol=1e-10, atol=1e-12,
                                   err_msg=f"running_mean vs torch after step {step}")
        np.testing.assert_allclose(var[:, 0], bn.running_var.numpy(), rtol=1e-10, atol=1e-12,
                                   err_msg=f"running_var vs torch after step {step}")
    bn.eval()
    Z = rng.normal(size=(n, 4))
    out, mean_after, _, _ = batchnorm_forward(Z, gamma, beta, mean, var, "test", momentum, epsilon)
    expected = bn(torch.tensor(Z.T)).detach().numpy().T
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-10,
                               err_msg="batchnorm_forward test mode vs BatchNorm1d.eval()")
    np.testing.assert_array_equal(mean_after, mean,
                                  err_msg="batchnorm_forward test mode must not move running_mean")


@pytest.mark.parametrize("n, m", [(3, 2), (6, 16)])
def test_backward_matches_torch_autograd(n, m):
    Z, gamma, beta = _layer(30 + n, n=n, m=m)
    dout = np.random.default_rng(31).normal(size=(n, m))
    bn = _torch_bn(n, gamma, beta, 0.9, 1e-5)
    Z_t = torch.tensor(Z.T, requires_grad=True)  # (m, n)
    bn(Z_t).backward(torch.tensor(dout.T))
    _, _, _, cache = batchnorm_forward(Z, gamma, beta, *_fresh_running(n))
    dZ, dgamma, dbeta = batchnorm_backward(dout, cache)
    # torch differentiates sum(dout * out); in the notes' convention dout is m times the
    # gradient of the cost sum(dout * out) / m, so dZ is torch's and dgamma, dbeta are
    # torch's divided by m.
    dgamma, dbeta = dgamma * m, dbeta * m
    for name, ours, theirs in [("dZ", dZ, Z_t.grad.numpy().T),
                               ("dgamma", dgamma[:, 0], bn.weight.grad.numpy()),
                               ("dbeta", dbeta[:, 0], bn.bias.grad.numpy())]:
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10,
                                   err_msg=f"batchnorm_backward {name} vs torch autograd, Z "
                                           f"({n}, {m})")


# the network built with batch norm

def test_initialize_network_layout():
    np.random.seed(0)
    parameters, running = initialize_network([5, 4, 3, 2])
    expected = {"W1": (4, 5), "gamma1": (4, 1), "beta1": (4, 1), "W2": (3, 4), "gamma2": (3, 1),
                "beta2": (3, 1), "W3": (2, 3), "b3": (2, 1)}
    got = {k: v.shape for k, v in parameters.items()}
    assert got == expected, f"initialize_network([5, 4, 3, 2]): expected {expected}; got {got}"
    assert sorted(running) == ["mean1", "mean2", "var1", "var2"], sorted(running)
    plain, none = initialize_network([5, 4, 2], batchnorm=False)
    assert sorted(plain) == ["W1", "W2", "b1", "b2"] and none == {}, (sorted(plain), none)


@pytest.mark.parametrize("batchnorm", [True, False])
def test_network_backward_matches_finite_differences(batchnorm):
    """Gradients of the whole [3, 4, 3, 3] network, batch norm and softmax included."""
    np.random.seed(4)
    parameters, running = initialize_network([3, 4, 3, 3], batchnorm)
    rng = np.random.default_rng(5)
    X = rng.normal(size=(3, 6))
    Y = np.eye(3)[:, rng.integers(0, 3, size=6)]

    def cost():
        AL, _, _ = network_forward(X, parameters, running)
        return float(-np.sum(Y * np.log(AL)) / 6)

    AL, caches, _ = network_forward(X, parameters, running)
    grads = network_backward(AL, Y, caches)
    assert sorted(grads) == sorted("d" + k for k in parameters), sorted(grads)
    for key, value in parameters.items():
        numeric = numerical_gradient(cost, value)
        np.testing.assert_allclose(grads["d" + key], numeric, rtol=1e-5, atol=1e-8,
                                   err_msg=f"network_backward d{key} (batchnorm={batchnorm}) "
                                           "vs finite differences")


def test_model_updates_gamma_and_beta_under_their_own_names():
    """The network's parameters go to Adam as they are ({"W1", "gamma1", "beta1", ...}):
    after one epoch every array has moved and keeps its name and shape."""
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 3, size=(1, 40))
    X = rng.normal(size=(4, 40))
    np.random.seed(2)
    start, _ = initialize_network([4, 5, 3])
    np.random.seed(2)
    parameters, _, costs = model(X, labels, [4, 5, 3], learning_rate=0.01, num_epochs=1,
                                 mini_batch_size=16)
    assert {k: v.shape for k, v in parameters.items()} == {k: v.shape for k, v in start.items()}, (
        f"model: expected the parameters {sorted(start)} of initialize_network; got "
        f"{sorted(parameters)}")
    unchanged = [k for k in start if np.allclose(parameters[k], start[k])]
    assert not unchanged, f"model: one epoch of Adam left {unchanged} unchanged"
    assert len(costs) == 1 and np.isfinite(costs[0]), costs


def test_model_learns_a_separable_toy_problem_and_predict_modes():
    rng = np.random.default_rng(6)
    labels = rng.integers(0, 3, size=(1, 150))
    centres = np.array([[3.0, 0.0, -3.0], [0.0, 3.0, -3.0], [1.0, -1.0, 0.0], [0.0, 0.0, 2.0]])
    X = centres[:, labels[0]] + rng.normal(size=(4, 150))
    np.random.seed(1)
    parameters, running, costs = model(X, labels, [4, 8, 6, 3], learning_rate=0.01, num_epochs=30,
                                       mini_batch_size=32)
    assert len(costs) == 30 and costs[-1] < costs[0] / 3, (
        f"model on 3 Gaussian blobs: expected 30 costs falling at least 3x; got {costs[0]:.3f} "
        f"-> {costs[-1]:.3f}")
    accuracy = np.mean(predict(X, parameters, running) == labels)
    assert accuracy > 0.95, f"model on 3 separable blobs: expected > 95% train accuracy; got " \
                            f"{accuracy:.1%}"
    predicted = predict(X, parameters, running, mode="train")
    assert predicted.shape == (1, 150) and predicted.dtype.kind == "i", (
        predicted.shape, predicted.dtype)


@pytest.mark.slow
def test_model_reaches_the_c2w3a1_target_on_digits6():
    """C2W3A1's target: >= 85% test accuracy on the six-class set (the notebook measures
    about 97%)."""
    from dlcourse.data import load_digits6

    train_x, train_y, test_x, test_y, _ = load_digits6()
    X_train = train_x.reshape(train_x.shape[0], -1).T / 255  # (12288, 1080)
    X_test = test_x.reshape(test_x.shape[0], -1).T / 255  # (12288, 120)
    np.random.seed(1)
    parameters, running, _ = model(X_train, train_y, [12288, 64, 32, 6], learning_rate=0.01,
                                   num_epochs=15)
    accuracy = float(np.mean(predict(X_test, parameters, running) == test_y))
    assert accuracy >= 0.85, (f"model [12288, 64, 32, 6] with batch norm, 15 epochs of Adam "
                              f"(0.01) on digits6: expected test accuracy >= 85%; got "
                              f"{accuracy:.1%}")
