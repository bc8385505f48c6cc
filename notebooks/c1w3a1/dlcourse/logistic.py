# Generated from dlcourse/logistic.py by `python -m grader build`; do not edit.
# Student copy for c1w3a1: functions of this and later assignments are yours to write.
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
    # One neuron has no symmetry to break, so zeros are a fine start here
    # (unlike the hidden layers of week 3).
    w = np.zeros((dim, 1))
    b = 0.0
    return w, b


def propagate(w, b, X, Y):
    """Forward pass to the cost, then backward pass to its gradients.

    w: (n_x, 1) weights; b: scalar bias
    X: (n_x, m) examples as columns; Y: (1, m) labels in {0, 1}
    Returns grads = {"dw": (n_x, 1), "db": float} and the cost J (a float).
    """
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)  # (1, m) probabilities of class 1
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    # For sigmoid followed by cross-entropy, dJ/dZ collapses to A - Y.
    dZ = A - Y  # (1, m)
    dw = X @ dZ.T / m  # (n_x, 1)
    db = float(np.sum(dZ) / m)
    return {"dw": dw, "db": db}, float(cost)


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
    costs = []
    for i in progress_bar(range(num_iterations), show=progress):
        grads, cost = propagate(w, b, X, Y)
        # New arrays, not in-place updates: the caller's w stays untouched.
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"cost after iteration {i}: {cost:.6f}")
    return {"w": w, "b": b}, grads, costs


def predict(w, b, X):
    """Label each example 1 when the model's probability of class 1 is above 0.5.

    w: (n_x, 1); b: scalar; X: (n_x, m)
    Returns Y_prediction: (1, m) integer labels, each 0 or 1 (an integer dtype such as
    int64, like every predict of the course; .astype(int) turns booleans into it).
    """
    A = sigmoid(w.T @ X + b)  # (1, m)
    Y_prediction = (A > 0.5).astype(int)
    return Y_prediction


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
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate,
                                    print_cost, progress)
    w, b = params["w"], params["b"]
    Y_prediction_train = predict(w, b, X_train)
    Y_prediction_test = predict(w, b, X_test)
    if print_cost:
        # Predictions and labels are 0/1, so the mean of |difference| is the error rate.
        train_error = np.mean(np.abs(Y_prediction_train - Y_train))
        test_error = np.mean(np.abs(Y_prediction_test - Y_test))
        print(f"train accuracy: {100 * (1 - train_error):.1f} %")
        print(f"test accuracy: {100 * (1 - test_error):.1f} %")
    return {"costs": costs, "Y_prediction_test": Y_prediction_test,
            "Y_prediction_train": Y_prediction_train, "w": w, "b": b,
            "learning_rate": learning_rate, "num_iterations": num_iterations}
