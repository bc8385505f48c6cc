"""Pretrain the network that notebook C4W2A2 fine-tunes: a LeNet-style CNN on photos6.

Run from the repository root (a few minutes on 2 cores):

    python studies/c4w2a2_pretrain.py

Transfer learning starts from a network someone else trained on a larger set. The
course ships no downloaded weights, so this script plays that part: it trains
dlcourse.transfer.LENET_SPEC on all 720 images of datasets/photos6.h5 (train and
test splits together: here they are simply the larger set of another task), shrunk
to 32 x 32 by averaging 2 x 2 blocks and standardised per colour channel, with Adam
(learning rate 0.002, mini-batches of 32, NUM_EPOCHS epochs, seed 0).

It writes datasets/photos6_lenet.h5: one dataset per parameter ("W1", "b1", "W4",
"b4", "W8", "b8", "W10", "b10"), the channel means and standard deviations used to
standardise ("mean", "std", shape (3,)) and the cost of each epoch ("costs"), and
its SHA-256 to datasets/MANIFEST.json, so the notebook loads it like a data file
(dlcourse.data.load_photos6_lenet). The file is byte-identical on rebuilds on the
same machine; another BLAS may change the weights in their last digits.
"""

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "datasets"))

import numpy as np  # noqa: E402
from common import write_study_result  # noqa: E402

from dlcourse.cnn import accuracy, train_network  # noqa: E402
from dlcourse.data import PHOTOS6_LENET_FILE, load_photos6  # noqa: E402
from dlcourse.transfer import LENET_SPEC, downsample  # noqa: E402

NUM_EPOCHS = 20
OUTPUT = ROOT / "datasets" / PHOTOS6_LENET_FILE
SOURCE = ("LeNet-style CNN (dlcourse.transfer.LENET_SPEC) trained on all 720 images of "
          "photos6.h5 at 32x32; written by studies/c4w2a2_pretrain.py")


def main():
    X_train, y_train, X_test, y_test, _ = load_photos6()
    X = downsample(np.concatenate([X_train, X_test]) / 255)  # (720, 32, 32, 3)
    y = np.concatenate([y_train, y_test])  # (720,)
    mean, std = X.mean(axis=(0, 1, 2)), X.std(axis=(0, 1, 2))  # (3,)
    X = (X - mean) / std
    start = time.perf_counter()
    parameters, costs = train_network(X, y, LENET_SPEC, num_classes=6, learning_rate=0.002,
                                      num_epochs=NUM_EPOCHS, mini_batch_size=32, seed=0)
    print(f"trained in {time.perf_counter() - start:.0f} s; cost {costs[0]:.3f} -> "
          f"{costs[-1]:.3f}; training accuracy {accuracy(X, y, parameters, LENET_SPEC):.3f}")
    write_study_result(OUTPUT, {**parameters, "mean": mean, "std": std,
                                "costs": np.array(costs)}, SOURCE)


if __name__ == "__main__":
    main()
