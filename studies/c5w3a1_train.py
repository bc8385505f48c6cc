"""Train the date translator of notebook C5W3A1 (attention) and save it.

Run from the repository root (3 to 6 minutes on one core):

    python studies/c5w3a1_train.py

The notebook trains the model from scratch for a few seconds only, to show the cost
falling; reaching its target (>= 95 % exact match on the held-out dates) takes minutes,
so this script does it once: dlcourse.attention's translator (bidirectional LSTM encoder
with n_a = 32 per direction, attention network with n_e = 10 hidden units,
post-attention LSTM with n_s = 64) trained on the 12,000 training pairs of
datasets/dates.h5 with Adam (learning rate LEARNING_RATE, mini-batches of 64,
NUM_EPOCHS epochs, seed 0), one BLAS thread.

It writes datasets/dates_attention.h5: "final.<key>" holds the trained parameters,
"epoch1.<key>" the parameters after the first epoch (a weaker model whose errors
the notebook's beam-search error analysis examines), "costs" the mean cost per epoch
and "test_exact" the held-out greedy exact match after each epoch; and its SHA-256 to
datasets/MANIFEST.json, so the notebook loads it like a data file
(dlcourse.data.load_dates_attention). The file is byte-identical on rebuilds on the
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

from dlcourse import attention  # noqa: E402
from dlcourse.data import DATES_ATTENTION_FILE, load_dates  # noqa: E402

N_A, N_S, N_E = 32, 64, 10
NUM_EPOCHS = 12
LEARNING_RATE = 0.005
MINI_BATCH_SIZE = 64
OUTPUT = ROOT / "datasets" / DATES_ATTENTION_FILE
SOURCE = ("Date translator (dlcourse.attention: bidirectional LSTM encoder, attention, "
          "post-attention LSTM) trained on the 12,000 training pairs of dates.h5; "
          "written by studies/c5w3a1_train.py")


def main():
    dates = load_dates()
    vocabulary = attention.input_vocabulary(dates["input_chars"])
    T_x = max(len(t) for t in dates["train_inputs"] + dates["test_inputs"])
    X = attention.one_hot_inputs(dates["train_inputs"], vocabulary, T_x)  # (n_x, m, T_x)
    Y = attention.one_hot_outputs(dates["train_outputs"])  # (n_y, m, T_y)
    X_test = attention.one_hot_inputs(dates["test_inputs"], vocabulary, T_x)
    parameters = attention.initialize_parameters(len(vocabulary), N_A, N_S, N_E,
                                                 len(attention.OUTPUT_CHARS), seed=0)
    test_exact = []

    def report(epoch, parameters):
        indices, _ = attention.greedy_decode(X_test, parameters)
        predicted = attention.decode_outputs(indices)
        exact = np.mean([p == t for p, t in zip(predicted, dates["test_outputs"], strict=True)])
        test_exact.append(exact)
        print(f"epoch {epoch}: held-out exact match {exact:.3f} "
              f"({time.perf_counter() - start:.0f} s)", flush=True)

    start = time.perf_counter()
    parameters, costs, checkpoints = attention.train(
        X, Y, parameters, num_epochs=NUM_EPOCHS, learning_rate=LEARNING_RATE,
        mini_batch_size=MINI_BATCH_SIZE, seed=0, progress=False, checkpoint_epochs=(1,),
        on_epoch=report)
    batches = -(-X.shape[1] // MINI_BATCH_SIZE)
    epoch_costs = np.array(costs).reshape(NUM_EPOCHS, batches).mean(axis=1)
    print(f"trained in {time.perf_counter() - start:.0f} s; cost per character "
          f"{epoch_costs[0]:.3f} -> {epoch_costs[-1]:.4f}")
    # Flat names, no HDF5 groups: a group would store its creation time in the file.
    arrays = {f"{group}.{name}": array
              for group, values in (("final", parameters), ("epoch1", checkpoints[1]))
              for name, array in values.items()}
    write_study_result(OUTPUT, {**arrays, "costs": epoch_costs,
                                "test_exact": np.array(test_exact)}, SOURCE)


if __name__ == "__main__":
    main()
