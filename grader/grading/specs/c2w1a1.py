"""Hidden tests of c2w1a1 (initialization)."""

from grader.grading.spec import Spec


def _layer_dims(rng):
    """[n[0], ..., n[L]] with 1 to 4 layers of 1 to 8 units."""
    L = int(rng.integers(1, 5))
    return ([int(n) for n in rng.integers(1, 9, size=L + 1)],)


SPECS = {
    "init.initialize_parameters_zeros": Spec(_layer_dims),
    "init.initialize_parameters_random": Spec(_layer_dims, seeded=True),
    "init.initialize_parameters_he": Spec(_layer_dims, seeded=True),
}
