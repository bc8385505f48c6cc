"""Hidden tests of c3w1a1 (ML strategy lab)."""

import numpy as np

from grader.grading.spec import Spec

_METRICS = ("accuracy", "latency_ms", "size_mb", "recall")
_OPS = ("<=", "<", ">=", ">")
_NAMES = ("alexnet", "effnet", "lenet", "mobile", "resnet", "vgg")


def _binary_pair(rng):
    """y_true, y_pred: 0/1 arrays of shape (1, m) or (m,), int or float."""
    m = int(rng.integers(4, 30))
    shape = (1, m) if rng.random() < 0.5 else (m,)
    dtype = float if rng.random() < 0.5 else int
    return tuple(rng.integers(0, 2, size=shape).astype(dtype) for _ in range(2))


def _no_true_positive(rng):
    """y_true all zeros: TP + FN = 0, so recall and F1 must be 0.0."""
    y_true, y_pred = _binary_pair(rng)
    return y_true * 0, y_pred


def _no_predicted_positive(rng):
    """y_pred all zeros: TP + FP = 0, so precision and F1 must be 0.0."""
    y_true, y_pred = _binary_pair(rng)
    return y_true, y_pred * 0


def _pick_model(rng):
    """Six models in random dict order, metric values on a coarse grid.

    The grid makes ties and values equal to a threshold common; the shuffled
    order checks that ties go to the first name in sorted order, not in the dict.
    """
    names = [str(n) for n in rng.permutation(_NAMES)]
    grids = {"accuracy": [0.88, 0.9, 0.95], "latency_ms": [20.0, 50.0, 120.0],
             "size_mb": [5.0, 10.0, 40.0], "recall": [0.7, 0.8, 0.9]}
    metrics = {name: {k: float(rng.choice(grid)) for k, grid in grids.items()} for name in names}
    metric = str(rng.choice(_METRICS))
    optimizing = (metric, str(rng.choice(["max", "min"])))
    others = [k for k in _METRICS if k != metric]
    chosen = rng.choice(others, size=int(rng.integers(0, 3)), replace=False)
    satisficing = {str(k): (str(rng.choice(_OPS)), float(rng.choice(grids[str(k)])))
                   for k in chosen}
    return metrics, optimizing, satisficing


def _diagnose(rng):
    """human <= train <= train-dev and a dev error around them, as fractions."""
    human = float(rng.uniform(0, 0.1))
    train = human + float(rng.uniform(0, 0.1))
    train_dev = train + float(rng.uniform(0, 0.1))
    dev = train_dev + float(rng.uniform(-0.02, 0.1))
    return human, train, train_dev, dev


def _error_analysis(rng):
    m, k = int(rng.integers(5, 40)), int(rng.integers(1, 6))
    tags = (rng.random((m, k)) < rng.uniform(0.1, 0.6)).astype(int)
    is_error = (rng.random(m) < rng.uniform(0.2, 0.7)).astype(int)
    is_error[0] = 1  # at least one error
    return tags, is_error


def _multitask(rng):
    """AL (C, m) in (0.02, 0.98); Y (C, m) 0/1 with about 0 to 60% nan, one label kept."""
    C, m = int(rng.integers(1, 6)), int(rng.integers(2, 12))
    AL = rng.uniform(0.02, 0.98, size=(C, m))
    Y = rng.integers(0, 2, size=(C, m)).astype(float)
    missing = rng.random((C, m)) < rng.uniform(0, 0.6)
    missing[0, 0] = False
    Y[missing] = float("nan")
    return AL, Y


def _weighted(rng):
    """Labels and predictions as for precision_recall_f1, weights 1 or 10 (about a fifth
    10), sometimes all 1; at least one weight is positive by construction."""
    y_true, y_pred = _binary_pair(rng)
    weights = np.where(rng.random(y_true.shape) < 0.2, 10.0, 1.0)
    if rng.random() < 0.2:
        weights = rng.uniform(0.5, 5, size=y_true.shape)
    return y_true, y_pred, weights


SPECS = {
    # Cheap functions with edge cases drawn at random: more trials, so that a
    # missing rule (zero division, ties) is caught nearly every time.
    "strategy.precision_recall_f1": Spec(
        _binary_pair, trials=10, edge_cases=(_no_true_positive, _no_predicted_positive)),
    "strategy.pick_model": Spec(_pick_model, trials=10),
    "strategy.diagnose": Spec(_diagnose),
    "strategy.error_analysis_table": Spec(_error_analysis),
    "strategy.multitask_loss": Spec(_multitask),
    "strategy.weighted_error": Spec(_weighted, trials=6),
}
