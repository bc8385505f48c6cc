"""Hidden tests of c5w2a1 (word vectors): fresh random vectors, vocabularies and counts."""

import numpy as np

from grader.grading.spec import Spec


def _vectors(rng, count=2):
    n_e = int(rng.integers(2, 12))
    return tuple(rng.normal(size=n_e) for _ in range(count))


def _unit_pair_and_axis(rng):
    e_w1, e_w2, g = _vectors(rng, 3)
    return e_w1 / np.linalg.norm(e_w1), e_w2 / np.linalg.norm(e_w2), g


def _vocabulary(rng):
    """Made-up words (some in capitals in the question) and their vectors as columns."""
    V, n_e = int(rng.integers(5, 40)), int(rng.integers(2, 10))
    words = [f"w{i}" for i in rng.permutation(V)]
    a, b, c = (str(w) for w in rng.choice(words, size=3, replace=False))
    word_to_index = {w: i for i, w in enumerate(words)}
    return (a.upper() if rng.random() < 0.3 else a), b, c, word_to_index, rng.normal(size=(n_e, V))


def _counts(rng):
    return (rng.integers(0, 500, size=int(rng.integers(2, 30))).astype(float) + 1,)


def _skipgram(rng):
    n_e, V, B, K = (int(rng.integers(1, 8)), int(rng.integers(2, 15)), int(rng.integers(1, 12)),
                    int(rng.integers(1, 6)))
    return (rng.normal(size=(n_e, V)), rng.normal(size=(n_e, V)), rng.integers(0, V, B),
            rng.integers(0, V, B), rng.integers(0, V, (B, K)))


def _cooccurrence_counts(rng, V):
    counts = rng.exponential(60, size=(V, V)) * (rng.random((V, V)) < 0.7)
    return counts + counts.T


def _glove_weight(rng):
    return (_cooccurrence_counts(rng, int(rng.integers(1, 10))), float(rng.uniform(20, 150)),
            float(rng.uniform(0.5, 1.0)))


def _glove_cost(rng):
    n_e, V = int(rng.integers(1, 6)), int(rng.integers(2, 10))
    return (_cooccurrence_counts(rng, V), rng.normal(size=(n_e, V)), rng.normal(size=(n_e, V)),
            rng.normal(size=V), rng.normal(size=V))


SPECS = {
    "embeddings.cosine_similarity": Spec(_vectors, edge_cases=(
        lambda rng: (np.zeros(3), rng.normal(size=3)),)),
    "embeddings.complete_analogy": Spec(_vocabulary),
    "embeddings.neutralize": Spec(lambda rng: _vectors(rng, 2)),
    "embeddings.equalize": Spec(_unit_pair_and_axis),
    "embeddings.noise_distribution": Spec(_counts),
    "embeddings.skipgram_loss": Spec(_skipgram, uses=("activations.sigmoid",)),
    "embeddings.glove_weight": Spec(_glove_weight),
    "embeddings.glove_cost": Spec(_glove_cost, uses=("embeddings.glove_weight",)),
}
