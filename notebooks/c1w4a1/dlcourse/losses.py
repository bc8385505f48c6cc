# Generated from dlcourse/losses.py by `python -m grader build`; do not edit.
# Student copy for c1w4a1: functions of this and later assignments are yours to write.
"""Loss and cost functions."""

import numpy as np


def l1_loss(yhat, y):
    """L1 loss, sum_i |y_i - yhat_i|.

    yhat, y: (m,) predictions and labels
    Returns the loss as a Python float.
    """
    loss = float(np.sum(np.abs(y - yhat)))
    return loss


def l2_loss(yhat, y):
    """L2 loss, sum_i (y_i - yhat_i)^2.

    yhat, y: (m,) predictions and labels
    Returns the loss as a Python float.
    """
    diff = y - yhat
    loss = float(np.dot(diff, diff))
    return loss


def compute_cost(AL, Y):
    """Binary cross-entropy averaged over the m examples.

    J = -(1/m) sum_i [ y_i log(a_i) + (1 - y_i) log(1 - a_i) ]

    AL: (1, m) predicted probabilities, strictly between 0 and 1
    Y: (1, m) labels in {0, 1}
    Returns the cost J as a Python float.
    """
    raise NotImplementedError(
        "compute_cost is yours to write: see notebooks/c1w4a1/c1w4a1_deep_network_step_by_step.ipynb")


def softmax_cross_entropy(AL, Y):
    """Cross-entropy of softmax outputs against one-hot labels, averaged over the m examples.

    J = -(1/m) sum_i sum_k Y[k, i] log AL[k, i]

    AL: (C, m) class probabilities (softmax outputs: each column positive, summing to 1)
    Y: (C, m) one-hot labels (a single 1 in each column)
    Returns the cost J as a Python float.
    """
    raise NotImplementedError(
        "softmax_cross_entropy is yours to write: see notebooks/c2w3a1/c2w3a1_batchnorm_softmax_tuning.ipynb")


def softmax_cross_entropy_backward(AL, Y):
    """Gradient of the softmax cross-entropy cost with respect to the logits ZL.

    With AL = softmax(ZL) and J = softmax_cross_entropy(AL, Y), dJ/dZL = (AL - Y) / m:
    the gradient of the cost itself, the 1/m of the average included.

    AL: (C, m) softmax outputs; Y: (C, m) one-hot labels
    Returns dZ: (C, m).
    """
    raise NotImplementedError(
        "softmax_cross_entropy_backward is yours to write: see notebooks/c2w3a1/c2w3a1_batchnorm_softmax_tuning.ipynb")
