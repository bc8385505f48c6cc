"""dlcourse.style: the style-transfer costs, their gradients down to the pixels, the
optimization loop, and 1-D / 3-D convolution.

The costs are checked against the same formulas written with PyTorch in float64 (to
1e-10), the gradients against torch autograd through torch.nn.functional.conv2d with
the same random filters (to 1e-10) and against finite differences; 1-D and 3-D
convolution against torch's conv1d and conv3d.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.checks import numerical_gradient
from dlcourse.data import load_style_images
from dlcourse.style import (
    content_cost,
    content_cost_backward,
    conv1d_forward,
    conv3d_forward,
    cost_and_gradient,
    features_backward,
    features_forward,
    gram_matrix,
    layer_style_cost,
    layer_style_cost_backward,
    optimize_image,
    random_extractor,
    style_cost,
    style_cost_backward,
    total_cost,
    unroll,
)

TOL = 1e-10


def _activation(rng, shape=(1, 3, 4, 5)):
    return np.maximum(rng.normal(0.3, 1.0, size=shape), 0.0)


def _t(a):
    """(1, n_H, n_W, n_C) NumPy -> (1, n_C, n_H, n_W) torch float64, for gradients."""
    return torch.tensor(a).permute(0, 3, 1, 2).clone().requires_grad_(True)


def _np(t):
    """(1, n_C, n_H, n_W) torch -> (1, n_H, n_W, n_C) NumPy."""
    return t.detach().permute(0, 2, 3, 1).numpy()


def _torch_gram(a):
    n_C = a.shape[1]
    A = a.reshape(n_C, -1)  # torch's channels-first rows are already one channel each
    return A @ A.T


def _torch_layer_style(a_S, a_G):
    _, n_C, n_H, n_W = a_G.shape
    return ((_torch_gram(a_S) - _torch_gram(a_G)) ** 2).sum() / (2 * n_H * n_W * n_C) ** 2


def _close(name, got, expected, inputs, tol=TOL):
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    assert got.shape == expected.shape, (
        f"{name} for {inputs}: expected shape {expected.shape}; got {got.shape}")
    gap = np.max(np.abs(got - expected)) / max(1.0, np.max(np.abs(expected)))
    assert gap < tol, f"{name} for {inputs}: relative gap {gap:.3g} to torch >= {tol:g}"


# --- the costs ------------------------------------------------------------------------

def test_content_cost_hand_value_and_torch():
    a_C = np.zeros((1, 1, 2, 1))
    a_G = np.array([[[[3.0], [4.0]]]])
    assert content_cost(a_C, a_G) == pytest.approx(12.5), (
        "content_cost: expected 1/2 (3^2 + 4^2) = 12.5 for a_C = 0, a_G = [3, 4]")
    rng = np.random.default_rng(0)
    a_C, a_G = _activation(rng), _activation(rng)
    got = content_cost(a_C, a_G)
    assert isinstance(got, float), f"content_cost: expected a Python float; got {type(got)}"
    expected = 0.5 * ((_t(a_C) - _t(a_G)) ** 2).sum().item()
    _close("content_cost", got, expected, "a_C, a_G (1, 3, 4, 5)")


def test_unroll_puts_one_channel_per_row():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(1, 3, 4, 5))
    A = unroll(a)
    assert A.shape == (5, 12), f"unroll (1, 3, 4, 5): expected (5, 12); got {A.shape}"
    for k in range(5):
        np.testing.assert_array_equal(A[k], a[0, :, :, k].ravel(),
                                      err_msg=f"unroll: row {k} is not channel {k}")


def test_gram_matrix_hand_value_symmetric_psd_and_torch():
    A = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]])
    np.testing.assert_allclose(gram_matrix(A), [[5.0, 2.0], [2.0, 2.0]], rtol=0, atol=1e-12,
                               err_msg="gram_matrix of [[1, 2, 0], [0, 1, -1]]")
    rng = np.random.default_rng(2)
    A = rng.normal(size=(6, 20))
    G = gram_matrix(A)
    assert G.shape == (6, 6), f"gram_matrix (6, 20): expected (6, 6); got {G.shape}"
    np.testing.assert_allclose(G, G.T, rtol=0, atol=1e-12, err_msg="gram_matrix: not symmetric")
    eigenvalues = np.linalg.eigvalsh(G)
    assert eigenvalues.min() > -1e-10, (
        f"gram_matrix: expected positive semidefinite; smallest eigenvalue {eigenvalues.min()}")
    # Rank: 6 channels over 3 positions give a Gram matrix of rank 3 at most.
    assert np.linalg.matrix_rank(gram_matrix(rng.normal(size=(6, 3)))) == 3
    _close("gram_matrix", G, (torch.tensor(A) @ torch.tensor(A).T).numpy(), "A (6, 20)")


def test_layer_style_cost_hand_value_zero_and_torch():
    # One position, two channels: G_S = [[1, 0], [0, 0]], G_G = 0, so
    # ||G_S - G_G||^2 = 1 and J = 1 / (2 * 1 * 1 * 2)^2 = 1/16.
    a_S = np.array([[[[1.0, 0.0]]]])
    assert layer_style_cost(a_S, np.zeros_like(a_S)) == pytest.approx(1 / 16), (
        "layer_style_cost: expected 1/16 for a_S = [1, 0], a_G = 0 (n_H = n_W = 1, n_C = 2)")
    rng = np.random.default_rng(3)
    a_S, a_G = _activation(rng), _activation(rng)
    assert layer_style_cost(a_S, a_S) == 0.0, "layer_style_cost(a, a): expected 0"
    # The Gram matrix ignores where things are: shuffling the positions changes nothing.
    shuffled = a_S.reshape(12, 5)[rng.permutation(12)].reshape(a_S.shape)
    assert layer_style_cost(a_S, shuffled) == pytest.approx(0.0, abs=1e-20), (
        "layer_style_cost: expected 0 for the same activations at shuffled positions")
    got = layer_style_cost(a_S, a_G)
    assert isinstance(got, float), f"layer_style_cost: expected a float; got {type(got)}"
    _close("layer_style_cost", got, _torch_layer_style(_t(a_S), _t(a_G)).item(),
           "a_S, a_G (1, 3, 4, 5)")


def test_style_cost_weighs_the_listed_layers_only():
    rng = np.random.default_rng(4)
    shapes = {"relu2": (1, 4, 4, 3), "relu5": (1, 2, 2, 6), "relu8": (1, 1, 1, 4)}
    S = {name: _activation(rng, shape) for name, shape in shapes.items()}
    G = {name: _activation(rng, shape) for name, shape in shapes.items()}
    style_layers = [("relu2", 0.3), ("relu8", 2.0)]
    expected = sum(w * _torch_layer_style(_t(S[n]), _t(G[n])).item() for n, w in style_layers)
    _close("style_cost", style_cost(S, G, style_layers), expected,
           "layers relu2 (0.3) and relu8 (2.0), relu5 not listed")


def test_total_cost():
    assert total_cost(2.0, 0.5, alpha=10, beta=40) == pytest.approx(40.0), (
        "total_cost(2, 0.5, alpha=10, beta=40): expected 10 * 2 + 40 * 0.5 = 40")
    assert total_cost(1.0, 1.0) == pytest.approx(50.0), "total_cost defaults: alpha 10, beta 40"


# --- gradients with respect to the activations -----------------------------------------

def test_content_cost_backward_against_autograd_and_finite_differences():
    rng = np.random.default_rng(5)
    a_C, a_G = _activation(rng), _activation(rng)
    da_G = content_cost_backward(a_C, a_G)
    t_G = _t(a_G)
    (0.5 * ((_t(a_C) - t_G) ** 2).sum()).backward()
    _close("content_cost_backward", da_G, _np(t_G.grad), "a_C, a_G (1, 3, 4, 5)")
    numeric = numerical_gradient(lambda: content_cost(a_C, a_G), a_G)
    _close("content_cost_backward vs finite differences", da_G, numeric, "(1, 3, 4, 5)", 1e-7)


@pytest.mark.parametrize("shape", [(1, 3, 4, 5), (1, 1, 1, 2), (1, 5, 2, 1)])
def test_layer_style_cost_backward_against_autograd_and_finite_differences(shape):
    rng = np.random.default_rng(6)
    a_S, a_G = _activation(rng, shape), _activation(rng, shape)
    da_G = layer_style_cost_backward(a_S, a_G)
    t_G = _t(a_G)
    _torch_layer_style(_t(a_S), t_G).backward()
    _close("layer_style_cost_backward", da_G, _np(t_G.grad), f"a_S, a_G {shape}")
    numeric = numerical_gradient(lambda: layer_style_cost(a_S, a_G), a_G)
    scale = np.linalg.norm(da_G) + np.linalg.norm(numeric)
    assert np.linalg.norm(da_G - numeric) / scale < 1e-7, (
        f"layer_style_cost_backward {shape}: differs from finite differences")


def test_style_cost_backward_against_autograd():
    rng = np.random.default_rng(7)
    shapes = {"input": (1, 4, 4, 3), "relu2": (1, 4, 4, 3), "relu5": (1, 2, 2, 6)}
    S = {name: _activation(rng, shape) for name, shape in shapes.items()}
    G = {name: _activation(rng, shape) for name, shape in shapes.items()}
    style_layers = [("input", 0.5), ("relu5", 1.5)]
    grads = style_cost_backward(S, G, style_layers)
    assert sorted(grads) == ["input", "relu5"], (
        f"style_cost_backward: expected keys ['input', 'relu5']; got {sorted(grads)}")
    t_G = {name: _t(a) for name, a in G.items()}
    sum(w * _torch_layer_style(_t(S[n]), t_G[n]) for n, w in style_layers).backward()
    for name in grads:
        _close(f"style_cost_backward[{name!r}]", grads[name], _np(t_G[name].grad),
               "layers input (0.5) and relu5 (1.5)")


# --- through the extractor to the pixels -----------------------------------------------

def _extractor(seed=0, size=8, channels=(3, 4, 5)):
    rng = np.random.default_rng(seed)
    X_S = rng.uniform(size=(1, size, size, 3))
    parameters, spec = random_extractor(X_S, channels, roughness=0.5, seed=seed)
    return rng, X_S, parameters, spec


def _torch_features(X, parameters, spec):
    """The extractor written with torch: conv2d (same padding), relu, avg_pool2d."""
    A, out = X.permute(0, 3, 1, 2) - 0.5, {"input": X.permute(0, 3, 1, 2)}
    for l, (kind, options) in enumerate(spec, start=1):
        if kind == "conv":
            W = torch.tensor(parameters[f"W{l}"]).permute(3, 2, 0, 1)  # (n_C, n_C_prev, f, f)
            b = torch.tensor(parameters[f"b{l}"]).reshape(-1)
            A = F.conv2d(A, W, b, padding=options["pad"])
        elif kind == "relu":
            A = F.relu(A)
        else:
            A = F.avg_pool2d(A, options["f"], options["stride"])
        out[f"{kind}{l}"] = A
    return out


def test_extractor_layers_and_scales():
    _, X_S, parameters, spec = _extractor()
    assert [kind for kind, _ in spec] == ["conv", "relu", "pool", "conv", "relu", "pool", "conv",
                                          "relu"], f"random_extractor: unexpected layers {spec}"
    activations, _ = features_forward(X_S, parameters, spec)
    for name, shape in [("relu2", (1, 8, 8, 3)), ("relu5", (1, 4, 4, 4)), ("relu8", (1, 2, 2, 5))]:
        assert activations[name].shape == shape, (
            f"features_forward: expected {name} {shape}; got {activations[name].shape}")
        rms = np.sqrt(np.mean(activations[name] ** 2))
        assert rms == pytest.approx(1.0, rel=1e-10), (
            f"random_extractor: {name} of the reference image should have mean square 1; "
            f"got rms {rms}")


def test_features_forward_matches_torch():
    rng, _, parameters, spec = _extractor(seed=1)
    X = rng.uniform(size=(1, 8, 8, 3))
    activations, _ = features_forward(X, parameters, spec)
    expected = _torch_features(torch.tensor(X), parameters, spec)
    assert sorted(activations) == sorted(expected)
    for name, value in expected.items():
        _close(f"features_forward[{name!r}]", activations[name], _np(value), "X (1, 8, 8, 3)")


def test_features_backward_sums_gradients_from_several_layers():
    rng, _, parameters, spec = _extractor(seed=2)
    X = rng.uniform(size=(1, 8, 8, 3))
    activations, caches = features_forward(X, parameters, spec)
    weights = {name: rng.normal(size=activations[name].shape)
               for name in ("input", "relu2", "conv4", "relu8")}
    dX = features_backward(weights, caches)
    t_X = torch.tensor(X).requires_grad_(True)
    out = _torch_features(t_X, parameters, spec)
    # Linear functional sum_l <weights_l, a_l>: its gradient is what features_backward sums.
    sum((out[n] * torch.tensor(w).permute(0, 3, 1, 2)).sum() for n, w in weights.items()).backward()
    _close("features_backward", dX, t_X.grad.numpy(), "gradients at input, relu2, conv4, relu8")


def _transfer(seed):
    rng, X_S, parameters, spec = _extractor(seed)
    X_C, X_G = rng.uniform(size=X_S.shape), rng.uniform(size=X_S.shape)
    content_layer = "relu5"
    style_layers = [("input", 0.5), ("relu2", 1.0), ("relu5", 0.7), ("relu8", 2.0)]
    return X_C, X_S, X_G, parameters, spec, content_layer, style_layers


def test_cost_and_gradient_against_torch_autograd():
    X_C, X_S, X_G, parameters, spec, content_layer, style_layers = _transfer(3)
    a_C = features_forward(X_C, parameters, spec)[0][content_layer]
    activations_S, _ = features_forward(X_S, parameters, spec)
    J, J_content, J_style, dX_G = cost_and_gradient(
        X_G, parameters, spec, a_C, activations_S, content_layer, style_layers, 3.0, 50.0)
    t_X = torch.tensor(X_G).requires_grad_(True)
    out_G = _torch_features(t_X, parameters, spec)
    out_S = _torch_features(torch.tensor(X_S), parameters, spec)
    t_content = 0.5 * ((out_G[content_layer] - _t(a_C)) ** 2).sum()
    t_style = sum(w * _torch_layer_style(out_S[n], out_G[n]) for n, w in style_layers)
    t_J = 3.0 * t_content + 50.0 * t_style
    t_J.backward()
    _close("cost_and_gradient J_content", J_content, t_content.item(), "8 x 8 image")
    _close("cost_and_gradient J_style", J_style, t_style.item(), "8 x 8 image")
    _close("cost_and_gradient J", J, t_J.item(), "8 x 8 image")
    _close("cost_and_gradient dX_G", dX_G, t_X.grad.numpy(), "8 x 8 image")


def test_cost_and_gradient_against_finite_differences():
    X_C, X_S, X_G, parameters, spec, content_layer, style_layers = _transfer(4)
    # The content layer is a style layer too: both gradients must reach it.
    a_C = features_forward(X_C, parameters, spec)[0][content_layer]
    activations_S, _ = features_forward(X_S, parameters, spec)
    args = (parameters, spec, a_C, activations_S, content_layer, style_layers, 2.0, 30.0)
    dX_G = cost_and_gradient(X_G, *args)[3]
    numeric = numerical_gradient(lambda: cost_and_gradient(X_G, *args)[0], X_G)
    error = np.linalg.norm(dX_G - numeric) / (np.linalg.norm(dX_G) + np.linalg.norm(numeric))
    assert error < 1e-6, f"cost_and_gradient: dX_G differs from finite differences ({error:.2g})"


def test_optimize_image_lowers_the_cost_and_keeps_an_image():
    X_C, X_S, _, parameters, spec, content_layer, style_layers = _transfer(5)
    X_G, history = optimize_image(X_C, X_S, parameters, spec, content_layer, style_layers,
                                  alpha=1.0, beta=100.0, num_iterations=60,
                                  learning_rate=0.02, noise_ratio=0.3, seed=1)
    assert X_G.shape == X_C.shape, f"optimize_image: expected {X_C.shape}; got {X_G.shape}"
    assert X_G.min() >= 0.0 and X_G.max() <= 1.0, "optimize_image: pixels left [0, 1]"
    assert sorted(history) == ["J", "J_content", "J_style"]
    assert all(len(v) == 60 for v in history.values())
    assert history["J"][-1] < 0.8 * history["J"][0], (
        f"optimize_image: expected the cost to fall by 20% in 60 steps; got {history['J'][0]:.4g} "
        f"-> {history['J'][-1]:.4g}")
    again, _ = optimize_image(X_C, X_S, parameters, spec, content_layer, style_layers,
                              alpha=1.0, beta=100.0, num_iterations=60, learning_rate=0.02,
                              noise_ratio=0.3, seed=1)
    np.testing.assert_array_equal(X_G, again, err_msg="optimize_image: same seed, other image")


def test_optimize_image_first_step_is_adams():
    """After one step every pixel (not clipped) moves by learning_rate against the sign of
    its gradient: Adam's first step is lr * g / (|g| + eps)."""
    X_C, X_S, _, parameters, spec, content_layer, style_layers = _transfer(6)
    X_C = 0.25 + 0.5 * X_C  # away from the clipping bounds
    a_C = features_forward(X_C, parameters, spec)[0][content_layer]
    activations_S, _ = features_forward(X_S, parameters, spec)
    X_G, history = optimize_image(X_C, X_S, parameters, spec, content_layer, style_layers,
                                  alpha=1.0, beta=100.0, num_iterations=1, learning_rate=0.01)
    J, _, _, dX = cost_and_gradient(X_C, parameters, spec, a_C, activations_S, content_layer,
                                    style_layers, 1.0, 100.0)
    assert history["J"] == [J], "optimize_image: the first recorded cost is the content image's"
    np.testing.assert_allclose(X_G, X_C - 0.01 * dX / (np.abs(dX) + 1e-8), rtol=0, atol=1e-12,
                               err_msg="optimize_image: first step differs from Adam's")


