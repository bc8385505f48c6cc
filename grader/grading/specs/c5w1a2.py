"""Hidden tests of c5w1a2 (character-level language model): small vocabularies of random
letters, short random "names", a few training steps."""

import string

from grader.grading.spec import Spec


def _vocabulary(rng):
    """char_to_ix for "\\n" and 2 to 6 letters."""
    letters = list(string.ascii_lowercase[:int(rng.integers(2, 7))])
    return {ch: i for i, ch in enumerate(["\n"] + letters)}


def _names(rng, char_to_ix, m):
    letters = [ch for ch in char_to_ix if ch != "\n"]
    return ["".join(rng.choice(letters, size=int(rng.integers(1, 7)))) for _ in range(m)]


def _parameters(rng, n_x, n_a, scale=0.8):
    return {"Waa": rng.normal(0, scale, (n_a, n_a)), "Wax": rng.normal(0, scale, (n_a, n_x)),
            "Wya": rng.normal(0, scale, (n_x, n_a)), "ba": rng.normal(size=(n_a, 1)),
            "by": rng.normal(size=(n_x, 1))}


def _clip(rng):
    n_a, n_x = (int(v) for v in rng.integers(1, 6, size=2))
    gradients = {f"d{key}": 10 * value for key, value in _parameters(rng, n_x, n_a).items()}
    return gradients, float(rng.uniform(0.5, 5))


def _sample(rng):
    char_to_ix = _vocabulary(rng)
    return _parameters(rng, len(char_to_ix), int(rng.integers(2, 6))), char_to_ix, \
        int(rng.integers(1000))


def _optimize(rng):
    from grader.grading.reference import reference

    char_to_ix = _vocabulary(rng)
    X, Y = reference("rnn.names_to_batch")(_names(rng, char_to_ix, int(rng.integers(1, 5))),
                                           char_to_ix)
    parameters = _parameters(rng, len(char_to_ix), int(rng.integers(2, 6)))
    return X, Y, parameters, float(rng.uniform(0.01, 0.5)), float(rng.uniform(0.5, 5))


def _model(rng):
    char_to_ix = _vocabulary(rng)
    names = _names(rng, char_to_ix, int(rng.integers(3, 8)))
    return (names, char_to_ix, int(rng.integers(2, 6)), int(rng.integers(2, 6)),
            int(rng.integers(1, 4)), float(rng.uniform(0.05, 0.5)), int(rng.integers(1000)))


SPECS = {
    "rnn.clip": Spec(_clip),
    "rnn.sample": Spec(_sample, uses=("rnn.rnn_cell_forward",)),
    "rnn.optimize": Spec(_optimize, uses=("rnn.rnn_forward", "rnn.rnn_backward", "rnn.clip")),
    "rnn.model": Spec(_model, uses=("rnn.optimize",)),
}
