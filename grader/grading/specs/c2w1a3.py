"""Hidden tests of c2w1a3 (gradient checking)."""

from grader.grading.spec import Spec


def _layer_dims(rng, low=1, high=5):
    """[n[0], ..., n[L]] with low to high - 1 layers of 1 to 5 units."""
    L = int(rng.integers(low, high))
    return [int(n) for n in rng.integers(1, 6, size=L + 1)]


def _parameters(rng, layer_dims):
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.normal(0, 1 / layer_dims[l - 1] ** 0.5,
                                         size=(layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(0, 0.3, size=(layer_dims[l], 1))
    return parameters


def _gradient_check(rng):
    """x away from 0 (the relative difference is 0 / 0 there) and theta of either sign."""
    x = float(rng.choice([-1, 1]) * rng.uniform(0.5, 5))
    return x, float(rng.normal(0, 3))


def _vector_to_dictionary(rng):
    layer_dims = _layer_dims(rng)
    n = sum(layer_dims[l] * (layer_dims[l - 1] + 1) for l in range(1, len(layer_dims)))
    return rng.normal(size=(n, 1)), layer_dims


def _gradient_check_n(rng):
    """A 3-layer net whose gradients are the true ones plus noise of random size.

    With exact gradients the difference would be rounding noise, which depends on
    how the sum is written; with wrong ones it is a stable number to compare.
    """
    from grader.grading.reference import reference

    layer_dims = [int(rng.integers(2, 5)), int(rng.integers(2, 5)), int(rng.integers(1, 4)), 1]
    parameters = _parameters(rng, layer_dims)
    m = int(rng.integers(2, 6))
    X = rng.normal(size=(layer_dims[0], m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    _, cache = reference("gradcheck.forward_propagation_n")(X, Y, parameters)
    gradients = reference("gradcheck.backward_propagation_n")(X, Y, cache)
    scale = 10 ** rng.uniform(-2, 0)
    for key in ("dW1", "db1", "dW2", "db2", "dW3", "db3"):
        gradients[key] = gradients[key] + scale * rng.normal(0, 0.3, size=gradients[key].shape)
    epsilon = float(10 ** rng.uniform(-7, -5))
    return parameters, gradients, X, Y, epsilon


SPECS = {
    "gradcheck.gradient_check": Spec(
        _gradient_check, atol=1e-7,
        stand_ins=(("backward_propagation_1d", "gradcheck.backward_propagation_1d_imprecise"),)),
    "gradcheck.dictionary_to_vector": Spec(lambda rng: (_parameters(rng, _layer_dims(rng)),)),
    "gradcheck.vector_to_dictionary": Spec(_vector_to_dictionary),
    "gradcheck.gradient_check_n": Spec(_gradient_check_n, uses=("gradcheck.dictionary_to_vector",
                                                                "gradcheck.vector_to_dictionary"),
                                       rtol=1e-5),
}
