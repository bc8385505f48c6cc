"""Tests of dlcourse.losses: the L1/L2 losses and the binary cross-entropy cost."""

import numpy as np
import pytest
import torch

from dlcourse import losses
from dlcourse.checks import numerical_gradient


def test_l1_and_l2_hand_values():
    yhat = np.array([0.9, 0.2, 0.1, 0.4, 0.9])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    # |d| = .1 .2 .1 .6 .1 -> 1.1; d^2 = .01 .04 .01 .36 .01 -> 0.43
    for fn, expected in ((losses.l1_loss, 1.1), (losses.l2_loss, 0.43)):
        got = fn(yhat, y)
        assert isinstance(got, float), f"{fn.__name__}: expected a Python float; got {type(got)}"
        assert np.isclose(got, expected), (
            f"{fn.__name__}: expected {expected} for yhat = {yhat}, y = {y}; got {got}")


def test_l1_l2_agree_with_torch_sums():
    rng = np.random.default_rng(0)
    yhat, y = rng.normal(size=20), rng.normal(size=20)
    t_yhat, t_y = torch.tensor(yhat), torch.tensor(y)
    l1 = torch.nn.functional.l1_loss(t_yhat, t_y, reduction="sum").item()
    l2 = torch.nn.functional.mse_loss(t_yhat, t_y, reduction="sum").item()
    assert np.isclose(losses.l1_loss(yhat, y), l1, rtol=1e-12), (
        f"l1_loss: expected {l1} (torch) for 20 random values; got {losses.l1_loss(yhat, y)}")
    assert np.isclose(losses.l2_loss(yhat, y), l2, rtol=1e-12), (
        f"l2_loss: expected {l2} (torch) for 20 random values; got {losses.l2_loss(yhat, y)}")


def test_losses_are_zero_for_perfect_predictions():
    y = np.array([0.0, 1.0, 1.0])
    assert losses.l1_loss(y, y) == 0.0 and losses.l2_loss(y, y) == 0.0, (
        f"expected 0 for yhat == y = {y}; got {losses.l1_loss(y, y)}, {losses.l2_loss(y, y)}")


def test_compute_cost_hand_value():
    AL = np.array([[0.8, 0.9, 0.4]])
    Y = np.array([[1.0, 1.0, 0.0]])
    # -(log .8 + log .9 + log .6) / 3 = (0.22314355 + 0.10536052 + 0.51082562) / 3
    expected = 0.27977656
    got = losses.compute_cost(AL, Y)
    assert isinstance(got, float), f"compute_cost: expected a Python float; got {type(got)}"
    assert np.isclose(got, expected, rtol=1e-8), (
        f"compute_cost: expected {expected:.8f} for AL = {AL}, Y = {Y}; got {got}")


