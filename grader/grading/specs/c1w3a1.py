"""Hidden tests of c1w3a1 (planar data with one hidden layer).

``losses.compute_cost`` and ``dense.update_parameters`` are graded again in
c1w4a1, which reuses these specs.
"""

import numpy as np

from grader.grading.spec import Spec


def _array(rng):
    """A float array of random shape (1 to 3 axes) and random values, none exactly 0."""
    shape = tuple(int(s) for s in rng.integers(1, 6, size=int(rng.integers(1, 4))))
    return rng.normal(0, 2, size=shape)


def _with_alpha(rng):
    """Z, and half the time a random slope alpha (else the default is used)."""
    Z = _array(rng)
    return (Z,) if rng.random() < 0.5 else (Z, float(rng.uniform(0.01, 0.3)))


def _data(rng, n_y=1):
    """X: (n_x, m) inputs and Y: (n_y, m) 0/1 float labels of random sizes."""
    n_x, m = int(rng.integers(2, 6)), int(rng.integers(3, 12))
    X = rng.normal(0, 1, size=(n_x, m))
    Y = rng.integers(0, 2, size=(n_y, m)).astype(float)
    return X, Y


def _parameters(rng, n_x, n_h, n_y=1):
    """Weights big enough that tanh is not linear, biases non-zero."""
    return {"W1": rng.normal(0, 0.8, size=(n_h, n_x)), "b1": rng.normal(0, 0.5, size=(n_h, 1)),
            "W2": rng.normal(0, 0.8, size=(n_y, n_h)), "b2": rng.normal(0, 0.5, size=(n_y, 1))}


def _layer_sizes(rng):
    X, Y = _data(rng, n_y=int(rng.integers(1, 4)))
    return (X, Y) if rng.random() < 0.3 else (X, Y, int(rng.integers(1, 9)))


def _forward(rng):
    X, _ = _data(rng)
    return X, _parameters(rng, X.shape[0], int(rng.integers(1, 7)))


def _backward(rng):
    """A consistent cache, so 1 - A1**2 and tanh_derivative(Z1) give the same answer."""
    X, Y = _data(rng)
    parameters = _parameters(rng, X.shape[0], int(rng.integers(1, 7)))
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return parameters, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}, X, Y


def _cost(rng):
    m = int(rng.integers(1, 15))
    return rng.uniform(0.02, 0.98, size=(1, m)), rng.integers(0, 2, size=(1, m)).astype(float)


def _update(rng):
    """Parameters and gradients of a dense net with 1 to 4 layers."""
    sizes = [int(s) for s in rng.integers(1, 6, size=int(rng.integers(2, 6)))]
    parameters, grads = {}, {}
    for l in range(1, len(sizes)):
        for name, shape in (("W", (sizes[l], sizes[l - 1])), ("b", (sizes[l], 1))):
            parameters[f"{name}{l}"] = rng.normal(0, 1, size=shape)
            grads[f"d{name}{l}"] = rng.normal(0, 1, size=shape)
    return parameters, grads, float(rng.uniform(0.001, 2))


def _nn_model(rng):
    """Small data and up to 250 steps: the cost list holds 1 to 3 entries.

    Learning rates stay at or below 0.5: above that, 3% of draws were chaotic (a change
    in the last bit of one update moved the trained weights by more than rtol), so an
    answer that rounds differently from the reference could lose its points. Up to
    0.5 the same change moved them by at most 1e-10 in 400 draws.
    """
    X, Y = _data(rng)
    return (X, Y, int(rng.integers(1, 6)), int(rng.integers(1, 251)),
            float(rng.uniform(0.05, 0.5)))


def _predict(rng):
    X, parameters = _forward(rng)
    return parameters, X


SPECS = {
    "activations.tanh": Spec(lambda rng: (_array(rng),)),
    "activations.tanh_derivative": Spec(lambda rng: (_array(rng),), uses=("activations.tanh",)),
    "activations.relu": Spec(lambda rng: (_array(rng),)),
    "activations.relu_derivative": Spec(lambda rng: (_array(rng),)),
    "activations.leaky_relu": Spec(_with_alpha),
    "activations.leaky_relu_derivative": Spec(_with_alpha),
    "shallow.layer_sizes": Spec(_layer_sizes),
    "shallow.initialize_parameters": Spec(
        lambda rng: tuple(int(s) for s in rng.integers(1, 7, size=3)), seeded=True),
    "shallow.forward_propagation": Spec(_forward, uses=("activations.tanh",)),
    "losses.compute_cost": Spec(_cost),
    "shallow.backward_propagation": Spec(_backward, uses=("activations.tanh_derivative",)),
    "dense.update_parameters": Spec(_update),
    "shallow.nn_model": Spec(
        _nn_model, seeded=True,
        uses=("shallow.layer_sizes", "shallow.initialize_parameters",
              "shallow.forward_propagation", "losses.compute_cost",
              "shallow.backward_propagation", "dense.update_parameters")),
    "shallow.predict": Spec(_predict, uses=("shallow.forward_propagation",)),
}