# --- 1-D and 3-D convolution -------------------------------------------------------------

@pytest.mark.parametrize("f, stride, pad", [(3, 1, 0), (3, 2, 1), (1, 1, 0), (4, 3, 2)])
def test_conv1d_forward_matches_torch(f, stride, pad):
    rng = np.random.default_rng(8)
    A_prev, W, b = (rng.normal(size=(2, 11, 3)), rng.normal(size=(f, 3, 4)),
                    rng.normal(size=(1, 1, 4)))
    Z, cache = conv1d_forward(A_prev, W, b, {"stride": stride, "pad": pad})
    n_W = (11 + 2 * pad - f) // stride + 1
    assert Z.shape == (2, n_W, 4), (
        f"conv1d_forward f={f}, stride={stride}, pad={pad}: expected (2, {n_W}, 4); "
        f"got {Z.shape}")
    expected = F.conv1d(torch.tensor(A_prev).permute(0, 2, 1), torch.tensor(W).permute(2, 1, 0),
                        torch.tensor(b).reshape(-1), stride=stride, padding=pad)
    _close("conv1d_forward", Z, expected.permute(0, 2, 1).numpy(),
           f"A_prev (2, 11, 3), W ({f}, 3, 4), stride={stride}, pad={pad}")
    assert cache[0] is A_prev and cache[1] is W


