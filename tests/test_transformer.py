"""dlcourse.transformer: positional encoding, masks, attention, layer norm, multi-head attention
and the encoder layer, forward and backward.

Differential tests against PyTorch CPU in float64 with dropout 0 and the weights mapped
(F.scaled_dot_product_attention, F.layer_norm, nn.MultiheadAttention,
nn.TransformerEncoderLayer(norm_first=False, batch_first=True)), to 1e-10, gradients against
autograd; every backward function against finite differences. NumPy's weights act on row
vectors (X @ W), torch's Linear on columns (x @ W.T): each torch weight is our W transposed.
PyTorch's nn.MultiheadAttention masks where its bool mask is True; ours and
F.scaled_dot_product_attention's attend where it is True.
"""


import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch_compare import as_torch as _t
from torch_compare import assert_close

from dlcourse.checks import numerical_gradient
from dlcourse.transformer import (
    create_look_ahead_mask,
    create_padding_mask,
    encoder_layer_backward,
    encoder_layer_forward,
    initialize_encoder_parameters,
    initialize_model,
    layer_norm_backward,
    layer_norm_forward,
    merge_heads,
    model_backward,
    model_forward,
    model_loss,
    multi_head_attention_backward,
    multi_head_attention_forward,
    positional_encoding,
    predict,
    scaled_dot_product_attention,
    scaled_dot_product_attention_backward,
    sorting_batch,
    split_heads,
    train_sorter,
)

M, T, D_MODEL, N_HEADS, D_FF = 3, 5, 8, 2, 12
WHERE = f"m={M}, T={T}, d_model={D_MODEL}, n_heads={N_HEADS}"


def _close(name, got, expected, where=WHERE, **tolerances):
    assert_close(name, got, expected, where, **tolerances)


def _assert_gradient(name, analytic, J, x):
    numeric = numerical_gradient(J, x)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    if scale < 1e-8:
        # bK's gradient is exactly 0 (adding the same vector to every key shifts each score
        # row by a constant, which the softmax ignores): only rounding noise is left.
        return
    error = np.linalg.norm(analytic - numeric) / scale
    assert error < 1e-7, f"{name}: relative error {error:.2e} against finite differences"


def _random_mask(rng, shape):
    """A random bool mask with at least one True per query row (a fully masked row is nan in
    torch and uniform here)."""
    mask = rng.random(shape) < 0.6
    mask[..., 0] = True
    return mask


def _layer_parameters(rng, d_model=D_MODEL, d_ff=D_FF):
    parameters = initialize_encoder_parameters(d_model, d_ff, rng)
    # Non-trivial biases and gains, so that a bias or a gain in the wrong place shows.
    return {k: v + rng.normal(0, 0.3, v.shape) if k[0] in "bg" else v
            for k, v in parameters.items()}


# --- Positions and masks -----------------------------------------------------------------------

def test_positional_encoding_values_and_properties():
    PE = positional_encoding(6, 5)
    assert PE.shape == (6, 5), f"positional_encoding(6, 5): expected shape (6, 5); got {PE.shape}"
    _close("positional_encoding row 0", PE[0], [0, 1, 0, 1, 0], "T=6, d_model=5")
    # Column 2i uses the frequency 1 / 10000^(2i / d_model), column 2i + 1 too.
    t = np.arange(6)
    _close("positional_encoding column 2", PE[:, 2], np.sin(t / 10000 ** (2 / 5)), "d_model=5")
    _close("positional_encoding column 3", PE[:, 3], np.cos(t / 10000 ** (2 / 5)), "d_model=5")
    _close("positional_encoding column 4", PE[:, 4], np.sin(t / 10000 ** (4 / 5)), "d_model=5")
    # Each (sin, cos) pair lies on the unit circle.
    even = positional_encoding(7, 6)
    _close("sin^2 + cos^2", even[:, 0::2] ** 2 + even[:, 1::2] ** 2, np.ones((7, 3)), "T=7, d=6")


