"""Loss and cost functions."""

import numpy as np


def l1_loss(yhat, y):
    """L1 loss, sum_i |y_i - yhat_i|.

    yhat, y: (m,) predictions and labels
    Returns the loss as a Python float.
    """
    ### BEGIN SOLUTION
    loss = float(np.sum(np.abs(y - yhat)))
    ### END SOLUTION
    return loss


def l2_loss(yhat, y):
    """L2 loss, sum_i (y_i - yhat_i)^2.

    yhat, y: (m,) predictions and labels
    Returns the loss as a Python float.
    """
    ### BEGIN SOLUTION
    diff = y - yhat
    loss = float(np.dot(diff, diff))
    ### END SOLUTION
    return loss


def compute_cost(AL, Y):
    """Binary cross-entropy averaged over the m examples.

    J = -(1/m) sum_i [ y_i log(a_i) + (1 - y_i) log(1 - a_i) ]

    AL: (1, m) predicted probabilities, strictly between 0 and 1
    Y: (1, m) labels in {0, 1}
    Returns the cost J as a Python float.
    """
    ### BEGIN SOLUTION
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    cost = float(cost)
    ### END SOLUTION
    return cost


def softmax_cross_entropy(AL, Y):
    """Cross-entropy of softmax outputs against one-hot labels, averaged over the m examples.

    J = -(1/m) sum_i sum_k Y[k, i] log AL[k, i]

    AL: (C, m) class probabilities (softmax outputs: each column positive, summing to 1)
    Y: (C, m) one-hot labels (a single 1 in each column)
    Returns the cost J as a Python float.
    """
    ### BEGIN SOLUTION
    m = Y.shape[1]
    # Only the true class of each example contributes: Y is 0 everywhere else.
    cost = float(-np.sum(Y * np.log(AL)) / m)
    ### END SOLUTION
    return cost


def softmax_cross_entropy_backward(AL, Y):
    """dZ of the softmax output layer, in the notes' convention: dZ = AL - Y.

    With AL = softmax(ZL), each column of AL - Y is the gradient of that example's loss
    -sum_k y_k log a_k with respect to its scores. As in Course 1, dZ is per example: the
    1/m of the cost J = softmax_cross_entropy(AL, Y) enters where the examples are summed,
    dW = (1/m) dZ A_prev^T and db = (1/m) sum(dZ), so dJ/dZL = dZ / m.

    AL: (C, m) softmax outputs; Y: (C, m) one-hot labels
    Returns dZ: (C, m).
    """
    ### BEGIN SOLUTION
    # The softmax Jacobian and the derivative of -log collapse into this difference.
    dZ = AL - Y
    ### END SOLUTION
    return dZ


def one_hot(labels, num_classes):
    """labels: (m,) ints in [0, C) -> Y: (C, m) one-hot columns, float."""
    return np.eye(num_classes)[np.asarray(labels, dtype=int)].T