def test_conv1d_forward_detects_a_step():
    """A difference filter [-1, 1] answers only where a signal jumps."""
    signal = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 1.0]).reshape(1, 6, 1)
    Z, _ = conv1d_forward(signal, np.array([-1.0, 1.0]).reshape(2, 1, 1), np.zeros((1, 1, 1)),
                          {"stride": 1, "pad": 0})
    np.testing.assert_array_equal(Z.ravel(), [0.0, 0.0, 1.0, 0.0, 0.0])


@pytest.mark.parametrize("f, stride, pad", [(3, 1, 1), (2, 2, 0)])
def test_conv3d_forward_matches_torch(f, stride, pad):
    rng = np.random.default_rng(9)
    A_prev, W, b = (rng.normal(size=(2, 5, 6, 4, 2)), rng.normal(size=(f, f, f, 2, 3)),
                    rng.normal(size=(1, 1, 1, 1, 3)))
    Z = conv3d_forward(A_prev, W, b, {"stride": stride, "pad": pad})
    expected = F.conv3d(torch.tensor(A_prev).permute(0, 4, 1, 2, 3),
                        torch.tensor(W).permute(4, 3, 0, 1, 2), torch.tensor(b).reshape(-1),
                        stride=stride, padding=pad)
    _close("conv3d_forward", Z, expected.permute(0, 2, 3, 4, 1).numpy(),
           f"A_prev (2, 5, 6, 4, 2), W {W.shape}, stride={stride}, pad={pad}")


# --- the data -----------------------------------------------------------------------------

def test_style_images_load():
    content, style, names = load_style_images()
    for name, image in (("content", content), ("style", style)):
        assert image.shape == (1, 64, 64, 3) and image.dtype == np.uint8, (
            f"load_style_images: expected {name} (1, 64, 64, 3) uint8; got {image.shape} "
            f"{image.dtype}")
    assert "Starry Night" in names[1], names
    # The painting is mostly blue: its mean blue exceeds its mean red.
    assert style[..., 2].mean() > style[..., 0].mean()
