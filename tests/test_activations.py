"""Tests of dlcourse.activations: values, shapes, derivatives, PyTorch agreement."""

import numpy as np
import pytest
import torch

from dlcourse import activations as act
from dlcourse.checks import numerical_gradient

ELEMENTWISE = [act.sigmoid, act.tanh, act.relu, act.leaky_relu]
DERIVATIVES = [(act.sigmoid, act.sigmoid_derivative), (act.tanh, act.tanh_derivative),
               (act.relu, act.relu_derivative), (act.leaky_relu, act.leaky_relu_derivative)]
TORCH = [(act.sigmoid, torch.sigmoid), (act.tanh, torch.tanh), (act.relu, torch.relu),
         (act.leaky_relu, lambda z: torch.nn.functional.leaky_relu(z, 0.01))]


def _assert_close(name, got, expected, inputs, rtol=1e-7, atol=1e-12):
    assert np.allclose(got, expected, rtol=rtol, atol=atol), (
        f"{name}: expected {expected} for {inputs}; got {got}")


def _away_from_zero(rng, shape):
    """Random values with |z| >= 0.1, so the kinks of ReLU are not straddled by finite
    differences."""
    z = rng.normal(0, 2, size=shape)
    return np.where(np.abs(z) < 0.1, 0.5, z)


@pytest.mark.parametrize("fn", ELEMENTWISE + [d for _, d in DERIVATIVES],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2)])
def test_elementwise_shape_and_dtype(fn, shape):
    rng = np.random.default_rng(0)
    z = rng.normal(size=shape)
    out = fn(z)
    assert out.shape == shape, f"{fn.__name__}: expected shape {shape}; got {out.shape}"
    assert out.dtype == np.float64, f"{fn.__name__}: expected float64 for shape {shape}; " \
                                    f"got {out.dtype}"


HAND = {
    "sigmoid": (act.sigmoid, [0.26894142, 0.5, 0.88079708]),
    "sigmoid_derivative": (act.sigmoid_derivative, [0.19661193, 0.25, 0.10499359]),
    "tanh": (act.tanh, [-0.76159416, 0.0, 0.96402758]),
    "tanh_derivative": (act.tanh_derivative, [0.41997434, 1.0, 0.07065082]),
    "relu": (act.relu, [0.0, 0.0, 2.0]),
    "relu_derivative": (act.relu_derivative, [0.0, 0.0, 1.0]),
    "leaky_relu": (act.leaky_relu, [-0.01, 0.0, 2.0]),
    "leaky_relu_derivative": (act.leaky_relu_derivative, [0.01, 0.01, 1.0]),
}


@pytest.mark.parametrize("name", HAND)
def test_hand_values(name):
    """Values at z = -1, 0, 2 worked out by hand (e.g. tanh'(-1) = 1 - tanh(1)^2)."""
    fn, expected = HAND[name]
    z = np.array([-1.0, 0.0, 2.0])
    _assert_close(name, fn(z), np.array(expected), "z = [-1, 0, 2]", rtol=1e-7, atol=1e-8)


def test_leaky_relu_custom_alpha():
    z = np.array([-2.0, -0.5, 3.0])
    _assert_close("leaky_relu", act.leaky_relu(z, alpha=0.2), np.array([-0.4, -0.1, 3.0]),
                  "z = [-2, -0.5, 3], alpha = 0.2")
    _assert_close("leaky_relu_derivative", act.leaky_relu_derivative(z, alpha=0.2),
                  np.array([0.2, 0.2, 1.0]), "z = [-2, -0.5, 3], alpha = 0.2")


