# Generated from dlcourse/gradcheck.py by `python -m grader build`; do not edit.
# Student copy for c3w1a1: functions of this and later assignments are yours to write.
"""Gradient checking: compare back-propagation with centred finite differences (Course 2, week 1).

A gradient check perturbs each parameter by +-epsilon, measures how the cost
moves, and compares the slopes with the gradient back-propagation claims:

    d_theta_approx[i] = (J(theta + epsilon e_i) - J(theta - epsilon e_i)) / (2 epsilon)
    difference = ||d_theta - d_theta_approx|| / (||d_theta|| + ||d_theta_approx||)

In float64 with epsilon = 1e-7 a correct gradient gives a difference below
1e-7; a bug gives something many orders of magnitude larger.

The network checked here has three layers, LINEAR -> RELU -> LINEAR -> RELU ->
LINEAR -> SIGMOID. The notebook uses 4 input features and layers of 5, 3 and 1
units: W1 (5, 4), b1 (5, 1), W2 (3, 5), b2 (3, 1), W3 (1, 3), b3 (1, 1).
"""

import numpy as np

from .losses import compute_cost
from .regularization import forward_propagation


def forward_propagation_1d(x, theta):
    """The simplest "network": J(theta) = theta * x.

    x, theta: floats
    Returns J, a float.
    """
    return theta * x


def backward_propagation_1d(x, theta):
    """The derivative of J(theta) = theta * x with respect to theta, which is x.

    x, theta: floats
    Returns dtheta, a float.
    """
    return x


def backward_propagation_1d_imprecise(x, theta):
    """A derivative of theta * x that is off by up to 1%, depending on theta.

    The hidden tests put it in place of backward_propagation_1d, so that the
    difference gradient_check reports is a number that varies with the input
    instead of always being (almost) zero.
    """
    return x * (1 + 0.01 * np.tanh(theta))


