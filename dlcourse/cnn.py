"""Convolutional networks as a list of layers, trained with Adam (Course 4).

A network is described by its layers, in order:

    spec = [("conv", {"f": 5, "n_C": 8, "pad": 2}), ("relu", {}),
            ("pool", {"f": 2, "stride": 2}),
            ("flatten", {}), ("dense", {"n": 64}), ("relu", {}), ("dense", {"n": 6})]

Images enter channels-last, X: (m, n_H, n_W, n_C). ``flatten`` turns the activations
into columns, (n_H n_W n_C, m), so the dense layers that follow are those of Courses 1
and 2, W: (n, n_prev), b: (n, 1). The last layer's output is the logits ZL: (C, m).

The parameters of the layer at position l (counting from 1) are stored under their
local name followed by l: a conv or dense layer at position 4 owns "W4" and "b4". The
parameters are one flat dict, so the optimizers of dlcourse.optim work on them as they
are; their gradients are keyed "d" + key.

Gradients: network_backward receives the gradient of the mean cost (softmax_cost
divides by m once), so every layer's weight gradient is a plain sum over the examples.

New kinds of layer (a residual block, a normalisation) join with register_layer.
"""

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import softmax
from .conv import (
    conv_backward_fast,
    conv_forward_fast,
    conv_output_size,
    pool_backward_fast,
    pool_forward_fast,
)
from .losses import one_hot
from .optim import initialize_adam, random_mini_batches, update_parameters_with_adam
from .plot import progress_bar


@dataclass(frozen=True)
class Layer:
    """What the network needs to know about a kind of layer.

    init(input_shape, options, rng) -> (params, output_shape): input_shape and
        output_shape exclude the examples' axis; params maps local names ("W", "b")
        to arrays (empty for layers without parameters)
    forward(A_prev, params, options) -> (A, cache)
    backward(dA, cache) -> (dA_prev, grads), grads keyed "d" + local name
    """

    init: Callable
    forward: Callable
    backward: Callable


LAYERS: dict[str, Layer] = {}


def register_layer(kind, init, forward, backward):
    """Make a new kind of layer usable in a spec (see Layer for the three functions).

    Local parameter names are letters and underscores ("W", "b", "W_s"): the position
    number that follows them in the flat dict must be unambiguous.
    """
    LAYERS[kind] = Layer(init, forward, backward)


