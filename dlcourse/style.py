"""Neural style transfer (C4W4A2): the content and style costs, their gradients, and the
optimization of the generated image; 1-D and 3-D convolution.

Layout, as in the rest of Course 4: images and activations are channels-last with the
example first, (m, n_H, n_W, n_C); style transfer works on one image at a time, m = 1.
A feature extractor (a fixed convolutional network) maps an image X to activations
a^[l] at a few layers l; the costs compare the generated image's activations with those
of the content image C and the style image S:

    J_content = 1/2 ||a^[l](C) - a^[l](G)||^2                      (one layer l)
    G^[l] = A A^T, A = a^[l] unrolled to (n_C, n_H n_W)            (the Gram matrix)
    J_style^[l] = (2 n_H n_W n_C)^-2 ||G^[l](S) - G^[l](G)||_F^2
    J_style = sum_l lambda^[l] J_style^[l]
    J = alpha J_content + beta J_style

Only the generated image G is learned; its gradient flows from the costs back through
the extractor's layers (conv_backward_fast, relu, pooling) to the pixels.
"""

import numpy as np

from .cnn import LAYERS
from .conv import conv_output_size
from .optim import initialize_adam, update_parameters_with_adam
from .plot import progress_bar


def content_cost(a_C, a_G):
    """Content cost of one layer: J_content = 1/2 ||a_C - a_G||^2 (sum over every entry).

    a_C: (1, n_H, n_W, n_C) activations of the content image at the content layer
    a_G: (1, n_H, n_W, n_C) activations of the generated image at the same layer
    Returns J_content, a Python float. (No normalization: the notes' 1/2 only. Some
    implementations divide by 4 n_H n_W n_C instead, which just rescales alpha.)
    """
    ### BEGIN SOLUTION
    J_content = 0.5 * float(np.sum((a_C - a_G) ** 2))
    ### END SOLUTION
    return J_content


def content_cost_backward(a_C, a_G):
    """Gradient of J_content = 1/2 ||a_C - a_G||^2 with respect to a_G.

    a_C, a_G: (1, n_H, n_W, n_C)
    Returns da_G: (1, n_H, n_W, n_C), equal to a_G - a_C.
    """
    ### BEGIN SOLUTION
    da_G = a_G - a_C
    ### END SOLUTION
    return da_G


def gram_matrix(A):
    """Gram matrix of unrolled activations: G = A A^T.

    A: (n_C, n_H n_W), one row per channel (filter), one column per position
    Returns G: (n_C, n_C); G[k, k'] = sum over positions of A[k] * A[k'], how much
    channels k and k' are active together.
    """
    ### BEGIN SOLUTION
    G = A @ A.T
    ### END SOLUTION
    return G


def unroll(a):
    """Activations (1, n_H, n_W, n_C) -> A (n_C, n_H n_W): one row per channel.

    The channels are the last axis, so a plain reshape to (n_C, n_H n_W) would mix
    positions and channels: reshape to (n_H n_W, n_C) first, then transpose.
    """
    _, n_H, n_W, n_C = a.shape
    return a.reshape(n_H * n_W, n_C).T  # (n_C, n_H n_W)


def layer_style_cost(a_S, a_G):
    """Style cost of one layer: J = (2 n_H n_W n_C)^-2 ||G_S - G_G||_F^2.

    a_S: (1, n_H, n_W, n_C) activations of the style image at this layer
    a_G: (1, n_H, n_W, n_C) activations of the generated image at the same layer
    G_S, G_G: the Gram matrices (n_C, n_C) of the unrolled activations (n_C, n_H n_W).
    Returns J_style_layer, a Python float.
    """
    ### BEGIN SOLUTION
    _, n_H, n_W, n_C = a_G.shape
    G_S = gram_matrix(unroll(a_S))  # (n_C, n_C)
    G_G = gram_matrix(unroll(a_G))  # (n_C, n_C)
    # Gram entries grow with the number of positions and of channels; the factor keeps
    # layers of different sizes on a comparable scale.
    J_style_layer = float(np.sum((G_S - G_G) ** 2)) / (2 * n_H * n_W * n_C) ** 2
    ### END SOLUTION
    return J_style_layer


