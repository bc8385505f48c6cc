# Generated from dlcourse/logistic.py by `python -m grader build`; do not edit.
# Student copy for c1w2a2: functions of this and later assignments are yours to write.
"""Logistic regression as a one-neuron network (Course 1, week 2).

Layout: examples are columns. X: (n_x, m), labels Y: (1, m) in {0, 1},
weights w: (n_x, 1), bias b: a scalar. The model is

    A = sigmoid(w^T X + b),    J = -(1/m) sum_i [ y_i log a_i + (1 - y_i) log(1 - a_i) ]

trained by batch gradient descent.
"""

import numpy as np

from .activations import sigmoid
from .plot import progress_bar


def initialize_with_zeros(dim):
    """Weights and bias of logistic regression, all zero.

    dim: n_x, the number of input features
    Returns w: (dim, 1) float zeros and b = 0.0 (a Python float).
    """
    raise NotImplementedError(
        "initialize_with_zeros is yours to write: see notebooks/c1w2a2/c1w2a2_logistic_regression.ipynb")


def propagate(w, b, X, Y):
    """Forward pass to the cost, then backward pass to its gradients.

    w: (n_x, 1) weights; b: scalar bias
    X: (n_x, m) examples as columns; Y: (1, m) labels in {0, 1}
    Returns grads = {"dw": (n_x, 1), "db": float} and the cost J (a float).
    """
    raise NotImplementedError(
        "propagate is yours to write: see notebooks/c1w2a2/c1w2a2_logistic_regression.ipynb")


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False,
             progress=False):
    """Batch gradient descent: w = w - alpha dw, b = b - alpha db, repeated.

    w: (n_x, 1); b: scalar; X: (n_x, m); Y: (1, m)
    num_iterations: steps to take; learning_rate: alpha
    print_cost: print the cost every 100 iterations; progress: show a progress bar
    Returns params = {"w": (n_x, 1), "b": float}, the grads of the last step
    ({"dw", "db"} as from propagate) and costs, the cost at iterations
    0, 100, 200, ... (a list of floats).
    """
    raise NotImplementedError(
        "optimize is yours to write: see notebooks/c1w2a2/c1w2a2_logistic_regression.ipynb")


def predict(w, b, X):
    """Label each example 1 when the model's probability of class 1 is above 0.5.

    w: (n_x, 1); b: scalar; X: (n_x, m)
    Returns Y_prediction: (1, m) integer labels, each 0 or 1 (an integer dtype such as
    int64, like every predict of the course; .astype(int) turns booleans into it).
    """
    raise NotImplementedError(
        "predict is yours to write: see notebooks/c1w2a2/c1w2a2_logistic_regression.ipynb")


def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5,
          print_cost=False, progress=False):
    """Logistic regression from start to finish: initialise, train, predict.

    X_train: (n_x, m_train); Y_train: (1, m_train)
    X_test: (n_x, m_test); Y_test: (1, m_test)
    print_cost: print the cost every 100 iterations and both accuracies at the end
    Returns d = {"costs": list of floats, "Y_prediction_test": (1, m_test) and
    "Y_prediction_train": (1, m_train) integer 0/1 labels (from predict), "w": (n_x, 1), "b": float,
    "learning_rate": float, "num_iterations": int}.
    """
    raise NotImplementedError(
        "model is yours to write: see notebooks/c1w2a2/c1w2a2_logistic_regression.ipynb")