def he_normal(rng, shape, fan_in):
    """Weights drawn from N(0, 2 / fan_in): He initialisation, for ReLU networks."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


# --- conv -----------------------------------------------------------------------------
def _conv_init(input_shape, options, rng):
    n_H_prev, n_W_prev, n_C_prev = input_shape
    f, n_C = options["f"], options["n_C"]
    stride, pad = options.get("stride", 1), options.get("pad", 0)
    params = {"W": he_normal(rng, (f, f, n_C_prev, n_C), f * f * n_C_prev),
              "b": np.zeros((1, 1, 1, n_C))}
    shape = (conv_output_size(n_H_prev, f, pad, stride),
             conv_output_size(n_W_prev, f, pad, stride), n_C)
    return params, shape


def use_convolution(forward, backward):
    """Make every "conv" layer run these functions, e.g. the ones a notebook defines.

    forward(A_prev, W, b, hparameters) -> (Z, cache); backward(dZ, cache) -> (dA_prev, dW, db),
    with the signatures of conv_forward_fast and conv_backward_fast (the default).
    """
    def layer_forward(A_prev, params, options):
        hparameters = {"stride": options.get("stride", 1), "pad": options.get("pad", 0)}
        return forward(A_prev, params["W"], params["b"], hparameters)

    def layer_backward(dZ, cache):
        dA_prev, dW, db = backward(dZ, cache)
        return dA_prev, {"dW": dW, "db": db}

    register_layer("conv", _conv_init, layer_forward, layer_backward)


# --- relu -----------------------------------------------------------------------------
def _same_shape(input_shape, options, rng):
    return {}, tuple(input_shape)


def _relu_forward(A_prev, params, options):
    return np.maximum(A_prev, 0), A_prev


def _relu_backward(dA, Z):
    return dA * (Z > 0), {}


# --- pool -----------------------------------------------------------------------------
def _pool_init(input_shape, options, rng):
    n_H_prev, n_W_prev, n_C = input_shape
    f, stride = options["f"], options.get("stride", options["f"])
    return {}, (conv_output_size(n_H_prev, f, 0, stride),
                conv_output_size(n_W_prev, f, 0, stride), n_C)


def _pool_forward(A_prev, params, options):
    hparameters = {"f": options["f"], "stride": options.get("stride", options["f"])}
    return pool_forward_fast(A_prev, hparameters, options.get("mode", "max"))


def _pool_backward(dA, cache):
    return pool_backward_fast(dA, cache), {}


# --- flatten --------------------------------------------------------------------------
def _flatten_init(input_shape, options, rng):
    return {}, (int(np.prod(input_shape)),)


def _flatten_forward(A_prev, params, options):
    m = A_prev.shape[0]
    return A_prev.reshape(m, -1).T, A_prev.shape  # (n_H n_W n_C, m): examples as columns


def _flatten_backward(dA, shape):
    return dA.T.reshape(shape), {}  # back to (m, n_H, n_W, n_C)


# --- dense ----------------------------------------------------------------------------
def _dense_init(input_shape, options, rng):
    (n_prev,), n = input_shape, options["n"]
    return {"W": he_normal(rng, (n, n_prev), n_prev), "b": np.zeros((n, 1))}, (n,)


def _dense_forward(A_prev, params, options):
    W, b = params["W"], params["b"]
    return W @ A_prev + b, (A_prev, W)


def _dense_backward(dZ, cache):
    A_prev, W = cache
    # dZ is already the gradient of the mean cost, so no 1/m here (unlike Course 1's
    # linear_backward, which receives A - Y per example).
    return W.T @ dZ, {"dW": dZ @ A_prev.T, "db": dZ.sum(axis=1, keepdims=True)}


use_convolution(conv_forward_fast, conv_backward_fast)
register_layer("relu", _same_shape, _relu_forward, _relu_backward)
register_layer("pool", _pool_init, _pool_forward, _pool_backward)
register_layer("flatten", _flatten_init, _flatten_forward, _flatten_backward)
register_layer("dense", _dense_init, _dense_forward, _dense_backward)


# --- the network ----------------------------------------------------------------------
def _by_layer(parameters):
    """{l: {local name: array}} from the flat dict: "W4" belongs to layer 4 as "W"."""
    layers = {}
    for key, value in parameters.items():
        name, l = re.fullmatch(r"([A-Za-z_]+)(\d+)", key).groups()
        layers.setdefault(int(l), {})[name] = value
    return layers


def initialize_network(input_shape, spec, seed=0):
    """He-initialised parameters for every layer of spec.

    input_shape: (n_H, n_W, n_C) of one example; spec: [(kind, options), ...]
    Returns parameters: {"W1": ..., "b1": ..., ...}, keyed local name + position.
    """
    rng = np.random.default_rng(seed)
    parameters, shape = {}, tuple(input_shape)
    for l, (kind, options) in enumerate(spec, start=1):
        params, shape = LAYERS[kind].init(shape, options, rng)
        parameters.update({f"{name}{l}": value for name, value in params.items()})
    return parameters


def output_shapes(input_shape, spec):
    """The shape of one example's activations after each layer, for tables and checks."""
    rng, shape, shapes = np.random.default_rng(0), tuple(input_shape), []
    for kind, options in spec:
        _, shape = LAYERS[kind].init(shape, options, rng)
        shapes.append(shape)
    return shapes


