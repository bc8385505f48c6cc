"""Hidden tests of c2w2a1 (optimization methods)."""

from grader.hidden import Spec


def _parameters(rng, prefix=""):
    """A random network of 1 to 3 layers: {"W1", "b1", ...}, keys optionally prefixed "d"."""
    L = int(rng.integers(1, 4))
    layer_dims = [int(n) for n in rng.integers(1, 6, size=L + 1)]
    out = {}
    for l in range(1, L + 1):
        out[f"{prefix}W{l}"] = rng.normal(size=(layer_dims[l], layer_dims[l - 1]))
        out[f"{prefix}b{l}"] = rng.normal(size=(layer_dims[l], 1))
    return out


def _like(rng, parameters, positive=False):
    """Random arrays keyed "dW1", "db1", ... with the shapes of ``parameters``."""
    out = {}
    for key, value in parameters.items():
        sample = rng.normal(size=value.shape)
        out["d" + key] = sample**2 if positive else sample
    return out


def _mini_batches(rng):
    n_x, m = int(rng.integers(1, 5)), int(rng.integers(1, 40))
    X = rng.normal(size=(n_x, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    return X, Y, int(rng.integers(1, m + 3)), int(rng.integers(0, 1000))


def _ewa(rng):
    T = int(rng.integers(1, 30))
    return rng.normal(10, 5, size=T), float(rng.uniform(0.3, 0.99)), bool(rng.integers(0, 2))


def _momentum(rng):
    parameters = _parameters(rng)
    return (parameters, _like(rng, parameters), _like(rng, parameters),
            float(rng.uniform(0.5, 0.99)), float(rng.uniform(0.001, 0.5)))


def _rmsprop(rng):
    parameters = _parameters(rng)
    return (parameters, _like(rng, parameters), _like(rng, parameters, positive=True),
            float(rng.uniform(0.9, 0.999)), float(rng.uniform(0.001, 0.5)),
            float(10 ** rng.uniform(-8, -2)))


def _adam(rng):
    parameters = _parameters(rng)
    return (parameters, _like(rng, parameters), _like(rng, parameters),
            _like(rng, parameters, positive=True), int(rng.integers(1, 30)),
            float(rng.uniform(0.001, 0.1)), float(rng.uniform(0.5, 0.95)),
            float(rng.uniform(0.9, 0.999)), float(10 ** rng.uniform(-8, -2)))


def _update_lr(rng):
    return float(rng.uniform(0.01, 1)), int(rng.integers(0, 5000)), float(rng.uniform(0.01, 2))


def _schedule(rng):
    return (*_update_lr(rng), int(rng.integers(1, 2000)))


SPECS = {
    "optim.random_mini_batches": Spec(_mini_batches),
    "optim.exponentially_weighted_average": Spec(_ewa),
    "optim.initialize_velocity": Spec(lambda rng: (_parameters(rng),)),
    "optim.update_parameters_with_momentum": Spec(_momentum),
    "optim.initialize_rmsprop": Spec(lambda rng: (_parameters(rng),)),
    "optim.update_parameters_with_rmsprop": Spec(_rmsprop),
    "optim.initialize_adam": Spec(lambda rng: (_parameters(rng),)),
    "optim.update_parameters_with_adam": Spec(_adam),
    "optim.update_lr": Spec(_update_lr),
    "optim.schedule_lr_decay": Spec(_schedule),
}
