# Generated from dlcourse/strategy.py by `python -m grader build`; do not edit.
# Student copy for c3w1a1: functions of this and later assignments are yours to write.
"""ML strategy: metrics, model choice, error diagnosis and multi-task losses (Course 3).

Course 3 is about deciding what to do next on a machine-learning project. The
functions here turn its rules of thumb into numbers: one evaluation metric,
one optimizing metric under satisficing constraints, the gaps between human,
training, train-dev and dev error, the ceiling of each category in an error
analysis, and a multi-task cost that learns from partially labelled examples.
"""

import numpy as np

# What to try next for each diagnosis; ``diagnose`` picks the line for its focus.
ADVICE = {
    "avoidable_bias": "Reduce avoidable bias: train a bigger network, train longer or with a "
                      "better optimizer, or search for a better architecture.",
    "variance": "Reduce variance: get more training data, regularize (L2, dropout, data "
                "augmentation), or search for a better architecture.",
    "data_mismatch": "Reduce data mismatch: study how the dev data differs from the training "
                     "data, then collect or synthesize training data that looks like it.",
}


def precision_recall_f1(y_true, y_pred):
    """Precision, recall and their harmonic mean F1 for binary predictions.

    precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2 P R / (P + R)

    y_true: (1, m) or (m,) labels in {0, 1}
    y_pred: same shape, predictions in {0, 1}
    Returns (precision, recall, f1) as Python floats. A ratio whose denominator
    is zero (no predicted positives, no actual positives, or P = R = 0) is 0.0.
    """
    raise NotImplementedError(
        "precision_recall_f1 is yours to write: see notebooks/c3w1a1/c3w1a1_ml_strategy_lab.ipynb")


def pick_model(metrics, optimizing, satisficing):
    """The best model on one optimizing metric among those meeting every satisficing one.

    metrics: dict model name -> dict metric name -> value,
        e.g. {"net_a": {"accuracy": 0.92, "latency_ms": 80.0}, ...}
    optimizing: (metric name, "max" or "min")
    satisficing: dict metric name -> (op, threshold) with op one of
        "<=", "<", ">=", ">", e.g. {"latency_ms": ("<=", 100.0)}; may be empty
    Returns the name of the model with the best optimizing value among those
    satisfying every constraint; None if no model does. Ties go to the name
    that comes first in alphabetical (sorted) order.
    """
    raise NotImplementedError(
        "pick_model is yours to write: see notebooks/c3w1a1/c3w1a1_ml_strategy_lab.ipynb")


def diagnose(human_error, train_error, train_dev_error, dev_error):
    """Split the dev error into the gaps that tell you what to work on.

    avoidable_bias = train_error - human_error   (human level stands in for Bayes error)
    variance = train_dev_error - train_error      (same distribution, unseen examples)
    data_mismatch = dev_error - train_dev_error   (dev distribution differs from training)

    All four errors are fractions (floats), e.g. 0.08 for 8%.
    Returns a dict with the three gaps (floats), "focus": the name of the
    largest gap (the first in the order above when two are equal) and
    "advice": ADVICE[focus].
    """
    raise NotImplementedError(
        "diagnose is yours to write: see notebooks/c3w1a1/c3w1a1_ml_strategy_lab.ipynb")


def error_analysis_table(tags, is_error):
    """Which categories the model's errors fall into, and how often.

    tags: (m, k) 0/1 integers, tags[i, j] = 1 when example i has tag j
        (blurry, mislabelled, ...); an example may carry several tags
    is_error: (m,) 0/1 integers, 1 where the model got example i wrong
    Returns (fractions, counts):
        counts: (k,) integers, the number of errors carrying each tag
        fractions: (k,) floats, counts / number of errors: the most that fixing
            every error of that category could remove, as a share of the errors.
            All zeros when there is no error.
    """
    raise NotImplementedError(
        "error_analysis_table is yours to write: see notebooks/c3w1a1/c3w1a1_ml_strategy_lab.ipynb")


def multitask_loss(AL, Y):
    """Binary cross-entropy of C sigmoid outputs, averaged over the labelled entries.

    J = -(1/n_labelled) sum over labelled (c, i) of [ y log(a) + (1 - y) log(1 - a) ]
    with a = AL[c, i] and y = Y[c, i].

    AL: (C, m) predicted probabilities, strictly between 0 and 1
    Y: (C, m) labels in {0, 1}, np.nan where example i has no label for task c
    n_labelled is the number of labelled entries (not C * m): an unlabelled entry adds
    nothing to the sum nor to the count. Returns J as a Python float; 0.0 when
    nothing is labelled.
    """
    raise NotImplementedError(
        "multitask_loss is yours to write: see notebooks/c3w1a1/c3w1a1_ml_strategy_lab.ipynb")


def multitask_loss_backward(AL, Y):
    """Gradient of multitask_loss with respect to AL.

    AL: (C, m) probabilities; Y: (C, m) labels with np.nan where unlabelled
    Returns dAL: (C, m), zero on unlabelled entries, else
    (-(y / a) + (1 - y) / (1 - a)) / n_labelled, n_labelled the number of labelled
    entries. Through a sigmoid output this becomes dZ = (AL - Y) / n_labelled on labelled
    entries.
    """
    labelled = ~np.isnan(Y)  # (C, m)
    n_labelled = max(int(np.sum(labelled)), 1)
    Y0 = np.where(labelled, Y, 0.0)
    dAL = (-(Y0 / AL) + (1 - Y0) / (1 - AL)) / n_labelled
    return np.where(labelled, dAL, 0.0)
