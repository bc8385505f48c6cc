"""Hidden tests of c2w1a1 (initialization)."""

from grader.grading.spec import Spec


def _layer_dims(rng):
    """[n[0], ..., n[L]] with 1 to 4 layers of 1 to 8 units."""
    L = int(rng.integers(1, 5))
    return ([int(n) for n in rng.integers(1, 9, size=L + 1)],)


def _normalize_inputs(rng):
    """Training and test examples whose features have random means and scales."""
    n_x, m, m_test = int(rng.integers(1, 6)), int(rng.integers(2, 30)), int(rng.integers(1, 20))
    mean = rng.normal(0, 50, size=(n_x, 1))
    scale = 10 ** rng.uniform(-2, 2, size=(n_x, 1))
    return (mean + scale * rng.normal(size=(n_x, m)),
            mean + scale * rng.normal(size=(n_x, m_test)) + rng.normal(0, scale))


SPECS = {
    "init.normalize_inputs": Spec(_normalize_inputs),
    "init.initialize_parameters_zeros": Spec(_layer_dims),
    "init.initialize_parameters_random": Spec(_layer_dims, seeded=True),
    "init.initialize_parameters_he": Spec(_layer_dims, seeded=True),
}
