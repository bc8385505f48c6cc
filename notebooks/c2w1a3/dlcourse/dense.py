# Generated from dlcourse/dense.py by `python -m grader build`; do not edit.
# Student copy for c2w1a3: functions of this and later assignments are yours to write.
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
    parameters = {}
    L = len(layer_dims) - 1
    for l in range(1, L + 1):
        # Dividing by sqrt(n[l-1]) keeps each Z about the size of the inputs whatever the
        # layer width, so deep signals neither vanish nor explode at the start.
        parameters[f"W{l}"] = (np.random.randn(layer_dims[l], layer_dims[l - 1])
                               / np.sqrt(layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A_prev, W, b):
    """Linear part of a layer: Z = W A_prev + b.

    A_prev: (n_prev, m) activations of the previous layer
    W: (n, n_prev); b: (n, 1)
    Returns Z: (n, m) and cache = (A_prev, W, b) for linear_backward.
    """
    Z = W @ A_prev + b
    return Z, (A_prev, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """One layer: Z = W A_prev + b, then A = g(Z) with g the sigmoid or ReLU.

    A_prev: (n_prev, m); W: (n, n_prev); b: (n, 1)
    activation: "sigmoid" or "relu"
    Returns A: (n, m) and cache = (linear_cache, Z) for linear_activation_backward.
    """
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A = sigmoid(Z)
    elif activation == "relu":
        A = relu(Z)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    cache = (linear_cache, Z)
    return A, cache


def model_forward(X, parameters):
    """Forward pass [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.

    X: (n[0], m) inputs
    parameters: {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL", "bL"}
    Returns AL: (1, m) predicted probabilities and caches, the list of the
    L caches of linear_activation_forward (layer l at index l-1).
    """
    L = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                             "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"],
                                          "sigmoid")
    caches.append(cache)
    return AL, caches


def linear_backward(dZ, cache):
    """Gradients of the linear part of a layer, given dZ.

    dZ is the gradient of the per-example loss with respect to Z (column i for
    example i); the returned dW and db are gradients of the cost J, the average.

    dZ: (n, m); cache = (A_prev: (n_prev, m), W: (n, n_prev), b: (n, 1))
    Returns dA_prev: (n_prev, m), dW: (n, n_prev), db: (n, 1).
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    # The cost averages over examples, so the parameter gradients carry 1/m;
    # dA_prev is per example and does not.
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    """Backward step through one layer: dZ = dA * g'(Z), then linear_backward.

    dA: (n, m) gradient of the per-example loss with respect to this layer's output A
    cache = (linear_cache, Z) from linear_activation_forward; Z: (n, m)
    activation: "sigmoid" or "relu", as in the forward step
    Returns dA_prev: (n_prev, m), dW: (n, n_prev), db: (n, 1).
    """
    linear_cache, Z = cache
    if activation == "sigmoid":
        dZ = dA * sigmoid_derivative(Z)
    elif activation == "relu":
        dZ = dA * relu_derivative(Z)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db


def model_backward(AL, Y, caches):
    """Back-propagation through [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.

    AL: (1, m) output of model_forward; Y: (1, m) labels in {0, 1}
    caches: the list returned by model_forward
    Returns grads: {"dA0": (n[0], m), "dW1": (n[1], n[0]), "db1": (n[1], 1), ...,
    "dA{L-1}", "dWL", "dbL"}, where "dA{l}" is the gradient with respect to the
    output of layer l (dA0 for the input X).
    """
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    # Derivative of the cross-entropy with respect to the prediction, per example
    # (the 1/m is applied in linear_backward).
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads[f"dA{L - 1}"], grads[f"dW{L}"], grads[f"db{L}"] = dA_prev, dW, db
    for l in reversed(range(1, L)):
        dA_prev, dW, db = linear_activation_backward(grads[f"dA{l}"], caches[l - 1], "relu")
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA_prev, dW, db
    return grads


def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent on every layer: W = W - alpha dW, b = b - alpha db.

    parameters: {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL", "bL"}
    grads: {"dW1": ..., "db1": ..., ...} with the same shapes
    learning_rate: alpha
    Returns a new dict of updated parameters (the input is left unchanged).
    """
    L = len(parameters) // 2
    updated = {}
    for l in range(1, L + 1):
        updated[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        updated[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return updated


def two_layer_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=2500,
                    print_cost=False, progress=False):
    """Train LINEAR -> RELU -> LINEAR -> SIGMOID by batch gradient descent.

    X: (n_x, m) inputs; Y: (1, m) labels in {0, 1}
    layer_dims: (n_x, n_h, n_y)
    Returns the trained parameters {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h),
    "b2": (n_y, 1)} and costs, the cost recorded every 100 iterations.
    """
    parameters = initialize_parameters_deep(layer_dims)
    costs = []
    for i in progress_bar(range(num_iterations), show=progress):
        W1, b1, W2, b2 = (parameters[k] for k in ("W1", "b1", "W2", "b2"))
        A1, cache1 = linear_activation_forward(X, W1, b1, "relu")
        A2, cache2 = linear_activation_forward(A1, W2, b2, "sigmoid")
        cost = compute_cost(A2, Y)
        # Gradient of the cross-entropy with respect to the output A2 (as in model_backward).
        dA2 = -(Y / A2 - (1 - Y) / (1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"cost after iteration {i}: {cost:.6f}")
    return parameters, costs


def deep_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=2500, print_cost=False,
               progress=False):
    """Train an L-layer network [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.

    X: (n_x, m) inputs; Y: (1, m) labels in {0, 1}
    layer_dims: [n_x, n[1], ..., n[L]] (the course uses [n_x, 20, 7, 5, 1])
    Returns the trained parameters {"W1", "b1", ..., "WL", "bL"} and costs,
    the cost recorded every 100 iterations.
    """
    parameters = initialize_parameters_deep(layer_dims)
    costs = []
    for i in progress_bar(range(num_iterations), show=progress):
        AL, caches = model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"cost after iteration {i}: {cost:.6f}")
    return parameters, costs


def predict(X, parameters):
    """Labels predicted by a trained network: 1 where AL > 0.5, else 0.

    X: (n_x, m); parameters as returned by deep_model or two_layer_model
    Returns (1, m) integer array of 0/1 labels.
    """
    AL, _ = model_forward(X, parameters)
    return (AL > 0.5).astype(int)
