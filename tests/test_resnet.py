"""dlcourse.resnet: residual blocks forward and backward, 1x1 convolutions, costs and
parameter counts.

The blocks are checked against finite differences and against PyTorch autograd
(conv2d + relu + add, float64) to 1e-10; the counts against the published figures.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse import cnn
from dlcourse.checks import numerical_gradient
from dlcourse.conv import conv_forward_fast
from dlcourse.resnet import (
    bottleneck_multiplications,
    conv_1x1,
    conv_multiplications,
    convolutional_block_backward,
    convolutional_block_forward,
    identity_block_backward,
    identity_block_forward,
    parameter_counts,
)


def _conv_params(rng, f, n_C_prev, n_C):
    return (rng.normal(0, np.sqrt(2.0 / (f * f * n_C_prev)), size=(f, f, n_C_prev, n_C)),
            rng.normal(0, 0.3, size=(1, 1, 1, n_C)))


def _identity(seed, m=2, n_H=5, n_W=4, n_C=3, n_C_mid=2, f=3):
    rng = np.random.default_rng(seed)
    W_a, b_a = _conv_params(rng, f, n_C, n_C_mid)
    W_b, b_b = _conv_params(rng, f, n_C_mid, n_C)
    return rng.normal(size=(m, n_H, n_W, n_C)), {"W_a": W_a, "b_a": b_a, "W_b": W_b, "b_b": b_b}


def _convolutional(seed, m=2, n_H=5, n_W=6, n_C_prev=2, n_C=3, f=3):
    rng = np.random.default_rng(seed)
    W_a, b_a = _conv_params(rng, f, n_C_prev, n_C)
    W_b, b_b = _conv_params(rng, f, n_C, n_C)
    W_s, b_s = _conv_params(rng, 1, n_C_prev, n_C)
    params = {"W_a": W_a, "b_a": b_a, "W_b": W_b, "b_b": b_b, "W_s": W_s, "b_s": b_s}
    return rng.normal(size=(m, n_H, n_W, n_C_prev)), params


def _relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


# --- shapes and properties --------------------------------------------------------------

def test_identity_block_keeps_the_shape_and_caches_the_sum():
    A_prev, params = _identity(0)
    A, (cache_a, Z_a, cache_b, Z) = identity_block_forward(A_prev, params)
    assert A.shape == A_prev.shape, (
        f"identity_block_forward: expected A.shape {A_prev.shape}; got {A.shape}")
    assert Z_a.shape == (2, 5, 4, 2), (
        f"identity_block_forward: expected Z_a.shape (2, 5, 4, 2); got {Z_a.shape}")
    np.testing.assert_array_equal(A, np.maximum(Z, 0), err_msg="A must be relu(Z)")


def test_identity_block_with_zero_weights_passes_its_input_through():
    """A block whose convolutions are 0 is relu(A_prev): the identity is easy to learn."""
    A_prev, params = _identity(1)
    zeros = {key: np.zeros_like(value) for key, value in params.items()}
    A, _ = identity_block_forward(A_prev, zeros)
    np.testing.assert_array_equal(A, np.maximum(A_prev, 0))
    A, _ = identity_block_forward(np.abs(A_prev), zeros)
    np.testing.assert_array_equal(A, np.abs(A_prev))


@pytest.mark.parametrize("n_H, n_W, stride, expected", [(5, 6, 2, (3, 3)), (8, 8, 2, (4, 4)),
                                                         (7, 4, 3, (3, 2)), (4, 5, 1, (4, 5))])
def test_convolutional_block_output_shape(n_H, n_W, stride, expected):
    A_prev, params = _convolutional(2, n_H=n_H, n_W=n_W)
    A, cache = convolutional_block_forward(A_prev, params, stride)
    assert A.shape == (2, *expected, 3), (
        f"convolutional_block_forward: expected A.shape {(2, *expected, 3)} for A_prev "
        f"{A_prev.shape}, stride {stride}; got {A.shape}")
    assert len(cache) == 5, (
        f"expected cache (cache_a, Z_a, cache_b, cache_s, Z); got {len(cache)} items")


def test_conv_1x1_is_conv_forward_with_f_1():
    rng = np.random.default_rng(3)
    A_prev = rng.normal(size=(2, 4, 5, 6))
    W, b = _conv_params(rng, 1, 6, 3)
    Z = conv_1x1(A_prev, W, b)
    expected, _ = conv_forward_fast(A_prev, W, b, {"stride": 1, "pad": 0})
    assert Z.shape == (2, 4, 5, 3), f"conv_1x1: expected (2, 4, 5, 3); got {Z.shape}"
    np.testing.assert_allclose(Z, expected, rtol=1e-12, atol=1e-12)


# --- gradient checks --------------------------------------------------------------------

def _gradient_check(forward, backward, A_prev, params, extra=()):
    """Cost = sum(G * A) for a fixed random G; every gradient against finite differences."""
    rng = np.random.default_rng(10)
    A, cache = forward(A_prev, params, *extra)
    G = rng.normal(size=A.shape)
    dA_prev, grads = backward(G, cache)

    def cost():
        return float(np.sum(G * forward(A_prev, params, *extra)[0]))

    error = _relative_error(dA_prev, numerical_gradient(cost, A_prev))
    assert error < 1e-7, f"dA_prev: relative error {error:.2e} against finite differences"
    assert sorted(grads) == sorted("d" + key for key in params), sorted(grads)
    for key, value in params.items():
        error = _relative_error(grads["d" + key], numerical_gradient(cost, value))
        assert grads["d" + key].shape == value.shape, (key, grads["d" + key].shape, value.shape)
        assert error < 1e-7, f"d{key}: relative error {error:.2e} against finite differences"


@pytest.mark.parametrize("f, n_C_mid", [(3, 2), (1, 4), (5, 3)])
def test_identity_block_backward_gradient_check(f, n_C_mid):
    A_prev, params = _identity(4, f=f, n_C_mid=n_C_mid)
    _gradient_check(identity_block_forward, identity_block_backward, A_prev, params)


@pytest.mark.parametrize("stride, f", [(2, 3), (1, 3), (3, 1)])
def test_convolutional_block_backward_gradient_check(stride, f):
    A_prev, params = _convolutional(5, f=f)
    _gradient_check(convolutional_block_forward, convolutional_block_backward, A_prev, params,
                    (stride,))


# --- against PyTorch autograd, float64 --------------------------------------------------

def _t(array):
    return torch.tensor(array, dtype=torch.float64, requires_grad=True)


def _torch_conv(A, W, b, stride, pad):
    """Channels-last conv with the course's W (f, f, n_C_prev, n_C) through F.conv2d."""
    Z = F.conv2d(A.permute(0, 3, 1, 2), W.permute(3, 2, 0, 1), b.reshape(-1),
                 stride=stride, padding=pad)
    return Z.permute(0, 2, 3, 1)