def gradient_check(x, theta, epsilon=1e-7):
    """Check backward_propagation_1d against a centred difference of forward_propagation_1d.

    x, theta: floats; epsilon: the size of the perturbation of theta
    Returns the relative difference |grad - gradapprox| / (|grad| + |gradapprox|), a float.
    """
    # A centred difference is exact to O(epsilon^2); a one-sided one only to O(epsilon).
    J_plus = forward_propagation_1d(x, theta + epsilon)
    J_minus = forward_propagation_1d(x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation_1d(x, theta)
    # Relative, so the verdict does not depend on the scale of the gradient.
    difference = abs(grad - gradapprox) / (abs(grad) + abs(gradapprox))
    return float(difference)


def dictionary_to_vector(parameters):
    """Unroll the parameters of an L-layer network into one column vector.

    parameters: {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL": (n[L], n[L-1]), "bL": (n[L], 1)}
    Returns theta: (n, 1), the entries of W1, b1, W2, b2, ..., WL, bL in that order, each
    array read row by row (its reshape(-1, 1)), n being the total number of parameters;
    and keys: a list of n strings, keys[i] naming the parameter theta[i] comes from
    ("W1" repeated n[1] * n[0] times, then "b1" repeated n[1] times, ...).
    """
    L = len(parameters) // 2
    columns, keys = [], []
    for l in range(1, L + 1):
        for name in (f"W{l}", f"b{l}"):
            columns.append(parameters[name].reshape(-1, 1))  # (size, 1)
            keys += [name] * parameters[name].size
    theta = np.concatenate(columns, axis=0)
    return theta, keys


def vector_to_dictionary(theta, layer_dims):
    """The inverse of dictionary_to_vector: cut theta back into the arrays of each layer.

    theta: (n, 1) as returned by dictionary_to_vector
    layer_dims: [n[0], n[1], ..., n[L]], the sizes of the input and of each layer
    (the notebook's network is [4, 5, 3, 1])
    Returns {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL": (n[L], n[L-1]), "bL": (n[L], 1)}.
    """
    parameters = {}
    start = 0
    for l in range(1, len(layer_dims)):
        for name, shape in ((f"W{l}", (layer_dims[l], layer_dims[l - 1])),
                            (f"b{l}", (layer_dims[l], 1))):
            size = shape[0] * shape[1]
            parameters[name] = theta[start:start + size].reshape(shape)  # (n[l], n[l-1] or 1)
            start += size
    return parameters


def gradients_to_vector(gradients):
    """Unroll dW1, db1, ..., dWL, dbL into one column vector, in the order of dictionary_to_vector.

    gradients: dict holding "dW1", "db1", ..., "dWL", "dbL" (other keys such as
    "dZ1" or "dA1" are ignored)
    Returns (n, 1).
    """
    L = sum(1 for key in gradients if key.startswith("dW"))
    return np.concatenate([gradients[f"d{p}{l}"].reshape(-1, 1)  # (size, 1)
                           for l in range(1, L + 1) for p in ("W", "b")], axis=0)


def forward_propagation_n(X, Y, parameters):
    """Forward pass and cost of LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

    X: (n[0], m) inputs; Y: (1, m) labels in {0, 1}
    parameters: {"W1": (n[1], n[0]), "b1": (n[1], 1), "W2": (n[2], n[1]), "b2": (n[2], 1),
    "W3": (1, n[2]), "b3": (1, 1)}
    Returns cost, the cross-entropy averaged over the m examples (a float), and
    cache, the dict of regularization.forward_propagation ("Z1", "A1", ..., "A3", "W3",
    "b3"), for backward_propagation_n.
    """
    # The same network as in the regularization notebook, checked here.
    A3, cache = forward_propagation(X, parameters)
    return compute_cost(A3, Y), cache


def backward_propagation_n(X, Y, cache):
    """Gradients of the cost of forward_propagation_n with respect to every parameter.

    X: (n[0], m); Y: (1, m); cache from forward_propagation_n
    Returns {"dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"},
    each with the shape of the array it differentiates.
    """
    m = X.shape[1]
    Z1, A1, W2, Z2, A2, W3, A3 = (cache[k] for k in ("Z1", "A1", "W2", "Z2", "A2", "W3", "A3"))
    # Sigmoid output with cross-entropy: the derivative simplifies to A3 - Y.
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (Z2 > 0)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (Z1 > 0)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def backward_propagation_n_buggy(X, Y, cache):
    """backward_propagation_n with two realistic mistakes planted, for the notebook to find.

    Same arguments and return value as backward_propagation_n; use it for nothing else.
    """
    m = X.shape[1]
    Z1, A1, W2, Z2, A2, W3, A3 = (cache[k] for k in ("Z1", "A1", "W2", "Z2", "A2", "W3", "A3"))
    # Sigmoid output with cross-entropy: the derivative simplifies to A3 - Y.
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (Z2 > 0)
    dW2 = dZ2 @ A1.T
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (A1 >= 0)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    """Check the gradients of every parameter of the 3-layer network against finite differences.

    parameters: {"W1": (n[1], n[0]), "b1": (n[1], 1), "W2": (n[2], n[1]), "b2": (n[2], 1),
    "W3": (1, n[2]), "b3": (1, 1)}
    gradients: {"dW1", "db1", "dW2", "db2", "dW3", "db3", ...} with the same shapes, the
    gradients to check (as returned by backward_propagation_n)
    X: (n[0], m); Y: (1, m); epsilon: the size of each perturbation
    The cost J(theta) is forward_propagation_n(X, Y, parameters)[0].
    Returns the relative difference ||grad - gradapprox|| / (||grad|| + ||gradapprox||), a float.
    """
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    L = len(parameters) // 2
    layer_dims = [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0]
                                                for l in range(1, L + 1)]
    num_parameters = parameters_values.shape[0]
    gradapprox = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        # Move one parameter at a time, the others held fixed: a partial derivative.
        theta_plus = np.copy(parameters_values)
        theta_plus[i, 0] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, layer_dims))
        theta_minus = np.copy(parameters_values)
        theta_minus[i, 0] -= epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, layer_dims))
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = numerator / denominator
    return float(difference)


def difference_by_parameter(parameters, gradients, X, Y, epsilon=1e-7):
    """The gradient check of gradient_check_n, done separately for each parameter array.

    Same arguments as gradient_check_n.
    Returns {"W1": difference, "b1": difference, ..., "W3", "b3"}: for each array, the
    relative difference between its gradient and the centred differences of the cost
    with respect to its entries, so a bug can be traced to the arrays it affects.
    """
    differences = {}
    for name, value in parameters.items():
        grad = gradients["d" + name]
        gradapprox = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            # Copies of the whole dict, with one entry of this array moved by +-epsilon.
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[name][index] += epsilon
            minus[name][index] -= epsilon
            J_plus, _ = forward_propagation_n(X, Y, plus)
            J_minus, _ = forward_propagation_n(X, Y, minus)
            gradapprox[index] = (J_plus - J_minus) / (2 * epsilon)
        gap = np.linalg.norm(grad - gradapprox)
        differences[name] = float(gap / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))
    return differences
