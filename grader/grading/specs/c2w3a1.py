"""Hidden tests of c2w3a1 (batch norm, softmax and tuning).

The spec of ``activations.softmax``, also graded here, lives in c1w2a1.py where
it is first taught.
"""

import numpy as np

from grader.grading.spec import Spec


def _layer(rng):
    """Z (n, m) with rows of different means and scales, gamma and beta (n, 1)."""
    n, m = int(rng.integers(1, 6)), int(rng.integers(2, 9))
    Z = rng.normal(rng.normal(0, 3, size=(n, 1)), rng.uniform(0.3, 3, size=(n, 1)), size=(n, m))
    return Z, rng.normal(1, 0.5, size=(n, 1)), rng.normal(0, 1, size=(n, 1))


def _batchnorm_forward(rng):
    """Either mode, random running averages (variances positive), momentum and epsilon."""
    Z, gamma, beta = _layer(rng)
    n = Z.shape[0]
    running_mean = rng.normal(0, 2, size=(n, 1))
    running_var = rng.uniform(0.2, 5, size=(n, 1))
    mode = str(rng.choice(["train", "test"]))
    return (Z, gamma, beta, running_mean, running_var, mode, float(rng.uniform(0.5, 0.99)),
            float(10 ** rng.uniform(-5, -2)))


def _batchnorm_backward(rng):
    """dout and a cache from the reference's forward pass in train mode."""
    from grader.grading.reference import reference

    Z, gamma, beta = _layer(rng)
    n = Z.shape[0]
    _, _, _, cache = reference("batchnorm.batchnorm_forward")(
        Z, gamma, beta, np.zeros((n, 1)), np.ones((n, 1)), "train", 0.9,
        float(10 ** rng.uniform(-5, -2)))
    return rng.normal(size=Z.shape), cache


def _softmax_and_labels(rng):
    """AL (C, m): softmax of random logits; Y (C, m): random one-hot labels."""
    C, m = int(rng.integers(2, 8)), int(rng.integers(1, 10))
    Z = rng.normal(0, 2, size=(C, m))
    AL = np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(axis=0)
    return AL, np.eye(C)[:, rng.integers(0, C, size=m)]


def _sample_log_uniform(rng):
    low = float(10 ** rng.uniform(-6, 0))
    high = low * float(10 ** rng.uniform(0.5, 4))
    size = [int(rng.integers(1, 20)), (int(rng.integers(1, 4)), int(rng.integers(1, 4))),
            None][int(rng.integers(0, 3))]
    return low, high, size


SPECS = {
    "batchnorm.batchnorm_forward": Spec(_batchnorm_forward, trials=8),  # both modes, surely
    "batchnorm.batchnorm_backward": Spec(_batchnorm_backward),
    "losses.softmax_cross_entropy": Spec(_softmax_and_labels),
    "losses.softmax_cross_entropy_backward": Spec(_softmax_and_labels),
    "optim.sample_log_uniform": Spec(_sample_log_uniform, seeded=True),
}
