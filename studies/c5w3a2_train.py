"""Train the trigger-word detector that notebook C5W3A2 loads.

Run from the repository root (about 5 minutes on one core):

    python studies/c5w3a2_train.py

The notebook trains the detector for a few seconds only, enough to see the loss fall;
detecting a word needs minutes. This script trains dlcourse.trigger's detector (a 1-D
convolution with N_C filters of 15 frames, stride 4, ReLU, a GRU of N_A units, a sigmoid
output per step) with Adam (learning rate LEARNING_RATE, NUM_STEPS steps) on fresh
batches of BATCH clips, each made by create_training_example from the train split of
datasets/trigger.h5 (batch k from np.random.seed(BATCH_SEED + k)). The spectrograms are
standardised per frequency with the mean and deviation of 128 training clips.

It writes datasets/trigger_detector.h5: one dataset per parameter, "mean" and "std"
(n_freq,) and the loss of each step ("losses"), and its SHA-256 to
datasets/MANIFEST.json, so the notebook loads it like a data file
(dlcourse.data.load_trigger_detector). The file is byte-identical on rebuilds on the
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

from dlcourse.data import TRIGGER_DETECTOR_FILE, load_trigger  # noqa: E402
from dlcourse.trigger import (  # noqa: E402
    detector_forward,
    initialize_detector,
    make_batch,
    spectrogram,
    standardize,
    train_detector,
    word_scores,
)

N_C, N_A = 32, 32
NUM_STEPS = int(os.environ.get("C5W3A2_STEPS", 1500))
BATCH = 32
LEARNING_RATE = 0.003
BATCH_SEED = 100_000
OUTPUT = ROOT / "datasets" / TRIGGER_DETECTOR_FILE
SOURCE = ("trigger-word detector (dlcourse.trigger: conv1d 32 filters, GRU 32 units) trained "
          "on clips made from trigger.h5's train split; written by studies/c5w3a2_train.py")


def main():
    data = load_trigger()
    train, dev = data["train"], data["dev"]
    x, _ = make_batch(train["backgrounds"], train["activates"], train["negatives"], 128, 0)
    X = spectrogram(x)  # (n_freq, 128, T_x)
    mean, std = X.mean(axis=(1, 2)), X.std(axis=(1, 2))

    def batch(step):
        x, Y = make_batch(train["backgrounds"], train["activates"], train["negatives"],
                          BATCH, BATCH_SEED + step)
        return standardize(spectrogram(x), mean, std), Y

    parameters = initialize_detector(len(mean), N_C, N_A, seed=0)
    start = time.perf_counter()
    parameters, losses = train_detector(parameters, batch, NUM_STEPS, LEARNING_RATE,
                                        progress=True)
    print(f"trained in {time.perf_counter() - start:.0f} s; loss {np.mean(losses[:20]):.3f} "
          f"-> {np.mean(losses[-50:]):.3f} (means of the first 20, last 50 steps)")

    x_dev, Y_dev = make_batch(dev["backgrounds"], dev["activates"], dev["negatives"], 200, 1)
    y_hat, _ = detector_forward(standardize(spectrogram(x_dev), mean, std), parameters)
    words, found, false_alarms = word_scores(y_hat, Y_dev)
    print(f"dev: per-step accuracy {np.mean((y_hat > 0.5) == Y_dev):.3f} (all zeros "
          f"{np.mean(Y_dev == 0):.3f}); words found {found}/{words}, false alarms "
          f"{false_alarms} in {Y_dev.shape[1]} clips")
    write_study_result(OUTPUT, {**parameters, "mean": mean, "std": std,
                                "losses": np.array(losses)}, SOURCE)


if __name__ == "__main__":
    main()
