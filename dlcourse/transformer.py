"""The transformer encoder, forward and backward, in NumPy (Course 5, week 4; beyond the notes).

Layout: batch-first, as in the transformer literature and PyTorch's ``batch_first=True``.
A batch of sequences is an array (m, T, d_model): example, position, feature. This is NOT
the (n_x, m, T_x) layout of the recurrent notebooks: a transformer multiplies every
position by the same matrices at once, so the features go last and a sequence is a stack
of row vectors, X @ W + b, with W of shape (d_in, d_out) and b of shape (d_out,).

Masks are boolean and say who may be looked at: mask[..., i, j] is True when query i may
attend to key j (the convention of torch.nn.functional.scaled_dot_product_attention; note
that nn.MultiheadAttention's attn_mask uses the opposite one). A mask only needs to
broadcast against the scores (m, T_q, T_k): (T, T) for the look-ahead mask, (m, 1, T) for
the padding mask.

A forward function returns its outputs and a cache; its backward function takes the
gradient of the loss with respect to the output and the cache. Nothing is averaged over
examples inside a layer.
"""

import numpy as np

from .optim import initialize_adam, update_parameters_with_adam
from .plot import progress_bar

# A masked score is replaced by this before the softmax: exp(-1e9 - max) is exactly 0 in
# float64, as with -inf, but a row with every key masked gives uniform weights, not nan.
MASKED = -1e9


# --- Positions and masks -----------------------------------------------------------------------