def layer_style_cost_backward(a_S, a_G):
    """Gradient of layer_style_cost(a_S, a_G) with respect to a_G.

    With A = the unrolled a_G (n_C, n_H n_W), N = n_H n_W and G_G = A A^T (symmetric):
        dJ/dG_G = 2 (G_G - G_S) / (2 N n_C)^2
        dJ/dA = (dJ/dG_G + dJ/dG_G^T) A = (G_G - G_S) A / (N n_C)^2
    then rolled back to a_G's shape.
    a_S, a_G: (1, n_H, n_W, n_C)
    Returns da_G: (1, n_H, n_W, n_C).
    """
    ### BEGIN SOLUTION
    _, n_H, n_W, n_C = a_G.shape
    A_G = unroll(a_G)  # (n_C, n_H n_W)
    G_S, G_G = gram_matrix(unroll(a_S)), gram_matrix(A_G)  # (n_C, n_C) each
    dA_G = (G_G - G_S) @ A_G / (n_H * n_W * n_C) ** 2  # (n_C, n_H n_W)
    da_G = dA_G.T.reshape(1, n_H, n_W, n_C)  # (1, n_H, n_W, n_C): undo unroll
    ### END SOLUTION
    return da_G


def style_cost(activations_S, activations_G, style_layers):
    """Style cost over several layers: J_style = sum_l lambda^[l] J_style^[l].

    activations_S, activations_G: dicts layer name -> (1, n_H, n_W, n_C) activations of
        the style and the generated image (they may hold other layers too)
    style_layers: list of (layer name, lambda^[l]) pairs: which layers count, how much
    Returns J_style, a Python float.
    """
    ### BEGIN SOLUTION
    J_style = 0.0
    for layer, weight in style_layers:
        J_style += weight * layer_style_cost(activations_S[layer], activations_G[layer])
    ### END SOLUTION
    return J_style


def style_cost_backward(activations_S, activations_G, style_layers):
    """Gradient of style_cost with respect to each style layer's a_G.

    activations_S, activations_G, style_layers: as for style_cost
    Returns a dict layer name -> lambda^[l] * d J_style^[l] / d a_G^[l]
    ((1, n_H, n_W, n_C) each), one entry per layer of style_layers (a layer listed
    twice gets the sum of its weights).
    """
    ### BEGIN SOLUTION
    d_activations = {}
    for layer, weight in style_layers:
        da = weight * layer_style_cost_backward(activations_S[layer], activations_G[layer])
        d_activations[layer] = d_activations.get(layer, 0) + da
    ### END SOLUTION
    return d_activations


def total_cost(J_content, J_style, alpha=10, beta=40):
    """J(G) = alpha J_content(C, G) + beta J_style(S, G).

    J_content, J_style: floats; alpha, beta: their weights
    Returns J, a float.
    """
    ### BEGIN SOLUTION
    J = alpha * J_content + beta * J_style
    ### END SOLUTION
    return J


