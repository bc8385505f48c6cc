# Generated from dlcourse/shallow.py by `python -m grader build`; do not edit.
# Student copy for c1w3a1: functions of this and later assignments are yours to write.
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
    raise NotImplementedError(
        "layer_sizes is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")


def initialize_parameters(n_x, n_h, n_y):
    """Small random weights and zero biases.

    Draws W1 then W2 from ``np.random.randn``, scaled by 0.01, so the seed set
    with ``np.random.seed`` decides the result.
    Returns parameters = {"W1": (n_h, n_x), "b1": (n_h, 1) zeros,
    "W2": (n_y, n_h), "b2": (n_y, 1) zeros}.
    """
    raise NotImplementedError(
        "initialize_parameters is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")


def forward_propagation(X, parameters):
    """Forward pass: tanh hidden layer, sigmoid output.

    X: (n_x, m); parameters: {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h),
    "b2": (n_y, 1)}
    Returns A2: (n_y, m) probabilities and cache = {"Z1": (n_h, m), "A1": (n_h, m),
    "Z2": (n_y, m), "A2": (n_y, m)} for backward_propagation.
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    raise NotImplementedError(
        "forward_propagation is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")


def backward_propagation(parameters, cache, X, Y):
    """Gradients of the cross-entropy cost with respect to every parameter.

    parameters: {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}
    cache: {"Z1", "A1", "Z2", "A2"} from forward_propagation
    X: (n_x, m); Y: (n_y, m) labels in {0, 1}
    Returns grads = {"dW1": (n_h, n_x), "db1": (n_h, 1), "dW2": (n_y, n_h),
    "db2": (n_y, 1)}.
    """
    raise NotImplementedError(
        "backward_propagation is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")


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
    raise NotImplementedError(
        "nn_model is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")


def predict(parameters, X):
    """Label each example 1 when the network's probability of class 1 is above 0.5.

    parameters: {"W1", "b1", "W2", "b2"} as from nn_model; X: (n_x, m)
    Returns predictions: (1, m) integer labels, each 0 or 1 (an integer dtype such as
    int64, like every predict of the course; .astype(int) turns booleans into it).
    """
    raise NotImplementedError(
        "predict is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")
