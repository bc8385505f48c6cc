"""Hidden tests of c5w2a2 (Emojify): made-up vocabularies ("w0", "w1", ...) with random word
vectors, random sentences over them (some words in capitals, some unknown for the averaging
model), random labels, small LSTMs and a few training steps. The backward pass gets the cache
the reference forward pass makes."""

from grader.grading.spec import Spec


def _vocabulary(rng):
    """word_to_index and E (n_e, V) for V made-up words in a shuffled order."""
    V, n_e = int(rng.integers(3, 15)), int(rng.integers(2, 8))
    words = [f"w{i}" for i in rng.permutation(V)]
    return {w: i for i, w in enumerate(words)}, rng.normal(size=(n_e, V))


def _sentences(rng, word_to_index, m, unknown=False, max_words=5):
    """m sentences of 1 to max_words known words (plus, if unknown, sometimes "zz")."""
    words = list(word_to_index)
    sentences = []
    for _ in range(m):
        chosen = [str(w) for w in rng.choice(words, size=int(rng.integers(1, max_words + 1)))]
        if unknown and rng.random() < 0.4:
            chosen.insert(int(rng.integers(len(chosen) + 1)), "zz")
        if rng.random() < 0.3:
            chosen[0] = chosen[0].upper()
        sentences.append(" ".join(chosen))
    return sentences


def _sentence_to_avg(rng):
    word_to_index, E = _vocabulary(rng)
    return _sentences(rng, word_to_index, 1, unknown=True)[0], word_to_index, E


def _no_known_word(rng):
    word_to_index, E = _vocabulary(rng)
    return "zz yy", word_to_index, E


def _softmax_model(rng):
    word_to_index, E = _vocabulary(rng)
    m, C = int(rng.integers(2, 8)), int(rng.integers(2, 5))
    return (_sentences(rng, word_to_index, m, unknown=True), rng.integers(0, C, m),
            word_to_index, E, C, float(rng.uniform(0.1, 2.0)), int(rng.integers(1, 20)),
            int(rng.integers(1000)))


def _sentences_to_indices(rng):
    word_to_index, _ = _vocabulary(rng)
    m = int(rng.integers(1, 6))
    return _sentences(rng, word_to_index, m), word_to_index, int(rng.integers(5, 8))


def _lstm_problem(rng):
    """X_indices (m, T_x), E (n_e, V), parameters: small random sizes."""
    from grader.grading.reference import reference

    word_to_index, E = _vocabulary(rng)
    n_a, C, m = int(rng.integers(1, 6)), int(rng.integers(2, 5)), int(rng.integers(1, 6))
    X_indices = reference("emojify.sentences_to_indices")(
        _sentences(rng, word_to_index, m, max_words=4), word_to_index, int(rng.integers(4, 7)))
    parameters = {"Wy": rng.normal(size=(C, n_a)), "by": rng.normal(size=(C, 1))}
    for g in ("f", "u", "c", "o"):
        parameters[f"W{g}"] = rng.normal(0, 0.6, (n_a, n_a + E.shape[0]))
        parameters[f"b{g}"] = rng.normal(size=(n_a, 1))
    return X_indices, E, parameters


def _lstm_classifier_backward(rng):
    from grader.grading.reference import reference

    X_indices, E, parameters = _lstm_problem(rng)
    y_hat, cache = reference("emojify.lstm_classifier_forward")(X_indices, E, parameters)
    return y_hat, rng.integers(0, y_hat.shape[0], y_hat.shape[1]), cache


def _lstm_classifier_model(rng):
    X_indices, E, parameters = _lstm_problem(rng)
    m, C = X_indices.shape[0], int(rng.integers(2, 5))
    return (X_indices, rng.integers(0, C, m), E, C, int(rng.integers(1, 5)),
            int(rng.integers(1, 4)), int(rng.integers(1, 4)), float(rng.uniform(0.005, 0.05)),
            int(rng.integers(1000)))


SPECS = {
    "emojify.sentence_to_avg": Spec(_sentence_to_avg, edge_cases=(_no_known_word,)),
    "emojify.softmax_model": Spec(_softmax_model, uses=("emojify.sentence_to_avg",)),
    "emojify.sentences_to_indices": Spec(_sentences_to_indices),
    "emojify.lstm_classifier_forward": Spec(lambda rng: _lstm_problem(rng),
                                            uses=("rnn.lstm_forward",)),
    "emojify.lstm_classifier_backward": Spec(_lstm_classifier_backward,
                                             uses=("rnn.lstm_backward",)),
    "emojify.lstm_classifier_model": Spec(_lstm_classifier_model, uses=(
        "emojify.lstm_classifier_forward", "emojify.lstm_classifier_backward",
        "optim.initialize_adam", "optim.update_parameters_with_adam")),
}
