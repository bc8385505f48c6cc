# Generated from dlcourse/shallow.py by `python -m grader build`; do not edit.
# Student copy for c1w4a2: functions of this and later assignments are yours to write.
"""A neural network with one hidden layer for binary classification (Course 1, week 3).

Layout: examples are columns. X: (n_x, m), labels Y: (1, m) in {0, 1}. The
network is

    Z1 = W1 X + b1,   A1 = tanh(Z1)         hidden layer, n_h units
    Z2 = W2 A1 + b2,  A2 = sigmoid(Z2)      output, the probability of class 1

with W1: (n_h, n_x), b1: (n_h, 1), W2: (n_y, n_h), b2: (n_y, 1), trained by
batch gradient descent on the binary cross-entropy (``losses.compute_cost``).
"""

import numpy as np

from .activations import sigmoid, tanh, tanh_derivative
from .dense import update_parameters
from .losses import compute_cost
from .plot import progress_bar


def layer_sizes(X, Y, n_h=4):
    """Sizes of the three layers, read from the data.

    X: (n_x, m) inputs; Y: (n_y, m) labels; n_h: number of hidden units
    Returns the tuple of ints (n_x, n_h, n_y).
    """
    n_x = X.shape[0]
    n_y = Y.shape[0]
    return n_x, n_h, n_y


def initialize_parameters(n_x, n_h, n_y):
    """Small random weights and zero biases.

    Draws W1 then W2 from ``np.random.randn``, scaled by 0.01, so the seed set
    with ``np.random.seed`` decides the result.
    Returns parameters = {"W1": (n_h, n_x), "b1": (n_h, 1) zeros,
    "W2": (n_y, n_h), "b2": (n_y, 1) zeros}.
    """
    # Random weights break the symmetry between hidden units; small ones keep
    # tanh and sigmoid near 0 where their slopes are largest.
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def forward_propagation(X, parameters):
    """Forward pass: tanh hidden layer, sigmoid output.

    X: (n_x, m); parameters: {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h),
    "b2": (n_y, 1)}
    Returns A2: (n_y, m) probabilities and cache = {"Z1": (n_h, m), "A1": (n_h, m),
    "Z2": (n_y, m), "A2": (n_y, m)} for backward_propagation.
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    Z1 = W1 @ X + b1  # (n_h, m): b1 broadcasts over the columns
    A1 = tanh(Z1)
    Z2 = W2 @ A1 + b2  # (n_y, m)
    A2 = sigmoid(Z2)
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache


def backward_propagation(parameters, cache, X, Y):
    """Gradients of the cross-entropy cost with respect to every parameter.

    parameters: {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}
    cache: {"Z1", "A1", "Z2", "A2"} from forward_propagation
    X: (n_x, m); Y: (n_y, m) labels in {0, 1}
    Returns grads = {"dW1": (n_h, n_x), "db1": (n_h, 1), "dW2": (n_y, n_h),
    "db2": (n_y, 1)}.
    """
    m = X.shape[1]
    W2 = parameters["W2"]
    A1, A2 = cache["A1"], cache["A2"]
    # Sigmoid followed by cross-entropy: dJ/dZ2 collapses to A2 - Y.
    dZ2 = A2 - Y  # (n_y, m)
    dW2 = dZ2 @ A1.T / m  # (n_y, n_h)
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m  # (n_y, 1)
    # Back through W2, then through tanh: g'(Z1) = 1 - tanh(Z1)^2.
    dZ1 = (W2.T @ dZ2) * tanh_derivative(cache["Z1"])  # (n_h, m)
    dW1 = dZ1 @ X.T / m  # (n_h, n_x)
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m  # (n_h, 1)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=1.2, print_cost=False,
             progress=False):
    """Train the one-hidden-layer network by batch gradient descent.

    X: (n_x, m); Y: (n_y, m) labels in {0, 1}; n_h: hidden units
    num_iterations: steps to take; learning_rate: alpha
    print_cost: print the cost every 1000 iterations; progress: show a progress bar
    Returns the trained parameters ({"W1", "b1", "W2", "b2"} as from
    initialize_parameters) and costs, the cost at iterations 0, 100, 200, ...
    (a list of floats). The initial weights come from np.random: seed it first
    for a repeatable run.
    """
    n_x, n_h, n_y = layer_sizes(X, Y, n_h)
    parameters = initialize_parameters(n_x, n_h, n_y)
    costs = []
    for i in progress_bar(range(num_iterations), show=progress):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
        if print_cost and i % 1000 == 0:
            print(f"cost after iteration {i}: {cost:.6f}")
    return parameters, costs


def predict(parameters, X):
    """Label each example 1 when the network's probability of class 1 is above 0.5.

    parameters: {"W1", "b1", "W2", "b2"} as from nn_model; X: (n_x, m)
    Returns predictions: (1, m) integer labels, each 0 or 1 (an integer dtype such as
    int64, like every predict of the course; .astype(int) turns booleans into it).
    """
    A2, _ = forward_propagation(X, parameters)
    predictions = (A2 > 0.5).astype(int)
    return predictions
