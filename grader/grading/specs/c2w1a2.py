"""Hidden tests of c2w1a2 (regularization: L2 and dropout).

The 3-layer network of ``dlcourse.regularization`` with random layer sizes;
caches are dicts made consistently (Z, masks and activations of one forward pass)
so that relu_derivative(Z) and (A > 0) give the same answer.
"""

import numpy as np

from grader.grading.reference import reference
from grader.grading.spec import Spec


def _network(rng):
    """X (n0, m), Y (1, m) and the parameters of a random [n0, n1, n2, 1] network."""
    n0, n1, n2, m = (int(rng.integers(low, high)) for low, high in
                     ((2, 5), (2, 7), (1, 5), (2, 9)))
    X = rng.normal(size=(n0, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    parameters = {}
    for l, (n, n_prev) in enumerate(((n1, n0), (n2, n1), (1, n2)), start=1):
        parameters[f"W{l}"] = rng.normal(0, 0.8, size=(n, n_prev))
        parameters[f"b{l}"] = rng.normal(0, 0.5, size=(n, 1))
    return X, Y, parameters


def _lambd(rng):
    return float(rng.uniform(0.05, 2.0))


def _keep_prob(rng):
    return float(rng.uniform(0.4, 0.95))


def _cost(rng):
    _, Y, parameters = _network(rng)
    A3 = rng.uniform(0.05, 0.95, size=Y.shape)
    return A3, Y, parameters, _lambd(rng)


def _backward_regularized(rng):
    X, Y, parameters = _network(rng)
    _, cache = reference("regularization.forward_propagation")(X, parameters)
    return X, Y, cache, _lambd(rng)


def _forward_dropout(rng):
    X, _, parameters = _network(rng)
    return X, parameters, _keep_prob(rng)


def _backward_dropout(rng):
    """A cache of forward_propagation_with_dropout, with masks drawn from rng."""
    X, Y, parameters = _network(rng)
    keep_prob = _keep_prob(rng)
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    D1 = rng.random(Z1.shape) < keep_prob
    A1 = np.maximum(Z1, 0) * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    D2 = rng.random(Z2.shape) < keep_prob
    A2 = np.maximum(Z2, 0) * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = 1 / (1 + np.exp(-Z3))
    cache = {"Z1": Z1, "D1": D1, "A1": A1, "W1": W1, "b1": b1, "Z2": Z2, "D2": D2, "A2": A2,
             "W2": W2, "b2": b2, "Z3": Z3, "A3": A3, "W3": W3, "b3": b3}
    return X, Y, cache, keep_prob


SPECS = {
    "regularization.compute_cost_with_regularization": Spec(_cost),
    "regularization.backward_propagation_with_regularization": Spec(_backward_regularized),
    "regularization.forward_propagation_with_dropout": Spec(_forward_dropout, seeded=True),
    "regularization.backward_propagation_with_dropout": Spec(_backward_dropout),
}
