"""Hidden tests of c5w4a1 (Transformer, beyond the notes): fresh random inputs for each graded
function, small batch-first shapes (m, T, d_model). Masks always leave each query at least one
key. Backward functions get caches made by the reference forward functions, the numbers a
student's own forward pass produces too."""

from grader.grading.spec import Spec


def _reference(name):
    from grader.grading.reference import reference

    return reference(f"transformer.{name}")


def _sizes(rng):
    """m, T, n_heads, d_k: small and different from one another."""
    return tuple(int(v) for v in rng.integers(1, 5, size=4))


def _mask(rng, shape):
    """A random bool mask, or None; the first key is always allowed."""
    if rng.random() < 0.25:
        return None
    mask = rng.random(shape) < 0.6
    mask[..., 0] = True
    return mask


def _layer_parameters(rng, d_model, d_ff):
    parameters = {f"W{k}": rng.normal(0, 0.6, (d_model, d_model)) for k in "QKVO"}
    parameters.update({f"b{k}": rng.normal(0, 0.5, d_model) for k in "QKVO"})
    parameters.update({"W1": rng.normal(0, 0.6, (d_model, d_ff)), "b1": rng.normal(0, 0.5, d_ff),
                       "W2": rng.normal(0, 0.6, (d_ff, d_model)),
                       "b2": rng.normal(0, 0.5, d_model)})
    for i in (1, 2):
        parameters[f"gamma{i}"] = rng.normal(1, 0.3, d_model)
        parameters[f"beta{i}"] = rng.normal(0, 0.3, d_model)
    return parameters


def _attention_parameters(rng, d_model):
    return {k: v for k, v in _layer_parameters(rng, d_model, 1).items() if k[1] in "QKVO"}


def _positional_encoding(rng):
    return int(rng.integers(1, 12)), int(rng.integers(1, 10))


def _create_padding_mask(rng):
    m, T = (int(v) for v in rng.integers(1, 6, size=2))
    tokens = rng.integers(0, 4, size=(m, T))
    return (tokens,) if rng.random() < 0.5 else (tokens, int(rng.integers(0, 4)))


def _create_look_ahead_mask(rng):
    return (int(rng.integers(1, 9)),)


def _scaled_dot_product_attention(rng):
    m, T_q, n_heads, d_k = _sizes(rng)
    T_k, d_v = (int(v) for v in rng.integers(1, 6, size=2))
    batch = (m, n_heads) if rng.random() < 0.5 else (m,)
    return (rng.normal(size=batch + (T_q, d_k)), rng.normal(size=batch + (T_k, d_k)),
            rng.normal(size=batch + (T_k, d_v)), _mask(rng, batch + (T_q, T_k)))


def _scaled_dot_product_attention_backward(rng):
    Q, K, V, mask = _scaled_dot_product_attention(rng)
    output, _, cache = _reference("scaled_dot_product_attention")(Q, K, V, mask)
    return rng.normal(size=output.shape), cache


def _layer_norm_forward(rng):
    m, T, _, d = _sizes(rng)
    d += 1  # one feature alone normalises to 0
    return (rng.normal(1, 2, size=(m, T, d)), rng.normal(1, 0.5, d), rng.normal(0, 0.5, d))


def _layer_norm_backward(rng):
    x, gamma, beta = _layer_norm_forward(rng)
    y, cache = _reference("layer_norm_forward")(x, gamma, beta)
    return rng.normal(size=y.shape), cache


def _split_heads(rng):
    m, T, n_heads, d_k = _sizes(rng)
    return rng.normal(size=(m, T, n_heads * d_k)), n_heads


def _merge_heads(rng):
    return (rng.normal(size=_sizes(rng)),)


def _multi_head_attention_forward(rng):
    m, T_q, n_heads, d_k = _sizes(rng)
    d_model = n_heads * d_k
    T_k = int(rng.integers(1, 6))
    query = rng.normal(size=(m, T_q, d_model))
    if rng.random() < 0.5:  # self-attention
        key = value = query
        T_k = T_q
    else:
        key, value = rng.normal(size=(m, T_k, d_model)), rng.normal(size=(m, T_k, d_model))
    return (query, key, value, _attention_parameters(rng, d_model), n_heads,
            _mask(rng, (m, T_q, T_k)))


def _multi_head_attention_backward(rng):
    args = _multi_head_attention_forward(rng)
    output, _, cache = _reference("multi_head_attention_forward")(*args)
    return rng.normal(size=output.shape), cache


def _encoder_layer_forward(rng):
    m, T, n_heads, d_k = _sizes(rng)
    d_model = n_heads * d_k
    return (rng.normal(size=(m, T, d_model)),
            _layer_parameters(rng, d_model, int(rng.integers(1, 7))), n_heads,
            _mask(rng, (m, T, T)))


def _encoder_layer_backward(rng):
    args = _encoder_layer_forward(rng)
    Y, _, cache = _reference("encoder_layer_forward")(*args)
    return rng.normal(size=Y.shape), cache


SPECS = {
    "transformer.positional_encoding": Spec(_positional_encoding),
    "transformer.create_padding_mask": Spec(_create_padding_mask),
    "transformer.create_look_ahead_mask": Spec(_create_look_ahead_mask),
    "transformer.scaled_dot_product_attention": Spec(_scaled_dot_product_attention),
    "transformer.scaled_dot_product_attention_backward":
        Spec(_scaled_dot_product_attention_backward),
    "transformer.layer_norm_forward": Spec(_layer_norm_forward),
    "transformer.layer_norm_backward": Spec(_layer_norm_backward),
    "transformer.split_heads": Spec(_split_heads),
    "transformer.merge_heads": Spec(_merge_heads),
    "transformer.multi_head_attention_forward": Spec(
        _multi_head_attention_forward,
        uses=("transformer.split_heads", "transformer.merge_heads",
              "transformer.scaled_dot_product_attention")),
    "transformer.multi_head_attention_backward": Spec(
        _multi_head_attention_backward,
        uses=("transformer.split_heads", "transformer.merge_heads",
              "transformer.scaled_dot_product_attention_backward")),
    "transformer.encoder_layer_forward": Spec(
        _encoder_layer_forward,
        uses=("transformer.multi_head_attention_forward", "transformer.layer_norm_forward")),
    "transformer.encoder_layer_backward": Spec(
        _encoder_layer_backward,
        uses=("transformer.multi_head_attention_backward", "transformer.layer_norm_backward")),
}
