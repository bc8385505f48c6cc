"""Hidden tests of c2w2a1 (optimization methods)."""

import numpy as np

from grader.grading.spec import Spec


def _dense_parameters(rng):
    """A random dense network of 1 to 3 layers: {"W1", "b1", ...}."""
    L = int(rng.integers(1, 4))
    layer_dims = [int(n) for n in rng.integers(1, 6, size=L + 1)]
    out = {}
    for l in range(1, L + 1):
        out[f"W{l}"] = rng.normal(size=(layer_dims[l], layer_dims[l - 1]))
        out[f"b{l}"] = rng.normal(size=(layer_dims[l], 1))
    return out


def _any_parameters(rng):
    """Arrays under names that are not W/b pairs, in random number and order: a conv
    filter and bias, batch norm's gamma and beta, a dense weight without bias."""
    n_C, n = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    shapes = {"Wconv1": (2, 2, int(rng.integers(1, 3)), n_C), "bconv1": (1, 1, 1, n_C),
              "W2": (n, int(rng.integers(1, 6))), "gamma2": (n, 1), "beta2": (n, 1)}
    keys = [k for k in shapes if rng.random() < 0.7] or ["gamma2"]
    return {str(k): rng.normal(size=shapes[k]) for k in rng.permutation(keys)}


def _parameters(rng):
    return _any_parameters(rng) if rng.random() < 0.5 else _dense_parameters(rng)


def _like(rng, parameters, positive=False):
    """Random arrays keyed "d" + k ("dW1", "dgamma2", ...) with the shapes of ``parameters``."""
    out = {}
    for key, value in parameters.items():
        sample = rng.normal(size=value.shape)
        out["d" + key] = sample**2 if positive else sample
    return out


def _mini_batches(rng):
    """Examples as columns, X (n_x, m) and Y (1, m), with the default axis."""
    n_x, m = int(rng.integers(1, 5)), int(rng.integers(1, 40))
    X = rng.normal(size=(n_x, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    return X, Y, int(rng.integers(1, m + 3)), int(rng.integers(0, 1000))


def _mini_batches_examples_first(rng):
    """Images X (m, n_H, n_W, n_C) and one-hot Y (m, C) with axis=0."""
    m, n_C, C = int(rng.integers(1, 30)), int(rng.integers(1, 4)), int(rng.integers(2, 5))
    X = rng.normal(size=(m, 3, 2, n_C))
    Y = np.eye(C)[rng.integers(0, C, size=m)]
    return X, Y, int(rng.integers(1, m + 3)), int(rng.integers(0, 1000)), 0


def _ewa(rng):
    T = int(rng.integers(1, 30))
    return rng.normal(10, 5, size=T), float(rng.uniform(0.3, 0.99)), bool(rng.integers(0, 2))


def _momentum(rng, make=_parameters):
    parameters = make(rng)
    return (parameters, _like(rng, parameters), _like(rng, parameters),
            float(rng.uniform(0.5, 0.99)), float(rng.uniform(0.001, 0.5)))


def _rmsprop(rng, make=_parameters):
    parameters = make(rng)
    return (parameters, _like(rng, parameters), _like(rng, parameters, positive=True),
            float(rng.uniform(0.9, 0.999)), float(rng.uniform(0.001, 0.5)),
            float(10 ** rng.uniform(-8, -2)))


def _adam(rng, make=_parameters):
    parameters = make(rng)
    return (parameters, _like(rng, parameters), _like(rng, parameters),
            _like(rng, parameters, positive=True), int(rng.integers(1, 30)),
            float(rng.uniform(0.001, 0.1)), float(rng.uniform(0.5, 0.95)),
            float(rng.uniform(0.9, 0.999)), float(10 ** rng.uniform(-8, -2)))


def _update_lr(rng):
    return float(rng.uniform(0.01, 1)), int(rng.integers(0, 5000)), float(rng.uniform(0.01, 2))


def _schedule(rng):
    return (*_update_lr(rng), int(rng.integers(1, 2000)))


SPECS = {
    "optim.random_mini_batches": Spec(_mini_batches, edge_cases=(_mini_batches_examples_first,)),
    "optim.exponentially_weighted_average": Spec(_ewa),
    # The first trial of each optimizer function has keys that are not W/b pairs.
    "optim.initialize_velocity": Spec(lambda rng: (_parameters(rng),),
                                      edge_cases=(lambda rng: (_any_parameters(rng),),)),
    "optim.update_parameters_with_momentum": Spec(_momentum, edge_cases=(
        lambda rng: _momentum(rng, _any_parameters),)),
    "optim.initialize_rmsprop": Spec(lambda rng: (_parameters(rng),),
                                     edge_cases=(lambda rng: (_any_parameters(rng),),)),
    "optim.update_parameters_with_rmsprop": Spec(_rmsprop, edge_cases=(
        lambda rng: _rmsprop(rng, _any_parameters),)),
    "optim.initialize_adam": Spec(lambda rng: (_parameters(rng),),
                                  edge_cases=(lambda rng: (_any_parameters(rng),),)),
    "optim.update_parameters_with_adam": Spec(_adam, edge_cases=(
        lambda rng: _adam(rng, _any_parameters),)),
    "optim.update_lr": Spec(_update_lr),
    "optim.schedule_lr_decay": Spec(_schedule),
}
