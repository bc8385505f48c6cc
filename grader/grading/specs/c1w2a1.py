"""Hidden tests of c1w2a1 (NumPy basics)."""

from grader.grading.spec import Spec


def _array(rng, low=1, high=6, ndim=None):
    """A float array of random shape (1 to 3 axes) and random values."""
    ndim = ndim or int(rng.integers(1, 4))
    shape = tuple(int(s) for s in rng.integers(low, high, size=ndim))
    return rng.normal(0, 3, size=shape)


def _columns(rng):
    C, m = (int(s) for s in rng.integers(2, 7, size=2))
    return (rng.normal(0, 4, size=(C, m)),)


def _pair(rng):
    m = int(rng.integers(3, 12))
    return rng.random(m), rng.integers(0, 2, size=m).astype(float)


def _calories(rng):
    k, n = (int(s) for s in rng.integers(2, 6, size=2))
    return (rng.uniform(0.5, 120, size=(k, n)),)


SPECS = {
    "activations.sigmoid": Spec(lambda rng: (_array(rng),)),
    "activations.sigmoid_derivative": Spec(lambda rng: (_array(rng),),
                                           uses=("activations.sigmoid",)),
    "basics.image_to_vector": Spec(lambda rng: (_array(rng, 2, 7, ndim=3),)),
    "basics.normalize_rows": Spec(lambda rng: (_array(rng, 2, 7, ndim=2),)),
    "activations.softmax": Spec(_columns),
    "losses.l1_loss": Spec(_pair),
    "losses.l2_loss": Spec(_pair),
    "basics.calorie_percentages": Spec(_calories),
}
