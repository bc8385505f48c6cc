# Generated from dlcourse/activations.py by `python -m grader build`; do not edit.
# Student copy for c3w1a1: functions of this and later assignments are yours to write.
"""Activation functions and their derivatives.

Each function works elementwise on an array of any shape, except ``softmax``,
which normalises each column (axis 0): in this course examples are columns.
"""

import numpy as np


def sigmoid(z):
    """Logistic function s(z) = 1 / (1 + e^-z).

    z: scalar or array of any shape
    Returns s of the same shape, values in (0, 1).
    """
    s = 1 / (1 + np.exp(-z))
    return s


def sigmoid_derivative(z):
    """Derivative of the sigmoid, s'(z) = s(z) (1 - s(z)).

    z: scalar or array of any shape
    Returns ds of the same shape.
    """
    s = sigmoid(z)
    ds = s * (1 - s)
    return ds


def softmax(Z):
    """Softmax over the classes of each example (axis 0).

    Z: (C, m) scores, one column per example
    Returns A: (C, m), each column positive and summing to 1.
    """
    # Subtracting the column maximum changes nothing mathematically but keeps
    # exp() from overflowing for large scores.
    Z_shift = Z - np.max(Z, axis=0, keepdims=True)
    exp_Z = np.exp(Z_shift)
    A = exp_Z / np.sum(exp_Z, axis=0, keepdims=True)
    return A


def tanh(Z):
    """Hyperbolic tangent, (e^Z - e^-Z) / (e^Z + e^-Z).

    Z: array of any shape. Returns A of the same shape, values in (-1, 1).
    """
    A = np.tanh(Z)
    return A


def tanh_derivative(Z):
    """Derivative of tanh, 1 - tanh(Z)^2.

    Z: array of any shape. Returns dA/dZ of the same shape.
    """
    dA_dZ = 1 - np.tanh(Z) ** 2
    return dA_dZ


def relu(Z):
    """Rectified linear unit, max(0, Z).

    Z: array of any shape. Returns A of the same shape.
    """
    A = np.maximum(0, Z)
    return A


def relu_derivative(Z):
    """Derivative of ReLU: 1 where Z > 0, else 0 (we pick 0 at Z = 0).

    Z: array of any shape. Returns a float array of the same shape.
    """
    dA_dZ = (Z > 0).astype(float)
    return dA_dZ


def leaky_relu(Z, alpha=0.01):
    """Leaky ReLU: Z where Z > 0, else alpha * Z.

    Z: array of any shape; alpha: slope for negative inputs
    Returns A of the same shape.
    """
    A = np.where(Z > 0, Z, alpha * Z)
    return A


def leaky_relu_derivative(Z, alpha=0.01):
    """Derivative of leaky ReLU: 1 where Z > 0, else alpha.

    Z: array of any shape. Returns a float array of the same shape.
    """
    dA_dZ = np.where(Z > 0, 1.0, alpha)
    return dA_dZ