def test_masks():
    tokens = np.array([[3, 1, 0, 0], [2, 0, 5, 4]])
    mask = create_padding_mask(tokens)
    assert mask.dtype == bool and mask.shape == (2, 1, 4), (
        f"create_padding_mask: expected bool (2, 1, 4); got {mask.dtype} {mask.shape}")
    assert (mask[:, 0] == (tokens != 0)).all()
    assert (create_padding_mask(tokens, pad=5)[1, 0] == [True, True, False, True]).all()
    look = create_look_ahead_mask(4)
    assert look.dtype == bool and look.shape == (4, 4)
    assert (look == (np.arange(4)[:, None] >= np.arange(4)[None, :])).all(), (
        f"create_look_ahead_mask(4): expected True on and below the diagonal; got\n{look}")


# --- Scaled dot-product attention --------------------------------------------------------------

@pytest.mark.parametrize("mask_kind", ["none", "random", "padding", "look_ahead"])
def test_attention_matches_torch_sdpa_forward_and_backward(mask_kind):
    rng = np.random.default_rng(1)
    T_q, T_k, d_k, d_v = (T, T, 4, 3) if mask_kind == "look_ahead" else (4, 6, 4, 3)
    Q = rng.normal(size=(M, N_HEADS, T_q, d_k))
    K = rng.normal(size=(M, N_HEADS, T_k, d_k))
    V = rng.normal(size=(M, N_HEADS, T_k, d_v))
    tokens = rng.integers(1, 4, size=(M, T_k))
    tokens[:, -2:] = 0
    mask = {"none": None, "random": _random_mask(rng, (M, N_HEADS, T_q, T_k)),
            "padding": create_padding_mask(tokens)[:, None],
            "look_ahead": create_look_ahead_mask(T)}[mask_kind]
    out, weights, cache = scaled_dot_product_attention(Q, K, V, mask)
    tQ, tK, tV = _t(Q, True), _t(K, True), _t(V, True)
    t_mask = None if mask is None else torch.tensor(mask)
    t_out = F.scaled_dot_product_attention(tQ, tK, tV, attn_mask=t_mask, dropout_p=0.0)
    _close(f"attention output ({mask_kind} mask)", out, t_out.detach().numpy())
    _close(f"attention weights rows ({mask_kind} mask)", weights.sum(-1),
           np.ones((M, N_HEADS, T_q)))
    if mask is not None:
        assert (weights[~np.broadcast_to(mask, weights.shape)] == 0).all(), (
            f"attention weights: expected 0 where the {mask_kind} mask is False")
    dout = rng.normal(size=out.shape)
    (t_out * _t(dout)).sum().backward()
    dQ, dK, dV = scaled_dot_product_attention_backward(dout, cache)
    _close(f"dQ ({mask_kind} mask)", dQ, tQ.grad.numpy())
    _close(f"dK ({mask_kind} mask)", dK, tK.grad.numpy())
    _close(f"dV ({mask_kind} mask)", dV, tV.grad.numpy())


def test_attention_backward_finite_differences():
    rng = np.random.default_rng(2)
    Q, K, V = (rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4)), rng.normal(size=(2, 5, 2)))
    mask = _random_mask(rng, (2, 3, 5))
    dout = rng.normal(size=(2, 3, 2))
    _, _, cache = scaled_dot_product_attention(Q, K, V, mask)
    grads = scaled_dot_product_attention_backward(dout, cache)
    for name, x, g in zip(("dQ", "dK", "dV"), (Q, K, V), grads, strict=True):
        _assert_gradient(f"scaled_dot_product_attention_backward {name}", g,
                         lambda: np.sum(scaled_dot_product_attention(Q, K, V, mask)[0] * dout), x)


# --- Layer norm --------------------------------------------------------------------------------