@pytest.mark.parametrize("m", [1, 7, 50])
def test_compute_cost_agrees_with_torch(m):
    rng = np.random.default_rng(m)
    AL = rng.uniform(0.01, 0.99, size=(1, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    expected = torch.nn.functional.binary_cross_entropy(
        torch.tensor(AL), torch.tensor(Y), reduction="mean").item()
    got = losses.compute_cost(AL, Y)
    assert np.isclose(got, expected, rtol=1e-12), (
        f"compute_cost: expected {expected} (torch) for m = {m}; got {got}")


def test_compute_cost_gradient_is_the_familiar_formula():
    """dJ/dAL = (1/m) (AL - Y) / (AL (1 - AL)), and through the sigmoid dJ/dZ = (A - Y)/m."""
    rng = np.random.default_rng(1)
    m = 6
    AL = rng.uniform(0.1, 0.9, size=(1, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    numeric = numerical_gradient(lambda: losses.compute_cost(AL, Y), AL)
    analytic = (AL - Y) / (AL * (1 - AL)) / m
    assert np.allclose(numeric, analytic, rtol=1e-6, atol=1e-9), (
        f"compute_cost: expected dJ/dAL {analytic}; finite differences gave {numeric}")

    Z = rng.normal(size=(1, m))
    numeric_z = numerical_gradient(lambda: losses.compute_cost(1 / (1 + np.exp(-Z)), Y), Z)
    analytic_z = (1 / (1 + np.exp(-Z)) - Y) / m
    assert np.allclose(numeric_z, analytic_z, rtol=1e-6, atol=1e-9), (
        f"compute_cost of sigmoid(Z): expected dJ/dZ {analytic_z}; got {numeric_z}")


def test_compute_cost_properties():
    Y = np.array([[1.0, 0.0, 1.0, 0.0]])
    good = losses.compute_cost(np.array([[0.99, 0.01, 0.99, 0.01]]), Y)
    coin = losses.compute_cost(np.full((1, 4), 0.5), Y)
    assert np.isclose(coin, np.log(2)), f"compute_cost: expected log 2 for A = 0.5; got {coin}"
    assert 0 < good < coin, f"compute_cost: expected 0 < {good} < {coin} for confident " \
                            "correct predictions"


# softmax cross-entropy (C2W3)

def _softmax_columns(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def _one_hot(labels, C):
    return np.eye(C)[:, labels]  # (C, m)


def test_softmax_cross_entropy_hand_value_and_type():
    AL = np.array([[0.7, 0.1], [0.2, 0.6], [0.1, 0.3]])
    Y = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    # -(log 0.7 + log 0.6) / 2 = (0.35667494 + 0.51082562) / 2
    got = losses.softmax_cross_entropy(AL, Y)
    assert isinstance(got, float), f"softmax_cross_entropy: expected a Python float; got " \
                                   f"{type(got)}"
    assert np.isclose(got, 0.43375028, rtol=1e-8), (
        f"softmax_cross_entropy: expected 0.43375028 for AL = {AL.tolist()}, true classes 0, 1; "
        f"got {got}")


@pytest.mark.parametrize("C, m", [(2, 1), (6, 9), (10, 40)])
def test_softmax_cross_entropy_agrees_with_torch_cross_entropy_loss(C, m):
    rng = np.random.default_rng(C * m)
    Z = rng.normal(0, 3, size=(C, m))
    labels = rng.integers(0, C, size=m)
    logits = torch.tensor(Z.T, requires_grad=True)  # (m, C), torch's layout
    loss = torch.nn.CrossEntropyLoss()(logits, torch.tensor(labels))
    loss.backward()
    AL, Y = _softmax_columns(Z), _one_hot(labels, C)
    got = losses.softmax_cross_entropy(AL, Y)
    assert np.isclose(got, loss.item(), rtol=1e-10, atol=1e-12), (
        f"softmax_cross_entropy: expected {loss.item()} (torch CrossEntropyLoss on the logits) "
        f"for C = {C}, m = {m}; got {got}")
    dZ = losses.softmax_cross_entropy_backward(AL, Y)
    assert dZ.shape == (C, m) and dZ.dtype == np.float64, (dZ.shape, dZ.dtype)
    # dZ is per example (the notes' AL - Y); torch's gradient of the mean cost is dZ / m.
    np.testing.assert_allclose(dZ / m, logits.grad.numpy().T, rtol=1e-10, atol=1e-12,
                               err_msg=f"softmax_cross_entropy_backward vs torch autograd of "
                                       f"CrossEntropyLoss, C = {C}, m = {m}")


def test_softmax_cross_entropy_backward_matches_finite_differences_through_softmax():
    """dJ/dZ for J(Z) = softmax_cross_entropy(softmax(Z), Y) is (softmax(Z) - Y) / m, the
    backward's dZ = AL - Y divided by m."""
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(4, 5))
    Y = _one_hot(rng.integers(0, 4, size=5), 4)
    numeric = numerical_gradient(lambda: losses.softmax_cross_entropy(_softmax_columns(Z), Y), Z)
    analytic = losses.softmax_cross_entropy_backward(_softmax_columns(Z), Y) / 5
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9,
                               err_msg="softmax_cross_entropy_backward vs finite differences "
                                       "through softmax, Z (4, 5)")


def test_softmax_cross_entropy_properties():
    Y = _one_hot(np.array([0, 2, 1, 2]), 3)
    uniform = losses.softmax_cross_entropy(np.full((3, 4), 1 / 3), Y)
    assert np.isclose(uniform, np.log(3)), (
        f"softmax_cross_entropy: expected log 3 for uniform predictions over 3 classes; "
        f"got {uniform}")
    confident = losses.softmax_cross_entropy(0.98 * Y + 0.01, Y)
    assert 0 < confident < 0.03, f"softmax_cross_entropy: expected a small positive cost for " \
                                 f"confident correct predictions; got {confident}"
    dZ = losses.softmax_cross_entropy_backward(np.full((3, 4), 1 / 3), Y)
    np.testing.assert_allclose(dZ.sum(axis=0), 0, atol=1e-15,
                               err_msg="softmax_cross_entropy_backward: each column of dZ sums "
                                       "to 0 (probabilities and one-hot labels both sum to 1)")
