"""Hidden tests of c4w2a2 (transfer learning and data augmentation).

augment, replace_head and fine_tune draw from np.random (a new head's weights, the
random changes of augment), so the reference and the student run from the same
seed. The networks are tiny (6 x 6 or 8 x 8 images, a few channels) so that
fine_tune trains in a fraction of a second.
"""

import numpy as np

from grader.grading.spec import Spec


def _augment(rng):
    m, n_H, n_W, n_C = (int(rng.integers(low, high)) for low, high in
                        ((1, 5), (3, 8), (3, 8), (1, 4)))
    X = rng.normal(size=(m, n_H, n_W, n_C))
    return X, int(rng.integers(0, 4)), float(rng.uniform(0.0, 0.5))


def _small_network(rng):
    """A random tiny conv net: (spec, parameters, input shape), the last layer dense."""
    from grader.grading.reference import reference

    n_H = int(rng.choice([6, 8]))
    n_C_prev = int(rng.integers(1, 4))
    spec = [("conv", {"f": 3, "n_C": int(rng.integers(2, 5)), "pad": 1}), ("relu", {}),
            ("pool", {"f": 2, "stride": 2}), ("flatten", {}),
            ("dense", {"n": int(rng.integers(3, 7))}), ("relu", {}),
            ("dense", {"n": int(rng.integers(2, 6))})]
    parameters = reference("cnn.initialize_network")((n_H, n_H, n_C_prev), spec,
                                                     seed=int(rng.integers(1000)))
    return spec, parameters, (n_H, n_H, n_C_prev)


def _frozen(rng, spec):
    """A random set of layer positions, often the layers with weights, sometimes none."""
    return sorted(int(l) for l in rng.choice(np.arange(1, len(spec) + 1),
                                             size=int(rng.integers(0, len(spec))),
                                             replace=False))


def _trainable_keys(rng):
    spec, parameters, _ = _small_network(rng)
    return parameters, _frozen(rng, spec)


def _replace_head(rng):
    spec, parameters, _ = _small_network(rng)
    return parameters, spec, int(rng.integers(2, 6))


def _fine_tune(rng):
    spec, parameters, shape = _small_network(rng)
    m, num_classes = int(rng.integers(4, 12)), int(rng.integers(2, 5))
    X = rng.normal(size=(m, *shape))
    labels = rng.integers(0, num_classes, size=m)
    return (X, labels, parameters, spec, num_classes, _frozen(rng, spec),
            float(rng.uniform(0.001, 0.02)), int(rng.integers(1, 4)), int(rng.integers(2, 6)),
            int(rng.integers(100)))


SPECS = {
    "transfer.augment": Spec(_augment, seeded=True),
    "transfer.trainable_keys": Spec(_trainable_keys),
    "transfer.replace_head": Spec(_replace_head, seeded=True),
    "transfer.fine_tune": Spec(_fine_tune, uses=("transfer.replace_head",
                                                 "transfer.trainable_keys"),
                               seeded=True, rtol=1e-5),
}
