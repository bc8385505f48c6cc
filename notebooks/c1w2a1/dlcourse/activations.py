# Generated from dlcourse/activations.py by `python -m grader build`; do not edit.
# Student copy for c1w2a1: functions of this and later assignments are yours to write.
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
    raise NotImplementedError(
        "sigmoid is yours to write: see notebooks/c1w2a1/c1w2a1_numpy_basics.ipynb")


def sigmoid_derivative(z):
    """Derivative of the sigmoid, s'(z) = s(z) (1 - s(z)).

    z: scalar or array of any shape
    Returns ds of the same shape.
    """
    raise NotImplementedError(
        "sigmoid_derivative is yours to write: see notebooks/c1w2a1/c1w2a1_numpy_basics.ipynb")


def softmax(Z):
    """Softmax over the classes of each example (axis 0).

    Z: (C, m) scores, one column per example
    Returns A: (C, m), each column positive and summing to 1.
    """
    raise NotImplementedError(
        "softmax is yours to write: see notebooks/c1w2a1/c1w2a1_numpy_basics.ipynb")


def tanh(Z):
    """Hyperbolic tangent, (e^Z - e^-Z) / (e^Z + e^-Z).

    Z: array of any shape. Returns A of the same shape, values in (-1, 1).
    """
    raise NotImplementedError(
        "tanh is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")


def tanh_derivative(Z):
    """Derivative of tanh, 1 - tanh(Z)^2.

    Z: array of any shape. Returns dA/dZ of the same shape.
    """
    raise NotImplementedError(
        "tanh_derivative is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")


def relu(Z):
    """Rectified linear unit, max(0, Z).

    Z: array of any shape. Returns A of the same shape.
    """
    raise NotImplementedError(
        "relu is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")


def relu_derivative(Z):
    """Derivative of ReLU: 1 where Z > 0, else 0 (we pick 0 at Z = 0).

    Z: array of any shape. Returns a float array of the same shape.
    """
    raise NotImplementedError(
        "relu_derivative is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")


def leaky_relu(Z, alpha=0.01):
    """Leaky ReLU: Z where Z > 0, else alpha * Z.

    Z: array of any shape; alpha: slope for negative inputs
    Returns A of the same shape.
    """
    raise NotImplementedError(
        "leaky_relu is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")


def leaky_relu_derivative(Z, alpha=0.01):
    """Derivative of leaky ReLU: 1 where Z > 0, else alpha.

    Z: array of any shape. Returns a float array of the same shape.
    """
    raise NotImplementedError(
        "leaky_relu_derivative is yours to write: see notebooks/c1w3a1/c1w3a1_planar_data.ipynb")