def _compare_with_torch(A_prev, params, forward, backward, torch_block, extra=()):
    A, cache = forward(A_prev, params, *extra)
    G = np.random.default_rng(11).normal(size=A.shape)
    dA_prev, grads = backward(G, cache)
    tA_prev = _t(A_prev)
    tparams = {key: _t(value) for key, value in params.items()}
    tA = torch_block(tA_prev, tparams)
    (tA * torch.tensor(G)).sum().backward()
    np.testing.assert_allclose(A, tA.detach().numpy(), rtol=1e-10, atol=1e-12,
                               err_msg="forward differs from PyTorch")
    np.testing.assert_allclose(dA_prev, tA_prev.grad.numpy(), rtol=1e-10, atol=1e-12,
                               err_msg="dA_prev differs from PyTorch")
    for key, value in tparams.items():
        np.testing.assert_allclose(grads["d" + key], value.grad.numpy(), rtol=1e-10, atol=1e-12,
                                   err_msg=f"d{key} differs from PyTorch")


@pytest.mark.parametrize("seed, f", [(6, 3), (7, 5)])
def test_identity_block_matches_torch(seed, f):
    A_prev, params = _identity(seed, m=3, n_H=6, n_W=7, n_C=4, n_C_mid=5, f=f)
    pad = (f - 1) // 2

    def block(A, p):
        Z_a = _torch_conv(A, p["W_a"], p["b_a"], 1, pad)
        return torch.relu(_torch_conv(torch.relu(Z_a), p["W_b"], p["b_b"], 1, pad) + A)

    _compare_with_torch(A_prev, params, identity_block_forward, identity_block_backward, block)


@pytest.mark.parametrize("seed, stride", [(8, 2), (9, 1), (10, 3)])
def test_convolutional_block_matches_torch(seed, stride):
    A_prev, params = _convolutional(seed, m=3, n_H=7, n_W=8, n_C_prev=3, n_C=5)

    def block(A, p):
        Z_a = _torch_conv(A, p["W_a"], p["b_a"], stride, 1)
        Z_b = _torch_conv(torch.relu(Z_a), p["W_b"], p["b_b"], 1, 1)
        return torch.relu(Z_b + _torch_conv(A, p["W_s"], p["b_s"], stride, 0))

    _compare_with_torch(A_prev, params, convolutional_block_forward,
                        convolutional_block_backward, block, (stride,))


# --- blocks as layers of a network ------------------------------------------------------