# --- the feature extractor: a fixed network of random filters --------------------------
def random_extractor(X_ref, channels=(32, 64, 128, 256), f=3, roughness=0.5, seed=0):
    """A fixed convolutional network with random filters, for style-transfer features.

    Layers: [CONV f x f (same padding) -> RELU] for each entry of channels, with a 2 x 2
    average POOL between blocks, so block k sees the image at 1/2^k of its resolution
    (multi-scale features). Each filter's (f, f) slice for input channel c is a random
    multiple of a smooth bump (binomial weights [1, 2, 1] x [1, 2, 1] for f = 3, flat
    for other f) plus `roughness` times white noise: filters of pure white noise respond mostly to
    pixel-level detail, which the generated image can then imitate with noise.
    Each conv layer is then scaled so that X_ref's activations after its ReLU have
    mean square 1, so that layers of every depth count alike in the costs.

    X_ref: (1, n_H, n_W, 3) image in [0, 1] used only to set those scales
    Returns (parameters, spec) for network-style layers: parameters {"W1", "b1", "W4",
    ...} (W: (f, f, n_C_prev, n_C), b: (1, 1, 1, n_C) zeros) and spec [(kind, options),
    ...] as in dlcourse.cnn; the ReLU outputs are named "relu2", "relu5", ... by
    features_forward.
    """
    rng = np.random.default_rng(seed)
    bump = np.outer([1.0, 2.0, 1.0], [1.0, 2.0, 1.0]) if f == 3 else np.ones((f, f))
    bump /= np.linalg.norm(bump)  # (f, f), unit norm
    spec, parameters, n_C_prev, A = [], {}, X_ref.shape[-1], X_ref - 0.5
    for k, n_C in enumerate(channels):
        if k > 0:
            spec.append(("pool", {"f": 2, "stride": 2, "mode": "average"}))
            A, _ = LAYERS["pool"].forward(A, {}, spec[-1][1])
        spec.append(("conv", {"f": f, "n_C": n_C, "pad": f // 2}))
        l = len(spec)
        mix = rng.normal(size=(1, 1, n_C_prev, n_C))
        noise = rng.normal(size=(f, f, n_C_prev, n_C)) / f  # each (f, f) slice: norm ~1
        W = bump[:, :, None, None] * mix + roughness * noise  # (f, f, n_C_prev, n_C)
        b = np.zeros((1, 1, 1, n_C))
        Z, _ = LAYERS["conv"].forward(A, {"W": W, "b": b}, spec[-1][1])
        # ReLU and average pooling are positively homogeneous: dividing W by the
        # activations' root mean square makes them 1 without changing their pattern.
        scale = np.sqrt(np.mean(np.maximum(Z, 0) ** 2))
        # A layer dead on X_ref (every ReLU input <= 0, possible on a tiny image with a
        # few channels) has nothing to normalise: keep its filters as drawn.
        scale = scale if scale > 0 else 1.0
        parameters[f"W{l}"], parameters[f"b{l}"] = W / scale, b
        spec.append(("relu", {}))
        A = np.maximum(Z, 0) / scale
        n_C_prev = n_C
    return parameters, spec


def features_forward(X, parameters, spec):
    """Run an image through the extractor and keep every layer's output.

    X: (1, n_H, n_W, 3) image with values in [0, 1] (centred to [-0.5, 0.5] inside)
    parameters, spec: from random_extractor (or any network of conv, relu and pool layers)
    Returns (activations, caches): activations {"input": X, "conv1": ..., "relu2": ...,
    ...}, each layer's output (1, n_H, n_W, n_C) named kind + position; caches for
    features_backward.
    """
    activations, caches, A = {"input": X}, [], X - 0.5
    for l, (kind, options) in enumerate(spec, start=1):
        params = {name: parameters[f"{name}{l}"] for name in ("W", "b")
                  if f"{name}{l}" in parameters}
        A, cache = LAYERS[kind].forward(A, params, options)
        activations[f"{kind}{l}"] = A
        caches.append((kind, l, cache))
    return activations, caches


def features_backward(d_activations, caches):
    """Gradient of a cost with respect to the image, from its gradients at some layers.

    d_activations: {layer name: dJ/d(that layer's output)}, names as in features_forward
        ("input" for a cost on the pixels themselves)
    caches: from features_forward
    Walks back from the last layer; at each layer named in d_activations its gradient
    joins the one arriving from above (the cost depends on the output both directly and
    through the later layers). Layers above the highest named one are skipped.
    Returns dX: (1, n_H, n_W, 3) (d_activations must name at least one layer).
    """
    dA = None
    for kind, l, cache in reversed(caches):
        name = f"{kind}{l}"
        if name in d_activations:
            dA = d_activations[name] if dA is None else dA + d_activations[name]
        if dA is not None:
            # The filters are fixed: the conv layer's dW and db are dropped.
            dA, _ = LAYERS[kind].backward(dA, cache)
    # Centring the image (X - 0.5) is a shift: the gradient passes through unchanged.
    if "input" in d_activations:
        dA = d_activations["input"] if dA is None else dA + d_activations["input"]
    return dA


# --- the cost of an image and its gradient; the optimization --------------------------
def cost_and_gradient(X_G, parameters, spec, a_C, activations_S, content_layer,
                      style_layers, alpha=10, beta=40):
    """The total cost of a generated image and its gradient with respect to the pixels.

    X_G: (1, n_H, n_W, 3) generated image, values in [0, 1]
    parameters, spec: the feature extractor (random_extractor)
    a_C: (1, n_H^[l], n_W^[l], n_C^[l]) the content image's activations at content_layer
    activations_S: the style image's activations (dict from features_forward)
    content_layer: name of the content layer ("relu8"); style_layers: [(name, lambda)]
    alpha, beta: weights of the content and the style cost
    Runs X_G through features_forward, computes J = alpha J_content + beta J_style, puts
    each cost's gradient at its layers (alpha dJ_content/da at the content layer, beta
    lambda dJ_style^[l]/da at each style layer, added where a layer is both) and
    returns features_backward of them.
    Returns (J, J_content, J_style, dX_G): three floats and dX_G (1, n_H, n_W, 3).
    """
    ### BEGIN SOLUTION
    activations_G, caches = features_forward(X_G, parameters, spec)
    a_G = activations_G[content_layer]
    J_content = content_cost(a_C, a_G)
    J_style = style_cost(activations_S, activations_G, style_layers)
    J = total_cost(J_content, J_style, alpha, beta)
    d_style = style_cost_backward(activations_S, activations_G, style_layers)
    d_activations = {layer: beta * da for layer, da in d_style.items()}
    # The content layer may be a style layer too: its two gradients add up.
    d_activations[content_layer] = (d_activations.get(content_layer, 0)
                                    + alpha * content_cost_backward(a_C, a_G))
    dX_G = features_backward(d_activations, caches)
    ### END SOLUTION
    return J, J_content, J_style, dX_G


def optimize_image(X_C, X_S, parameters, spec, content_layer, style_layers, alpha=10,
                   beta=40, num_iterations=200, learning_rate=0.01, noise_ratio=0.0, seed=0,
                   progress=False):
    """Neural style transfer: Adam on the pixels of the generated image.

    X_C, X_S: (1, n_H, n_W, 3) content and style images, values in [0, 1]
    parameters, spec: the feature extractor; content_layer, style_layers, alpha, beta:
        as for cost_and_gradient
    The targets are computed once: a_C, the content image's activations at
    content_layer, and all the style image's activations. The generated image starts
    as (1 - noise_ratio) X_C + noise_ratio U, U uniform in [0, 1] drawn with
    np.random.default_rng(seed). Each iteration computes cost_and_gradient, takes one
    Adam step (dlcourse.optim, step t = 1, 2, ...) on the parameter dict {"X": X_G} with
    grads {"dX": dX_G} and clips the pixels back to [0, 1].
    Returns (X_G, history): X_G (1, n_H, n_W, 3) after the last step; history
    {"J": [...], "J_content": [...], "J_style": [...]}, the costs of each iteration's
    image before its step (num_iterations floats each).
    """
    ### BEGIN SOLUTION
    a_C = features_forward(X_C, parameters, spec)[0][content_layer]
    activations_S, _ = features_forward(X_S, parameters, spec)
    U = np.random.default_rng(seed).uniform(0.0, 1.0, size=X_C.shape)
    image = {"X": (1 - noise_ratio) * X_C + noise_ratio * U}
    v, s = initialize_adam(image)
    history = {"J": [], "J_content": [], "J_style": []}
    for t in progress_bar(range(1, num_iterations + 1), show=progress, desc="generating"):
        J, J_content, J_style, dX_G = cost_and_gradient(
            image["X"], parameters, spec, a_C, activations_S, content_layer, style_layers,
            alpha, beta)
        image, v, s, _, _ = update_parameters_with_adam(image, {"dX": dX_G}, v, s, t,
                                                        learning_rate)
        # Pixels outside [0, 1] cannot be shown: keep the image an image.
        image["X"] = np.clip(image["X"], 0.0, 1.0)
        for key, value in (("J", J), ("J_content", J_content), ("J_style", J_style)):
            history[key].append(float(value))
    X_G = image["X"]
    ### END SOLUTION
    return X_G, history


# --- 1-D and 3-D convolution ----------------------------------------------------------
def conv1d_forward(A_prev, W, b, hparameters):
    """1-D convolution (cross-correlation) of sequences with several channels.

    A_prev: (m, n_W_prev, n_C_prev) m sequences of length n_W_prev
    W: (f, n_C_prev, n_C) n_C filters of width f; b: (1, 1, n_C)
    hparameters: {"stride": s, "pad": p} (p zeros added at both ends)
    Z[i, w, c] = sum over the window starting at w s of A_pad[i, window, :] * W[:, :, c],
    plus b[0, 0, c]; n_W = floor((n_W_prev + 2 p - f) / s) + 1.
    Returns Z: (m, n_W, n_C) and cache = (A_prev, W, b, hparameters).
    """
    ### BEGIN SOLUTION
    m, n_W_prev, n_C_prev = A_prev.shape
    f, _, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_W = conv_output_size(n_W_prev, f, pad, stride)
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (0, 0)))  # (m, n_W_prev + 2 pad, n_C_prev)
    Z = np.zeros((m, n_W, n_C))
    for w in range(n_W):
        window = A_pad[:, w * stride:w * stride + f, :]  # (m, f, n_C_prev)
        # One step of every filter on every sequence: sum over the window and channels.
        Z[:, w, :] = np.tensordot(window, W, axes=([1, 2], [0, 1])) + b[0, 0]
    ### END SOLUTION
    return Z, (A_prev, W, b, hparameters)


def conv3d_forward(A_prev, W, b, hparameters):
    """3-D convolution (cross-correlation) of volumes with several channels.

    A_prev: (m, n_D_prev, n_H_prev, n_W_prev, n_C_prev), e.g. CT scans or video clips
    W: (f, f, f, n_C_prev, n_C); b: (1, 1, 1, 1, n_C); hparameters {"stride", "pad"}
    Each output is the sum of an f x f x f x n_C_prev block of the padded input times a
    filter, plus its bias; every spatial axis shrinks as in 2-D.
    Returns Z: (m, n_D, n_H, n_W, n_C).
    """
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (pad, pad), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(A_pad, (f, f, f), axis=(1, 2, 3))
    windows = windows[:, ::stride, ::stride, ::stride]  # (m, n_D, n_H, n_W, n_C_prev, f, f, f)
    return np.einsum("mdhwcijk,ijkcn->mdhwn", windows, W) + b.reshape(-1)
