"""dlcourse.conv: the naive layers against their definition, the fast ones against the
naive ones, both against PyTorch CPU (float64), and every backward against finite
differences."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.checks import numerical_gradient
from dlcourse.conv import (
    conv_backward,
    conv_backward_fast,
    conv_forward,
    conv_forward_fast,
    conv_output_size,
    conv_single_step,
    create_mask_from_window,
    distribute_value,
    pool_backward,
    pool_backward_fast,
    pool_forward,
    pool_forward_fast,
    zero_pad,
)

# (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad): valid, same, strided, 1x1.
CONV_SHAPES = [(2, 5, 6, 3, 3, 4, 1, 0), (2, 5, 5, 2, 3, 3, 1, 1), (3, 7, 6, 2, 3, 2, 2, 1),
               (1, 4, 4, 3, 1, 5, 1, 0), (2, 8, 7, 1, 5, 2, 3, 2)]
# (m, n_H_prev, n_W_prev, n_C, f, stride): non-overlapping, overlapping, leftover rows.
POOL_SHAPES = [(2, 4, 4, 3, 2, 2), (2, 5, 5, 2, 3, 1), (3, 7, 6, 2, 3, 2)]


def _conv_case(seed, shape):
    m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad = shape
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(m, n_H_prev, n_W_prev, n_C_prev)),
            rng.normal(size=(f, f, n_C_prev, n_C)), rng.normal(size=(1, 1, 1, n_C)),
            {"stride": stride, "pad": pad})


def _torch_conv(A_prev, W, b, hparameters):
    """PyTorch's conv2d in the course's layout: returns Z and its autograd inputs."""
    A_t = torch.tensor(A_prev.transpose(0, 3, 1, 2), requires_grad=True)  # (m, n_C, n_H, n_W)
    W_t = torch.tensor(W.transpose(3, 2, 0, 1), requires_grad=True)  # (n_C, n_C_prev, f, f)
    b_t = torch.tensor(b.ravel(), requires_grad=True)
    Z_t = F.conv2d(A_t, W_t, b_t, stride=hparameters["stride"], padding=hparameters["pad"])
    return Z_t, (A_t, W_t, b_t)


def _close(name, got, expected, case, rtol=1e-10, atol=1e-11):
    assert got.shape == expected.shape, (
        f"{name}: expected shape {expected.shape} for {case}; got {got.shape}")
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, err_msg=f"{name} for {case}")


def test_zero_pad_adds_zeros_around_height_and_width_only():
    X = np.random.default_rng(0).normal(size=(2, 3, 4, 2))
    X_pad = zero_pad(X, 2)
    assert X_pad.shape == (2, 7, 8, 2), X_pad.shape
    assert np.array_equal(X_pad[:, 2:5, 2:6, :], X)
    assert not X_pad[:, :2].any() and not X_pad[:, -2:].any()
    assert not X_pad[:, :, :2].any() and not X_pad[:, :, -2:].any()


@pytest.mark.parametrize("n, f, pad, stride, expected", [
    (6, 3, 0, 1, 4), (6, 3, 1, 1, 6), (7, 3, 0, 2, 3), (32, 5, 2, 1, 32), (64, 5, 0, 2, 30),
    (5, 5, 0, 1, 1)])
def test_conv_output_size(n, f, pad, stride, expected):
    got = conv_output_size(n, f, pad, stride)
    assert got == expected and isinstance(got, int), f"n={n} f={f} p={pad} s={stride}: {got!r}"


def test_conv_single_step_is_the_sum_of_products_plus_bias():
    rng = np.random.default_rng(1)
    a, W, b = rng.normal(size=(3, 3, 2)), rng.normal(size=(3, 3, 2)), rng.normal(size=(1, 1, 1))
    got = conv_single_step(a, W, b)
    assert isinstance(got, float)
    assert got == pytest.approx(float((a * W).sum() + b[0, 0, 0]), rel=1e-12)


def test_the_notes_vertical_edge_filter_finds_the_edge():
    """The notes' 6x6 image, bright left half, and the 3x3 vertical edge filter give a
    4x4 output whose two middle columns are 30 and the outer ones 0."""
    image = np.zeros((1, 6, 6, 1))
    image[0, :, :3, 0] = 10
    W = np.array([[1, 0, -1]] * 3, dtype=float).reshape(3, 3, 1, 1)
    Z, _ = conv_forward(image, W, np.zeros((1, 1, 1, 1)), {"stride": 1, "pad": 0})
    expected = np.tile([0.0, 30.0, 30.0, 0.0], (4, 1))
    np.testing.assert_array_equal(Z[0, :, :, 0], expected)


@pytest.mark.parametrize("shape", CONV_SHAPES, ids=str)
def test_conv_forward_naive_and_fast_match_pytorch(shape):
    A_prev, W, b, hparameters = _conv_case(0, shape)
    Z_t, _ = _torch_conv(A_prev, W, b, hparameters)
    expected = Z_t.detach().numpy().transpose(0, 2, 3, 1)
    _close("conv_forward", conv_forward(A_prev, W, b, hparameters)[0], expected, shape)
    _close("conv_forward_fast", conv_forward_fast(A_prev, W, b, hparameters)[0], expected, shape)


@pytest.mark.parametrize("shape", CONV_SHAPES, ids=str)
def test_conv_backward_naive_and_fast_match_pytorch_autograd(shape):
    A_prev, W, b, hparameters = _conv_case(1, shape)
    Z_t, (A_t, W_t, b_t) = _torch_conv(A_prev, W, b, hparameters)
    dZ = np.random.default_rng(2).normal(size=Z_t.shape).transpose(0, 2, 3, 1)
    Z_t.backward(torch.tensor(dZ.transpose(0, 3, 1, 2)))
    expected = (A_t.grad.numpy().transpose(0, 2, 3, 1), W_t.grad.numpy().transpose(2, 3, 1, 0),
                b_t.grad.numpy().reshape(b.shape))
    for name, (forward, backward) in {"naive": (conv_forward, conv_backward),
                                      "fast": (conv_forward_fast, conv_backward_fast)}.items():
        _, cache = forward(A_prev, W, b, hparameters)
        for grad_name, got, want in zip(("dA_prev", "dW", "db"), backward(dZ, cache), expected,
                                        strict=True):
            _close(f"conv_backward ({name}) {grad_name}", got, want, shape)


def test_conv_backward_passes_a_gradient_check():
    A_prev, W, b, hparameters = _conv_case(3, (2, 4, 5, 2, 3, 2, 2, 1))
    dZ = np.random.default_rng(4).normal(size=conv_forward(A_prev, W, b, hparameters)[0].shape)
    _, cache = conv_forward(A_prev, W, b, hparameters)
    analytic = conv_backward(dZ, cache)

    def cost():
        return float(np.sum(conv_forward(A_prev, W, b, hparameters)[0] * dZ))

    for name, x, got in zip(("dA_prev", "dW", "db"), (A_prev, W, b), analytic, strict=True):
        numeric = numerical_gradient(cost, x)
        error = np.linalg.norm(got - numeric) / (np.linalg.norm(got) + np.linalg.norm(numeric))
        assert error < 1e-7, f"conv_backward {name}: relative error {error:.2e}"


def _pool_case(seed, shape):
    m, n_H_prev, n_W_prev, n_C, f, stride = shape
    A_prev = np.random.default_rng(seed).normal(size=(m, n_H_prev, n_W_prev, n_C))
    return A_prev, {"f": f, "stride": stride}


def _torch_pool(A_prev, hparameters, mode):
    A_t = torch.tensor(A_prev.transpose(0, 3, 1, 2), requires_grad=True)
    pool = F.max_pool2d if mode == "max" else F.avg_pool2d
    return pool(A_t, hparameters["f"], hparameters["stride"]), A_t


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("shape", POOL_SHAPES, ids=str)
def test_pool_forward_and_backward_match_pytorch(shape, mode):
    A_prev, hparameters = _pool_case(5, shape)
    out_t, A_t = _torch_pool(A_prev, hparameters, mode)
    dA = np.random.default_rng(6).normal(size=out_t.shape)
    out_t.backward(torch.tensor(dA))
    dA = dA.transpose(0, 2, 3, 1)
    expected_A = out_t.detach().numpy().transpose(0, 2, 3, 1)
    expected_dA_prev = A_t.grad.numpy().transpose(0, 2, 3, 1)
    A, cache = pool_forward(A_prev, hparameters, mode)
    _close(f"pool_forward {mode}", A, expected_A, shape)
    _close(f"pool_backward {mode}", pool_backward(dA, cache, mode), expected_dA_prev, shape)
    A, cache = pool_forward_fast(A_prev, hparameters, mode)
    _close(f"pool_forward_fast {mode}", A, expected_A, shape)
    _close(f"pool_backward_fast {mode}", pool_backward_fast(dA, cache), expected_dA_prev, shape)


def test_pool_backward_passes_a_gradient_check():
    A_prev, hparameters = _pool_case(7, (2, 5, 5, 2, 3, 2))
    for mode in ("max", "average"):
        A, cache = pool_forward(A_prev, hparameters, mode)
        dA = np.random.default_rng(8).normal(size=A.shape)

        def cost(mode=mode, dA=dA):
            return float(np.sum(pool_forward(A_prev, hparameters, mode)[0] * dA))

        numeric = numerical_gradient(cost, A_prev)
        np.testing.assert_allclose(pool_backward(dA, cache, mode), numeric, atol=1e-7,
                                   err_msg=f"pool_backward {mode}")


def test_mask_and_distribute():
    x = np.array([[1.0, 3.0], [3.0, -2.0]])
    np.testing.assert_array_equal(create_mask_from_window(x), [[False, True], [True, False]])
    np.testing.assert_allclose(distribute_value(2.0, (2, 4)), np.full((2, 4), 0.25))
