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