def network_forward(X, parameters, spec):
    """Run X through every layer.

    X: (m, n_H, n_W, n_C); parameters from initialize_network
    Returns the last layer's output (ZL: (C, m) for a classifier) and caches, one
    (kind, local names, cache) per layer for network_backward.
    """
    A, caches, layers = X, [], _by_layer(parameters)
    for l, (kind, options) in enumerate(spec, start=1):
        A, cache = LAYERS[kind].forward(A, layers.get(l, {}), options)
        caches.append((kind, l, cache))
    return A, caches


def network_backward(d_output, caches):
    """Backward through every layer, last first.

    d_output: the gradient of the cost with respect to the last output (dZL: (C, m))
    Returns grads: {"dW1": ..., "db1": ..., ...}, keyed like the parameters with "d" first.
    """
    grads, dA = {}, d_output
    for kind, l, cache in reversed(caches):
        dA, layer_grads = LAYERS[kind].backward(dA, cache)
        grads.update({f"{name}{l}": value for name, value in layer_grads.items()})
    return grads


def softmax_cost(ZL, Y):
    """Mean cross-entropy of softmax(ZL) against one-hot labels, and its gradient.

    ZL: (C, m) logits; Y: (C, m) one-hot labels
    Returns (cost, dZL) with cost = -(1/m) sum Y log softmax(ZL) and
    dZL = (softmax(ZL) - Y) / m: (C, m).
    """
    m = Y.shape[1]
    A = softmax(ZL)
    # log-softmax from the shifted logits, exact even where A underflows to 0.
    Z_shift = ZL - ZL.max(axis=0, keepdims=True)
    log_A = Z_shift - np.log(np.exp(Z_shift).sum(axis=0, keepdims=True))
    cost = -float(np.sum(Y * log_A)) / m
    return cost, (A - Y) / m


def train_network(X, labels, spec, parameters=None, num_classes=None, learning_rate=0.001,
                  num_epochs=10, mini_batch_size=64, seed=0, trainable=None, progress=True):
    """Train a classifier with Adam on shuffled mini-batches.

    X: (m, n_H, n_W, n_C) images; labels: (m,) ints in [0, C)
    spec: the layers, the last one with C outputs; parameters: a starting point (None:
    initialize_network(X.shape[1:], spec, seed))
    trainable: the keys to update (None: all); the others stay frozen
    Returns (parameters, costs), costs the mean cost of each epoch.
    """
    num_classes = num_classes or int(np.max(labels)) + 1
    if parameters is None:
        parameters = initialize_network(X.shape[1:], spec, seed)
    trainable = set(parameters) if trainable is None else set(trainable)
    learning = {key: value for key, value in parameters.items() if key in trainable}
    v, s = initialize_adam(learning)
    Y = one_hot(labels, num_classes).T  # (m, C): examples first, like X, for the batches
    costs, t = [], 0
    for epoch in progress_bar(range(num_epochs), show=progress, desc="epochs"):
        total = 0.0
        for X_batch, Y_batch in random_mini_batches(X, Y, mini_batch_size, seed + epoch, axis=0):
            ZL, caches = network_forward(X_batch, parameters, spec)
            cost, dZL = softmax_cost(ZL, Y_batch.T)
            grads = network_backward(dZL, caches)
            t += 1
            learning, v, s, _, _ = update_parameters_with_adam(
                learning, {"d" + key: grads["d" + key] for key in learning}, v, s, t,
                learning_rate)
            parameters = {**parameters, **learning}
            total += cost * X_batch.shape[0]
        costs.append(total / X.shape[0])
    return parameters, costs


def predict(X, parameters, spec, batch_size=256):
    """The most probable class of each image. X: (m, n_H, n_W, n_C) -> labels: (m,)."""
    labels = [network_forward(X[start:start + batch_size], parameters, spec)[0].argmax(axis=0)
              for start in range(0, X.shape[0], batch_size)]
    return np.concatenate(labels)


def accuracy(X, labels, parameters, spec):
    """The fraction of images whose predicted class is their label."""
    return float(np.mean(predict(X, parameters, spec) == np.asarray(labels)))


def count_parameters(parameters):
    """The number of learned numbers in a parameter dict."""
    return int(sum(value.size for value in parameters.values()))
