"""Hidden tests of c1w4a1 (deep network step by step).

The specs of ``losses.compute_cost`` and ``dense.update_parameters``, also
graded here, live in c1w3a1.py where they are first taught.
"""

from grader.grading.spec import Spec


def _size(rng, low=1, high=6):
    return int(rng.integers(low, high))


def _layer(rng):
    """A_prev (n_prev, m), W (n, n_prev), b (n, 1) of random sizes."""
    n_prev, n, m = _size(rng, 2, 7), _size(rng, 1, 6), _size(rng, 1, 8)
    return rng.normal(size=(n_prev, m)), rng.normal(size=(n, n_prev)), rng.normal(size=(n, 1))


def _layer_dims(rng):
    """[n[0], ..., n[L]] with 1 to 4 layers, ending in one output unit."""
    L = _size(rng, 1, 5)
    return [int(n) for n in rng.integers(1, 8, size=L)] + [1]


def _parameters(rng, layer_dims):
    return {key: value for l in range(1, len(layer_dims))
            for key, value in ((f"W{l}", rng.normal(0, 0.8, size=(layer_dims[l],
                                                                    layer_dims[l - 1]))),
                               (f"b{l}", rng.normal(0, 0.5, size=(layer_dims[l], 1))))}


def _network(rng):
    """X (n[0], m), Y (1, m) and parameters of a random net."""
    layer_dims = _layer_dims(rng)
    m = _size(rng, 2, 9)
    X = rng.normal(size=(layer_dims[0], m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    return X, Y, _parameters(rng, layer_dims)


def _activation_forward(rng):
    return (*_layer(rng), str(rng.choice(["sigmoid", "relu"])))


def _linear_backward(rng):
    A_prev, W, b = _layer(rng)
    return rng.normal(size=(W.shape[0], A_prev.shape[1])), (A_prev, W, b)


def _activation_backward(rng):
    dZ_like, linear_cache = _linear_backward(rng)
    Z = rng.normal(size=dZ_like.shape)
    return dZ_like, (linear_cache, Z), str(rng.choice(["sigmoid", "relu"]))


def _model_forward(rng):
    X, _, parameters = _network(rng)
    return X, parameters


def _model_backward(rng):
    """AL, Y and caches from a forward pass of the reference (numbers a student's
    model_forward would produce too)."""
    from grader.grading.reference import reference

    X, Y, parameters = _network(rng)
    AL, caches = reference("dense.model_forward")(X, parameters)
    return AL, Y, caches


SPECS = {
    "dense.initialize_parameters_deep": Spec(lambda rng: (_layer_dims(rng),), seeded=True),
    "dense.linear_forward": Spec(_layer),
    "dense.linear_activation_forward": Spec(_activation_forward, uses=("dense.linear_forward",)),
    "dense.model_forward": Spec(_model_forward, uses=("dense.linear_activation_forward",)),
    "dense.linear_backward": Spec(_linear_backward),
    "dense.linear_activation_backward": Spec(_activation_backward,
                                             uses=("dense.linear_backward",)),
    "dense.model_backward": Spec(_model_backward, uses=("dense.linear_activation_backward",)),
}
