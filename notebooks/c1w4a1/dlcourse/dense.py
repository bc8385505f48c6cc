# Generated from dlcourse/dense.py by `python -m grader build`; do not edit.
# Student copy for c1w4a1: functions of this and later assignments are yours to write.
"""Deep fully connected networks, one layer at a time (Course 1, weeks 3 and 4).

Layout: examples are columns. Layer l has W{l}: (n[l], n[l-1]) and
b{l}: (n[l], 1); parameters and gradients are dicts keyed "W1", "b1", "dW1" ...
A forward step returns (output, cache); the matching backward step takes
(d_output, cache) and returns the gradients.
"""

import numpy as np

from .activations import relu, relu_derivative, sigmoid, sigmoid_derivative
from .losses import compute_cost
from .plot import progress_bar


def initialize_parameters_deep(layer_dims):
    """Random weights and zero biases for a network of any depth.

    layer_dims: [n[0], n[1], ..., n[L]], the sizes of the input and of each layer
    Returns {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL": (n[L], n[L-1]), "bL": (n[L], 1)}.
    W{l} is drawn from a standard normal divided by sqrt(n[l-1]).
    """
    raise NotImplementedError(
        "initialize_parameters_deep is yours to write: see notebooks/c1w4a1/c1w4a1_deep_network_step_by_step.ipynb")


def linear_forward(A_prev, W, b):
    """Linear part of a layer: Z = W A_prev + b.

    A_prev: (n_prev, m) activations of the previous layer
    W: (n, n_prev); b: (n, 1)
    Returns Z: (n, m) and cache = (A_prev, W, b) for linear_backward.
    """
    raise NotImplementedError(
        "linear_forward is yours to write: see notebooks/c1w4a1/c1w4a1_deep_network_step_by_step.ipynb")


def linear_activation_forward(A_prev, W, b, activation):
    """One layer: Z = W A_prev + b, then A = g(Z) with g the sigmoid or ReLU.

    A_prev: (n_prev, m); W: (n, n_prev); b: (n, 1)
    activation: "sigmoid" or "relu"
    Returns A: (n, m) and cache = (linear_cache, Z) for linear_activation_backward.
    """
    raise NotImplementedError(
        "linear_activation_forward is yours to write: see notebooks/c1w4a1/c1w4a1_deep_network_step_by_step.ipynb")


def model_forward(X, parameters):
    """Forward pass [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.

    X: (n[0], m) inputs
    parameters: {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL", "bL"}
    Returns AL: (1, m) predicted probabilities and caches, the list of the
    L caches of linear_activation_forward (layer l at index l-1).
    """
    raise NotImplementedError(
        "model_forward is yours to write: see notebooks/c1w4a1/c1w4a1_deep_network_step_by_step.ipynb")


def linear_backward(dZ, cache):
    """Gradients of the linear part of a layer, given dZ.

    dZ is the gradient of the per-example loss with respect to Z (column i for
    example i); the returned dW and db are gradients of the cost J, the average.

    dZ: (n, m); cache = (A_prev: (n_prev, m), W: (n, n_prev), b: (n, 1))
    Returns dA_prev: (n_prev, m), dW: (n, n_prev), db: (n, 1).
    """
    raise NotImplementedError(
        "linear_backward is yours to write: see notebooks/c1w4a1/c1w4a1_deep_network_step_by_step.ipynb")


def linear_activation_backward(dA, cache, activation):
    """Backward step through one layer: dZ = dA * g'(Z), then linear_backward.

    dA: (n, m) gradient of the per-example loss with respect to this layer's output A
    cache = (linear_cache, Z) from linear_activation_forward; Z: (n, m)
    activation: "sigmoid" or "relu", as in the forward step
    Returns dA_prev: (n_prev, m), dW: (n, n_prev), db: (n, 1).
    """
    raise NotImplementedError(
        "linear_activation_backward is yours to write: see notebooks/c1w4a1/c1w4a1_deep_network_step_by_step.ipynb")


def model_backward(AL, Y, caches):
    """Back-propagation through [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.

    AL: (1, m) output of model_forward; Y: (1, m) labels in {0, 1}
    caches: the list returned by model_forward
    Returns grads: {"dA0": (n[0], m), "dW1": (n[1], n[0]), "db1": (n[1], 1), ...,
    "dA{L-1}", "dWL", "dbL"}, where "dA{l}" is the gradient with respect to the
    output of layer l (dA0 for the input X).
    """
    raise NotImplementedError(
        "model_backward is yours to write: see notebooks/c1w4a1/c1w4a1_deep_network_step_by_step.ipynb")


def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent on every layer: W = W - alpha dW, b = b - alpha db.

    parameters: {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL", "bL"}
    grads: {"dW1": ..., "db1": ..., ...} with the same shapes
    learning_rate: alpha
    Returns a new dict of updated parameters (the input is left unchanged).
    """
    raise NotImplementedError(
        "update_parameters is yours to write: see notebooks/c1w4a1/c1w4a1_deep_network_step_by_step.ipynb")


def two_layer_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=2500,
                    print_cost=False, progress=False):
    """Train LINEAR -> RELU -> LINEAR -> SIGMOID by batch gradient descent.

    X: (n_x, m) inputs; Y: (1, m) labels in {0, 1}
    layer_dims: (n_x, n_h, n_y)
    Returns the trained parameters {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h),
    "b2": (n_y, 1)} and costs, the cost recorded every 100 iterations.
    """
    raise NotImplementedError(
        "two_layer_model is yours to write: see notebooks/c1w4a2/c1w4a2_deep_network_application.ipynb")


def deep_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=2500, print_cost=False,
               progress=False):
    """Train an L-layer network [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.

    X: (n_x, m) inputs; Y: (1, m) labels in {0, 1}
    layer_dims: [n_x, n[1], ..., n[L]] (the course uses [n_x, 20, 7, 5, 1])
    Returns the trained parameters {"W1", "b1", ..., "WL", "bL"} and costs,
    the cost recorded every 100 iterations.
    """
    raise NotImplementedError(
        "deep_model is yours to write: see notebooks/c1w4a2/c1w4a2_deep_network_application.ipynb")


def predict(X, parameters):
    """Labels predicted by a trained network: 1 where AL > 0.5, else 0.

    X: (n_x, m); parameters as returned by deep_model or two_layer_model
    Returns (1, m) integer array of 0/1 labels.
    """
    AL, _ = model_forward(X, parameters)
    return (AL > 0.5).astype(int)
