"""How much do the three models of C1W4A2 vary with the seed? A small, deterministic study.

Run from the repository root (about 3-5 minutes on 2 cores):

    python studies/c1w4a2_seeds.py

For each seed s in SEEDS, the 509 images of datasets/animals.h5 (train and test
together) are split again at random into 209 training and 300 test images,
keeping the class counts of the file (104 + 105 in train, 150 + 150 in test),
and the three models of C1W4A2 are trained with the notebook's hyperparameters:
logistic regression (weights start at zero), the two-layer network [12288, 7, 1]
and the four-layer network [12288, 20, 7, 5, 1] (weights drawn after
np.random.seed(s)). So the spread mixes both sources of chance: which scenes
land in the training set, and the random start of the networks. Every image
shows one of the same 40 objects, so every split keeps the file's design
(known objects, new scenes).

The results go to datasets/c1w4a2_seeds.json (test accuracy of each model for
each seed, their mean, standard deviation, minimum and maximum, and the
majority baseline) and its SHA-256 to datasets/MANIFEST.json, so that the
notebook can load it like a data file. Accuracies are counts of images over
300, so the file is the same on any machine unless a BLAS kernel moves a
prediction that sits right at 0.5.
"""

import json
import os
import sys
import time
from pathlib import Path

# One BLAS thread per worker: two workers use the two cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from dlcourse.data import load_animals  # noqa: E402
from dlcourse.dense import deep_model, predict, two_layer_model  # noqa: E402
from dlcourse.logistic import model as logistic_regression  # noqa: E402

SEEDS = (1, 2, 3, 4, 5, 6)
OUTPUT = ROOT / "datasets" / "c1w4a2_seeds.json"
MODELS = ("logistic regression", "two-layer network", "four-layer network")
SETTINGS = {
    "logistic regression": "dlcourse.logistic.model, 2000 iterations, learning rate 0.005",
    "two-layer network": "two_layer_model, layer_dims [12288, 7, 1], 1000 iterations, "
                         "learning rate 0.0075",
    "four-layer network": "deep_model, layer_dims [12288, 20, 7, 5, 1], 1000 iterations, "
                          "learning rate 0.0075",
}


def resplit(seed):
    """The file's 509 images split again with seed; class counts as in the file.

    Returns train_x (12288, 209), train_y (1, 209), test_x (12288, 300), test_y (1, 300).
    """
    train_x, train_y, test_x, test_y, _ = load_animals()
    X = np.concatenate([train_x, test_x]).reshape(len(train_x) + len(test_x), -1).T / 255
    Y = np.concatenate([train_y, test_y], axis=1)  # (1, 509)
    rng = np.random.default_rng(seed)
    train_columns, test_columns = [], []
    for label in (0, 1):
        columns = rng.permutation(np.flatnonzero(Y[0] == label))
        n_train = int(np.sum(train_y == label))
        train_columns.append(columns[:n_train])
        test_columns.append(columns[n_train:])
    train, test = np.concatenate(train_columns), np.concatenate(test_columns)
    return X[:, train], Y[:, train], X[:, test], Y[:, test]


def run(seed):
    """Test accuracies of the three models (and the majority baseline) for one seed."""
    X_train, Y_train, X_test, Y_test = resplit(seed)
    n_x = X_train.shape[0]
    start = time.perf_counter()
    logistic = logistic_regression(X_train, Y_train, X_test, Y_test, num_iterations=2000,
                                   learning_rate=0.005)
    np.random.seed(seed)
    two_layer, _ = two_layer_model(X_train, Y_train, (n_x, 7, 1), learning_rate=0.0075,
                                   num_iterations=1000)
    np.random.seed(seed)
    four_layer, _ = deep_model(X_train, Y_train, [n_x, 20, 7, 5, 1], learning_rate=0.0075,
                               num_iterations=1000)
    majority = int(Y_train.mean() > 0.5)
    accuracies = {
        "majority baseline": float(np.mean(Y_test == majority)),
        "logistic regression": float(np.mean(logistic["Y_prediction_test"] == Y_test)),
        "two-layer network": float(np.mean(predict(X_test, two_layer) == Y_test)),
        "four-layer network": float(np.mean(predict(X_test, four_layer) == Y_test)),
    }
    print(f"seed {seed}: " + ", ".join(f"{k} {v:.3f}" for k, v in accuracies.items())
          + f" ({time.perf_counter() - start:.0f} s)", flush=True)
    return accuracies


def summary(values):
    values = np.array(values)
    return {"mean": round(float(values.mean()), 4), "std": round(float(values.std(ddof=1)), 4),
            "min": round(float(values.min()), 4), "max": round(float(values.max()), 4)}


def main():
    from multiprocessing import Pool

    from common import record_in_manifest  # datasets/common.py

    start = time.perf_counter()
    with Pool(2) as pool:
        runs = pool.map(run, SEEDS)
    names = ("majority baseline", *MODELS)
    results = {
        "what": "test accuracy of the C1W4A2 models on animals.h5 split again at random per "
                "seed (209 train / 300 test, class counts kept); networks start from "
                "np.random.seed(seed); made by studies/c1w4a2_seeds.py",
        "seeds": list(SEEDS),
        "m_train": 209,
        "m_test": 300,
        "settings": SETTINGS,
        "test_accuracy": {name: [round(r[name], 4) for r in runs] for name in names},
        "summary": {name: summary([r[name] for r in runs]) for name in names},
    }
    OUTPUT.write_text(json.dumps(results, indent=2) + "\n")
    record_in_manifest(OUTPUT, "results of studies/c1w4a2_seeds.py")
    for name in names:
        s = results["summary"][name]
        print(f"{name:<22} mean {s['mean']:.3f}  std {s['std']:.3f}  "
              f"range {s['min']:.3f}-{s['max']:.3f}")
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "datasets"))
    main()
