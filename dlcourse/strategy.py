"""ML strategy: metrics, model choice, error diagnosis and multi-task losses (Course 3).

Course 3 is about deciding what to do next on a machine-learning project. The
functions here turn its rules of thumb into numbers: one evaluation metric,
one optimizing metric under satisficing constraints, an error that weighs the
mistakes that matter most, the gaps between human,
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
    ### BEGIN SOLUTION
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)  # (m,)
    tp = np.sum((y_pred == 1) & (y_true == 1))
    fp = np.sum((y_pred == 1) & (y_true == 0))
    fn = np.sum((y_pred == 0) & (y_true == 1))
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    precision, recall, f1 = float(precision), float(recall), float(f1)
    ### END SOLUTION
    return precision, recall, f1


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
    ### BEGIN SOLUTION
    tests = {"<=": lambda v, t: v <= t, "<": lambda v, t: v < t,
             ">=": lambda v, t: v >= t, ">": lambda v, t: v > t}
    feasible = [name for name in sorted(metrics)
                if all(tests[op](metrics[name][metric], threshold)
                       for metric, (op, threshold) in satisficing.items())]
    if not feasible:
        return None
    metric, direction = optimizing
    sign = 1.0 if direction == "max" else -1.0
    # max() keeps the first of equal keys, and feasible is sorted: ties go to the first name.
    best = max(feasible, key=lambda name: sign * metrics[name][metric])
    ### END SOLUTION
    return best


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
    ### BEGIN SOLUTION
    gaps = {"avoidable_bias": float(train_error - human_error),
            "variance": float(train_dev_error - train_error),
            "data_mismatch": float(dev_error - train_dev_error)}
    focus = max(gaps, key=gaps.get)  # the first largest, in the order of the dict
    diagnosis = {**gaps, "focus": focus, "advice": ADVICE[focus]}
    ### END SOLUTION
    return diagnosis


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
    ### BEGIN SOLUTION
    errors = np.ravel(is_error) == 1  # (m,) bool
    counts = np.sum(tags[errors], axis=0).astype(int)  # (k,)
    n_errors = int(np.sum(errors))
    fractions = counts / n_errors if n_errors > 0 else np.zeros(counts.shape)
    ### END SOLUTION
    return fractions, counts


def weighted_error(y_true, y_pred, weights):
    """Classification error in which some examples count more than others.

    error = sum_i w_i 1{y_pred_i != y_true_i} / sum_i w_i

    y_true, y_pred: (1, m) or (m,) labels in {0, 1}
    weights: same shape, positive floats, e.g. 10 for an example whose mistake is
        unacceptable and 1 for the others
    With every weight equal this is the plain error rate. Returns a Python float.
    """
    ### BEGIN SOLUTION
    y_true, y_pred, weights = np.ravel(y_true), np.ravel(y_pred), np.ravel(weights)  # (m,)
    wrong = (y_pred != y_true).astype(float)  # (m,) 1 where the prediction is wrong
    error = float(np.sum(weights * wrong) / np.sum(weights))
    ### END SOLUTION
    return error


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
    ### BEGIN SOLUTION
    labelled = ~np.isnan(Y)  # (C, m)
    n_labelled = np.sum(labelled)
    if n_labelled == 0:
        return 0.0
    Y0 = np.where(labelled, Y, 0.0)  # nan * 0 would still be nan
    losses = -(Y0 * np.log(AL) + (1 - Y0) * np.log(1 - AL))  # (C, m)
    cost = float(np.sum(losses[labelled]) / n_labelled)
    ### END SOLUTION
    return cost


def multitask_loss_backward(AL, Y):
    """dAL of multitask_loss, in the notes' convention: one entry per label, no 1/n_labelled.

    AL: (C, m) probabilities; Y: (C, m) labels with np.nan where unlabelled
    Returns dAL: (C, m), -(y / a) + (1 - y) / (1 - a) on labelled entries (the notes'
    dA[L] of the cross-entropy) and 0 on unlabelled ones. Through a sigmoid output it
    becomes dZ = AL - Y on labelled entries and 0 elsewhere. The cost averages over the
    n_labelled entries, so the 1/n_labelled enters where the examples are summed, as the
    1/m does in dW = (1/m) dZ A_prev^T: dW = (1/n_labelled) dZ A_prev^T, and
    dJ/dAL = dAL / n_labelled.
    """
    labelled = ~np.isnan(Y)  # (C, m)
    Y0 = np.where(labelled, Y, 0.0)
    dAL = -(Y0 / AL) + (1 - Y0) / (1 - AL)
    return np.where(labelled, dAL, 0.0)