def test_layer_norm_matches_torch_and_finite_differences():
    rng = np.random.default_rng(3)
    x = rng.normal(2, 3, size=(M, T, D_MODEL))
    gamma, beta = rng.normal(size=D_MODEL), rng.normal(size=D_MODEL)
    y, cache = layer_norm_forward(x, gamma, beta)
    tx, tg, tb = _t(x, True), _t(gamma, True), _t(beta, True)
    ty = F.layer_norm(tx, (D_MODEL,), tg, tb, eps=1e-5)
    _close("layer_norm_forward", y, ty.detach().numpy())
    dy = rng.normal(size=y.shape)
    (ty * _t(dy)).sum().backward()
    dx, dgamma, dbeta = layer_norm_backward(dy, cache)
    _close("layer_norm_backward dx", dx, tx.grad.numpy())
    _close("layer_norm_backward dgamma", dgamma, tg.grad.numpy())
    _close("layer_norm_backward dbeta", dbeta, tb.grad.numpy())
    x_small = rng.normal(size=(2, 3, 4))
    g_small, b_small = rng.normal(size=4), rng.normal(size=4)
    dy_small = rng.normal(size=(2, 3, 4))
    dx, dgamma, dbeta = layer_norm_backward(dy_small, layer_norm_forward(x_small, g_small,
                                                                         b_small)[1])

    def J():
        return np.sum(layer_norm_forward(x_small, g_small, b_small)[0] * dy_small)
    _assert_gradient("layer_norm_backward dx", dx, J, x_small)
    _assert_gradient("layer_norm_backward dgamma", dgamma, J, g_small)
    _assert_gradient("layer_norm_backward dbeta", dbeta, J, b_small)


# --- Multi-head attention ----------------------------------------------------------------------

def test_split_and_merge_heads():
    X = np.arange(2 * 3 * 6, dtype=float).reshape(2, 3, 6)
    heads = split_heads(X, 3)
    assert heads.shape == (2, 3, 3, 2), f"split_heads: expected (2, 3, 3, 2); got {heads.shape}"
    # Head h of example i at position t holds features 2h, 2h + 1 of X[i, t].
    _close("split_heads head 1", heads[1, 1], X[1, :, 2:4], "m=2, T=3, d_model=6, n_heads=3")
    _close("merge_heads(split_heads(X))", merge_heads(heads), X, "m=2, T=3, d_model=6")


