"""Hidden tests of c1w4a2 (deep network application).

Both models start from ``initialize_parameters_deep`` (np.random), so the
reference and the student's model run from the same seed. The layer functions
they call come from the package, complete in the student's copy, hence no
``uses``. A few hundred iterations on a small random problem keep each run short.
"""

from grader.grading.spec import Spec


def _problem(rng, layer_dims):
    m = int(rng.integers(5, 30))
    X = rng.normal(size=(layer_dims[0], m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    learning_rate = float(rng.uniform(0.01, 0.1))
    num_iterations = int(rng.integers(101, 350))
    return X, Y, layer_dims, learning_rate, num_iterations


def _two_layer(rng):
    n_x, n_h = (int(n) for n in rng.integers(2, 8, size=2))
    return _problem(rng, (n_x, n_h, 1))


def _deep(rng):
    L = int(rng.integers(2, 5))
    return _problem(rng, [int(n) for n in rng.integers(2, 8, size=L)] + [1])


SPECS = {
    "dense.two_layer_model": Spec(_two_layer, seeded=True, rtol=1e-5),
    "dense.deep_model": Spec(_deep, seeded=True, rtol=1e-5),
}