def positional_encoding(T, d_model):
    """The sinusoidal positional encoding of "Attention is all you need".

    PE[t, 2i] = sin(t / 10000^(2i / d_model)), PE[t, 2i + 1] = cos(t / 10000^(2i / d_model))
    for positions t = 0, ..., T - 1 (an odd d_model ends with a sine column).

    Returns PE: (T, d_model).
    """
    ### BEGIN SOLUTION
    t = np.arange(T)[:, None]  # (T, 1)
    two_i = np.arange(0, d_model, 2)[None, :]  # (1, ceil(d_model / 2)): the even columns
    angles = t / 10000 ** (two_i / d_model)  # (T, ceil(d_model / 2))
    PE = np.zeros((T, d_model))
    PE[:, 0::2] = np.sin(angles)
    PE[:, 1::2] = np.cos(angles[:, :d_model // 2])
    ### END SOLUTION
    return PE


def create_padding_mask(tokens, pad=0):
    """Which keys are real tokens: padding is never attended to.

    tokens: (m, T) integer token ids; pad: the id of the padding token
    Returns mask: (m, 1, T) bool, True where tokens != pad (broadcasts over the queries).
    """
    ### BEGIN SOLUTION
    mask = (tokens != pad)[:, None, :]  # (m, 1, T)
    ### END SOLUTION
    return mask


def create_look_ahead_mask(T):
    """Position i may attend to positions j <= i only (no peeking at the future).

    Returns mask: (T, T) bool, True on and below the diagonal.
    """
    ### BEGIN SOLUTION
    mask = np.tril(np.ones((T, T), dtype=bool))
    ### END SOLUTION
    return mask


# --- Attention ---------------------------------------------------------------------------------

def scaled_dot_product_attention(Q, K, V, mask=None):
    """Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V, over the last two axes.

    Q: (..., T_q, d_k) queries; K: (..., T_k, d_k) keys; V: (..., T_k, d_v) values
    ("..." is any leading batch shape, the same for the three: (m,) or (m, n_heads))
    mask: None or bool, broadcastable to (..., T_q, T_k); False = may not attend
    Returns output: (..., T_q, d_v), weights: (..., T_q, T_k) (each row sums to 1) and
    cache = (Q, K, V, weights) for scaled_dot_product_attention_backward.
    """
    ### BEGIN SOLUTION
    d_k = Q.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)  # (..., T_q, T_k)
    if mask is not None:
        scores = np.where(mask, scores, MASKED)
    # Softmax over the keys (last axis), shifted by the row maximum against overflow.
    scores = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(scores)
    weights = e / e.sum(axis=-1, keepdims=True)  # (..., T_q, T_k)
    output = weights @ V  # (..., T_q, d_v)
    ### END SOLUTION
    return output, weights, (Q, K, V, weights)


def scaled_dot_product_attention_backward(doutput, cache):
    """Back-propagation through scaled_dot_product_attention.

    doutput: (..., T_q, d_v) gradient of the loss with respect to the output
    cache: (Q, K, V, weights) from scaled_dot_product_attention
    Returns dQ: (..., T_q, d_k), dK: (..., T_k, d_k), dV: (..., T_k, d_v).
    """
    ### BEGIN SOLUTION
    Q, K, V, weights = cache
    d_k = Q.shape[-1]
    dV = np.swapaxes(weights, -1, -2) @ doutput  # (..., T_k, d_v)
    dweights = doutput @ np.swapaxes(V, -1, -2)  # (..., T_q, T_k)
    # Softmax backward, row by row: ds_j = p_j (dp_j - sum_k p_k dp_k). Masked weights are 0,
    # so their scores get no gradient, as if they had been -inf.
    dscores = weights * (dweights - np.sum(weights * dweights, axis=-1, keepdims=True))
    dscores = dscores / np.sqrt(d_k)
    dQ = dscores @ K  # (..., T_q, d_k)
    dK = np.swapaxes(dscores, -1, -2) @ Q  # (..., T_k, d_k)
    ### END SOLUTION
    return dQ, dK, dV


# --- Layer normalisation -----------------------------------------------------------------------

def layer_norm_forward(x, gamma, beta, eps=1e-5):
    """Layer normalisation: each position's feature vector to mean 0 and variance 1, then
    scaled and shifted: y = gamma * (x - mu) / sqrt(var + eps) + beta.

    Unlike batch norm, the statistics are taken over the features of one position of one
    example (the last axis), so nothing depends on the batch or on other positions.

    x: (..., d) e.g. (m, T, d_model); gamma, beta: (d,)
    Returns y: (..., d) and cache = (x_hat, gamma, std) for layer_norm_backward, where
    x_hat: (..., d) is the normalised x and std: (..., 1) = sqrt(var + eps).
    """
    ### BEGIN SOLUTION
    mu = x.mean(axis=-1, keepdims=True)  # (..., 1)
    var = x.var(axis=-1, keepdims=True)  # (..., 1), the biased variance (divide by d)
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    y = gamma * x_hat + beta
    ### END SOLUTION
    return y, (x_hat, gamma, std)


def layer_norm_backward(dy, cache):
    """Back-propagation through layer_norm_forward.

    dy: (..., d) gradient of the loss with respect to y
    cache: (x_hat, gamma, std) from layer_norm_forward
    Returns dx: (..., d), dgamma: (d,), dbeta: (d,) (summed over every position of every
    example).
    """
    ### BEGIN SOLUTION
    x_hat, gamma, std = cache
    d = x_hat.shape[-1]
    axes = tuple(range(x_hat.ndim - 1))  # every axis but the features
    dbeta = dy.sum(axis=axes)
    dgamma = (dy * x_hat).sum(axis=axes)
    dx_hat = dy * gamma
    # x_hat depends on every x_j through the mean and the variance: the two sums below.
    dx = (d * dx_hat - dx_hat.sum(axis=-1, keepdims=True)
          - x_hat * np.sum(dx_hat * x_hat, axis=-1, keepdims=True)) / (d * std)
    ### END SOLUTION
    return dx, dgamma, dbeta


# --- Multi-head attention ----------------------------------------------------------------------

def split_heads(X, n_heads):
    """Cut the features of every position into n_heads groups of d_k = d_model / n_heads, and
    move the head axis before the positions: head h gets the features h d_k, ...,
    (h + 1) d_k - 1 (as in PyTorch).

    X: (m, T, d_model); n_heads divides d_model
    Returns X_heads: (m, n_heads, T, d_k).
    """
    ### BEGIN SOLUTION
    m, T, d_model = X.shape
    X_heads = X.reshape(m, T, n_heads, d_model // n_heads)  # (m, T, n_heads, d_k)
    X_heads = X_heads.transpose(0, 2, 1, 3)  # (m, n_heads, T, d_k)
    ### END SOLUTION
    return X_heads


def merge_heads(X_heads):
    """The inverse of split_heads: put the heads' features side by side again.

    X_heads: (m, n_heads, T, d_k)
    Returns X: (m, T, n_heads d_k).
    """
    ### BEGIN SOLUTION
    m, n_heads, T, d_k = X_heads.shape
    X = X_heads.transpose(0, 2, 1, 3)  # (m, T, n_heads, d_k)
    X = X.reshape(m, T, n_heads * d_k)
    ### END SOLUTION
    return X


def multi_head_attention_forward(query, key, value, parameters, n_heads, mask=None):
    """Multi-head attention: n_heads attentions on projections of d_k = d_model / n_heads
    features each, side by side, concatenated and projected back.

    Q = query WQ + bQ, K = key WK + bK, V = value WV + bV, each split into n_heads heads
    (split_heads); head_h = Attention(Q_h, K_h, V_h); output = [head_1 ... head_H] WO + bO.
    Self-attention is query = key = value = X.

    query: (m, T_q, d_model); key, value: (m, T_k, d_model)
    parameters: {"WQ", "WK", "WV", "WO": (d_model, d_model), "bQ", "bK", "bV", "bO":
    (d_model,)}; n_heads divides d_model
    mask: None or bool broadcastable to (m, T_q, T_k) (the same for every head)
    Returns output: (m, T_q, d_model), weights: (m, n_heads, T_q, T_k) and cache =
    (query, key, value, parameters, concat, attention_cache) for
    multi_head_attention_backward, where concat: (m, T_q, d_model) is merge_heads of the
    heads' outputs and attention_cache is the cache of scaled_dot_product_attention.
    """
    ### BEGIN SOLUTION
    Q = split_heads(query @ parameters["WQ"] + parameters["bQ"], n_heads)  # (m, H, T_q, d_k)
    K = split_heads(key @ parameters["WK"] + parameters["bK"], n_heads)  # (m, H, T_k, d_k)
    V = split_heads(value @ parameters["WV"] + parameters["bV"], n_heads)  # (m, H, T_k, d_k)
    if mask is not None:
        mask = np.expand_dims(mask, -3)  # (..., 1, T_q, T_k): the same for every head
    heads, weights, attention_cache = scaled_dot_product_attention(Q, K, V, mask)
    concat = merge_heads(heads)  # (m, T_q, d_model)
    output = concat @ parameters["WO"] + parameters["bO"]
    ### END SOLUTION
    return output, weights, (query, key, value, parameters, concat, attention_cache)


def projection_backward(dZ, A, W):
    """Back-propagation through a projection Z = A W + b applied at every position.

    dZ: (..., d_out); A: (..., d_in) the input; W: (d_in, d_out)
    Returns dA: (..., d_in), dW: (d_in, d_out) and db: (d_out,), summed over every position
    of every example.
    """
    d_in, d_out = W.shape
    # Every position of every example is one row: W's gradient sums over all of them.
    A_rows = A.reshape(-1, d_in)  # (m T, d_in)
    dZ_rows = dZ.reshape(-1, d_out)  # (m T, d_out)
    return dZ @ W.T, A_rows.T @ dZ_rows, dZ_rows.sum(axis=0)


def multi_head_attention_backward(doutput, cache):
    """Back-propagation through multi_head_attention_forward.

    doutput: (m, T_q, d_model) gradient of the loss with respect to the output
    cache: from multi_head_attention_forward
    Returns dquery: (m, T_q, d_model), dkey, dvalue: (m, T_k, d_model) and grads =
    {"dWQ", "dWK", "dWV", "dWO": (d_model, d_model), "dbQ", "dbK", "dbV", "dbO": (d_model,)}.
    For self-attention the gradient of X is dquery + dkey + dvalue.
    """
    ### BEGIN SOLUTION
    query, key, value, parameters, concat, attention_cache = cache
    n_heads = attention_cache[0].shape[1]
    grads = {}
    dconcat, grads["dWO"], grads["dbO"] = projection_backward(doutput, concat, parameters["WO"])
    dheads = split_heads(dconcat, n_heads)  # (m, H, T_q, d_k)
    dQ, dK, dV = scaled_dot_product_attention_backward(dheads, attention_cache)
    dquery, grads["dWQ"], grads["dbQ"] = projection_backward(merge_heads(dQ), query,
                                                          parameters["WQ"])
    dkey, grads["dWK"], grads["dbK"] = projection_backward(merge_heads(dK), key, parameters["WK"])
    dvalue, grads["dWV"], grads["dbV"] = projection_backward(merge_heads(dV), value,
                                                          parameters["WV"])
    ### END SOLUTION
    return dquery, dkey, dvalue, grads


# --- The encoder layer -------------------------------------------------------------------------

def encoder_layer_forward(X, parameters, n_heads, mask=None, eps=1e-5):
    """One transformer encoder layer, post-norm (the original paper's and PyTorch's default):

    Y1 = LayerNorm(X + MultiHeadSelfAttention(X))            gamma1, beta1
    F = ReLU(Y1 W1 + b1) W2 + b2                              position-wise feed-forward
    Y2 = LayerNorm(Y1 + F)                                    gamma2, beta2

    X: (m, T, d_model)
    parameters: those of multi_head_attention_forward and "W1": (d_model, d_ff),
    "b1": (d_ff,), "W2": (d_ff, d_model), "b2": (d_model,), "gamma1", "beta1", "gamma2",
    "beta2": (d_model,)
    mask: None or bool broadcastable to (m, T, T)
    Returns Y2: (m, T, d_model), weights: (m, n_heads, T, T) the attention weights, and
    cache = (attention_cache, norm1_cache, Y1, Z1, H, norm2_cache, parameters) for
    encoder_layer_backward: the caches of multi_head_attention_forward and of the two
    layer_norm_forward calls, Y1: (m, T, d_model), Z1 = Y1 W1 + b1 and H = ReLU(Z1):
    (m, T, d_ff).
    """
    ### BEGIN SOLUTION
    A, weights, attention_cache = multi_head_attention_forward(X, X, X, parameters, n_heads,
                                                               mask)
    Y1, norm1_cache = layer_norm_forward(X + A, parameters["gamma1"], parameters["beta1"], eps)
    Z1 = Y1 @ parameters["W1"] + parameters["b1"]  # (m, T, d_ff)
    H = np.maximum(Z1, 0)
    F = H @ parameters["W2"] + parameters["b2"]  # (m, T, d_model)
    Y2, norm2_cache = layer_norm_forward(Y1 + F, parameters["gamma2"], parameters["beta2"], eps)
    ### END SOLUTION
    return Y2, weights, (attention_cache, norm1_cache, Y1, Z1, H, norm2_cache, parameters)


def encoder_layer_backward(dY2, cache):
    """Back-propagation through encoder_layer_forward.

    dY2: (m, T, d_model) gradient of the loss with respect to the layer's output
    cache: from encoder_layer_forward
    Returns dX: (m, T, d_model) and grads, a dict with "d" + key for every key of the
    layer's parameters ("dWQ", ..., "dW1", "db1", "dW2", "db2", "dgamma1", ...).
    """
    ### BEGIN SOLUTION
    attention_cache, norm1_cache, Y1, Z1, H, norm2_cache, parameters = cache
    grads = {}
    # Y2 = LN(Y1 + F): the residual sends the same gradient to Y1 and to F.
    dsum2, grads["dgamma2"], grads["dbeta2"] = layer_norm_backward(dY2, norm2_cache)
    dH, grads["dW2"], grads["db2"] = projection_backward(dsum2, H, parameters["W2"])
    dZ1 = dH * (Z1 > 0)
    dY1, grads["dW1"], grads["db1"] = projection_backward(dZ1, Y1, parameters["W1"])
    dY1 = dY1 + dsum2
    dsum1, grads["dgamma1"], grads["dbeta1"] = layer_norm_backward(dY1, norm1_cache)
    dquery, dkey, dvalue, attention_grads = multi_head_attention_backward(dsum1,
                                                                          attention_cache)
    grads.update(attention_grads)
    # X was the query, the key, the value and the residual.
    dX = dquery + dkey + dvalue + dsum1
    ### END SOLUTION
    return dX, grads


# --- A tiny encoder-only model (not graded) ----------------------------------------------------

def initialize_encoder_parameters(d_model, d_ff, rng):
    """One encoder layer's parameters: Xavier-uniform projections, zero biases, unit gains."""
    def xavier(n_in, n_out):
        limit = np.sqrt(6 / (n_in + n_out))
        return rng.uniform(-limit, limit, (n_in, n_out))

    parameters = {f"W{k}": xavier(d_model, d_model) for k in "QKVO"}
    parameters.update({f"b{k}": np.zeros(d_model) for k in "QKVO"})
    parameters.update({"W1": xavier(d_model, d_ff), "b1": np.zeros(d_ff),
                       "W2": xavier(d_ff, d_model), "b2": np.zeros(d_model),
                       "gamma1": np.ones(d_model), "beta1": np.zeros(d_model),
                       "gamma2": np.ones(d_model), "beta2": np.zeros(d_model)})
    return parameters


def initialize_model(vocab_size, d_model, d_ff, n_layers, seed=0):
    """A token classifier: embedding, n_layers encoder layers, a softmax over the vocabulary at
    every position. Keys: "E" (vocab_size, d_model), "Wy" (d_model, vocab_size), "by"
    (vocab_size,) and each layer's keys prefixed with "l1_", "l2_", ..."""
    rng = np.random.default_rng(seed)
    parameters = {"E": rng.normal(0, 1, (vocab_size, d_model)),
                  "Wy": rng.normal(0, 1 / np.sqrt(d_model), (d_model, vocab_size)),
                  "by": np.zeros(vocab_size)}
    for layer in range(1, n_layers + 1):
        for key, value in initialize_encoder_parameters(d_model, d_ff, rng).items():
            parameters[f"l{layer}_{key}"] = value
    return parameters


def _layer(parameters, layer):
    prefix = f"l{layer}_"
    return {k[len(prefix):]: v for k, v in parameters.items() if k.startswith(prefix)}


def _n_layers(parameters):
    return sum(1 for k in parameters if k.endswith("_WQ"))


def model_forward(tokens, parameters, n_heads, use_positions=True, layer_forward=None,
                  encoding=None):
    """Probabilities of every token at every position.

    tokens: (m, T) integer ids
    layer_forward, encoding: the encoder layer and the positional encoding (default:
    encoder_layer_forward and positional_encoding of this module; a notebook passes its own)
    Returns probs: (m, T, vocab_size), the attention weights of every layer (a list of
    (m, n_heads, T, T)) and a cache for model_backward.
    """
    layer_forward = layer_forward or encoder_layer_forward
    encoding = encoding or positional_encoding
    E = parameters["E"]
    T, d_model = tokens.shape[1], E.shape[1]
    X = E[tokens]  # (m, T, d_model): row tokens[i, t] of E
    if use_positions:
        X = X + encoding(T, d_model)
    layer_caches, all_weights = [], []
    for layer in range(1, _n_layers(parameters) + 1):
        X, weights, cache = layer_forward(X, _layer(parameters, layer), n_heads)
        layer_caches.append(cache)
        all_weights.append(weights)
    logits = X @ parameters["Wy"] + parameters["by"]  # (m, T, vocab_size)
    logits = logits - logits.max(axis=-1, keepdims=True)
    probs = np.exp(logits)
    probs /= probs.sum(axis=-1, keepdims=True)
    return probs, all_weights, (tokens, X, layer_caches)


def model_loss(probs, targets):
    """Cross-entropy averaged over every position of every example; targets: (m, T) ids."""
    picked = np.take_along_axis(probs, targets[..., None], axis=-1)
    return -np.mean(np.log(picked))


def model_backward(probs, targets, parameters, cache, layer_backward=None):
    """Gradients of model_loss with respect to every parameter (keys "d" + key).

    layer_backward: the encoder layer's backward function (default: encoder_layer_backward)
    """
    layer_backward = layer_backward or encoder_layer_backward
    tokens, X, layer_caches = cache
    m, T, vocab_size = probs.shape
    # Softmax and cross-entropy together: probabilities minus the one-hot targets.
    dlogits = probs.copy()
    dlogits[np.arange(m)[:, None], np.arange(T)[None, :], targets] -= 1
    dlogits /= m * T
    grads = {}
    dX, grads["dWy"], grads["dby"] = projection_backward(dlogits, X, parameters["Wy"])
    for layer in range(len(layer_caches), 0, -1):
        dX, layer_grads = layer_backward(dX, layer_caches[layer - 1])
        grads.update({f"dl{layer}_{k[1:]}": v for k, v in layer_grads.items()})
    dE = np.zeros_like(parameters["E"])
    np.add.at(dE, tokens.ravel(), dX.reshape(-1, dX.shape[-1]))
    grads["dE"] = dE
    return grads


def sorting_batch(rng, m, T=8, vocab_size=10):
    """m random sequences of T digits in 0 .. vocab_size - 1 and their sorted versions."""
    tokens = rng.integers(0, vocab_size, size=(m, T))
    return tokens, np.sort(tokens, axis=1)


def train_sorter(n_steps=1000, m=32, T=8, vocab_size=10, d_model=32, d_ff=32, n_heads=2,
                 n_layers=1, learning_rate=0.003, use_positions=True, seed=0, progress=True,
                 layer=None, encoding=None):
    """Train the token classifier with Adam to sort sequences of digits (a fresh batch at
    every step).

    layer: None or (layer_forward, layer_backward), the encoder layer's two functions;
    encoding: None or the positional encoding function (default: this module's)
    Returns the parameters and the loss of every step.
    """
    layer_forward, layer_backward = layer or (None, None)
    parameters = initialize_model(vocab_size, d_model, d_ff, n_layers, seed)
    v, s = initialize_adam(parameters)
    rng = np.random.default_rng(seed + 1)
    losses = []
    for step in progress_bar(range(1, n_steps + 1), show=progress):
        tokens, targets = sorting_batch(rng, m, T, vocab_size)
        probs, _, cache = model_forward(tokens, parameters, n_heads, use_positions,
                                        layer_forward, encoding)
        losses.append(model_loss(probs, targets))
        grads = model_backward(probs, targets, parameters, cache, layer_backward)
        parameters, v, s, _, _ = update_parameters_with_adam(parameters, grads, v, s, step,
                                                             learning_rate)
    return parameters, losses


def predict(tokens, parameters, n_heads, use_positions=True, layer_forward=None, encoding=None):
    """The most probable token at every position: (m, T) ids."""
    probs, _, _ = model_forward(tokens, parameters, n_heads, use_positions, layer_forward,
                                encoding)
    return probs.argmax(axis=-1)