@pytest.mark.parametrize("fn, derivative", DERIVATIVES, ids=lambda f: f.__name__)
def test_derivative_matches_finite_differences(fn, derivative):
    """d/dz sum(g(z)) is g'(z) elementwise; compare with centred differences."""
    rng = np.random.default_rng(1)
    z = _away_from_zero(rng, (3, 4))
    numeric = numerical_gradient(lambda: float(np.sum(fn(z))), z)
    _assert_close(derivative.__name__, derivative(z), numeric, f"z = {z.ravel()[:4]}...",
                  rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("fn, reference", TORCH, ids=lambda f: getattr(f, "__name__", "torch"))
def test_agrees_with_torch(fn, reference):
    rng = np.random.default_rng(2)
    z = rng.normal(0, 3, size=(4, 6))
    expected = reference(torch.tensor(z, dtype=torch.float64)).numpy()
    _assert_close(fn.__name__, fn(z), expected, "a random (4, 6) z", rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("fn, derivative", DERIVATIVES, ids=lambda f: f.__name__)
def test_derivative_agrees_with_torch_autograd(fn, derivative):
    rng = np.random.default_rng(3)
    z = _away_from_zero(rng, (5, 3))
    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    torch_fn = dict((f, r) for f, r in TORCH)[fn]
    torch_fn(zt).sum().backward()
    _assert_close(derivative.__name__, derivative(z), zt.grad.numpy(), "a random (5, 3) z",
                  rtol=1e-12, atol=1e-14)


def test_softmax_agrees_with_torch_over_axis_0():
    rng = np.random.default_rng(4)
    Z = rng.normal(0, 3, size=(5, 7))
    expected = torch.softmax(torch.tensor(Z, dtype=torch.float64), dim=0).numpy()
    _assert_close("softmax", act.softmax(Z), expected, "a random (5, 7) Z", rtol=1e-12,
                  atol=1e-15)


def test_softmax_columns_are_distributions():
    rng = np.random.default_rng(5)
    Z = rng.normal(0, 5, size=(4, 9))
    A = act.softmax(Z)
    assert A.shape == (4, 9), f"softmax: expected shape (4, 9); got {A.shape}"
    assert np.all(A > 0), f"softmax: expected positive entries; got min {A.min()}"
    _assert_close("softmax column sums", A.sum(axis=0), np.ones(9), "a random (4, 9) Z")


def test_softmax_large_scores_do_not_overflow():
    Z = np.array([[1000.0, -1000.0], [1001.0, -1001.0]])
    _assert_close("softmax", act.softmax(Z),
                  np.array([[0.26894142, 0.73105858], [0.73105858, 0.26894142]]),
                  "Z = [[1000, -1000], [1001, -1001]]", rtol=1e-7)


def test_softmax_ignores_a_constant_added_to_a_column():
    rng = np.random.default_rng(6)
    Z = rng.normal(size=(3, 4))
    shift = np.array([[1.0, -7.0, 30.0, 0.5]])  # (1, 4): one constant per column
    _assert_close("softmax", act.softmax(Z + shift), act.softmax(Z),
                  "Z and Z plus a per-column constant")


def test_properties_of_hidden_activations():
    rng = np.random.default_rng(7)
    z = rng.normal(0, 4, size=50)
    assert np.all(np.abs(act.tanh(z)) < 1), "tanh: expected values in (-1, 1)"
    _assert_close("tanh (odd function)", act.tanh(-z), -act.tanh(z), "50 random z")
    _assert_close("relu(z) - relu(-z)", act.relu(z) - act.relu(-z), z, "50 random z")
    assert np.all(act.relu(z) >= 0), "relu: expected non-negative values"
    # Leaky ReLU keeps a slope alpha for z < 0, so it never outputs exactly zero there.
    _assert_close("leaky_relu for z < 0", act.leaky_relu(z[z < 0]), 0.01 * z[z < 0],
                  "negative z")


def test_sigmoid_accepts_a_scalar():
    assert np.isclose(act.sigmoid(0.0), 0.5), f"sigmoid(0): expected 0.5; got {act.sigmoid(0.0)}"
    assert np.isclose(act.sigmoid_derivative(0.0), 0.25), (
        f"sigmoid_derivative(0): expected 0.25; got {act.sigmoid_derivative(0.0)}")
