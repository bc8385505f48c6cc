"""Hidden tests of c4w4a1 (face verification and one-shot learning).

Embeddings are columns: F (d, m). Shapes stay small (d, m < 9) so each check
takes milliseconds.
"""

import numpy as np

from grader.grading.spec import Spec

NAMES = ("ada", "alan", "grace", "edsger", "barbara", "donald", "frances", "john", "radia")


def _size(rng, low=1, high=9):
    return int(rng.integers(low, high))


def _embeddings(rng, d, m):
    """(d, m) columns on the unit sphere, as the course's encoder outputs them."""
    F = rng.normal(size=(d, m))
    return F / np.linalg.norm(F, axis=0, keepdims=True)


def _embedding_distance(rng):
    """F1 (d, m) and F2 (d, m), or (d, 1) half of the time (broadcast)."""
    d, m = _size(rng), _size(rng)
    return rng.normal(size=(d, m)), rng.normal(size=(d, m if rng.random() < 0.5 else 1))


def _triplets(rng):
    """A, P, N (d, m) and a margin: some triplets are past the margin, some not."""
    d, m = _size(rng, 2), _size(rng, 2)
    A = _embeddings(rng, d, m)
    P = _embeddings(rng, d, m)
    N = _embeddings(rng, d, m)
    return A, P, N, float(rng.uniform(0.05, 1.0))


def _between(rng, values):
    """A threshold halfway between two neighbouring sorted values: never equal to one."""
    values = np.sort(values)
    if len(values) == 1:
        return float(values[0] + rng.choice([-0.1, 0.1]))
    k = int(rng.integers(len(values) - 1))
    return float((values[k] + values[k + 1]) / 2)


def _verify(rng):
    """Pairs (d, m) with a threshold that splits them into "same" and "different"."""
    d, m = _size(rng, 2), _size(rng, 2)
    F1, F2 = _embeddings(rng, d, m), _embeddings(rng, d, m)
    return F1, F2, _between(rng, np.linalg.norm(F1 - F2, axis=0))


def _who_is_it(rng):
    """A query (d, 1), a database of 2-6 named (d, 1) embeddings and a threshold that
    sometimes leaves the query unknown."""
    d, k = _size(rng, 2), _size(rng, 2, 7)
    names = [str(name) for name in rng.choice(NAMES, k, replace=False)]
    database = {name: _embeddings(rng, d, 1) for name in names}
    # The query is near one entry, so the nearest is clear; the threshold falls on either
    # side of that distance.
    f = database[names[int(rng.integers(k))]] + rng.normal(0, 0.3, size=(d, 1))
    nearest = min(float(np.linalg.norm(f - e)) for e in database.values())
    threshold = nearest * float(rng.choice([0.6, 1.5]))
    return f, database, threshold


def _pair_probability(rng):
    """F1, F2 (d, m) embeddings, w (d, 1) and a scalar b."""
    d, m = _size(rng), _size(rng)
    return (_embeddings(rng, d, m), _embeddings(rng, d, m), rng.normal(0, 2, size=(d, 1)),
            float(rng.normal()))


SPECS = {
    "faces.embedding_distance": Spec(_embedding_distance),
    "faces.triplet_loss": Spec(_triplets),
    "faces.triplet_loss_backward": Spec(_triplets),
    "faces.verify": Spec(_verify, uses=("faces.embedding_distance",)),
    "faces.who_is_it": Spec(_who_is_it, uses=("faces.embedding_distance",), trials=4),
    "faces.pair_probability": Spec(_pair_probability),
}