def _torch_mha(parameters, d_model=D_MODEL, n_heads=N_HEADS):
    mha = torch.nn.MultiheadAttention(d_model, n_heads, dropout=0.0, batch_first=True,
                                      dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(_t(np.vstack([parameters["WQ"].T, parameters["WK"].T,
                                               parameters["WV"].T])))
        mha.in_proj_bias.copy_(_t(np.concatenate([parameters["bQ"], parameters["bK"],
                                                  parameters["bV"]])))
        mha.out_proj.weight.copy_(_t(parameters["WO"].T))
        mha.out_proj.bias.copy_(_t(parameters["bO"]))
    return mha


def _torch_grad_of(name):
    """Where our parameter's gradient sits in nn.MultiheadAttention (transposed for W)."""
    block = {"Q": 0, "K": 1, "V": 2}

    def get(mha):
        if name in ("WO", "bO"):
            g = mha.out_proj.weight.grad if name == "WO" else mha.out_proj.bias.grad
            return g.numpy().T if name == "WO" else g.numpy()
        rows = slice(block[name[1]] * D_MODEL, (block[name[1]] + 1) * D_MODEL)
        if name[0] == "W":
            return mha.in_proj_weight.grad[rows].numpy().T
        return mha.in_proj_bias.grad[rows].numpy()
    return get


@pytest.mark.parametrize("mask_kind", ["none", "look_ahead", "random"])
def test_multi_head_attention_matches_torch(mask_kind):
    rng = np.random.default_rng(4)
    parameters = _layer_parameters(rng)
    T_k = T if mask_kind == "look_ahead" else 7
    query = rng.normal(size=(M, T, D_MODEL))
    key, value = rng.normal(size=(M, T_k, D_MODEL)), rng.normal(size=(M, T_k, D_MODEL))
    mask = {"none": None, "look_ahead": create_look_ahead_mask(T),
            "random": _random_mask(rng, (M, T, T_k))}[mask_kind]
    out, weights, cache = multi_head_attention_forward(query, key, value, parameters, N_HEADS,
                                                       mask)
    mha = _torch_mha(parameters)
    tq, tk, tv = _t(query, True), _t(key, True), _t(value, True)
    t_mask = None
    if mask is not None:  # torch: True = may NOT attend; a 3-D mask is (m * n_heads, T_q, T_k)
        t_mask = torch.tensor(~mask)
        if mask.ndim == 3:
            t_mask = t_mask.repeat_interleave(N_HEADS, dim=0)
    t_out, t_weights = mha(tq, tk, tv, attn_mask=t_mask, need_weights=True,
                           average_attn_weights=False)
    _close(f"multi_head_attention_forward output ({mask_kind})", out, t_out.detach().numpy())
    _close(f"multi_head_attention_forward weights ({mask_kind})", weights,
           t_weights.detach().numpy())
    dout = rng.normal(size=out.shape)
    (t_out * _t(dout)).sum().backward()
    dquery, dkey, dvalue, grads = multi_head_attention_backward(dout, cache)
    _close("dquery", dquery, tq.grad.numpy())
    _close("dkey", dkey, tk.grad.numpy())
    _close("dvalue", dvalue, tv.grad.numpy())
    assert set(grads) == {"d" + k for k in ("WQ", "WK", "WV", "WO", "bQ", "bK", "bV", "bO")}
    for name in ("WQ", "WK", "WV", "WO", "bQ", "bK", "bV", "bO"):
        _close(f"multi_head_attention_backward d{name}", grads["d" + name],
               _torch_grad_of(name)(mha))


def test_multi_head_attention_with_padding_mask_matches_torch_key_padding_mask():
    rng = np.random.default_rng(5)
    parameters = _layer_parameters(rng)
    X = rng.normal(size=(M, T, D_MODEL))
    tokens = rng.integers(1, 9, size=(M, T))
    tokens[0, 3:], tokens[2, 1:] = 0, 0
    out, _, _ = multi_head_attention_forward(X, X, X, parameters, N_HEADS,
                                             create_padding_mask(tokens))
    tX = _t(X)
    t_out, _ = _torch_mha(parameters)(tX, tX, tX, key_padding_mask=torch.tensor(tokens == 0))
    _close("multi_head_attention_forward with a padding mask", out, t_out.detach().numpy())


def test_multi_head_attention_backward_finite_differences():
    rng = np.random.default_rng(6)
    d_model, n_heads = 6, 3
    parameters = _layer_parameters(rng, d_model, 4)
    query, key = rng.normal(size=(2, 3, d_model)), rng.normal(size=(2, 4, d_model))
    value = rng.normal(size=(2, 4, d_model))
    mask = _random_mask(rng, (2, 3, 4))
    dout = rng.normal(size=(2, 3, d_model))

    def J():
        return np.sum(multi_head_attention_forward(query, key, value, parameters, n_heads,
                                                   mask)[0] * dout)
    cache = multi_head_attention_forward(query, key, value, parameters, n_heads, mask)[2]
    dquery, dkey, dvalue, grads = multi_head_attention_backward(dout, cache)
    for name, x, g in (("dquery", query, dquery), ("dkey", key, dkey), ("dvalue", value, dvalue)):
        _assert_gradient(f"multi_head_attention_backward {name}", g, J, x)
    for name in ("WQ", "WK", "WV", "WO", "bQ", "bK", "bV", "bO"):
        _assert_gradient(f"multi_head_attention_backward d{name}", grads["d" + name], J,
                         parameters[name])


# --- The encoder layer -------------------------------------------------------------------------

def _torch_encoder_layer(parameters, d_model=D_MODEL, n_heads=N_HEADS, d_ff=D_FF):
    layer = torch.nn.TransformerEncoderLayer(d_model, n_heads, d_ff, dropout=0.0,
                                             batch_first=True, norm_first=False,
                                             dtype=torch.float64)
    mha = _torch_mha(parameters, d_model, n_heads)
    layer.self_attn.load_state_dict(mha.state_dict())
    with torch.no_grad():
        layer.linear1.weight.copy_(_t(parameters["W1"].T))
        layer.linear1.bias.copy_(_t(parameters["b1"]))
        layer.linear2.weight.copy_(_t(parameters["W2"].T))
        layer.linear2.bias.copy_(_t(parameters["b2"]))
        for i in (1, 2):
            getattr(layer, f"norm{i}").weight.copy_(_t(parameters[f"gamma{i}"]))
            getattr(layer, f"norm{i}").bias.copy_(_t(parameters[f"beta{i}"]))
    return layer


@pytest.mark.parametrize("mask_kind", ["none", "look_ahead"])
def test_encoder_layer_matches_torch_transformer_encoder_layer(mask_kind):
    rng = np.random.default_rng(7)
    parameters = _layer_parameters(rng)
    X = rng.normal(size=(M, T, D_MODEL))
    mask = None if mask_kind == "none" else create_look_ahead_mask(T)
    Y, weights, cache = encoder_layer_forward(X, parameters, N_HEADS, mask)
    assert weights.shape == (M, N_HEADS, T, T)
    layer = _torch_encoder_layer(parameters)
    layer.train()  # dropout is 0 anyway; training mode keeps torch off its fused fast path
    tX = _t(X, True)
    tY = layer(tX, src_mask=None if mask is None else torch.tensor(~mask))
    _close(f"encoder_layer_forward ({mask_kind})", Y, tY.detach().numpy())
    dY = rng.normal(size=Y.shape)
    (tY * _t(dY)).sum().backward()
    dX, grads = encoder_layer_backward(dY, cache)
    _close("encoder_layer_backward dX", dX, tX.grad.numpy())
    assert set(grads) == {"d" + k for k in parameters}, (
        f"encoder_layer_backward: expected the keys {sorted('d' + k for k in parameters)}; "
        f"got {sorted(grads)}")
    torch_grads = {"W1": layer.linear1.weight.grad.numpy().T, "b1": layer.linear1.bias.grad,
                   "W2": layer.linear2.weight.grad.numpy().T, "b2": layer.linear2.bias.grad,
                   "gamma1": layer.norm1.weight.grad, "beta1": layer.norm1.bias.grad,
                   "gamma2": layer.norm2.weight.grad, "beta2": layer.norm2.bias.grad}
    for name, expected in torch_grads.items():
        _close(f"encoder_layer_backward d{name}", grads["d" + name], np.asarray(expected))
    for name in ("WQ", "WK", "WV", "WO", "bQ", "bK", "bV", "bO"):
        _close(f"encoder_layer_backward d{name}", grads["d" + name],
               _torch_grad_of(name)(layer.self_attn))


def test_encoder_layer_backward_finite_differences():
    rng = np.random.default_rng(8)
    d_model, n_heads = 4, 2
    parameters = _layer_parameters(rng, d_model, 6)
    X = rng.normal(size=(2, 3, d_model))
    mask = create_padding_mask(np.array([[1, 2, 0], [3, 4, 5]]))
    dY = rng.normal(size=X.shape)

    def J():
        return np.sum(encoder_layer_forward(X, parameters, n_heads, mask)[0] * dY)
    dX, grads = encoder_layer_backward(dY, encoder_layer_forward(X, parameters, n_heads,
                                                                 mask)[2])
    _assert_gradient("encoder_layer_backward dX", dX, J, X)
    for name in parameters:
        _assert_gradient(f"encoder_layer_backward d{name}", grads["d" + name], J,
                         parameters[name])


# --- The sorting model -------------------------------------------------------------------------

def test_model_backward_finite_differences():
    rng = np.random.default_rng(9)
    parameters = initialize_model(5, 4, 6, 2, seed=3)
    tokens, targets = sorting_batch(rng, 3, T=4, vocab_size=5)

    def J():
        return model_loss(model_forward(tokens, parameters, 2)[0], targets)
    probs, _, cache = model_forward(tokens, parameters, 2)
    grads = model_backward(probs, targets, parameters, cache)
    assert set(grads) == {"d" + k for k in parameters}
    for name in ("E", "Wy", "by", "l1_WQ", "l2_W1", "l1_gamma2"):
        _assert_gradient(f"model_backward d{name}", grads["d" + name], J, parameters[name])


@pytest.mark.slow
def test_sorter_learns_with_positions_and_fails_without():
    rng = np.random.default_rng(123)
    tokens, targets = sorting_batch(rng, 500)
    with_pe, _ = train_sorter(progress=False)
    without_pe, _ = train_sorter(n_steps=300, use_positions=False, progress=False)
    accuracy = (predict(tokens, with_pe, 2) == targets).mean()
    blind = (predict(tokens, without_pe, 2, use_positions=False) == targets).mean()
    assert accuracy > 0.97, f"sorting: per-token accuracy {accuracy:.3f} after 1,000 steps"
    assert blind < 0.5, f"sorting without positions: per-token accuracy {blind:.3f}"