def test_blocks_are_layers_of_a_network_whose_gradient_checks():
    """A spec holding both kinds of block trains like any other: network_backward's
    gradients agree with finite differences of softmax_cost."""
    rng = np.random.default_rng(12)
    X = rng.normal(size=(3, 6, 6, 2))
    Y = cnn.one_hot([0, 2, 1], 3)
    spec = [("conv", {"f": 3, "n_C": 3, "pad": 1}), ("relu", {}), ("identity", {"f": 3}),
            ("convolutional", {"f": 3, "n_C": 4, "stride": 2}), ("identity", {"f": 1}),
            ("flatten", {}), ("dense", {"n": 3})]
    parameters = cnn.initialize_network(X.shape[1:], spec, seed=1)
    assert parameters["W_s4"].shape == (1, 1, 3, 4), parameters["W_s4"].shape
    ZL, caches = cnn.network_forward(X, parameters, spec)
    assert ZL.shape == (3, 3), ZL.shape
    grads = cnn.network_backward(cnn.softmax_cost(ZL, Y)[1], caches)
    assert sorted(grads) == sorted("d" + key for key in parameters)

    def cost():
        return cnn.softmax_cost(cnn.network_forward(X, parameters, spec)[0], Y)[0]

    for key in ("W_a3", "W_s4", "b_b4", "W_b5", "W1"):
        error = _relative_error(grads["d" + key], numerical_gradient(cost, parameters[key]))
        assert error < 1e-6, f"d{key}: relative error {error:.2e} against finite differences"


# --- costs and parameter counts ---------------------------------------------------------

def test_inception_cost_arithmetic_of_the_notes():
    """28x28x192 -> 28x28x32 with 5x5 same: about 120M multiplications; through a
    16-channel 1x1 bottleneck: about 12.4M."""
    direct = conv_multiplications(28, 28, 32, 5, 192)
    assert direct == 120_422_400, f"conv_multiplications(28, 28, 32, 5, 192): got {direct}"
    bottleneck = bottleneck_multiplications(28, 28, 192, 16, 32, 5)
    assert bottleneck == 2_408_448 + 10_035_200 == 12_443_648, (
        f"bottleneck_multiplications(28, 28, 192, 16, 32, 5): got {bottleneck}")
    assert isinstance(direct, int) and isinstance(bottleneck, int)


LENET5 = [("conv", {"f": 5, "n_C": 6}), ("relu", {}), ("pool", {"f": 2, "stride": 2}),
          ("conv", {"f": 5, "n_C": 16}), ("relu", {}), ("pool", {"f": 2, "stride": 2}),
          ("flatten", {}), ("dense", {"n": 120}), ("relu", {}), ("dense", {"n": 84}),
          ("relu", {}), ("dense", {"n": 10})]
ALEXNET = [("conv", {"f": 11, "n_C": 96, "stride": 4}), ("pool", {"f": 3, "stride": 2}),
           ("conv", {"f": 5, "n_C": 256, "pad": 2}), ("pool", {"f": 3, "stride": 2}),
           ("conv", {"f": 3, "n_C": 384, "pad": 1}), ("conv", {"f": 3, "n_C": 384, "pad": 1}),
           ("conv", {"f": 3, "n_C": 256, "pad": 1}), ("pool", {"f": 3, "stride": 2}),
           ("flatten", {}), ("dense", {"n": 4096}), ("dense", {"n": 4096}),
           ("dense", {"n": 1000})]
VGG16 = [layer for n_C, repeats in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))
         for layer in [("conv", {"f": 3, "n_C": n_C, "pad": 1})] * repeats
         + [("pool", {"f": 2, "stride": 2})]] + [
    ("flatten", {}), ("dense", {"n": 4096}), ("dense", {"n": 4096}), ("dense", {"n": 1000})]


def test_lenet5_parameter_counts():
    counts = parameter_counts((32, 32, 1), LENET5)
    assert [c for c in counts if c] == [156, 2416, 48120, 10164, 850], counts
    assert sum(counts) == 61_706  # "about 60k"


def test_alexnet_and_vgg16_parameter_counts():
    assert sum(parameter_counts((227, 227, 3), ALEXNET)) == 62_378_344  # "about 60M"
    assert sum(parameter_counts((224, 224, 3), VGG16)) == 138_357_544  # "about 138M"


def test_parameter_counts_agree_with_an_initialised_network():
    spec = [("conv", {"f": 3, "n_C": 4, "stride": 2, "pad": 1}), ("relu", {}),
            ("pool", {"f": 2}), ("conv", {"f": 1, "n_C": 5}), ("flatten", {}),
            ("dense", {"n": 7}), ("relu", {}), ("dense", {"n": 3})]
    counts = parameter_counts((13, 11, 2), spec)
    parameters = cnn.initialize_network((13, 11, 2), spec)
    built = cnn.count_parameters(parameters)
    assert sum(counts) == built, f"parameter_counts {counts} (sum {sum(counts)}); built {built}"


def test_block_gain_scales_only_the_second_convolution():
    """gain multiplies W_b's draw and nothing else: the same seed gives the same W_a."""
    from dlcourse.resnet import convolutional_block_init, identity_block_init

    for init, options in ((identity_block_init, {"f": 3}),
                          (convolutional_block_init, {"f": 3, "n_C": 5, "stride": 2})):
        plain, shape = init((6, 6, 4), options, np.random.default_rng(0))
        scaled, _ = init((6, 6, 4), {**options, "gain": 0.25}, np.random.default_rng(0))
        np.testing.assert_array_equal(scaled["W_a"], plain["W_a"])
        np.testing.assert_array_equal(scaled["W_b"], 0.25 * plain["W_b"])
        assert shape == ((6, 6, 4) if init is identity_block_init else (3, 3, 5)), shape
